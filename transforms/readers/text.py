"""Plain-text and Markdown articles.

Metadata comes from YAML-ish front matter (`---` ... `---`) or leading
`Key: value` lines, which are removed from the text. A `# Heading` first line,
or a short first line without sentence-final punctuation followed by a blank
line, is the title. A normal first paragraph is never promoted to a title.
"""

import re

from transforms.readers.records import ReadResult, article_row, rejected, single
from transforms.rejects import RejectReason

HEADLINE_MAX_CHARS = 150
FRONT_MATTER_MAX_LINES = 60
HEADER_KEYS: dict[str, str] = {
    **dict.fromkeys(["title", "titel", "titre", "headline", "überschrift"], "title"),
    **dict.fromkeys(
        ["date", "datum", "published", "published_at", "publication date", "pubdate", "publié le"],
        "published_at",
    ),
    **dict.fromkeys(["outlet", "source", "quelle", "publisher", "site", "medium"], "outlet"),
    **dict.fromkeys(["author", "authors", "autor", "auteur", "by", "byline"], "author"),
    **dict.fromkeys(["url", "link", "canonical"], "url"),
    **dict.fromkeys(["language", "lang", "sprache", "langue"], "language"),
}
# Linear on any line: the value is everything after the colon, stripped afterwards (a lazy `(.*?)\s*` to the
# end was quadratic in trailing whitespace: 200,000 spaces took minutes).
_HEADER_LINE = re.compile(r"\s*([^\W\d][\w .-]{0,24}?)\s*:(.*)", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?…:;,]$")
_CLOSING_MARKS = "\"'“”»«›‹’)]"
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # rules
)


def read_text(path: str, text: str, encoding: str, fmt: str) -> ReadResult:
    """Read a txt/md file holding one article."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    fields, body = _front_matter(body) or _header_lines(body)
    origin = dict.fromkeys(fields, "front_matter")  # the rest is extracted from the text
    if fmt == "md" or body.lstrip().startswith("# "):
        body, heading = _markdown(body, keep_heading=fields.get("title") is not None)
        fields.setdefault("title", heading)
    paragraphs = [block.strip() for block in _PARAGRAPH_BREAK.split(body) if block.strip()]
    if fields.get("title") is None and _is_headline(paragraphs):
        fields["title"] = paragraphs.pop(0)
    if not paragraphs:
        return rejected(path, "parse", RejectReason.NO_TEXT, "no body text after the header/title")
    fields["text"] = "\n\n".join(paragraphs)
    return single(article_row(path, "", fields, encoding, fmt, origin))


def _front_matter(body: str) -> tuple[dict[str, str | None], str] | None:
    lines = body.lstrip("\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for end, line in enumerate(lines[1:FRONT_MATTER_MAX_LINES], start=1):
        if line.strip() in {"---", "..."}:
            fields = _parse_headers(lines[1:end])
            return fields, "\n".join(lines[end + 1 :])
    return None


def _header_lines(body: str) -> tuple[dict[str, str | None], str]:
    lines = body.split("\n")
    count = 0
    while count < len(lines) and _header_key(lines[count]) is not None:
        count += 1
    if count == 0:
        return {}, body
    return _parse_headers(lines[:count]), "\n".join(lines[count:])


def _header_key(line: str) -> str | None:
    match = _HEADER_LINE.fullmatch(line)
    return HEADER_KEYS.get(match.group(1).lower()) if match else None


def _parse_headers(lines: list[str]) -> dict[str, str | None]:
    fields: dict[str, str | None] = {}
    for line in lines:
        match = _HEADER_LINE.fullmatch(line)
        key = HEADER_KEYS.get(match.group(1).lower()) if match else None
        if key is not None and key not in fields:
            fields[key] = match.group(2).strip().strip("\"'") or None
    return fields


def _markdown(body: str, *, keep_heading: bool) -> tuple[str, str | None]:
    """Strip Markdown syntax; a leading `# Heading` becomes the title unless one is known."""
    heading = None
    first_line, _, rest = body.lstrip().partition("\n")
    if first_line.startswith("# ") and not keep_heading:
        heading = _MARKDOWN_HEADING.sub(r"\1", first_line).strip() or None
        body = rest
    body = _MARKDOWN_HEADING.sub(r"\1", body)
    for pattern, replacement in _MARKDOWN_RULES:
        body = pattern.sub(replacement, body)
    return body, heading


def _is_headline(paragraphs: list[str]) -> bool:
    if len(paragraphs) < 2:
        return False
    first = paragraphs[0]
    return (
        "\n" not in first
        and len(first) < HEADLINE_MAX_CHARS
        and any(char.isalpha() for char in first)
        and not _SENTENCE_END.search(first.rstrip(_CLOSING_MARKS))
    )
