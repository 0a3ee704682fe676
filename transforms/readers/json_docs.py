"""JSON and JSON Lines articles, mapped from common crawler shapes.

A JSON file holds one object, a list of objects, or an object with a list
under "articles" / "items" / "data"; a JSONL file one object per line. Items
are keyed "#<index>" (0-based) or "L<line>" (1-based). A bad JSONL line or an
item without text rejects only that item. Depth is checked by a linear scan
before parsing, so hostile nesting never reaches the recursive parser.
"""

import io
import itertools
import json
import re
from collections.abc import Mapping, Sequence

from transforms.readers.json_stream import capped_document
from transforms.readers.records import ReadResult, article_row, articles_frame, rejected, with_more_items
from transforms.rejects import Reject, RejectReason

# Canonical field -> candidate keys, first non-empty wins (news-please first).
DEFAULT_FIELD_MAP: Mapping[str, Sequence[str]] = {
    "text": ("maintext", "text", "body", "content", "article", "articleBody", "article_body"),
    "title": ("title", "headline"),
    "published_at": ("date_publish", "date", "published", "published_at", "pubDate", "datePublished"),
    "outlet": ("outlet", "source_domain", "source", "publisher", "site_name", "sitename"),
    "author": ("authors", "author", "byline"),
    "url": ("url", "canonical_url", "link"),
    "language": ("language", "lang", "inLanguage"),
    "section": ("section", "category", "categories", "articleSection", "ressort", "label"),
}
CONTAINER_KEYS = ("articles", "items", "data")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # "\\ud800" escapes decode to unencodable str
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def read_json(
    path: str, text: str, encoding: str, *, max_depth: int, field_map: Mapping[str, Sequence[str]] | None,
    max_items: int = 10_000,
) -> ReadResult:
    """Read a .json document (one article or many; a top-level array streamed, at most `max_items` kept)."""
    if (depth := json_depth(text)) > max_depth:
        return rejected(path, "parse", RejectReason.JSON_TOO_DEEP, f"nesting depth {depth} > {max_depth}")
    try:
        document, more = capped_document(text, max_items, CONTAINER_KEYS)
    except json.JSONDecodeError as error:
        return rejected(path, "parse", RejectReason.INVALID_JSON, _where(error, error.lineno))
    except ValueError as error:  # a number Python will not convert (over 4,300 digits)
        return rejected(path, "parse", RejectReason.INVALID_JSON, str(error))
    except RecursionError:
        return rejected(path, "parse", RejectReason.JSON_TOO_DEEP, f"nesting too deep to parse (limit {max_depth})")
    items = _items(document)
    if isinstance(items, str):
        return rejected(path, "parse", RejectReason.NO_TEXT, items)
    if not items:
        return rejected(path, "parse", RejectReason.EMPTY, "JSON document holds no items")
    more += max(len(items) - max_items, 0)
    keyed = (
        [("", items[0])]
        if isinstance(document, dict) and items[0] is document
        else [(f"#{index}", item) for index, item in enumerate(items[:max_items])]
    )
    return with_more_items(_build(path, keyed, encoding, "json", merged_field_map(field_map)), path, more, max_items)


def read_jsonl(
    path: str, text: str, encoding: str, *, max_depth: int, field_map: Mapping[str, Sequence[str]] | None,
    max_items: int = 10_000,
) -> ReadResult:
    """Read JSON Lines: each non-blank line is one article (at most `max_items`); blank lines are skipped.

    Lines end at "\n" only (a trailing "\r" is JSON whitespace): U+2028 and the
    other breaks `str.splitlines` knows are valid inside a JSON string.
    """
    keyed: list[tuple[str, object]] = []
    rejects: list[Reject] = []
    more = 0
    for number, line in enumerate(io.StringIO(text, newline="\n"), start=1):  # one line at a time, "\n" only
        line = line.removesuffix("\n")
        if not line.strip():
            continue
        if len(keyed) + len(rejects) >= max_items:
            more += 1
            continue
        item = f"L{number}"
        if (depth := json_depth(line)) > max_depth:
            detail = f"nesting depth {depth} > {max_depth} at line {number}"
            rejects.append(Reject(path, "parse", RejectReason.JSON_TOO_DEEP, detail, item))
            continue
        try:
            keyed.append((item, json.loads(line)))
        except json.JSONDecodeError as error:
            rejects.append(Reject(path, "parse", RejectReason.INVALID_JSON, _where(error, number), item))
        except ValueError as error:  # a number Python will not convert (over 4,300 digits)
            rejects.append(Reject(path, "parse", RejectReason.INVALID_JSON, f"line {number}: {error}", item))
        except RecursionError:
            detail = f"nesting too deep to parse at line {number}"
            rejects.append(Reject(path, "parse", RejectReason.JSON_TOO_DEEP, detail, item))
    if not keyed and not rejects:
        return rejected(path, "parse", RejectReason.EMPTY, "JSON Lines file has no non-blank line")
    result = _build(path, keyed, encoding, "jsonl", merged_field_map(field_map))
    return with_more_items(ReadResult(result.articles, rejects + result.rejects), path, more, max_items)


def json_depth(text: str) -> int:
    """Maximum bracket nesting outside strings, by a linear scan (no recursion)."""
    steps = (_DEPTH_STEP[bracket] for bracket in _BRACKET.findall(_STRING.sub("", text)))
    return max(itertools.accumulate(steps, initial=0))


def _items(document: object) -> list[object] | str:
    """The article items of a document, or why there are none."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return f"top-level JSON is {type(document).__name__}, not an object or array"
    for key in CONTAINER_KEYS:
        if isinstance(document.get(key), list):
            return document[key]
    return [document]


def _build(
    path: str, keyed: list[tuple[str, object]], encoding: str, fmt: str, field_map: Mapping[str, Sequence[str]]
) -> ReadResult:
    rows, rejects = [], []
    for item, value in keyed:
        if not isinstance(value, dict):
            detail = f"item is {type(value).__name__}, not an object"
            rejects.append(Reject(path, "parse", RejectReason.NO_TEXT, detail, item))
            continue
        fields = {name: _first(value, keys, paragraphs=name == "text") for name, keys in field_map.items()}
        if not fields.get("text"):
            detail = f"no text under any of {', '.join(field_map['text'])}"
            rejects.append(Reject(path, "parse", RejectReason.NO_TEXT, detail, item))
            continue
        rows.append(article_row(path, item, fields, encoding, fmt, "record"))
    return ReadResult(articles_frame(rows), rejects)


def merged_field_map(overrides: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    merged = {name: tuple(keys) for name, keys in DEFAULT_FIELD_MAP.items()}
    merged.update({name: tuple(keys) for name, keys in (overrides or {}).items()})
    return merged


def _first(item: Mapping[str, object], keys: Sequence[str], *, paragraphs: bool) -> str | None:
    for key in keys:
        value = _as_text(item.get(key), paragraph_join=paragraphs)
        if value:
            return value
    return None


def _as_text(value: object, *, paragraph_join: bool = False) -> str | None:
    """Strings (lone surrogates -> U+FFFD); numbers as text; lists joined; {"name": ...} by name."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value).strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return _as_text(value.get("name"))
    if isinstance(value, list):
        parts = [part for part in (_as_text(element) for element in value) if part]
        return ("\n\n" if paragraph_join else ", ").join(parts) or None
    return None


def _where(error: json.JSONDecodeError, line: int) -> str:
    return f"{error.msg} (line {line}, col {error.colno}, char {error.pos})"
