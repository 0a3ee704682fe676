"""Which reader a file needs: its suffix, checked against its content.

Content wins over the suffix when it is unambiguous (a .txt that is an HTML
page or valid JSON); a .json file whose lines are separate objects is JSONL.
Known binary containers (PDF, ZIP/Office, images, gzip) are named so the
reject says what the file was.
"""

import json
import re

TEXT_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

SNIFF_CHARS = 4096
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"{\\rtf", "RTF document"),
)
_HTML_START = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.DOTALL)
_HTML_TAG = re.compile(r"<(?:article|div|p|h[1-6]|section|main|title|meta|span|table)\b[^>]*>")


def binary_kind(data: bytes) -> str | None:
    """Name of a known binary container the bytes start with, else None."""
    return next((kind for magic, kind in BINARY_MAGIC if data.startswith(magic)), None)


def sniff_format(suffix: str, text: str) -> str | None:
    """ "txt" | "md" | "html" | "json" | "jsonl", or None for markup we do not read."""
    head = text[:SNIFF_CHARS].lstrip().lower()
    if suffix in JSONL_SUFFIXES:
        return "json" if head.startswith("[") and _parses(text) else "jsonl"
    if suffix in JSON_SUFFIXES:
        return "jsonl" if _looks_jsonl(text) else "json"
    if _HTML_START.match(head) or (head.startswith("<") and _HTML_TAG.search(head)):
        return "html"
    if head[:1] in ("{", "[") and _parses(text):
        return "json"
    if head.startswith("{") and _looks_jsonl(text):
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in TEXT_SUFFIXES or not head.startswith("<"):
        return "txt"
    return None  # XML, SVG, ... with an unknown suffix


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _looks_jsonl(text: str) -> bool:
    """Two or more non-blank lines, the first of them a complete JSON object."""
    lines = [line for line in text.lstrip().splitlines(keepends=False)[:3] if line.strip()]
    if len(lines) < 2 or not lines[0].lstrip().startswith("{"):
        return False
    return _parses(lines[0]) and not _parses(text)
