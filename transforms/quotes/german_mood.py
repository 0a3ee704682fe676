"""German Konjunktiv I, told from adjectives, ordinals and imperatives by part of speech.

A word is a Konjunktiv I verb when HanTa (Wartena 2019, the tagger
`transforms.nlp.boundaries` already loads) tags it a finite verb in its
sentence (STTS `VVFIN`, `VAFIN`, `VMFIN`) and its form is the verb stem + "e"
("hoffe", "bleibe", "erfordere") or an irregular form ("sei", "habe",
"könne"). "Die reiche Stadt", "Das achte Luftschiff" are adjectives (`ADJA`)
and never verbs. Sentences are tagged only when a word could be one (an
"-e" form or a listed irregular form); results are cached per sentence.
"""

from functools import lru_cache

from transforms.nlp.boundaries import _tagger

IRREGULAR = frozenset(
    "sei seien habe werde könne müsse solle wolle dürfe möge wisse gebe".split()
)  # forms no stem rule derives (or that HanTa lemmatises oddly)
FINITE_TAGS = frozenset({"VV(FIN)", "VA(FIN)", "VM(FIN)"})


@lru_cache(maxsize=200_000)
def could_be_konjunktiv(word: str) -> bool:
    """A pre-filter before tagging a sentence: an irregular form, or a lower-case "-e" word whose
    context-free HanTa tag (cached per word) is a finite verb ("hoffe", not "eine", "große")."""
    if word in IRREGULAR:
        return True
    if len(word) < 4 or not word.endswith("e") or not word.isalpha() or not word.islower():
        return False
    return _tagger().analyze(word, taglevel=1)[1] in FINITE_TAGS


@lru_cache(maxsize=50_000)
def konjunktiv_positions(words: tuple[str, ...]) -> tuple[int, ...]:
    """Indices of the Konjunktiv I finite verbs among the words of one sentence."""
    if not any(could_be_konjunktiv(w) for w in words):
        return ()
    tagged = _tagger().tag_sent(list(words), taglevel=1)
    return tuple(
        i
        for i, (word, lemma, tag) in enumerate(tagged)
        if tag in FINITE_TAGS and could_be_konjunktiv(word) and _konjunktiv_form(word, lemma)
    )


@lru_cache(maxsize=50_000)
def starts_with_finite_verb(words: tuple[str, ...]) -> bool:
    """Imperatives and questions ("Unterstütze unsere Arbeit", "Habe ich …") start with the finite verb."""
    if not words or not words[0][:1].isalpha():
        return False
    return _tagger().tag_sent(list(words[:4]), taglevel=1)[0][2] in FINITE_TAGS


def _konjunktiv_form(word: str, lemma: str) -> bool:
    if word in IRREGULAR:
        return True
    if lemma.endswith(("ern", "eln")):  # erfordern -> erfordere
        return word == lemma[:-1] + "e"
    return lemma.endswith("en") and word == lemma[:-2] + "e"  # hoffen -> hoffe
