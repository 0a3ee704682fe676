"""Signs, read from a page's own paragraphs, that a precise extraction lost the article or its lead.

trafilatura's precision mode sometimes drops a lead paragraph set apart from
the body (`<div class="lead"><p>…</p></div>` before `<div class="text">`) or
most of an article. A second, recall extraction shows what was lost but costs
as much as the first, so it runs only on a sign of loss found here cheaply on
the already parsed page: how much paragraph text the page holds. A substantial
paragraph right before the precise text's first one, in the same container,
that the precise text lacks is a lost lead; recall mode loses it as well, so it
is taken from the page.
"""

from dataclasses import dataclass
from itertools import islice

from lxml import etree

# Paragraphs under these are not the article (or not text at all).
_OUTSIDE_ARTICLE = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "figure", "figcaption"}
)
ANCHOR_MIN_CHARS = 40  # a page paragraph long enough to locate the precise text's start
LEAD_MIN_CHARS = 80  # a lead is a sentence or two, not a byline, a date or a caption
LEAD_LOOKBACK = 2  # paragraphs before the precise start that may be its lost lead
CONTAINER_LEVELS = 3  # the lead and the precise start share an ancestor this close


@dataclass(frozen=True)
class PageParagraph:
    text: str  # whitespace collapsed
    element: etree._Element


def normalized(text: str) -> str:
    return " ".join(text.split())


def page_paragraphs(tree: etree._Element) -> list[PageParagraph]:
    """The page's visible <p> texts in document order, outside navigation, header, footer, asides, forms, scripts."""
    found = []
    for element in tree.iter("p"):
        if _hidden(element) or any(
            ancestor.tag in _OUTSIDE_ARTICLE or _hidden(ancestor) for ancestor in element.iterancestors()
        ):
            continue
        if text := normalized(_visible_text(element)):
            found.append(PageParagraph(text, element))
    return found


def paragraph_chars(page: list[PageParagraph]) -> int:
    return sum(len(paragraph.text) for paragraph in page)


def with_lost_lead(page: list[PageParagraph], paragraphs: list[str], keep=lambda text: True) -> list[str] | None:
    """`paragraphs` with the substantial page paragraphs right before their start, in the same container, that
    they lack (and `keep` accepts) put back before the paragraph holding that start; None when none is lost."""
    flat = normalized("\n\n".join(paragraphs))
    if not flat:
        return None
    start = next((n for n, p in enumerate(page) if len(p.text) >= ANCHOR_MIN_CHARS and p.text in flat), None)
    if start is None:
        return None
    anchor = page[start]
    lead = [
        p.text
        for p in page[max(0, start - LEAD_LOOKBACK) : start]
        if len(p.text) >= LEAD_MIN_CHARS
        and p.text not in flat
        and _share_container(p.element, anchor.element)
        and keep(p.text)
    ]
    if not lead:
        return None
    at = next((n for n, paragraph in enumerate(paragraphs) if anchor.text in normalized(paragraph)), 0)
    return paragraphs[:at] + lead + paragraphs[at:]


def _visible_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _OUTSIDE_ARTICLE and not _hidden(child):
            parts.append(_visible_text(child))  # not comments, scripts or hidden spans ("**WRONG**")
        parts.append(child.tail or "")
    return "".join(parts)


def _hidden(element: etree._Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _share_container(first: etree._Element, second: etree._Element) -> bool:
    containers = set(islice(first.iterancestors(), CONTAINER_LEVELS))
    return any(ancestor in containers for ancestor in islice(second.iterancestors(), CONTAINER_LEVELS))
