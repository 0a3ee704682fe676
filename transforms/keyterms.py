"""Candidate key terms of each article: lemmatized noun phrases with counts.

Read from the same spaCy Docs as entities and quotes (no second pass); the
corpus-aware ranking (TF-IDF over the whole warehouse, per article and per
summit) is the post-load step `flows.post_load.rank_key_terms`.

Kept: runs of content words between stop words, punctuation and sentence
ends; named entities are not terms (they are in `mentions`). German: an
optional chain of inflected adjectives and a noun (capitalized):
"wirtschaftlichen Aufschwung", "Sanktionen"; the noun alone is a term too.
English and French (no tagger in the pipelines): every n-gram of up to
`max_words` inside a content-word run. Lemmas come from simplemma; a German
compound it does not know is lemmatized by its longest known head
("Atomkomplexes" -> "Atomkomplex", "Nordkorea-Experten" -> "Nordkorea-Experte").
Stop words are spaCy's list per language plus the language's speech cues.

The spaCy component `newsflow_term_candidates` finds them inside `nlp.pipe`
(`doc._.term_candidates`: one row per term without `article_id` and
`language`); `TermCollector` turns them into ARTICLE_TERM_SCHEMA rows.
"""

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import polars as pl
import simplemma
from spacy.language import Language
from spacy.tokens import Doc

from transforms.nlp.source_text import source_text
from transforms.quotes.cues import CueLexicon, load_cues

# One row per (article, term).
ARTICLE_TERM_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "language": pl.String,
        "term": pl.String,  # lemmatized key ("wirtschaftlich Aufschwung")
        "display": pl.String,  # most frequent form as written ("wirtschaftlichen Aufschwung")
        "count": pl.Int32,
        "first_char": pl.Int64,  # offset of the first occurrence in articles.text
    }
)

MIN_WORD_CHARS = 3
GERMAN_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
COMPOUND_MIN_HEAD = 4


@lru_cache(maxsize=8)
def stop_words(language: str) -> frozenset[str]:
    try:
        module = __import__(f"spacy.lang.{language}.stop_words", fromlist=["STOP_WORDS"])
    except ImportError:
        return frozenset()
    return frozenset(module.STOP_WORDS)


def term_stops(language: str, lexicon: CueLexicon | None) -> frozenset[str]:
    """Stop words and speech-cue words of `language`."""
    return stop_words(language) | frozenset(w for cue in (lexicon.cues if lexicon else ()) for w in cue.words)


if not Doc.has_extension("term_candidates"):
    Doc.set_extension("term_candidates", default=None)


class TermCandidates:
    def __init__(self, language: str, stops: frozenset[str], max_words: int):
        self.language = language
        self.stops = stops
        self.max_words = max_words

    def __call__(self, doc: Doc) -> Doc:
        doc._.term_candidates = article_terms(doc, self.language, self.stops, self.max_words, source_text(doc))
        return doc


@Language.factory(
    "newsflow_term_candidates", requires=["doc.ents", "token.is_sent_start"], assigns=["doc._.term_candidates"]
)
def make_term_candidates(nlp: Language, name: str, max_words: int, speech_verbs_dir: str) -> TermCandidates:
    """`max_words`: longest phrase; `speech_verbs_dir`: the cue lists whose words are no terms."""
    return TermCandidates(nlp.lang, term_stops(nlp.lang, load_cues(Path(speech_verbs_dir), nlp.lang)), max_words)


class TermCollector:
    """Collects candidate terms of every Doc passed to it (one call per article).

    A Doc from a pipeline with `newsflow_term_candidates` carries its terms;
    any other Doc is read here, by the same rules.
    """

    def __init__(self, max_words: int, lexicons: dict[str, CueLexicon] | None = None):
        self.max_words = max_words
        self.lexicons = lexicons or {}
        self.rows: list[dict] = []
        self.stops: dict[str, frozenset[str]] = {}  # stop words and speech-cue words per language

    def _stops(self, language: str) -> frozenset[str]:
        if language not in self.stops:
            self.stops[language] = term_stops(language, self.lexicons.get(language))
        return self.stops[language]

    def __call__(self, language: str, doc: Doc, article_id: str, text: str) -> None:
        terms = doc._.term_candidates
        if terms is None:
            terms = article_terms(doc, language, self._stops(language), self.max_words, text)
        self.rows.extend({"article_id": article_id, "language": language, **term} for term in terms)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=ARTICLE_TERM_SCHEMA)


def article_terms(doc: Doc, language: str, stops: frozenset[str], max_words: int, text: str) -> list[dict]:
    """One row per candidate term of the article: term, display, count, first_char (first occurrence)."""
    found: dict[str, list] = {}
    for phrase in candidate_phrases(doc, language, stops, max_words):
        words = [t.text.lower() if language == "de" and t is not phrase[-1] else t.text for t in phrase]
        key = " ".join(lemma(w, language) for w in words)  # German modifiers lower case: "neu Sanktion"
        surface = text[phrase[0].idx : phrase[-1].idx + len(phrase[-1])]
        entry = found.setdefault(key, [Counter(), phrase[0].idx])
        entry[0][surface] += 1
    return [
        {"term": key, "display": max(forms.items(), key=lambda item: item[1])[0],  # ties: the first form seen
         "count": sum(forms.values()), "first_char": first}
        for key, (forms, first) in found.items()
    ]  # fmt: skip


def candidate_phrases(doc: Doc, language: str, stops: frozenset[str], max_words: int) -> Iterable[list]:
    """Token lists of every candidate term occurrence (see module docstring)."""
    in_entity = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    run: list = []
    for token in [*doc, None]:
        if token is not None and _content(token, stops, in_entity) and not (run and token.is_sent_start):
            run.append(token)
            continue
        yield from (_german_phrases if language == "de" else _plain_phrases)(run, max_words)
        run = [token] if token is not None and _content(token, stops, in_entity) else []


def _content(token, stops: frozenset[str], in_entity: set[int]) -> bool:
    text = token.text
    return (
        token.i not in in_entity
        and len(text) >= MIN_WORD_CHARS
        and text.replace("-", "").isalpha()
        and text.lower() not in stops
    )


def _german_phrases(run: list, max_words: int) -> Iterable[list]:
    for end, token in enumerate(run):
        if not token.text[:1].isupper() or (token.is_sent_start and simplemma.is_known(token.text.lower(), lang="de")):
            continue  # a capital only because the sentence starts ("Unglaublich.") is no noun
        yield [token]
        start = end
        while start > 0 and end - start + 1 < max_words and _german_adjective(run[start - 1]):
            start -= 1
        if start < end:
            yield run[start : end + 1]


def _german_adjective(token) -> bool:
    """An inflected attributive adjective ("wirtschaftlichen"; "Neue" at a sentence start)."""
    word = token.text.lower() if token.is_sent_start else token.text
    return word.islower() and word.endswith(GERMAN_ADJECTIVE_ENDINGS)


def _plain_phrases(run: list, max_words: int) -> Iterable[list]:
    """Every n-gram of the run up to `max_words` (no tagger: TF-IDF sorts phrases from fragments)."""
    for start in range(len(run)):
        for end in range(start + 1, min(len(run), start + max_words) + 1):
            yield run[start:end]


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """simplemma lemma; German compounds by their head; lower case except German nouns."""
    try:
        found = simplemma.lemmatize(word, lang=language)
    except ValueError:  # a language simplemma does not know
        found = word
    if language == "de" and found == word and word[:1].isupper():
        found = _compound_lemma(word)
    if language == "de" and word[:1].isupper():
        return found[:1].upper() + found[1:]
    return found.lower()


def _compound_lemma(word: str) -> str:
    """Lemmatize an unknown German compound by the longest head simplemma knows."""
    if "-" in word:
        prefix, head = word.rsplit("-", 1)
        return f"{prefix}-{lemma(head, 'de')}" if head else word
    for cut in range(MIN_WORD_CHARS, len(word) - COMPOUND_MIN_HEAD + 1):
        head = word[cut:].capitalize()
        head_lemma = simplemma.lemmatize(head, lang="de")
        if head_lemma != head:
            return word[:cut] + head_lemma.lower()
    return word
