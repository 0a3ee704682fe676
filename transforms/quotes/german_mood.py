"""German Konjunktiv I, told from adjectives, ordinals and imperatives by part of speech.

A word is a Konjunktiv I verb when HanTa (Wartena 2019, the tagger
`transforms.nlp.boundaries` already loads) tags it a finite verb in its
sentence (STTS `VVFIN`, `VAFIN`, `VMFIN`) and its form is the verb stem + "e"
("hoffe", "bleibe", "erfordere") or an irregular form ("sei", "habe",
"könne"). "Die reiche Stadt", "Das achte Luftschiff" are adjectives (`ADJA`)
and never verbs. Only words that could be one (a listed irregular form, or
an "-e" word whose context-free HanTa tag is a finite verb) are tagged, in a
window of three words either side; the answers are cached.
"""

from functools import lru_cache

import simplemma

from transforms.nlp.boundaries import _tagger

IRREGULAR = frozenset(
    "sei seien habe werde könne müsse solle wolle dürfe möge wisse gebe".split()
)  # forms no stem rule derives (or that HanTa lemmatises oddly)
FINITE_TAGS = frozenset({"VV(FIN)", "VA(FIN)", "VM(FIN)"})
TAG_WINDOW = 3
ATTRIBUTIVE = frozenset(
    "der die das den dem des ein eine einer eines einem einen kein keine keiner keinen "
    "sein seine seiner seinen seinem ihr ihre ihrer ihren ihrem dieser diese dieses diesen diesem jede jeder jedes".split()
)


@lru_cache(maxsize=200_000)
def could_be_konjunktiv(word: str) -> bool:
    """A pre-filter before tagging: an irregular form, or a lower-case "-e" word that simplemma
    lemmatises to a verb ending in it + "n" and whose context-free HanTa tag (cached per word) is a
    finite verb ("hoffe", "erfordere"; not "eine", "große")."""
    if word in IRREGULAR:
        return True
    if len(word) < 4 or not word.endswith("e") or not word.isalpha() or not word.islower():
        return False
    if simplemma.lemmatize(word, lang="de") not in {word + "n", word[:-1] + "n"}:
        return False  # a cheap first look: "große", "eine" are no verb forms at all
    return _context_free_tag(word) in FINITE_TAGS


def candidates(words: tuple[str, ...]) -> list[int]:
    """Positions that could hold a Konjunktiv I verb, before any tagging: not right after an article or
    possessive ("Die reiche Stadt" is an adjective without asking the tagger)."""
    return [
        i
        for i, word in enumerate(words)
        if could_be_konjunktiv(word) and not (i > 0 and words[i - 1].lower() in ATTRIBUTIVE)
    ]


def is_konjunktiv(words: tuple[str, ...], i: int) -> bool:
    """Is the candidate at `i` a finite verb in Konjunktiv I? Irregular forms ("sei", "habe") are; a
    regular "-e" form is tagged in a window of TAG_WINDOW words either side (the tags that decide it
    are local) when a capitalised word follows; otherwise the context-free analysis decides."""
    if words[i] in IRREGULAR:
        return True
    following = words[i + 1] if i + 1 < len(words) else ""
    if not following[:1].isupper():  # "erfordere nach wie vor": only "reiche Länder" (before a noun) is in doubt
        return _konjunktiv_form(words[i], _context_free(words[i])[0])
    start = max(0, i - TAG_WINDOW)
    return _is_konjunktiv_in(words[start : i + TAG_WINDOW + 1], i - start)


@lru_cache(maxsize=100_000)
def _is_konjunktiv_in(window: tuple[str, ...], at: int) -> bool:
    word, lemma, tag = _tagger().tag_sent(list(window), taglevel=1)[at]
    return tag in FINITE_TAGS and _konjunktiv_form(word, lemma)


def starts_with_finite_verb(words: tuple[str, ...]) -> bool:
    """Imperatives and questions ("Unterstütze unsere Arbeit", "Habe ich …") start with the finite verb."""
    return bool(words) and words[0][:1].isalpha() and _context_free_tag(words[0]) in FINITE_TAGS


@lru_cache(maxsize=200_000)
def _context_free_tag(word: str) -> str:
    return _context_free(word)[1]


@lru_cache(maxsize=200_000)
def _context_free(word: str) -> tuple[str, str]:
    """HanTa's (lemma, tag) of the word out of context."""
    return tuple(_tagger().analyze(word, taglevel=1))


def _konjunktiv_form(word: str, lemma: str) -> bool:
    if word in IRREGULAR:
        return True
    if lemma.endswith(("ern", "eln")):  # erfordern -> erfordere
        return word == lemma[:-1] + "e"
    return lemma.endswith("en") and word == lemma[:-2] + "e"  # hoffen -> hoffe
