"""Rule-based sentence boundaries for the embedded pipelines.

A sentence ends after ".", "!", "?" or "…" (with any closing quotes or
brackets that follow), unless the next word starts in lower case ("ca. fünf",
"…, sagte er"); a paragraph break ("\n\n") always ends one. Abbreviations
("z. B.", "Dr.") and ordinals ("27. Februar") never split because the German
and English tokenizers keep their period inside the token; the price is that
a sentence ending in a number ("bis 2019. Danach") is not split either.
"""

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_ENDERS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
CLOSERS = frozenset({'"', "'", ")", "]", "»", "«", "“", "”", "’"})


@Language.component("newsflow_sentences", assigns=["token.is_sent_start"])
def split_sentences(doc: Doc) -> Doc:
    """Set `is_sent_start` on every token (see module docstring).

    Python looks only at sentence-final punctuation and whitespace tokens.
    """
    n = len(doc)
    if n == 0:
        return doc
    orth, is_space = doc.to_array([ORTH, IS_SPACE]).T
    starts = np.full(n, -1, dtype="int64")
    starts[0] = 1
    enders = np.isin(orth, [doc.vocab.strings.add(p) for p in SENTENCE_ENDERS])
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
