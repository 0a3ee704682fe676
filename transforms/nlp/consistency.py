"""Document-level label consistency: one name, one label within an article.

A Doc is one article. After all other entity components,
`newsflow_doc_consistency` first cuts leading titles and role words off
person spans, as the gold of GermEval and CoNLL does and as canonicalization
expects ("Herrn Koch", "Kommissar Monti" -> "Koch", "Monti"; a span of role
words only is no name and goes), then:

* gives a person's label to the other mentions of that person: a single word
  that is the last word of a person named in full in the article ("Charles
  Kennedy" … "Kennedy"; "Michael Jackson" … "Jackson") is that person, even
  when the KB or the model called it a place or an organisation — unless the
  KB knows it as a country or another entity with its own KB id (GeoNames
  cities aside: "Kennedy" and "Jackson" are cities there);
* finds the mentions the rest of the pipeline missed: a token sequence equal
  to a multi-word entity of the article, or a person's surname, that is
  capitalised and covered by no entity gets that entity's label (and KB id
  for exact repeats).

It never changes the span of an existing entity and never overwrites an
entity with its own KB id.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from transforms.nlp.boundaries import is_proper_noun

PERSON_LABELS = frozenset({"PER", "PERSON"})
CITY_ID_PREFIX = "LOC:geonames-"


TITLES = frozenset(
    "herr herrn frau dr dr. prof prof. mr mr. mrs mrs. ms ms. sir madam m. mme monsieur madame "
    "präsident präsidentin kommissar kommissarin kollege kollegin".split()
)


@Language.factory(
    "newsflow_doc_consistency",
    default_config={"roles": [], "check_proper_nouns": False},
    requires=["doc.ents"],
    assigns=["doc.ents"],
)
def make_doc_consistency(nlp: Language, name: str, roles: list[str], check_proper_nouns: bool):
    """`check_proper_nouns` (German): a surname is carried over only if HanTa knows it as a proper noun."""
    not_names = TITLES | {role.lower() for role in roles}
    is_name = is_proper_noun if check_proper_nouns else (lambda word: True)

    def component(doc: Doc) -> Doc:
        return make_consistent(doc, not_names, is_name)

    return component


def without_titles(doc: Doc, ents: list[Span], not_names: frozenset[str]) -> list[Span]:
    """Person spans without their leading titles and role words; spans of such words only are dropped."""
    kept = []
    for ent in ents:
        start = ent.start
        while ent.label_ in PERSON_LABELS and start < ent.end and doc[start].lower_ in not_names:
            start += 1
        if start > ent.start and not any(token.is_alpha for token in doc[start : ent.end]):
            continue  # "Präsidentin !"
        kept.append(ent if start == ent.start else Span(doc, start, ent.end, label=ent.label, span_id=ent.id))
    return kept


def make_consistent(doc: Doc, not_names: frozenset[str] = TITLES, is_name=lambda word: True) -> Doc:
    original = list(doc.ents)
    ents = without_titles(doc, original, not_names)
    surnames = {
        e[-1].text: e
        for e in ents
        if e.label_ in PERSON_LABELS and len(e) > 1 and e[-1].is_title and is_name(e[-1].text)
    }
    relabelled = [_as_person(doc, e, surnames) for e in ents]
    found = _missed_repeats(doc, relabelled, surnames)
    if found or relabelled != original:
        doc.ents = sorted([*relabelled, *found], key=lambda span: span.start)
    return doc


def _as_person(doc: Doc, ent: Span, surnames: dict[str, Span]) -> Span:
    """`ent` relabelled to the person whose surname it is, or `ent` itself."""
    person = surnames.get(ent.text) if len(ent) == 1 else None
    if person is None or ent.label_ in PERSON_LABELS or (ent.id_ and not ent.id_.startswith(CITY_ID_PREFIX)):
        return ent
    for token in ent:  # the city's id stays on the tokens otherwise
        token.ent_id = 0
    return Span(doc, ent.start, ent.end, label=person.label)


def _missed_repeats(doc: Doc, ents: list[Span], surnames: dict[str, Span]) -> list[Span]:
    """Uncovered capitalised repeats of the article's multi-word entities and person surnames."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    names: dict[tuple[str, ...], Span] = {tuple(t.text for t in e): e for e in ents if len(e) > 1}
    names.update({(surname,): person for surname, person in surnames.items()})
    found: list[Span] = []
    longest = max((len(key) for key in names), default=0)
    i = 0
    while i < len(doc):
        match = None
        if doc[i].is_title and i not in taken:
            for size in range(min(longest, len(doc) - i), 0, -1):
                key = tuple(t.text for t in doc[i : i + size])
                if key in names and not taken.intersection(range(i, i + size)):
                    match = size, names[key]
                    break
        if match is None:
            i += 1
            continue
        size, entity = match
        exact = size == len(entity)
        found.append(Span(doc, i, i + size, label=entity.label, span_id=entity.id if exact else 0))
        taken.update(range(i, i + size))
        i += size
    return found
