"""Evaluate quote attribution on hand-annotated text: span F1 (exact and overlap) and speaker accuracy.

Gold format (`bench/gold/quotes_<lang>.jsonl`, one document per line):

    {"id": "de-01", "language": "de", "text": "…",
     "quotes": [{"kind": "direct|partial|indirect", "text": "quoted words", "speaker": "PER:…" | null,
                 "at": 0}]}

`text` of a quote is the quoted (or reported) words exactly as in the
document, without quote marks; its span is its first occurrence at or after
character `at` (default 0). `speaker` is the KB entity id of the person
(configs/kb/entities.csv), or null when the speaker is no person (analysts,
"Kritiker") or the words are a scare quote. Quoted terms that are not speech
(titles, ship names) are simply not listed.

Predictions come from the real entity step (the configured spaCy pipeline of
the language, one `nlp.pipe` pass) with the quote collector. Metrics per
language and overall:

* exact P/R/F1: predicted span == gold span;
* overlap P/R/F1: one-to-one matching of overlapping spans;
* speaker accuracy: of the overlap-matched gold quotes, those whose predicted
  `speaker_entity_id` equals the gold speaker (null == null counts);
* end-to-end: gold quotes found (overlap) with the right speaker / all gold quotes;
* kind accuracy: of the matched, the same kind.

    .venv/bin/python bench/quote_eval.py [--gold bench/gold] [--languages de en fr]
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import polars as pl  # noqa: E402

from newsflow.settings import load_settings  # noqa: E402
from transforms.coverage import CoverageCollector  # noqa: E402
from transforms.entities import extract_entities  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import build_pipeline  # noqa: E402
from transforms.normalize import unify_quotes  # noqa: E402

GOLD_DIR = PROJECT_DIR / "bench" / "gold"


@dataclass(frozen=True)
class Scores:
    gold: int
    predicted: int
    exact: int
    overlap: int
    speaker_right: int
    kind_right: int

    def f1(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values(), strict=True)))


def read_gold(path: Path) -> list[dict]:
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        doc = json.loads(line)
        for quote in doc["quotes"]:
            start = doc["text"].find(quote["text"], quote.get("at", 0))
            if start < 0:
                raise ValueError(f"{path}:{number}: quote {quote['text']!r} is not in the text of {doc['id']}")
            quote["span"] = (start, start + len(quote["text"]))
        documents.append(doc)
    return documents


def predict(documents: list[dict]) -> pl.DataFrame:
    """Quotes found by the real entity step + quote collector, for every gold document."""
    settings = load_settings()
    kb = load_kb(settings.nlp.kb_path)
    articles = pl.DataFrame(
        {
            "article_id": [d["id"] for d in documents],
            "text": [d["text"] for d in documents],
            "language": [d["language"] for d in documents],
            "title": [None] * len(documents),
            "published_at": [None] * len(documents),
        },
        schema_overrides={"title": pl.String, "published_at": pl.Datetime("us", "UTC")},
    ).with_columns(match_text=unify_quotes(pl.col("text")))
    coverage = CoverageCollector.for_settings(settings, kb)

    def pipeline(language: str):
        choice = settings.nlp.pipelines[language]
        return build_pipeline(
            language, choice.models, choice.fallback, kb, settings.nlp.ner_models_path, keep=choice.keep
        )[0]

    mentions, _ = extract_entities(articles, pipeline, kb, settings.nlp.pipe_batch_size, on_doc=coverage)
    return coverage.children(articles, mentions)["quotes"]


def score(documents: list[dict], predicted: pl.DataFrame) -> Scores:
    total = Scores(0, 0, 0, 0, 0, 0)
    for doc in documents:
        mine = [r for r in predicted.filter(pl.col("article_id") == doc["id"]).iter_rows(named=True)]
        gold = doc["quotes"]
        exact = sum(1 for g in gold if any((r["start_char"], r["end_char"]) == g["span"] for r in mine))
        used: set[int] = set()
        overlap = speaker = kind = 0
        for g in gold:
            match = next(
                (i for i, r in enumerate(mine) if i not in used and r["start_char"] < g["span"][1] and g["span"][0] < r["end_char"]),
                None,
            )  # fmt: skip
            if match is None:
                continue
            used.add(match)
            overlap += 1
            speaker += mine[match]["speaker_entity_id"] == g["speaker"]
            kind += mine[match]["kind"] == g["kind"]
        total += Scores(len(gold), len(mine), exact, overlap, speaker, kind)
    return total


def evaluate(gold_dir: Path = GOLD_DIR, languages: tuple[str, ...] = ("de", "en", "fr")) -> dict[str, Scores]:
    results = {}
    for language in languages:
        documents = read_gold(gold_dir / f"quotes_{language}.jsonl")
        results[language] = score(documents, predict(documents))
    results["all"] = sum((results[lang] for lang in languages), Scores(0, 0, 0, 0, 0, 0))
    return results


def report(results: dict[str, Scores]) -> str:
    lines = [
        f"{'lang':<5}{'gold':>5}{'pred':>5}  {'exact P/R/F1':<18}{'overlap P/R/F1':<18}{'speaker acc':>12}{'end-to-end':>11}{'kind acc':>9}"
    ]
    for language, s in results.items():
        exact, overlap = s.f1(s.exact), s.f1(s.overlap)
        speaker = s.speaker_right / s.overlap if s.overlap else 0.0
        kind = s.kind_right / s.overlap if s.overlap else 0.0
        end_to_end = s.speaker_right / s.gold if s.gold else 0.0
        lines.append(
            f"{language:<5}{s.gold:>5}{s.predicted:>5}  "
            + "{:.2f}/{:.2f}/{:.2f}      ".format(*exact)
            + "{:.2f}/{:.2f}/{:.2f}      ".format(*overlap)
            + f"{speaker:>12.2f}{end_to_end:>11.2f}{kind:>9.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--languages", nargs="+", default=["de", "en", "fr"])
    args = parser.parse_args()
    print(report(evaluate(args.gold, tuple(args.languages))))


if __name__ == "__main__":
    main()
