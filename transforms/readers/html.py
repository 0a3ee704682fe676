"""HTML news pages via trafilatura.

Extraction favours precision: navigation, boilerplate and reader comments are
dropped; subheadings are kept as paragraphs, and so is text that follows a
block inside its container. When the precise extraction finds no text, or
text much shorter than a recall extraction (tables on) of the same page, the
recall text is taken instead (`extraction` = "fallback", else "precise"); the
recall extraction runs only on a sign of loss (a short text, or one short of
the page's paragraph text). A lead paragraph the precise text lost is put back
from the page (`extraction` = "lead", transforms/readers/html_lead.py).
Mojibake is repaired in the extracted fields, not over the whole source.
Lines that match the configured boilerplate list ("Titelbild: …", photo
credits) are dropped from either. Metadata comes from trafilatura and the
page's own tags (transforms/readers/html_meta.py): title without a trailing
site name, outlet from `og:site_name`, the publication time from the first
metadata timestamp with a time of day, the declared language from
`<html lang>`. A page with no extractable body is NO_TEXT.
"""

import re

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from transforms.decode import repair_mojibake
from transforms.domains import registered_domain

from transforms.readers.html_lead import page_paragraphs, paragraph_chars, with_lost_lead
from transforms.readers.html_meta import (
    meta_site_name,
    page_meta,
    published_timestamp,
    strip_site_name,
    title_segments,
)
from transforms.readers.options import HtmlOptions
from transforms.readers.records import ReadResult, article_row, rejected, single
from transforms.rejects import RejectReason

# htmldate: prefer the original publication date, keep time and offset.
DATE_PARAMS = {"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_COMMON = {"with_metadata": True, "include_comments": False, "include_images": False, "include_links": False}
PRECISE = {**_COMMON, "favor_precision": True, "include_tables": False, "date_extraction_params": DATE_PARAMS}
RECALL = {**_COMMON, "favor_recall": True, "include_tables": True, "date_extraction_params": DATE_PARAMS}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})
_TEXT_FIELDS = ("text", "title", "author", "outlet")  # where mojibake is repaired
_PADDED_DAY = re.compile(r"T00:00:00$")  # htmldate's day-only date, padded to a time


def read_html(path: str, text: str, encoding: str, item: str = "", options: HtmlOptions | None = None) -> ReadResult:
    """Read one article page (`item` keys it inside a container such as a WARC file).

    `text` is the page as decoded, mojibake included: it is repaired in the
    extracted fields, not over the whole source with its scripts and styles,
    and "+ftfy" is then added to `encoding`.
    """
    options = options or HtmlOptions()
    try:
        tree = load_html(text)  # parsed once for both extractions and the page checks (trafilatura copies it)
        source = tree if tree is not None else text
        document = trafilatura.bare_extraction(source, **PRECISE)
        paragraphs, extraction, document = _with_fallback(source, tree, document, options)
    except (ValueError, TypeError, etree.LxmlError) as error:  # malformed markup
        detail = f"trafilatura could not parse the page: {type(error).__name__}: {error}"
        return rejected(path, "parse", RejectReason.NO_TEXT, detail, item)
    title = document.title if document is not None else None
    if paragraphs and title and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]  # the headline is the title, not body text
    if not paragraphs:
        return rejected(path, "parse", RejectReason.NO_TEXT, "no extractable article body in the HTML", item)
    meta = page_meta(text)
    outlet = _outlet(document.sitename, meta, title, document.url)
    names = (outlet, meta_site_name(meta), document.sitename, registered_domain(document.url or ""))
    published, precision = _published(document.date, text, meta)
    lang = _HTML_LANG.search(text[:4096])
    fields = {
        "text": _joined(paragraphs),
        "title": strip_site_name(title, names),
        "author": document.author,
        "published_at": published,
        "published_precision": precision,
        "outlet": outlet,
        "url": document.url,
        "language": lang.group(1) if lang else document.language,
        "extraction": extraction,
    }
    repaired = {name: repair_mojibake(fields[name]) for name in _TEXT_FIELDS if fields[name]}
    if any(value != fields[name] for name, value in repaired.items()):
        fields, encoding = {**fields, **repaired}, f"{encoding}+ftfy"
    return single(article_row(path, item, fields, encoding, "html", "html_meta"))


def _with_fallback(
    source: etree._Element | str, tree: etree._Element | None, document, options: HtmlOptions
) -> tuple[list[str], str, object]:
    """The precise paragraphs; the recall extraction's when the precise one lost the article ("fallback");
    or the precise ones behind the lead paragraphs they lost ("lead"); with the extraction and its document.

    The recall extraction costs as much as the precise one, so it runs only on a sign of loss: a precise
    text under fallback_below_chars or under fallback_ratio of the page's paragraph text. A lost lead
    (transforms/readers/html_lead.py) is taken from the page itself: recall mode loses it too.
    """
    paragraphs = _body_paragraphs(document, options)
    precise = _joined(paragraphs)
    page = page_paragraphs(tree) if tree is not None else []
    short = len(precise) < options.fallback_below_chars
    if short or len(precise) < options.fallback_ratio * paragraph_chars(page):
        recall = _recall(source, document)
        recalled = _body_paragraphs(recall, options)
        if len(precise) < options.fallback_ratio * len(_joined(recalled)):
            return recalled, "fallback", document if document is not None else recall
    restored = with_lost_lead(page, paragraphs, keep=lambda text: not options.is_boilerplate(text))
    return (restored, "lead", document) if restored else (paragraphs, "precise", document)


def _recall(source: etree._Element | str, precise):
    """The recall extraction; its metadata (two thirds of its cost) only when the precise one found none."""
    if precise is None:
        return trafilatura.bare_extraction(source, **RECALL)
    return trafilatura.bare_extraction(source, **{**RECALL, "with_metadata": False}, url=precise.url)


def _body_paragraphs(document, options: HtmlOptions) -> list[str]:
    if document is None or document.body is None:
        return []
    return [block for block in _paragraphs(document.body) if not options.is_boilerplate(block)]


def _joined(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _outlet(sitename: str | None, meta: dict[str, str], title: str | None, url: str | None) -> str | None:
    """og:site_name; else trafilatura's site name unless it is only a title segment and the URL names the site."""
    if named := meta_site_name(meta):
        return named
    from_title = bool(sitename and title and sitename.strip() in title_segments(title))
    return None if from_title and url else sitename


def _published(date: str | None, page: str, meta: dict[str, str]) -> tuple[str | None, str | None]:
    """The publication date and its precision: a metadata timestamp with a time of day beats a padded day."""
    if date is not None and not _PADDED_DAY.search(date):
        return date, "time"
    stamped = published_timestamp(page, meta)
    if stamped is not None and (date is None or stamped[:10] == date[:10]):
        return stamped, "time"
    return (date, "day") if date is not None else (None, None)


def _paragraphs(body: etree._Element) -> list[str]:
    """One paragraph per block element; list items one per line; text between blocks (tails) its own paragraph."""
    lead = body.text.strip() if body.tag == "body" and body.text else ""  # text before the first block
    paragraphs = [lead] if lead else []
    for element in body.iter(*_BLOCK_TAGS):
        if any(True for _ in element.iterancestors(*_BLOCK_TAGS)):
            continue  # nested block (also inside a list item): emitted with its outer block
        if element.tag == "list":
            lines = [_text_with_breaks(item) for item in element.iter("item")]
            block = "\n".join(line for line in lines if line)
        else:
            block = _text_with_breaks(element)
        if block:
            paragraphs.append(block)
        if element.tail and element.tail.strip():
            paragraphs.append(element.tail.strip())  # "<head>Deal</head>Save $31 …": the text after a subheading
    return paragraphs


def _text_with_breaks(element: etree._Element) -> str:
    """Element text with trafilatura's <lb/> (from <br>) as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()
