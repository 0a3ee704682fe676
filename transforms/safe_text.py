"""Strings every store accepts: no lone surrogates, in names or in text.

Python lets a `str` hold what UTF-8 cannot: the bytes of a file name that is
not UTF-8 (decoded "surrogateescape", '\\udce9'), or a surrogate from a JSON
escape or an XML character reference ("\\ud800", "&#55357;"). Polars, DuckDB
and the terminal refuse them. Names keep their bytes readable as `\\xNN`;
text keeps a surrogate pair as the character it encodes and turns a lone one
into U+FFFD (the replacement character).
"""

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def without_surrogates(text: str) -> str:
    """Pairs joined into their character, lone surrogates replaced by U+FFFD."""
    if text.isascii() or not has_surrogates(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def bytes_safe_name(name: str) -> str:
    """A file or member name as stored: the undecodable bytes of a non-UTF-8 name as `\\xNN`."""
    if name.isascii() or not has_surrogates(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return without_surrogates(name)
    return raw.decode("utf-8", "backslashreplace")


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def without_surrogate_refs(markup: str) -> str:
    """XML/HTML character references to surrogates made valid: a pair (`&#55357;&#56832;`) becomes the
    reference of its character, a lone one (`&#xD800;`) U+FFFD's. Other references are left as they are."""
    if "&#" not in markup:
        return markup

    def code(match: re.Match) -> int:
        return int(match.group(1), 16) if match.group(1) else int(match.group(2))

    matches = [m for m in _CHAR_REF.finditer(markup) if 0xD800 <= code(m) <= 0xDFFF]
    if not matches:
        return markup
    pieces, last, index = [], 0, 0
    while index < len(matches):
        high = matches[index]
        low = matches[index + 1] if index + 1 < len(matches) else None
        pieces.append(markup[last : high.start()])
        if 0xD800 <= code(high) <= 0xDBFF and low is not None and low.start() == high.end() and 0xDC00 <= code(low) <= 0xDFFF:
            pieces.append(f"&#{0x10000 + ((code(high) - 0xD800) << 10) + (code(low) - 0xDC00)};")
            last, index = low.end(), index + 2
        else:
            pieces.append("&#65533;")
            last, index = high.end(), index + 1
    pieces.append(markup[last:])
    return "".join(pieces)
