"""HTML news pages via trafilatura.

Extraction favours precision: navigation, boilerplate and reader comments are
dropped; subheadings are kept as paragraphs. Metadata (title, author, date,
site name -> outlet, canonical url) comes from trafilatura; the declared
language from `<html lang>`. A page with no extractable body is NO_TEXT.
"""

import re

import trafilatura
from lxml import etree

from transforms.readers.records import ReadResult, article_row, rejected, single
from transforms.rejects import RejectReason

# htmldate: prefer the original publication date, keep time and offset.
DATE_PARAMS = {"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})


def read_html(path: str, text: str, encoding: str, item: str = "") -> ReadResult:
    """Read one article page (`item` keys it inside a container such as a WARC file)."""
    try:
        document = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            date_extraction_params=DATE_PARAMS,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:  # malformed markup
        detail = f"trafilatura could not parse the page: {type(error).__name__}: {error}"
        return rejected(path, "parse", RejectReason.NO_TEXT, detail, item)
    paragraphs = _paragraphs(document.body) if document is not None and document.body is not None else []
    title = document.title if document is not None else None
    if paragraphs and title and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]  # the headline is the title, not body text
    if not paragraphs:
        return rejected(path, "parse", RejectReason.NO_TEXT, "no extractable article body in the HTML", item)
    lang = _HTML_LANG.search(text[:4096])
    fields = {
        "text": "\n\n".join(paragraphs),
        "title": title,
        "author": document.author,
        "published_at": document.date,
        "outlet": document.sitename,
        "url": document.url,
        "language": lang.group(1) if lang else document.language,
    }
    return single(article_row(path, item, fields, encoding, "html", "html_meta"))


def _paragraphs(body: etree._Element) -> list[str]:
    """One paragraph per block element; list items one per line."""
    paragraphs = []
    for element in body.iter(*_BLOCK_TAGS):
        if element.getparent() is not None and element.getparent().tag in _BLOCK_TAGS:
            continue  # nested block: emitted with its parent
        if element.tag == "list":
            lines = [_text_with_breaks(item) for item in element.iter("item")]
            block = "\n".join(line for line in lines if line)
        else:
            block = _text_with_breaks(element)
        if block:
            paragraphs.append(block)
    return paragraphs


def _text_with_breaks(element: etree._Element) -> str:
    """Element text with trafilatura's <lb/> (from <br>) as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()
