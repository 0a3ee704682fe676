"""Read one input file into raw articles and rejects, whatever it holds.

`read_file` never raises for bad content: undecodable, binary, malformed or
empty inputs, corrupt archives and inputs over a limit come back as rejects
that carry the source's path (and the item). Compressed files are unpacked
and archives opened here (transforms/readers/containers.py); every archive
member is a source of its own, "archive.zip!member/path", with a ledger row
(`ReadResult.members`). A member "x.meta.json" is the sidecar of member "x":
its bytes are returned in `ReadResult.sidecars` for transforms/ingest.py.
"""

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

import polars as pl

from transforms.decode import Decoded, decode_bytes, repair_decoded
from transforms.readers.containers import (
    MEMBER_SEPARATOR,
    SINGLE_STREAM,
    Budget,
    CorruptContainer,
    LimitExceeded,
    archive_members,
    container_kind,
    inner_name,
    unpack_stream,
)
from transforms.readers.csv_docs import read_csv
from transforms.readers.feeds import FEED_SUFFIXES, looks_like_feed, read_feed
from transforms.readers.html import read_html
from transforms.readers.json_docs import DEFAULT_FIELD_MAP, merged_field_map, read_json, read_jsonl
from transforms.readers.options import CsvOptions, ReadOptions
from transforms.readers.records import Member, ReadResult, article_id, articles_frame, rejected, with_more_items
from transforms.readers.sniff import SUPPORTED_SUFFIXES, binary_kind, sniff_format
from transforms.readers.text import read_text
from transforms.readers.warc import WARC_MAGIC, read_warc
from transforms.rejects import Reject, RejectReason

__all__ = [
    "DEFAULT_FIELD_MAP", "SUPPORTED_SUFFIXES", "CsvOptions", "Member", "ReadOptions", "ReadResult", "article_id",
    "content_hash", "read_file",
]  # fmt: skip


CSV_SUFFIXES = frozenset({".csv", ".tsv"})
SIDECAR_SUFFIX = ".meta.json"


def read_file(
    path: str,
    data: bytes,
    options: ReadOptions | None = None,
    *,
    max_json_depth: int | None = None,
    field_map: Mapping[str, Sequence[str]] | None = None,
) -> ReadResult:
    """Unpack, decode, sniff the format and dispatch to the reader for it."""
    options = options or ReadOptions()
    if max_json_depth is not None or field_map is not None:
        options = dataclasses.replace(
            options,
            max_json_depth=options.max_json_depth if max_json_depth is None else max_json_depth,
            field_map=field_map if field_map is not None else options.field_map,
        )
    budget = Budget(len(data), options)
    try:
        return _read_source(path, PurePosixPath(path).name, data, options, budget, depth=0)
    except LimitExceeded as limit:  # the whole input is quarantined, nothing of it is kept
        return rejected(path, "unpack", limit.reason, limit.detail)


def capped(result: ReadResult, path: str, max_items: int) -> ReadResult:
    """At most `max_items` articles of one document; the rest counted in one too_many_items reject."""
    more = result.articles.height - max_items
    if more <= 0:
        return result
    return with_more_items(dataclasses.replace(result, articles=result.articles.head(max_items)), path, more, max_items)


def content_hash(data: bytes) -> str:
    """blake2b-128 hex of raw bytes: the ledger's change detector for files and members."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_source(path: str, name: str, data: bytes, options: ReadOptions, budget: Budget, depth: int) -> ReadResult:
    kind = container_kind(name, data)
    if kind is None:
        return _read_document(path, name, data, options)
    if depth >= options.max_archive_depth:
        detail = f"{kind} at nesting level {depth + 1} > limit {options.max_archive_depth}"
        return rejected(path, "unpack", RejectReason.ARCHIVE_TOO_DEEP, detail)
    if kind in SINGLE_STREAM:
        try:
            inner = unpack_stream(kind, data, budget, cap=options.max_file_bytes)
        except CorruptContainer as error:
            return rejected(path, "unpack", RejectReason.CORRUPT_ARCHIVE, str(error))
        if inner is None:
            return rejected(path, "unpack", RejectReason.TOO_LARGE, f"unpacks to over {options.max_file_bytes} bytes")
        return _read_source(path, inner_name(name), inner, options, budget, depth + 1)
    return _read_archive(path, kind, data, options, budget, depth)


def _read_archive(path: str, kind: str, data: bytes, options: ReadOptions, budget: Budget, depth: int) -> ReadResult:
    """Every member read as a source of its own; sidecar members applied to their sibling."""
    try:
        unpacked = list(archive_members(kind, data, budget, options))
    except CorruptContainer as error:
        return rejected(path, "unpack", RejectReason.CORRUPT_ARCHIVE, str(error))
    sidecars = {
        m.name[: -len(SIDECAR_SUFFIX)]: m for m in unpacked if m.name.endswith(SIDECAR_SUFFIX) and m.data is not None
    }
    frames, rejects, members, seen, found_sidecars = [], [], [], set(), {}
    for member in unpacked:
        member_path = f"{path}{MEMBER_SEPARATOR}{member.name}"
        if member.name.endswith(SIDECAR_SUFFIX) and member.data is not None:
            described = member.name[: -len(SIDECAR_SUFFIX)]
            if not any(other.name == described for other in unpacked):
                detail = f"sidecar of {described!r}, which the archive does not hold"
                rejects.append(Reject(path, "metadata", RejectReason.INVALID_METADATA, detail, member.name))
            continue  # applied to its sibling below
        if member_path in seen:
            rejects.append(
                Reject(
                    member_path,
                    "unpack",
                    RejectReason.CORRUPT_ARCHIVE,
                    "duplicate member name; the first is read",
                    f"dup{len(seen)}",
                )
            )
            continue
        seen.add(member_path)
        if member.problem is not None:
            rejects.append(Reject(member_path, "unpack", *member.problem))
            members.append(Member(member_path, 0, ""))
            continue
        result = _read_source(member_path, member.name, member.data, options, budget, depth + 1)
        sidecar = sidecars.get(member.name)
        if sidecar is not None:
            found_sidecars[member_path] = sidecar.data
        found_sidecars.update(result.sidecars)
        frames.append(result.articles)
        rejects.extend(result.rejects)
        members.append(
            Member(member_path, len(member.data), content_hash(member.data + (sidecar.data if sidecar else b"")))
        )
        members.extend(result.members)
    if not members and not rejects:
        return rejected(path, "unpack", RejectReason.EMPTY, f"{kind} archive has no file members")
    articles = pl.concat(frames) if frames else articles_frame([])
    return ReadResult(articles, rejects, members, found_sidecars)


def _read_document(path: str, name: str, data: bytes, options: ReadOptions) -> ReadResult:
    if data.startswith(WARC_MAGIC):
        return capped(read_warc(path, data, options.html), path, options.max_items_per_file)
    if (kind := binary_kind(data)) is not None:
        return rejected(path, "read", RejectReason.UNSUPPORTED_FORMAT, f"{kind}, not a text article")
    decoded = decode_bytes(data, repair=False)  # mojibake: in HTML on the extracted text, else below
    if not isinstance(decoded, Decoded):
        reason, detail = decoded
        return rejected(path, "decode", reason, detail)
    suffix = PurePosixPath(name).suffix.lower()
    text, encoding = decoded.text, decoded.encoding
    is_feed = suffix not in CSV_SUFFIXES and (suffix in FEED_SUFFIXES or looks_like_feed(text))
    fmt = None if suffix in CSV_SUFFIXES or is_feed else sniff_format(suffix, text)
    if fmt == "html":
        return read_html(path, text, encoding, options=options.html)
    repaired = repair_decoded(decoded)
    text, encoding = repaired.text, repaired.encoding
    if suffix in CSV_SUFFIXES:
        result = read_csv(path, text, encoding, options.csv, merged_field_map(options.field_map), tsv=suffix == ".tsv")
        return capped(result, path, options.max_items_per_file)
    if is_feed:
        return capped(read_feed(path, text, encoding), path, options.max_items_per_file)
    match fmt:
        case "txt" | "md":
            return read_text(path, text, encoding, fmt)
        case "json":
            return read_json(path, text, encoding, max_depth=options.max_json_depth, field_map=options.field_map, max_items=options.max_items_per_file)
        case "jsonl":
            return read_jsonl(path, text, encoding, max_depth=options.max_json_depth, field_map=options.field_map, max_items=options.max_items_per_file)
    detail = f"suffix {suffix or '(none)'!r} and content {text[:40]!r} are no article format"
    return rejected(path, "read", RejectReason.UNSUPPORTED_FORMAT, detail)
