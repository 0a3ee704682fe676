"""Drop KB matches that are only part of a longer, unknown proper name.

The KB ruler matches whole tokens, so "Berlin" in "Air Berlin" and "Moon" in
"Ban Ki Moon" are matched as the place and the South Korean president. A KB
match is dropped (left to the name rules and the statistical NER) when a
capitalised word right before or after it, in the same sentence, is a proper
noun: HanTa's German lexicon tags it `NE` or `FM` (foreign word) out of
context ("Air", "Ki" are NE; "Hauptstadt", "Präsident", "Danach" are not), and
it is neither a stop word ("Von Somalia aus") nor inside another entity. German common nouns are capitalised
too, which is why a capital letter alone is not enough. HanTa (Wartena 2019,
LGPL) is asked once per distinct word; the answers are cached per process.
"""

from functools import lru_cache

from HanTa import HanoverTagger
from spacy.language import Language
from spacy.tokens import Doc

from transforms.nlp.ruler import KB_SPANS_KEY

PROPER_NOUN_TAGS = frozenset({"NE", "FM"})


@lru_cache(maxsize=1)
def _tagger() -> HanoverTagger.HanoverTagger:
    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


@lru_cache(maxsize=200_000)
def is_proper_noun(word: str) -> bool:
    """HanTa's context-free tag of `word` is a proper noun or foreign word.

    HanTa's lexicon predates the 1996 spelling reform for some nouns
    ("Einfluss" is unknown, "Einfluß" is NN), so an "ss" word must be a
    proper noun in both spellings.
    """
    tagger = _tagger()
    if tagger.analyze(word, taglevel=1)[1] not in PROPER_NOUN_TAGS:
        return False
    old_spelling = word.replace("ss", "ß")
    return old_spelling == word or tagger.analyze(old_spelling, taglevel=1)[1] in PROPER_NOUN_TAGS


@Language.component(
    "newsflow_de_kb_boundaries",
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["doc.ents", "doc.spans"],
)
def drop_partial_kb_matches(doc: Doc) -> Doc:
    """Remove KB entities glued to an unknown proper noun (see module docstring)."""
    if KB_SPANS_KEY not in doc.spans or not doc.ents:
        return doc
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    dropped = set()
    for span in doc.spans[KB_SPANS_KEY]:
        neighbours = []
        if span.start > 0 and not doc[span.start].is_sent_start:
            neighbours.append(doc[span.start - 1])
        if span.end < len(doc) and not doc[span.end].is_sent_start:
            neighbours.append(doc[span.end])
        for token in neighbours:
            if (
                token.i not in taken
                and token.is_title
                and not token.is_stop
                and len(token) > 1
                and is_proper_noun(token.text)
            ):
                dropped.add((span.start, span.end))
                break
    if dropped:
        for start, end in dropped:  # the KB id stays on the tokens otherwise and leaks into later spans
            for token in doc[start:end]:
                token.ent_id = 0
        doc.ents = [e for e in doc.ents if (e.start, e.end) not in dropped]
        doc.spans[KB_SPANS_KEY] = [s for s in doc.spans[KB_SPANS_KEY] if (s.start, s.end) not in dropped]
    return doc
