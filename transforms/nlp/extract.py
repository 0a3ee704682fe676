"""Run a pipeline over articles and return one row per entity mention.

The pipeline reads `match_text` (quotes unified, same length as `text`), so
offsets index `text` and the mention text is sliced from `text`. Entity labels
are mapped onto PER/LOC/ORG/MISC; numeric and temporal labels (DATE, CARDINAL,
MONEY …) are not entities of the corpus and are dropped on purpose.
Title-only references of the German rules ("der US-Präsident",
`doc.spans["role"]`) are rows too, with source "role"; canonicalization keeps
only those it can resolve to a person.
"""

from bisect import bisect_right
from collections.abc import Callable
from functools import partial

import polars as pl
from spacy.language import Language
from spacy.tokens import Doc

from transforms.nlp.german import ROLE_SPANS_KEY, RULE_SPANS_KEY
from transforms.nlp.ruler import KB_SPANS_KEY
from transforms.nlp.source_text import make_doc
from transforms.schemas import MENTION_SCHEMA

LABELS = {
    "PER": "PER", "PERSON": "PER",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "ORG": "ORG",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC", "LAW": "MISC",
}  # fmt: skip


class ArticleTextMismatchError(ValueError):
    """`match_text` differs in length from `text`: offsets would be wrong (permanent)."""


def extract_mentions(
    nlp: Language, articles: pl.DataFrame, batch_size: int = 64, on_doc: Callable[[Doc, str, str], None] | None = None
) -> pl.DataFrame:
    """MENTION_SCHEMA rows for every mapped entity of every article.

    `on_doc(doc, article_id, text)` sees every Doc of the same pass (quotes use
    it). Each Doc is made from `match_text` and carries `text` as `doc._.source_text`.
    """
    _check_lengths(articles)
    columns: dict[str, list] = {name: [] for name in MENTION_SCHEMA}
    texts = articles["text"].fill_null("")
    docs = map(partial(make_doc, nlp), articles["match_text"].fill_null(""), texts)
    pairs = zip(docs, zip(articles["article_id"], texts, strict=True), strict=True)
    for doc, (article_id, text) in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        _collect(doc, article_id, text, columns)
        if on_doc is not None:
            on_doc(doc, article_id, text)
    return pl.DataFrame(columns, schema=MENTION_SCHEMA)


def _collect(doc: Doc, article_id: str, text: str, columns: dict[str, list]) -> None:
    kb_spans = _span_keys(doc, KB_SPANS_KEY)
    rule_spans = _span_keys(doc, RULE_SPANS_KEY)
    role_spans = _span_keys(doc, ROLE_SPANS_KEY)
    sentence_starts = [sent.start for sent in doc.sents] if doc.has_annotation("SENT_START") else [0]
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    roles = [s for s in doc.spans[ROLE_SPANS_KEY] if s.start not in taken] if role_spans else []
    for ent in sorted([*doc.ents, *roles], key=lambda span: span.start):
        label = LABELS.get(ent.label_)
        if label is None:
            continue
        key = (ent.start, ent.end, ent.label)
        previous = next((t for t in reversed(doc[: ent.start]) if not t.is_space), None)
        columns["article_id"].append(article_id)
        columns["start_char"].append(ent.start_char)
        columns["end_char"].append(ent.end_char)
        columns["text"].append(text[ent.start_char : ent.end_char])
        columns["label"].append(label)
        columns["kb_id"].append(ent.ent_id_ or None)
        columns["source"].append(
            "kb" if key in kb_spans else "rule" if key in rule_spans else "role" if key in role_spans else "model"
        )
        columns["sentence"].append(bisect_right(sentence_starts, ent.start) - 1)
        columns["preceding_word"].append(previous.text if previous is not None else None)


def _span_keys(doc: Doc, key: str) -> set[tuple[int, int, int]]:
    return {(s.start, s.end, s.label) for s in doc.spans[key]} if key in doc.spans else set()


def _check_lengths(articles: pl.DataFrame) -> None:
    bad = articles.filter(
        pl.col("text").str.len_chars().fill_null(0) != pl.col("match_text").str.len_chars().fill_null(0)
    )
    if len(bad):
        raise ArticleTextMismatchError(
            f"match_text and text differ in length for articles {bad['article_id'].head(5).to_list()}: "
            "match_text may only unify quote marks (normalize step)"
        )
