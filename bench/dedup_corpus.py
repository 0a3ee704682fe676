"""Syndicated German articles with known duplicates, generated from 10kGNAD passages.

Each *family* is one story (a generated article of 3-6 passages, see
bench/corpus.py) and 0-4 republications of it with a known edit. Different
families may share a passage or two by chance, as different stories on the
same event share quotes and background; they are not duplicates. Everything
is generated in memory, never written into the repository (CC BY-NC-SA data).
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from bench.corpus import passages, read_gnad
from transforms.schemas import ARTICLE_SCHEMA, CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform, empty

EDITS = ("copy", "new_headline", "trailer", "dateline", "paragraph_changed", "paragraph_removed", "reworded", "related")
PLACES = ("Wien", "Berlin", "Hanoi", "Seoul", "Washington/Hanoi", "Brüssel", "Zürich")
TRAILERS = ("(APA, {d}.{m}.2019)", "red, APA", "(dpa)", "(sda/afp)", "Quelle: Reuters")


@dataclass(frozen=True)
class Generated:
    articles: pl.DataFrame  # article_id, family, edit, title, text, published_at, outlet, author
    families: int


def _reword(text: str, rng: random.Random, vocabulary: list[str], rate: float = 0.04) -> str:
    """Light re-wording: about `rate` of the words replaced, dropped or doubled."""
    words = text.split(" ")
    out = []
    for word in words:
        roll = rng.random()
        if roll < rate / 2:
            out.append(rng.choice(vocabulary))
        elif roll < rate * 3 / 4:
            continue
        elif roll < rate:
            out.extend([word, rng.choice(vocabulary)])
        else:
            out.append(word)
    return " ".join(out)


def _variant(edit: str, paragraphs: list[str], pool: list[str], rng: random.Random, vocabulary: list[str]) -> str:
    paragraphs = list(paragraphs)
    if edit == "trailer":
        trailer = rng.choice(TRAILERS).format(d=rng.randint(1, 28), m=rng.randint(1, 12))
        return "\n\n".join(paragraphs) + ("\n\n" if not trailer.startswith("(") else " ") + trailer
    if edit == "dateline":
        return f"{rng.choice(PLACES)} ({rng.choice(['APA', 'dpa', 'APA/dpa', 'AFP'])}) – " + "\n\n".join(paragraphs)
    if edit == "paragraph_changed":
        paragraphs[rng.randrange(len(paragraphs))] = rng.choice(pool)
    elif edit == "paragraph_removed":
        del paragraphs[rng.randrange(len(paragraphs))]
    elif edit == "reworded":
        return _reword("\n\n".join(paragraphs), rng, vocabulary)
    elif edit == "related":  # another story that shares one passage: not a duplicate
        story = [rng.choice(pool) for _ in range(rng.randint(3, 6))]
        story[rng.randrange(len(story))] = rng.choice(paragraphs)
        return "\n\n".join(story)
    return "\n\n".join(paragraphs)


def generate_syndication(n_articles: int, seed: int = 7, duplicate_share: float = 0.5) -> Generated:
    """About `n_articles` articles; roughly `duplicate_share` of them republish an earlier story."""
    pool = passages(read_gnad())
    vocabulary = sorted({w for p in pool[:2000] for w in p.split(" ") if w.isalpha()})
    rng = random.Random(seed)
    start = datetime(2019, 2, 1, tzinfo=UTC)
    rows = []
    family = 0
    while len(rows) < n_articles:
        paragraphs = [pool[rng.randrange(len(pool))] for _ in range(rng.randint(3, 6))]
        published = start + timedelta(minutes=rng.randrange(60 * 24 * 28))
        rows.append((family, "original", "\n\n".join(paragraphs), published))
        # mean republications so that the share of duplicates is about duplicate_share
        for _ in range(rng.choices([0, 1, 2, 4], weights=[1 - duplicate_share, 0.2, 0.15, 0.15])[0] if duplicate_share else 0):
            edit = rng.choice(EDITS)
            delay = timedelta(minutes=rng.randrange(1, 60 * 48))
            rows.append((family, edit, _variant(edit, paragraphs, pool, rng, vocabulary), published + delay))
        family += 1
    rows = rows[:n_articles]
    frame = pl.DataFrame(
        {
            "article_id": [hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=8).hexdigest() for i in range(len(rows))],
            "family": [r[0] for r in rows],
            "edit": [r[1] for r in rows],
            "text": [r[2] for r in rows],
            "published_at": [r[3] for r in rows],
            "outlet": [f"outlet-{rng.randrange(12)}" for _ in rows],
        },
        schema_overrides={"published_at": pl.Datetime("us", "UTC")},
    )
    # A "related" story is its own family: it only shares a passage.
    frame = frame.with_columns(
        family=pl.when(pl.col("edit") == "related").then(-pl.int_range(1, pl.len() + 1)).otherwise(pl.col("family"))
    )
    return Generated(frame, family)


def as_batch_frames(articles: pl.DataFrame, path: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles in ARTICLE_SCHEMA, ledger rows) for warehouse.load.load_batch; title and author if given."""
    frame = conform(
        articles.with_columns(
            source_path=pl.lit(path),
            item=pl.col("article_id"),
            title=pl.col("title") if "title" in articles.columns else pl.lit(None, pl.String),
            author=pl.col("author") if "author" in articles.columns else pl.lit(None, pl.String),
            language=pl.lit("de"),
            format=pl.lit("jsonl"),
            text_hash=pl.col("text").map_batches(
                lambda s: pl.Series([hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in s]),
                return_dtype=pl.String,
            ),
            n_chars=pl.col("text").str.len_chars(),
            n_words=pl.col("text").str.count_matches(r"\S+"),
        ),
        ARTICLE_SCHEMA,
    )
    files = pl.DataFrame(
        {"path": [path], "size": [1], "mtime_ns": [1], "content_hash": [path], "status": ["loaded"],
         "articles": [frame.height], "rejects": [0]}
    )  # fmt: skip
    return frame, files


def empty_children() -> dict[str, pl.DataFrame]:
    return {"mentions": empty(CANONICAL_MENTION_SCHEMA)}


def empty_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    return empty(ENTITY_SCHEMA), conform(pl.DataFrame(), REJECT_SCHEMA)
