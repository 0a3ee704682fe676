"""RSS and Atom feeds via feedparser: one article per item.

Text is the item's full content (content:encoded / atom:content), else its
summary, as paragraphs; link, published (else updated) date, author and title
come from the item, outlet and language from the feed. Items are keyed "#<n>"
(0-based, document order). feedparser gets a stream, never a string: a string
that looks like a URL or a path would make it fetch or open that.
"""

import io
import re

import feedparser
from lxml import etree
from lxml import html as lxml_html

from transforms.readers.records import ReadResult, article_row, articles_frame, rejected
from transforms.rejects import Reject, RejectReason
from transforms.safe_text import without_surrogate_refs

FEED_ROOT = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:rdf)\b", re.DOTALL)
FEED_SUFFIXES = frozenset({".rss", ".atom"})
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "section", "article", "tr"}
)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def looks_like_feed(text: str) -> bool:
    return FEED_ROOT.match(text[:4096].lstrip().lower()) is not None


def read_feed(path: str, text: str, encoding: str) -> ReadResult:
    """Read every item of an RSS 0.9x/1.0/2.0 or Atom feed."""
    parsed = feedparser.parse(
        io.BytesIO(without_surrogate_refs(text).encode("utf-8", "surrogatepass")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        resolve_relative_uris=False,
    )
    if not parsed.entries:
        problem = f": {parsed.bozo_exception}" if parsed.get("bozo") else ""
        reason = RejectReason.INVALID_FEED if problem else RejectReason.EMPTY
        return rejected(path, "parse", reason, f"feed has no items{problem}")
    feed = parsed.feed
    rows, rejects = [], []
    for index, entry in enumerate(parsed.entries):
        item = f"#{index}"
        body = _entry_body(entry)
        if not body:
            rejects.append(Reject(path, "parse", RejectReason.NO_TEXT, "item has neither content nor summary", item))
            continue
        fields = {
            "text": body,
            "title": entry.get("title"),
            "url": entry.get("link"),
            "published_at": entry.get("published") or entry.get("updated"),
            "author": entry.get("author_detail", {}).get("name") or entry.get("author"),
            "section": ", ".join(tag.get("term") for tag in entry.get("tags", []) if tag.get("term")) or None,
            "outlet": feed.get("title"),
            "language": entry.get("language") or feed.get("language"),
        }
        rows.append(article_row(path, item, fields, encoding, "feed", "feed"))
    return ReadResult(articles_frame(rows), rejects)


def _entry_body(entry) -> str:
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    html = contents[0] if contents else entry.get("summary", "")
    return html_fragment_text(html) if html else ""


def html_fragment_text(html: str) -> str:
    """Paragraphs of an HTML fragment: one per block element, <br> as a line break."""
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.strip()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    paragraphs = (
        "\n".join(_SPACES.sub(" ", line).strip() for line in block.split("\n")) for block in re.split(r"\n\s*\n", text)
    )
    return "\n\n".join(block.strip("\n") for block in paragraphs if block.strip())
