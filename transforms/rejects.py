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
    CORRUPT_ARCHIVE = "corrupt_archive"  # a compressed file or archive that cannot be unpacked
    DECOMPRESSED_TOO_LARGE = "decompressed_too_large"  # over limits.max_decompressed_bytes
    COMPRESSION_RATIO = "compression_ratio"  # over limits.max_compression_ratio (zip bomb)
    TOO_MANY_MEMBERS = "too_many_members"  # over limits.max_archive_members
    ARCHIVE_TOO_DEEP = "archive_too_deep"  # archives nested deeper than limits.max_archive_depth
    UNSUPPORTED_MEMBER = "unsupported_member"  # a symlink/device/link inside a tar archive
    INVALID_CSV = "invalid_csv"  # CSV that does not parse with the configured dialect/columns
    INVALID_FEED = "invalid_feed"  # RSS/Atom that is not well-formed or has no items
    INVALID_WARC = "invalid_warc"  # WARC that cannot be parsed (from the record in detail on)
    SKIPPED_RECORD = "skipped_record"  # WARC response that is not HTML or not HTTP 200 (counted, not an error)
    INVALID_METADATA = "invalid_metadata"  # a sidecar .meta.json that is not a JSON object of strings
    BAD_FILE_NAME = "bad_file_name"  # not UTF-8 (path shown with \\xNN), or "a.zip!m" beside the archive a.zip
    LINK_OUTSIDE_INPUTS = "link_outside_inputs"  # a symlink leading out of the input roots (input.follow_links_outside)
    TIMEOUT = "timeout"  # reading took longer than limits.read_seconds_per_file
    TOO_MANY_ITEMS = "too_many_items"  # items beyond limits.max_items_per_file (one reject counts them all)
    MORE_REJECTS = "more_rejects"  # rejects of one file and reason beyond limits.rejects_per_reason, counted in one
    TEXT_TRUNCATED = "text_truncated"  # text over limits.max_text_chars: the article keeps the head (detail: the cut)
    INTERNAL_ERROR = "internal_error"  # an unexpected exception on this input (detail: its summary); a bug to report


@dataclass(frozen=True)
class Reject:
    path: str
    stage: str
    reason: RejectReason
    detail: str
    item: str = ""
