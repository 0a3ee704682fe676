"""A larger German corpus for benchmarks, recombined from 10kGNAD.

The 1,028 derStandard.at articles of `../shared/corpora/gnad10k_test` are cut
into passages of a few sentences; each generated article draws passages from
several source articles (seeded, so the corpus is reproducible) and no two
generated articles share the same passage sequence, so the set is not just
duplicates. The data is CC BY-NC-SA 4.0: it is generated into bench/out/
(git-ignored), never into the repository.
"""

import random
import re
from pathlib import Path

import polars as pl

PROJECT_DIR = Path(__file__).resolve().parents[1]
GNAD_CSV = PROJECT_DIR.parent / "shared" / "corpora" / "gnad10k_test" / "test.csv"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")


def read_gnad(path: Path = GNAD_CSV) -> list[str]:
    frame = pl.read_csv(path, separator=";", quote_char="'", has_header=False, new_columns=["label", "text"])
    return frame["text"].to_list()


def passages(texts: list[str], sentences_per_passage: int = 3) -> list[str]:
    out = []
    for text in texts:
        sentences = _SENTENCE_END.split(text.strip())
        for start in range(0, len(sentences), sentences_per_passage):
            chunk = " ".join(sentences[start : start + sentences_per_passage]).strip()
            if len(chunk) > 80:
                out.append(chunk)
    return out


def generate_articles(n_articles: int, seed: int = 2019, source: Path = GNAD_CSV) -> list[str]:
    """`n_articles` unique articles of 3-6 passages each (paragraphs split by blank lines)."""
    pool = passages(read_gnad(source))
    rng = random.Random(seed)
    seen: set[tuple[int, ...]] = set()
    articles = []
    while len(articles) < n_articles:
        picks = tuple(rng.randrange(len(pool)) for _ in range(rng.randint(3, 6)))
        if picks in seen:
            continue
        seen.add(picks)
        articles.append("\n\n".join(pool[i] for i in picks))
    return articles


def write_corpus(directory: Path, n_articles: int, seed: int = 2019) -> Path:
    """Write the corpus as one .txt file per article (reused when already complete)."""
    directory.mkdir(parents=True, exist_ok=True)
    if len(list(directory.glob("*.txt"))) == n_articles:
        return directory
    for stale in directory.glob("*.txt"):
        stale.unlink()
    for number, text in enumerate(generate_articles(n_articles, seed)):
        (directory / f"article_{number:06d}.txt").write_text(text + "\n", encoding="utf-8")
    return directory
