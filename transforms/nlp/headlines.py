"""KB names in all-caps text: headlines and shouted words ("TRUMP TRIFFT KIM IN HANOI").

The KB ruler matches the exact spelling, so "TRUMP" is not "Trump". For every
run of all-caps words (two letters or more; acronyms the KB spells in capitals,
"USA", match the ruler already), `newsflow_caps_kb` looks the words up,
longest first, in the ruler's own patterns compared in upper case, and adds
the matches that overlap no entity to `doc.ents` and `doc.spans["kb"]`, with
the pattern's label and KB id. It runs right after the KB ruler.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from transforms.nlp.ruler import KB_SPANS_KEY, RULER_NAME

MAX_WORDS = 6


@Language.factory("newsflow_caps_kb", requires=["doc.ents"], assigns=["doc.ents", "doc.spans"])
def make_caps_kb(nlp: Language, name: str) -> "CapsKb":
    return CapsKb(nlp)


class CapsKb:
    def __init__(self, nlp: Language):
        tokenizer = nlp.tokenizer
        self.patterns: dict[tuple[str, ...], tuple[str, str]] = {}
        for pattern in nlp.get_pipe(RULER_NAME).patterns:
            words = tuple(t.text.upper() for t in tokenizer(pattern["pattern"]))
            if 0 < len(words) <= MAX_WORDS:
                self.patterns.setdefault(words, (pattern["label"], pattern.get("id", "")))

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        found: list[Span] = []
        i = 0
        while i < len(doc):
            match = self._match(doc, i, taken) if _is_caps(doc[i]) else None
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match.end
        if found:
            doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)
            doc.spans[KB_SPANS_KEY] = [*doc.spans[KB_SPANS_KEY], *found] if KB_SPANS_KEY in doc.spans else found
        return doc

    def _match(self, doc: Doc, start: int, taken: set[int]) -> Span | None:
        for size in range(min(MAX_WORDS, len(doc) - start), 0, -1):
            end = start + size
            hit = self.patterns.get(tuple(t.text.upper() for t in doc[start:end]))
            if hit and _is_caps(doc[end - 1]) and not taken.intersection(range(start, end)):
                label, entity_id = hit
                return Span(doc, start, end, label=label, span_id=entity_id)
        return None


def _is_caps(token) -> bool:
    return token.is_upper and token.is_alpha and len(token) > 1
