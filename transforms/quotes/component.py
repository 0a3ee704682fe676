"""`newsflow_quotes`: quote attribution as a spaCy component, inside `nlp.pipe`.

Runs after the entities and sentences are set and stores the article's
quotes on `doc._.quotes`: the rows of `attribute_quotes` (QUOTE_CANDIDATE_SCHEMA
without `quote_id` and `article_id`; `QuoteCollector` adds them, since a Doc
does not know its article). Quote marks are read from `doc._.source_text`.
"""

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from transforms.nlp.source_text import source_text
from transforms.quotes.attribute import attribute_quotes
from transforms.quotes.cues import CueLexicon, load_cues

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class QuoteAttribution:
    def __init__(self, lexicon: CueLexicon, roles: frozenset[str]):
        self.lexicon = lexicon
        self.roles = roles

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = attribute_quotes(doc, source_text(doc), self.lexicon.language, self.lexicon, self.roles)
        return doc


@Language.factory("newsflow_quotes", requires=["doc.ents", "token.is_sent_start"], assigns=["doc._.quotes"])
def make_quote_attribution(nlp: Language, name: str, speech_verbs_dir: str, roles: list[str]) -> QuoteAttribution:
    """`speech_verbs_dir`: the cue lists (`<lang>.txt`); `roles`: role words of the KB, lower case."""
    return QuoteAttribution(load_cues(Path(speech_verbs_dir), nlp.lang), frozenset(roles))
