"""Statistical entities and KB matches in one set: the longest match wins.

In a statistical pipeline the KB ruler runs after the model and only records
its matches (`doc.spans["kb"]`); `newsflow_kb_merge` first trims the model's
spans to the name (OntoNotes-trained models include a leading "the" and a
trailing possessive "'": "the European Union '" -> "European Union"; titles
and role words go too: "State Pompeo" -> "Pompeo"), then
decides, span by span:

* a KB match with exactly the model's span gives it the KB label and id;
* a longer span beats the spans it overlaps: "Manchester United" (model) is
  one organisation, not the city "Manchester" (KB); "Kim Jong Un" (KB) is one
  person, not the model's "Kim"; on equal length the KB wins;
* a KB match nobody overlaps is added.

Two repairs of the model's labels follow, for names the KB does not know:

* a PERSON/ORG/NORP/GPE span ending in a club or company word ("Bolton
  Wanderers", "Manchester United", "Acme Inc") is an organisation;
* a place right after a known first name ("Michael Jackson", "Charles
  Kennedy" when the model missed the person) is the person's surname: the
  first name and the place become one PER span;
* the capitalised words after a personal title ("Mr Rapkay", "Mrs de
  Palacio", "Dr. Ruth Bader") are a person when no entity covers them — or
  only one the model labelled otherwise;
* a KB match right after capitalised words that are no role, title or stop
  word and in no other entity is part of a longer unknown name and takes them
  in, without the KB id: "Sacha Baron Cohen" is another person than the KB's
  Cohen, "Liberal Democrats" another party than the KB's Democrats. A
  sentence's first word only joins when it is a known first name
  ("Yesterday Cohen" stays "Cohen"); a surname may also take in given names
  the model labelled otherwise ("Sacha" ORG).
"""

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from transforms.nlp.ruler import KB_SPANS_KEY

ORG_HEADS = frozenset(
    "United Wanderers Rovers Athletic Albion Hotspur Rangers Celtic FC AFC CF SC "
    "Inc Inc. Corp Corp. Ltd Ltd. plc PLC LLC AG GmbH SE Co. Group Holdings Bank".split()
)
PLACE_LABELS = frozenset({"LOC", "GPE", "FAC"})
DETERMINERS = frozenset({"the", "a", "an"})
# Titles, and the words of office names that end right before a name ("Secretary of State Pompeo").
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sir lord lady prof prof. state general minister secretary chief".split()
)


MAX_NAME_WORDS = 3  # words a KB surname may take in on its left
PERSONAL_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
NAME_PARTICLES = frozenset({"de", "da", "di", "van", "von", "der", "den", "la", "le", "du", "del", "bin", "al"})


@Language.factory("newsflow_kb_merge", default_config={"first_names": [], "roles": []})
def make_kb_merge(nlp: Language, name: str, first_names: list[str], roles: list[str]) -> "KbMerge":
    return KbMerge(first_names, roles)


class KbMerge:
    def __init__(self, first_names: list[str], roles: list[str]):
        self.first_names = frozenset(first_names)
        self.not_names = frozenset(r.lower() for r in roles) | TITLES

    def __call__(self, doc: Doc) -> Doc:
        kb = list(doc.spans[KB_SPANS_KEY]) if KB_SPANS_KEY in doc.spans else []
        in_kb = {i for span in kb for i in range(span.start, span.end) if span.id_ or len(span) > 1}
        model = [trimmed for span in doc.ents if (trimmed := trim(span, self.not_names)) is not None]
        merged = longest_matches(model, [self._full_name(doc, span, in_kb) for span in kb])
        repaired = [self._repair(doc, span) for span in merged]
        titled = titled_names(doc, repaired)
        covered = {i for span in titled for i in range(span.start, span.end)}
        doc.ents = filter_spans(titled + [e for e in repaired if not covered.intersection(range(e.start, e.end))])
        return doc

    def _full_name(self, doc: Doc, span: Span, in_kb: set[int]) -> Span:
        """A KB match with the unknown capitalised name words before it (see module docstring), else the span."""
        surname = not span.id_ and span.label_ == "PER" and len(span) == 1
        if surname and span.start in in_kb:
            return span
        start = span.start
        while (
            start > 0
            and span.start - start < MAX_NAME_WORDS
            and self._is_name_word(doc[start - 1], in_kb)
            and (surname or doc[start - 1].ent_iob_ == "O")
        ):
            start -= 1
        return span if start == span.start else Span(doc, start, span.end, label=span.label)

    def _is_name_word(self, token, in_kb: set[int]) -> bool:
        if token.i in in_kb or not token.is_title or token.is_stop or token.lower_ in self.not_names or len(token) < 2:
            return False
        return not token.is_sent_start or token.text in self.first_names

    def _repair(self, doc: Doc, span: Span) -> Span:
        if span.id_:
            return span
        if span.label_ in ("PERSON", "NORP", "GPE", "ORG") and len(span) > 1 and span[-1].text in ORG_HEADS:
            return Span(doc, span.start, span.end, label="ORG")
        previous = doc[span.start - 1] if span.start > 0 else None
        if (
            span.label_ in PLACE_LABELS
            and previous is not None
            and previous.text in self.first_names
            and previous.ent_iob_ == "O"
        ):
            return Span(doc, span.start - 1, span.end, label="PERSON")
        return span


def titled_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """PER spans of the capitalised words after personal titles, where no KB or person entity is."""
    kept = {i for e in ents if e.id_ or e.label_ in ("PER", "PERSON") for i in range(e.start, e.end)}
    found = []
    for token in doc:
        if token.lower_ not in PERSONAL_TITLES or token.i + 1 >= len(doc):
            continue
        end = token.i + 1
        while end < len(doc) and end - token.i <= MAX_NAME_WORDS and (
            doc[end].is_title or (doc[end].lower_ in NAME_PARTICLES and end + 1 < len(doc) and doc[end + 1].is_title)
        ):
            end += 1
        while end > token.i + 1 and not doc[end - 1].is_title:
            end -= 1
        if end > token.i + 1 and not kept.intersection(range(token.i + 1, end)):
            found.append(Span(doc, token.i + 1, end, label="PERSON"))
    return found


def trim(span: Span, not_names: frozenset[str] = frozenset()) -> Span | None:
    """`span` without leading determiners, titles and roles and trailing possessives/punctuation; None when empty."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].lower_ in not_names):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "'", "’s", "’")):
        end -= 1
    while end > start + 1 and span.label_ in ("PERSON", "ORG") and not any(c.isalpha() for c in doc[end - 1].text):
        end -= 1  # "Bolton Wanderers 2-0"
    if start == end:
        return None
    return span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label, span_id=span.id)


def longest_matches(model: list[Span], kb: list[Span]) -> list[Span]:
    """Model entities and KB spans without overlaps: longer first, the KB on ties; exact matches take the KB's id."""
    exact = {(s.start, s.end): s for s in kb}
    candidates = [exact.pop((s.start, s.end), s) for s in model] + list(exact.values())
    kb_keys = {(s.start, s.end, s.label) for s in kb}
    # filter_spans keeps the longest, then the earliest; sort so the KB wins ties.
    ranked = sorted(candidates, key=lambda s: (s.end - s.start, (s.start, s.end, s.label) in kb_keys), reverse=True)
    return filter_spans(ranked)
