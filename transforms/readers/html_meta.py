"""Page metadata that trafilatura's fields miss or get wrong, read from the markup itself.

- `published_timestamp`: htmldate returns the day only for many pages whose
  metadata states the full time ("article:published_time" 07:00:02Z became
  00:00); the first metadata timestamp with a time of day is taken instead.
- `meta_site_name`: `og:site_name`, the outlet as the site names itself
  (trafilatura falls back to a title segment: "… | Die FURCHE").
- `strip_site_name`: a title's trailing " | Site", " - Site" or ": date".
"""

import html
import re
from collections.abc import Iterable

from transforms.dates import date_precision, parse_date

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_TIME_PUBLISHED = re.compile(r"<time\b[^>]*>", re.IGNORECASE)
# Meta names and properties that state the publication time, strongest first.
PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "article.published",
    "parsely-pub-date", "sailthru.date", "publish_date", "publishdate", "pubdate", "dc.date.issued",
    "dcterms.issued", "date",
)  # fmt: skip
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·»/]{1,2}\s+")
MIN_TITLE_CHARS = 8  # what must remain of a title after stripping


def page_meta(page: str) -> dict[str, str]:
    """Lower-cased `name`/`property`/`itemprop` -> `content` of the page's <meta> tags (first one wins)."""
    found: dict[str, str] = {}
    for tag in _META.findall(page):
        attributes = {key.lower(): next(v for v in values if v is not None) for key, *values in _ATTRIBUTE.findall(tag)}
        content = attributes.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            if key := attributes.get(attribute, "").strip().lower():
                found.setdefault(key, html.unescape(content).strip())
    return found


def published_timestamp(page: str, meta: dict[str, str]) -> str | None:
    """The first publication timestamp in the page's metadata that carries a time of day."""
    candidates = [meta[key] for key in PUBLISHED_KEYS if key in meta]
    candidates += _JSON_LD_PUBLISHED.findall(page)
    for tag in _TIME_PUBLISHED.findall(page):
        if "publish" in tag.lower() or "pubdate" in tag.lower():
            candidates += [v for k, *values in _ATTRIBUTE.findall(tag) if k.lower() == "datetime" for v in values if v]
    return next((value for value in candidates if date_precision(value) == "time"), None)


def meta_site_name(meta: dict[str, str]) -> str | None:
    return meta.get("og:site_name") or None


def title_segments(title: str) -> list[str]:
    return _TITLE_SEPARATOR.split(title)


def strip_site_name(title: str | None, names: Iterable[str | None]) -> str | None:
    """The title without a trailing segment that names the site (or is a date), if enough remains."""
    if not title:
        return title
    folded = [_fold(name) for name in names if name]
    for _ in range(2):  # "Headline : 31.10.2023 | Site": the site, then the date
        parts = list(_TITLE_SEPARATOR.finditer(title))
        if not parts:
            break
        last = parts[-1]
        head, tail = title[: last.start()], title[last.end() :]
        if len(head) < MIN_TITLE_CHARS or not (_names_site(tail, folded) or _is_date(tail)):
            break
        title = head
    return title


def _names_site(segment: str, folded_names: list[str]) -> bool:
    key = _fold(segment)
    return bool(key) and any(
        key == name or (min(len(key), len(name)) >= 4 and (key.startswith(name) or name.startswith(key)))
        for name in folded_names
    )


def _is_date(segment: str) -> bool:
    return len(segment) <= 40 and any(c.isdigit() for c in segment) and parse_date(segment) is not None


def _fold(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())
