"""Read one input file into raw articles and rejects, whatever it holds.

`read_file` never raises for bad content: undecodable, binary, malformed or
empty inputs come back as rejects that carry the file's path (and the item).
"""

from collections.abc import Mapping, Sequence
from pathlib import PurePath

from transforms.decode import Decoded, decode_bytes
from transforms.readers.html import read_html
from transforms.readers.json_docs import DEFAULT_FIELD_MAP, read_json, read_jsonl
from transforms.readers.records import ReadResult, article_id, rejected
from transforms.readers.sniff import SUPPORTED_SUFFIXES, binary_kind, sniff_format
from transforms.readers.text import read_text
from transforms.rejects import RejectReason

__all__ = ["DEFAULT_FIELD_MAP", "SUPPORTED_SUFFIXES", "ReadResult", "article_id", "read_file"]


def read_file(
    path: str,
    data: bytes,
    *,
    max_json_depth: int = 64,
    field_map: Mapping[str, Sequence[str]] | None = None,
) -> ReadResult:
    """Decode, sniff the format and dispatch to the txt/md, html or json/jsonl reader."""
    if (kind := binary_kind(data)) is not None:
        return rejected(path, "read", RejectReason.UNSUPPORTED_FORMAT, f"{kind}, not a text article")
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        reason, detail = decoded
        return rejected(path, "decode", reason, detail)
    suffix = PurePath(path).suffix.lower()
    fmt = sniff_format(suffix, decoded.text)
    text, encoding = decoded.text, decoded.encoding
    match fmt:
        case "txt" | "md":
            return read_text(path, text, encoding, fmt)
        case "html":
            return read_html(path, text, encoding)
        case "json":
            return read_json(path, text, encoding, max_depth=max_json_depth, field_map=field_map)
        case "jsonl":
            return read_jsonl(path, text, encoding, max_depth=max_json_depth, field_map=field_map)
    detail = f"suffix {suffix or '(none)'!r} and content {text[:40]!r} are no article format"
    return rejected(path, "read", RejectReason.UNSUPPORTED_FORMAT, detail)
