"""Cross-validate and train newsflow's German statistical NER on GermEval 2014.

    nice -n 10 python bench/train_de_ner.py ../shared/corpora/germeval2014_dev/NER-de-dev.tsv \
        [--folds 3] [--epochs 6] [--save configs/models/de_newsflow_ner]

For each of k contiguous folds a model is trained on the other k-1 folds and
these pipelines are scored on the held-out fold only (exact spans, deriv/part
ignored, as in `bench/ner_eval.py`):

* rules:    the embedded German pipeline without a model (KB ruler + name rules);
* model:    the trained NER alone;
* combined: KB ruler + name rules first, the model filling the gaps;
* combined-nocities: the same without the GeoNames cities layer (cities.csv),
  to decide whether the cities earn their place next to the model.

It prints P/R/F1 per type per fold and the mean over folds, for all
sentences and for the news sentences (source not on wikipedia.org), plus
words/s. With `--save`, a final model is trained on the whole file and
written there (a spaCy pipeline directory; GermEval 2014 is CC BY 4.0 —
the meta carries the attribution). The data itself is never copied.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from transforms.nlp.conll import TYPES, GoldSentence, bio_spans, count_matches, prf, read_germeval  # noqa: E402
from transforms.nlp.extract import LABELS  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import embedded_pipeline  # noqa: E402
from transforms.nlp.training import DEFAULT_EPOCHS, save_model, train_ner  # noqa: E402

ATTRIBUTION = (
    "Trained by newsflow on the GermEval 2014 NER development set (Benikova, Biemann, Reznicek: "
    "NoSta-D Named Entity Annotation for German, LREC 2014), CC BY 4.0."
)
VARIANTS = ("rules", "model", "combined", "combined-nocities")


def score(nlp: Language, sentences: list[GoldSentence], news_only: bool = False) -> tuple[dict, int, float]:
    """(counts per type, words, seconds) of `nlp` on `sentences`."""
    chosen = [s for s in sentences if s.is_news or not news_only]
    gold, ignored, predicted = set(), set(), set()
    for index, sentence in enumerate(chosen):
        scored, skipped = bio_spans(sentence.tags)
        gold |= {(index, *span) for span in scored}
        ignored |= {(index, *span) for span in skipped}
    docs = [Doc(nlp.vocab, words=s.tokens) for s in chosen]
    started = time.perf_counter()
    for index, doc in enumerate(nlp.pipe(docs, batch_size=256)):
        predicted |= {(index, e.start, e.end, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS}
    seconds = time.perf_counter() - started
    return count_matches(gold, predicted - ignored), sum(len(s.tokens) for s in chosen), seconds


def print_table(title: str, rows: dict[str, list[tuple[float, float, float]]]) -> None:
    print(title)
    print(f"  {'type':<6}" + "".join(f"{'P':>7}{'R':>7}{'F1':>7}" for _ in range(1)) + "   per-fold F1")
    for kind, values in rows.items():
        mean = [sum(v[i] for v in values) / len(values) for i in range(3)]
        folds = " ".join(f"{v[2]:.3f}" for v in values)
        print(f"  {kind:<6}{mean[0]:>7.3f}{mean[1]:>7.3f}{mean[2]:>7.3f}   {folds}")


def kb_without_cities(kb_dir: Path, scratch: Path):
    copy = scratch / "kb-nocities"
    shutil.copytree(kb_dir, copy, ignore=shutil.ignore_patterns("cities.csv"))
    return load_kb(copy)


def cross_validate(sentences: list[GoldSentence], folds: int, epochs: int, kb_dir: Path, cache: Path | None) -> None:
    """Per-fold models are kept in `cache` (when given): re-scoring changed rules needs no retraining."""
    kb = load_kb(kb_dir)
    with tempfile.TemporaryDirectory() as scratch:
        kb_nocities = kb_without_cities(kb_dir, Path(scratch))
    rules, _ = embedded_pipeline("de", kb)
    size = -(-len(sentences) // folds)
    results = {(variant, subset): {k: [] for k in (*TYPES, "ALL")} for variant in VARIANTS for subset in ("all", "news")}
    speed = {variant: [0, 0.0] for variant in VARIANTS}
    for fold in range(folds):
        test = sentences[fold * size : (fold + 1) * size]
        train = sentences[: fold * size] + sentences[(fold + 1) * size :]
        started = time.perf_counter()
        stored = cache / f"fold{fold + 1}of{folds}-e{epochs}-n{len(sentences)}" if cache else None
        if stored is not None and (stored / "config.cfg").is_file():
            model = spacy.load(stored)
        else:
            model = train_ner(train, epochs=epochs)
            if stored is not None:
                stored.parent.mkdir(parents=True, exist_ok=True)
                model.to_disk(stored)
        print(f"fold {fold + 1}/{folds}: train {len(train)} sentences, test {len(test)}, "
              f"model ready in {time.perf_counter() - started:.0f} s", flush=True)
        pipelines = {
            "rules": rules,
            "model": model,
            "combined": embedded_pipeline("de", kb, model)[0],
            "combined-nocities": embedded_pipeline("de", kb_nocities, model)[0],
        }
        for variant, nlp in pipelines.items():
            for subset in ("all", "news"):
                counts, words, seconds = score(nlp, test, news_only=subset == "news")
                for kind, (g, p, t) in counts.items():
                    results[(variant, subset)][kind].append(prf(g, p, t))
                if subset == "all":
                    speed[variant][0] += words
                    speed[variant][1] += seconds
            fold_f1 = {k: round(results[(variant, 'all')][k][-1][2], 3) for k in ("PER", "LOC", "ORG", "ALL")}
            print(f"  {variant:<9} F1 {fold_f1}", flush=True)
    for (variant, subset), rows in results.items():
        print_table(f"\n{variant} — {subset} sentences, mean over {folds} folds (P R F1), then F1 per fold:", rows)
    print()
    for variant, (words, seconds) in speed.items():
        print(f"throughput {variant}: {words / seconds:,.0f} words/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="GermEval 2014 TSV file")
    parser.add_argument("--folds", type=int, default=3, help="k of k-fold cross-validation (0: none)")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences (smoke runs)")
    parser.add_argument("--kb", type=Path, default=PROJECT_DIR / "configs" / "kb")
    parser.add_argument("--save", type=Path, default=None, help="train on the whole file and write the model here")
    parser.add_argument("--cache", type=Path, default=None, help="keep per-fold models here and reuse them")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} is not a file: pass the GermEval TSV file", file=sys.stderr)
        return 2
    sentences = list(read_germeval(args.file))[: args.limit]
    if args.folds > 1:
        cross_validate(sentences, args.folds, args.epochs, args.kb, args.cache)
    if args.save is not None:
        model = train_ner(sentences, epochs=args.epochs, log=print)
        meta = {"name": "de_newsflow_ner", "version": "1.0.0", "description": ATTRIBUTION,
                "sources": [{"name": "GermEval 2014 NER", "url": "https://sites.google.com/site/germeval2014ner/",
                             "license": "CC BY 4.0", "author": "Benikova, Biemann, Reznicek"}],
                "license": "CC BY 4.0"}
        save_model(model, args.save, meta)
        print(f"saved {args.save} ({sum(f.stat().st_size for f in args.save.rglob('*') if f.is_file()) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
