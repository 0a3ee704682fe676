"""Reject reasons and the record that carries a rejected input.

A rejected input is data, not an exception: readers return a `Reject`, the
flow stores it in the `rejects` table and counts it in the run report.
"""

from dataclasses import dataclass
from enum import StrEnum


class RejectReason(StrEnum):
    UNREADABLE = "unreadable"  # the file could not be opened or read
    EMPTY = "empty"  # zero bytes, or only whitespace after decoding
    TOO_LARGE = "too_large"  # over limits.max_file_bytes
    BINARY = "binary"  # NUL bytes or control characters: not text
    UNDECODABLE = "undecodable"  # no honest decoding; detail has the byte offset
    UNSUPPORTED_FORMAT = "unsupported_format"
    INVALID_JSON = "invalid_json"  # malformed or truncated JSON
    JSON_TOO_DEEP = "json_too_deep"
    NO_TEXT = "no_text"  # parsed, but no article text field / HTML without body
    TEXT_TOO_SHORT = "text_too_short"  # under limits.min_text_chars


@dataclass(frozen=True)
class Reject:
    path: str
    stage: str
    reason: RejectReason
    detail: str
    item: str = ""
