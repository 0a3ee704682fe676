"""Article rows and rejects as every format reader returns them.

A reader turns one file into raw field values; this module makes them rows of
RAW_ARTICLE_SCHEMA with a stable `article_id` and cleaned fields.
"""

import dataclasses
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from transforms.dates import date_precision, parse_date
from transforms.rejects import Reject, RejectReason
from transforms.safe_text import without_surrogates
from transforms.schemas import PROVENANCE_FIELDS, RAW_ARTICLE_SCHEMA

ARTICLE_ID_HEX = 16
_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class Member:
    """A source unpacked from an archive: a ledger row of its own ("a.zip!dir/b.html")."""

    path: str
    size: int  # unpacked bytes
    content_hash: str


@dataclass(frozen=True)
class ReadResult:
    articles: pl.DataFrame  # RAW_ARTICLE_SCHEMA
    rejects: list[Reject] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)  # archive members read (nested ones included)
    sidecars: dict[str, bytes] = field(default_factory=dict)  # member path -> bytes of its "member.meta.json"


def article_id(path: str, item: str) -> str:
    """First 16 hex of blake2b(path NUL item): the same input keeps its id on rerun."""
    digest = hashlib.blake2b(f"{path}\x00{item}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:ARTICLE_ID_HEX]


def article_row(
    path: str,
    item: str,
    fields: Mapping[str, str | None],
    encoding: str,
    fmt: str,
    origin: str | Mapping[str, str] = "extraction",
) -> dict[str, object]:
    """One RAW_ARTICLE_SCHEMA row from raw string fields (dates and language parsed here).

    `origin` says where the metadata fields came from (one source for all, or
    per field; fields not named are "extraction"); empty fields have no source.
    """
    values = {name: _clean(fields.get(name)) for name in ("title", "outlet", "url", "author", "section")}
    raw_date, raw_fetched = _clean(fields.get("published_at")), _clean(fields.get("fetched_at"))
    row = {
        "article_id": article_id(path, item),
        "source_path": path,
        "item": item,
        "text": without_surrogates(fields["text"]),
        "language": language_tag(fields.get("language")),
        "published_at": parse_date(raw_date) if raw_date else None,
        "fetched_at": parse_date(raw_fetched) if raw_fetched else None,
        "encoding": encoding,
        "format": fmt,
        "extraction": _clean(fields.get("extraction")),
        **values,
    }
    if row["published_at"] is not None:
        row["published_precision"] = _clean(fields.get("published_precision")) or date_precision(raw_date)
    row["field_sources"] = {
        name: (origin if isinstance(origin, str) else origin.get(name, "extraction"))
        if row.get(name) is not None
        else None
        for name in PROVENANCE_FIELDS
    }
    return row


def language_tag(value: str | None) -> str | None:
    """Primary subtag of a language tag ("de-DE", "de_AT", "DE" -> "de"); other values lowercased."""
    cleaned = _clean(value)
    if cleaned is None:
        return None
    lowered = cleaned.lower()
    match = _LANGUAGE_TAG.fullmatch(lowered)
    return match.group(1) if match else lowered


def articles_frame(rows: Sequence[Mapping[str, object]]) -> pl.DataFrame:
    """RAW_ARTICLE_SCHEMA rows as a frame (keys a row lacks are null; built with the schema, no cast needed)."""
    return pl.DataFrame(list(rows), schema=RAW_ARTICLE_SCHEMA)


def single(row: Mapping[str, object]) -> ReadResult:
    return ReadResult(articles_frame([row]), [])


def with_more_items(result: ReadResult, path: str, more: int, kept: int) -> ReadResult:
    """`result` plus one too_many_items reject counting the `more` items past the first `kept` (none if 0)."""
    if not more:
        return result
    detail = f"{more} item(s) after the first {kept} not read (limits.max_items_per_file)"
    return dataclasses.replace(result, rejects=[*result.rejects, Reject(path, "read", RejectReason.TOO_MANY_ITEMS, detail)])


def rejected(path: str, stage: str, reason: RejectReason, detail: str, item: str = "") -> ReadResult:
    return ReadResult(articles_frame([]), [Reject(path, stage, reason, detail, item)])


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = without_surrogates(value.strip())
    return stripped or None
