"""A top-level JSON array read item by item: the first items kept, the rest only counted.

`json.loads` of a 10 MB array of 5 M small objects builds 5 M dicts (~3 GB);
this decodes one item at a time (`JSONDecoder.raw_decode`) and keeps at most
`keep` of them, so memory follows the items kept, not the items in the file.
Every item is still decoded, so a syntax error anywhere is found.
"""

import json
import re

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def array_items(text: str, keep: int) -> tuple[list[object], int]:
    """(the first `keep` items, how many more there are) of `text`, a JSON array; JSONDecodeError if it is not one."""
    position = _skip(text, 0)
    if not text.startswith("[", position):
        raise json.JSONDecodeError("Expecting '['", text, position)
    position = _skip(text, position + 1)
    kept: list[object] = []
    more = 0
    if text.startswith("]", position):
        return kept, _end(text, position + 1)
    while True:
        item, position = _DECODER.raw_decode(text, position)
        if len(kept) < keep:
            kept.append(item)
        else:
            more += 1
        position = _skip(text, position)
        if text.startswith(",", position):
            position = _skip(text, position + 1)
        elif text.startswith("]", position):
            return kept, more + _end(text, position + 1)
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)


def _skip(text: str, position: int) -> int:
    return _SPACE.match(text, position).end()


def _end(text: str, position: int) -> int:
    position = _skip(text, position)
    if position != len(text):
        raise json.JSONDecodeError("Extra data", text, position)
    return 0
