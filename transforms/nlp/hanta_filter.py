"""German: drop one-word entities of the statistical model that HanTa knows as no proper noun.

German capitalises every noun, and a small NER trained on a few thousand
sentences takes many of them, and capitalised sentence-initial adverbs, for
names ("Grauzone", "Chlor", "Diesmal", "Prinzipiell"). `newsflow_de_ne_filter`
runs right after the model and removes a one-word model PER/LOC/ORG when HanTa's
context-free tag of the word is not NE/FM (`transforms.nlp.boundaries.
is_proper_noun`, cached per word) — unless the word is an acronym ("NATO", "SWR": up to four capitals, or a
longer all-caps word HanTa knows as a name in title case: "UNESCO", not the
headline's "TRIFFT"; never a stop word: "IN"), occurs in the article inside a longer entity, or
is a PER that the KB's surname list knows ("Schulz", "Kaiser": configs/kb/
surnames.csv).
KB and rule entities are never touched. Cross-validated effect: README,
"Entities → Accuracy".
"""

from spacy.language import Language
from spacy.tokens import Doc

from transforms.nlp.boundaries import is_proper_noun
from transforms.nlp.german import RULE_SPANS_KEY
from transforms.nlp.ruler import KB_SPANS_KEY


NAME_LABELS = frozenset({"PER", "LOC", "ORG"})  # MISC ("Bundesliga", "Olympia") is often no proper noun for HanTa


@Language.factory(
    "newsflow_de_ne_filter", default_config={"surnames": []}, requires=["doc.ents"], assigns=["doc.ents"]
)
def make_ne_filter(nlp: Language, name: str, surnames: list[str]):
    known = frozenset(surnames)
    return lambda doc: drop_common_words(doc, known)


def drop_common_words(doc: Doc, surnames: frozenset[str] = frozenset()) -> Doc:
    fixed = {(s.start, s.end) for key in (KB_SPANS_KEY, RULE_SPANS_KEY) if key in doc.spans for s in doc.spans[key]}
    in_names = {t.text for e in doc.ents if len(e) > 1 for t in e}
    kept = [
        e
        for e in doc.ents
        if len(e) > 1
        or e.label_ not in NAME_LABELS
        or (e.start, e.end) in fixed
        or (e.text.isupper() and not e[0].is_stop and (len(e.text) <= 4 or is_proper_noun(e.text.title())))
        or not e.text.isalpha()
        or e.text in in_names
        or (e.label_ == "PER" and e.text in surnames)
        or is_proper_noun(e.text)
    ]
    if len(kept) != len(doc.ents):
        doc.ents = kept
    return doc
