"""Find quoted spans in article text, in every quotation style news uses.

Styles: „…“ „…” (German), “…” (English), "…" (ASCII), »…« (German
guillemets), «…» (French, with or without the inner spaces), ‹…› ›…‹, and
the single forms ‚…‘ ‘…’ '…'. The scan runs over the original `text` (not
`match_text`, whose unified ASCII marks have lost their direction) with a
stack, so nested quotes stay inside their outer quote and only top-level
spans are returned.

Rules (kept or dropped, and why):
* a mark that cannot open or close where it stands is not a quote mark:
  apostrophes ("Trump's", "l’accord", "don't") never close or open a quote;
* a quote still open at a paragraph end continues only when the next
  paragraph opens again with the same style (the news convention for a
  quote running over several paragraphs) or closes it before opening
  another one; otherwise the unbalanced opener is dropped;
* mixed double marks pair up ("…“, «…", typed by hand or converted
  halfway), and `''…''` (two apostrophes, a US newspaper convention) is one
  double mark;
* offsets are those of the quoted words: marks and inner spaces excluded.
"""

from dataclasses import dataclass, replace

# opener -> closers it accepts; "either" marks may open or close.
_OPENERS: dict[str, str] = {
    "„": '“”"',
    "“": '”"',
    '"': '"“”',
    "»": '«"',
    "«": '»"',
    "‹": "›",
    "›": "‹",
    "‚": "‘’'",
    "‘": "’",
    "'": "'",
}
_DOUBLE = frozenset('„“”"»«')
ALL_MARKS = frozenset("„“”\"»«‹›‚‘’'")
_SYMMETRIC = frozenset("\"'")
_OPEN_CONTEXT = frozenset(" \t\n([{/–—-:„“\"»«‹›‚‘'")


@dataclass(frozen=True)
class QuoteSpan:
    """A top-level quotation: mark positions and the quoted words' offsets."""

    open_at: int  # index of the opening mark
    close_at: int  # index of the closing mark
    start: int  # first quoted character (after the mark and inner spaces)
    end: int  # exclusive end of the quoted words
    mark: str  # the opening mark

    @property
    def is_double(self) -> bool:
        return self.mark in _DOUBLE


@dataclass
class _Open:
    at: int
    mark: str


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotations of `text`, in order (see module docstring)."""
    if "''" in text:  # `''…''`: the pair is one double mark (read at its second character)
        return [replace(s, mark=text[s.open_at]) for s in find_quote_spans(text.replace("''", ' "'))]
    spans: list[QuoteSpan] = []
    stack: list[_Open] = []
    skip: set[int] = set()
    n = len(text)
    for i, char in enumerate(text):
        if i in skip:
            continue
        if char == "\n" and i + 1 < n and text[i + 1] == "\n" and stack:
            if not _continues(text, i, stack[0], skip):
                stack.clear()
            else:
                del stack[1:]
            continue
        if char not in ALL_MARKS:
            continue
        level = _closes(text, i, stack)
        if level is not None:
            opened = stack[level]
            del stack[level:]
            if not stack:
                span = _span(text, opened, i)
                if span is not None:
                    spans.append(span)
        elif char in _OPENERS and _can_open(text, i):
            stack.append(_Open(i, char))
    return spans


def _closes(text: str, i: int, stack: list[_Open]) -> int | None:
    """Stack level that the mark at i closes (the innermost that accepts it), else None."""
    char = text[i]
    for level in range(len(stack) - 1, -1, -1):
        if char in _OPENERS[stack[level].mark] and _can_close(text, i, stack[level].mark):
            return level
        if stack[level].mark not in "'‘‚":  # only a stray single opener may be skipped over
            break
    return None


def _can_open(text: str, i: int) -> bool:
    char = text[i]
    after = text[i + 1] if i + 1 < len(text) else ""
    before = text[i - 1] if i > 0 else " "
    if not after or after == "\n":
        return False
    if after == " ":  # inner space style: « bonjour », „ Ja “
        return i + 2 < len(text) and not text[i + 2].isspace() and before in _OPEN_CONTEXT
    if char in _SYMMETRIC or char == "‘":
        return before in _OPEN_CONTEXT and (char != "'" or after.isalnum() or after in '„“"»«')
    return True


def _can_close(text: str, i: int, opener: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "'’" and (after.isalnum()):
        return False  # an apostrophe: don't, l’accord, Trump's
    if opener in _SYMMETRIC and before.isspace():
        return not after.isalnum()  # inner-space style '" Ja "', else it is an opener
    if text[i] != opener and text[i] in '"“' and before.isspace() and after.isalnum():
        return False  # a mixed mark that opens the next quote ('»Nein« "Ja"'), not this one's close
    return True


def _continues(text: str, i: int, bottom: _Open, skip: set[int]) -> bool:
    """At a paragraph break inside a quote: does the quote go on in the next paragraph?"""
    j = i
    while j < len(text) and text[j].isspace():
        j += 1
    if j < len(text) and text[j] == bottom.mark:
        skip.add(j)
        return True
    end = text.find("\n\n", j)
    paragraph = text[j : end if end >= 0 else len(text)]
    if bottom.mark in _SYMMETRIC:
        return False  # '"' is open and close alike: only a re-opened paragraph continues
    closers = _OPENERS[bottom.mark]
    first_close = min((p for p in (paragraph.find(c) for c in closers) if p >= 0), default=-1)
    first_open = paragraph.find(bottom.mark)
    return first_close >= 0 and (first_open < 0 or first_close < first_open)


def _span(text: str, opened: _Open, close_at: int) -> QuoteSpan | None:
    start, end = opened.at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return QuoteSpan(opened.at, close_at, start, end, opened.mark)
