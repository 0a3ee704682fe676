"""A JSON document's item list read item by item: the first items kept, the rest only counted.

`json.loads` of a 10 MB array of 5 M small objects builds 5 M dicts (~3 GB);
this decodes one item at a time (`JSONDecoder.raw_decode`) and keeps at most
`keep` of them, so memory follows the items kept, not the items in the file.
The list is the top-level array, or the array under one of the container keys
("articles", "items", "data") of a top-level object. Every item is still
decoded, so a syntax error anywhere is found.
"""

import json
import re
from collections.abc import Sequence

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def capped_document(text: str, keep: int, container_keys: Sequence[str]) -> tuple[object, int]:
    """(the document with its item list cut to `keep` items, how many items were cut); JSONDecodeError if not JSON."""
    start = _skip(text, 0)
    if text.startswith("[", start):
        items, more, end = _array(text, start, keep)
        _end(text, end)
        return items, more
    if not text.startswith("{", start):
        return json.loads(text), 0
    document, cut, end = _object(text, start, keep, container_keys)
    _end(text, end)
    chosen = next((key for key in container_keys if isinstance(document.get(key), list)), None)
    return document, cut.get(chosen, 0)


def array_items(text: str, keep: int) -> tuple[list[object], int]:
    """(the first `keep` items, how many more there are) of `text`, a JSON array."""
    items, more = capped_document(text, keep, ())
    if not isinstance(items, list):
        raise json.JSONDecodeError("Expecting '['", text, _skip(text, 0))
    return items, more


def _array(text: str, position: int, keep: int) -> tuple[list[object], int, int]:
    """The array at `position`: (first `keep` items, items after them, position after the array)."""
    position = _skip(text, position + 1)
    kept: list[object] = []
    more = 0
    if text.startswith("]", position):
        return kept, more, position + 1
    while True:
        item, position = _DECODER.raw_decode(text, position)
        if len(kept) < keep:
            kept.append(item)
        else:
            more += 1
        position, closed = _after_value(text, position, "]")
        if closed:
            return kept, more, position


def _object(text: str, position: int, keep: int, container_keys: Sequence[str]) -> tuple[dict, dict[str, int], int]:
    """The object at `position`, its container-key arrays cut: (object, items cut per key, position after it)."""
    document: dict = {}
    cut: dict[str, int] = {}
    position = _skip(text, position + 1)
    if text.startswith("}", position):
        return document, cut, position + 1
    while True:
        if not text.startswith('"', position):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if not text.startswith(":", position):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
        position = _skip(text, position + 1)
        if key in container_keys and text.startswith("[", position):
            document[key], cut[key], position = _array(text, position, keep)
        else:
            document[key], position = _DECODER.raw_decode(text, position)
            cut.pop(key, None)  # a later duplicate key wins, as in json.loads
        position, closed = _after_value(text, position, "}")
        if closed:
            return document, cut, position


def _after_value(text: str, position: int, close: str) -> tuple[int, bool]:
    """Past a value in an array or object: (where the next value starts, False) or (after `close`, True)."""
    position = _skip(text, position)
    if text.startswith(",", position):
        return _skip(text, position + 1), False
    if text.startswith(close, position):
        return position + 1, True
    raise json.JSONDecodeError("Expecting ',' delimiter", text, position)


def _skip(text: str, position: int) -> int:
    return _SPACE.match(text, position).end()


def _end(text: str, position: int) -> None:
    position = _skip(text, position)
    if position != len(text):
        raise json.JSONDecodeError("Extra data", text, position)
