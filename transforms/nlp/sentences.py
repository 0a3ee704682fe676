"""Rule-based sentence boundaries for the embedded pipelines.

A sentence ends after ".", "!", "?" or "…" (with any closing quotes or
brackets that follow), unless the next word starts in lower case ("ca. fünf",
"…, sagte er"); a paragraph break ("\n\n") always ends one. Abbreviations
("z. B.", "Dr.") and ordinals ("27. Februar") never split because the German
and English tokenizers keep their period inside the token. That token is
checked on its own: a number with its period ("2019.", "5.") ends a sentence
when the next word is capitalised and either the number has four digits (a
year: "bis 2019. Trump sagte") or the next word is a stop word ("am 5.
Danach", but not "am 5. Mai", "der 2. Weltkrieg", "1. FC Köln").
"""

import numpy as np
from spacy.attrs import IS_SPACE, IS_STOP, IS_TITLE, ORTH, SENT_START, SHAPE
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_ENDERS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
CLOSERS = frozenset({'"', "'", ")", "]", "»", "«", "“", "”", "’"})
NUMBER_SHAPES = ("d.", "dd.", "ddd.")  # followed by a capitalised stop word
YEAR_SHAPE = "dddd."  # followed by any capitalised word


@Language.component("newsflow_sentences", assigns=["token.is_sent_start"])
def split_sentences(doc: Doc) -> Doc:
    """Set `is_sent_start` on every token (see module docstring).

    Python looks only at sentence-final punctuation and whitespace tokens.
    """
    n = len(doc)
    if n == 0:
        return doc
    orth, is_space, shape, title, stop = doc.to_array([ORTH, IS_SPACE, SHAPE, IS_TITLE, IS_STOP]).T
    starts = np.full(n, -1, dtype="int64")
    starts[0] = 1
    enders = np.isin(orth, [doc.vocab.strings.add(p) for p in SENTENCE_ENDERS])
    strings = doc.vocab.strings
    next_title, next_stop = np.append(title[1:] == 1, False), np.append(stop[1:] == 1, False)
    next_title &= np.append(is_space[1:] == 0, False)
    years = (shape == strings.add(YEAR_SHAPE)) & next_title
    numbers = np.isin(shape, [strings.add(s) for s in NUMBER_SHAPES]) & next_title & next_stop
    starts[1:][(years | numbers)[:-1]] = 1
    for i in np.flatnonzero(enders | (is_space == 1)):
        hard = bool(is_space[i]) and doc[int(i)].text.count("\n") >= 2
        if not (enders[i] or hard):
            continue
        j = int(i) + 1
        while j < n and (is_space[j] or (not hard and doc[j].text in CLOSERS and not doc[j - 1].whitespace_)):
            hard = hard or (bool(is_space[j]) and doc[j].text.count("\n") >= 2)
            j += 1
        if j < n and (hard or not doc[j].text[:1].islower()):
            starts[j] = 1
    return doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
