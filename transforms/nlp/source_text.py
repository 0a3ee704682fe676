"""The article text a Doc was made from, on `doc._.source_text`.

The pipelines read `match_text` (quote marks unified, same length as `text`,
so offsets agree); a component that needs the marks as written (quote
attribution: „…“ opens, “ closes) reads the original from
`doc._.source_text`, which `extract_mentions` sets on every Doc it makes. A
Doc made from a plain string (a bare `nlp.pipe`, a test) has none: its own
text is the source.
"""

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("source_text"):
    Doc.set_extension("source_text", default=None)


def source_text(doc: Doc) -> str:
    return doc._.source_text if doc._.source_text is not None else doc.text


def make_doc(nlp: Language, match_text: str, text: str) -> Doc:
    """The tokenized Doc of `match_text` that remembers `text`, for `nlp.pipe`."""
    doc = nlp.make_doc(match_text)
    doc._.source_text = text
    return doc
