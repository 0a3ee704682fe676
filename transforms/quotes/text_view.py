"""A light view of one spaCy Doc for attribution: words, quotes, sentences, persons.

Offsets are character offsets into the article text (the Doc was made from
`match_text`, which has the length of `text`).
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc

from transforms.quotes.marks import ALL_MARKS, QuoteSpan, find_quote_spans

PERSON_LABELS = frozenset({"PER", "PERSON"})
LINE_BREAK = re.compile(r"\n\s*")


class Word(NamedTuple):  # a tuple: one is made per token of every article
    i: int  # index among the view's words
    text: str
    start: int
    end: int
    quote: int  # index of the quote the word is in (marks included), -1 outside

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Person:
    start: int  # char offsets of the name mention (the anchor linked to entities)
    end: int
    first: int  # word indices [first, last]
    last: int
    role: str | None  # role word written before or at the start of the name, lower case


@dataclass(frozen=True)
class Segment:
    start: int  # char offsets of a sentence whose quotes are never split
    end: int
    first: int  # word indices [first, last)
    last: int


class DocView:
    def __init__(self, doc: Doc, text: str, roles: frozenset[str]):
        self.text = text
        self.quotes: list[QuoteSpan] = find_quote_spans(text)
        opens = [q.open_at for q in self.quotes]
        self.doc = doc
        self.words: list[Word] = []
        self.token_index: list[int] = []  # word -> its token in `doc` (for tags and the parse, when present)
        for token in doc:
            if token.is_space:
                continue
            self.token_index.append(token.i)
            marks_only = all(c in ALL_MARKS for c in token.text)  # "''" opens where its last mark stands
            k = bisect_right(opens, token.idx + (len(token) - 1 if marks_only else 0)) - 1
            inside = k >= 0 and token.idx <= self.quotes[k].close_at
            self.words.append(Word(len(self.words), token.text, token.idx, token.idx + len(token), k if inside else -1))
        self._word_at = {w.start: w.i for w in self.words}
        self._starts = [w.start for w in self.words]
        self.persons = self._persons(doc, roles)
        self.segments = self._segments(doc)

    def word_index(self, char: int) -> int:
        """Index of the first word starting at or after `char`."""
        return bisect_right(self._starts, char - 1)

    def _persons(self, doc: Doc, roles: frozenset[str]) -> list[Person]:
        persons = []
        self.non_person_words: set[int] = set()  # words inside an organisation, place … entity
        for ent in doc.ents:
            if ent.label_ not in PERSON_LABELS:
                self.non_person_words.update(range(self.word_index(ent.start_char), self.word_index(ent.end_char)))
                continue
            first = self.word_index(ent.start_char)
            last = self.word_index(ent.end_char) - 1
            if first > last or first >= len(self.words):
                continue
            role = None
            head = self.words[first].lower
            if head in roles and first < last:
                role = head
            elif first > 0 and self.words[first - 1].lower in roles:
                role = self.words[first - 1].lower
            persons.append(Person(ent.start_char, ent.end_char, first, last, role))
        return persons

    def person_at(self, i: int) -> Person | None:
        return next((p for p in self.persons if p.first <= i <= p.last), None)

    def _segments(self, doc: Doc) -> list[Segment]:
        starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        starts = sorted({*starts, *(m.end() for m in LINE_BREAK.finditer(self.text))})  # never across a line
        opens = [q.open_at for q in self.quotes]
        starts = [b for b in starts if not self._inside_quote(opens, b)]
        if not self.words or not starts:
            return []
        bounds = [*starts[1:], len(self.text)]
        segments = []
        for start, end in zip(starts, bounds, strict=True):
            first, last = self.word_index(start), self.word_index(end)
            if first < last:
                segments.append(Segment(start, end, first, last))
        return segments

    def _inside_quote(self, opens: list[int], char: int) -> bool:
        k = bisect_right(opens, char - 1) - 1  # the latest quote opened before `char`
        return k >= 0 and char <= self.quotes[k].close_at

    def token(self, i: int):
        """The spaCy token of word `i`."""
        return self.doc[self.token_index[i]]

    def word_of_token(self, token_i: int) -> int:
        """The word index of spaCy token `token_i` (its char offset's word)."""
        return self.word_index(self.doc[token_i].idx)

    def outside(self, segment: Segment) -> list[Word]:
        return [w for w in self.words[segment.first : segment.last] if w.quote < 0]
