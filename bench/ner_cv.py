"""German NER by cross-validation on the news sentences of GermEval 2014 dev, with a held-out part.

    nice -n 10 .venv/bin/python bench/ner_eval.py ../shared/corpora/germeval2014_dev/NER-de-dev.tsv \
        --cv 5 [--extra ler europeana] [--cache /tmp/ner-cv] [--held-out] [--save configs/models/de_newsflow_ner]

The news sentences (source not on wikipedia.org) are split, in file order,
into a development part (the first 80 %) and a held-out part (the last 20 %).
Cross-validation: k contiguous folds of the development part; each fold's
model is trained on the other folds, GermEval's Wikipedia sentences and the
`--extra` gold of `../shared/corpora/ner_extra` (never on the fold), and the
embedded German pipeline with and without it is scored on the fold. The
held-out part is scored only with `--held-out`, by a model trained on
everything else — the shipped model (`--save`) — and was not looked at while
choosing what to keep. Europarl is not an `--extra` source: it is kept for
measuring (German running text for document-level consistency, English).
"""

import time
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from bench.train_de_ner import score
from transforms.nlp.conll import TYPES, GoldSentence, prf, read_columns, read_germeval
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import embedded_pipeline
from transforms.nlp.training import DEFAULT_EPOCHS, save_model, train_ner

EXTRA_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ner_extra"
# name -> (files, sentences taken from each: a bounded sample keeps training on 2 cores short)
EXTRA_SOURCES = {
    "ler": (("ler/ler_dev.conll",), 600),
    "europeana": (("europeana/enp_DE.lft.bio", "europeana/enp_DE.onb.bio", "europeana/enp_DE.sbb.bio"), 100),
}
HELD_OUT_FRACTION = 0.2
EUROPEANA_MAX_TOKENS = 60  # no sentence breaks there: split after sentence-final punctuation past this length
ATTRIBUTION = {
    "germeval": (
        "GermEval 2014 NER development set (Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for German, "
        "LREC 2014), CC BY 4.0, without its last 20 % of news sentences (held out for evaluation)"
    ),
    "ler": (
        "Legal Entity Recognition dev split (Leitner, Rehm, Moreno-Schneider: Fine-grained Named Entity "
        "Recognition in Legal Documents, SEMANTiCS 2019), CC BY 4.0, an evenly spaced sample of 600 sentences"
    ),
    "europeana": (
        "Europeana Newspapers NER, German (Neudecker: An Open Corpus for Named Entity Recognition in Historic "
        "Newspapers, LREC 2016), CC0 1.0, an evenly spaced sample of 100 passages per library"
    ),
}


def split_news(sentences: Sequence[GoldSentence]) -> tuple[list[GoldSentence], list[GoldSentence], list[GoldSentence]]:
    """(development news, held-out news, other sentences) in file order."""
    news = [s for s in sentences if s.is_news]
    held = int(len(news) * HELD_OUT_FRACTION)
    return news[: len(news) - held], news[len(news) - held :], [s for s in sentences if not s.is_news]


def extra_sentences(names: Sequence[str], base: Path = EXTRA_DIR) -> list[GoldSentence]:
    """An evenly spaced, deterministic sample of each named extra gold set."""
    chosen: list[GoldSentence] = []
    for name in names:
        files, per_file = EXTRA_SOURCES[name]
        for file in files:
            split = EUROPEANA_MAX_TOKENS if name == "europeana" else 0
            sentences = [s for s in read_columns(base / file, split_long=split) if len(s.tokens) > 1]
            step = max(1, len(sentences) // per_file)
            chosen += sentences[::step][:per_file]
    return chosen


def _model(train: list[GoldSentence], epochs: int, stored: Path | None) -> Language:
    if stored is not None and (stored / "config.cfg").is_file():
        return spacy.load(stored)
    model = train_ner(train, epochs=epochs)
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        model.to_disk(stored)
    return model


def cross_validate(
    path: Path, folds: int, kb_dir: Path, extra: Sequence[str], epochs: int = DEFAULT_EPOCHS,
    cache: Path | None = None, held_out: bool = False, save: Path | None = None,
) -> None:  # fmt: skip
    development, held, other = split_news(list(read_germeval(path)))
    added = extra_sentences(extra)
    kb = load_kb(kb_dir)
    rules = embedded_pipeline("de", kb)[0]
    tag = f"e{epochs}-{'+'.join(extra) or 'none'}"
    print(f"{path.name}: {len(development)} development news sentences in {folds} folds, {len(held)} held out; "
          f"training adds {len(other)} Wikipedia sentences and {len(added)} extra ({', '.join(extra) or 'none'})")
    results = {variant: {k: [0, 0, 0] for k in (*TYPES, "ALL")} for variant in ("rules", "combined")}
    speed = {variant: [0, 0.0] for variant in results}
    size = -(-len(development) // folds)
    for fold in range(folds):
        test = development[fold * size : (fold + 1) * size]
        train = development[: fold * size] + development[(fold + 1) * size :] + other + added
        started = time.perf_counter()
        model = _model(train, epochs, cache / f"fold{fold + 1}of{folds}-{tag}" if cache else None)
        print(f"fold {fold + 1}/{folds}: train {len(train)}, test {len(test)}, "
              f"model ready in {time.perf_counter() - started:.0f} s", flush=True)
        pipelines = {"rules": rules, "combined": embedded_pipeline("de", kb, model)[0]}
        _accumulate(pipelines, test, results, speed)
    _print(f"cross-validation, {folds} folds (counts summed over folds)", results, speed)
    if held_out or save is not None:
        model = _model(development + other + added, epochs, cache / f"final-{tag}" if cache else None)
        if held_out:
            results = {variant: {k: [0, 0, 0] for k in (*TYPES, "ALL")} for variant in ("rules", "combined")}
            speed = {variant: [0, 0.0] for variant in results}
            _accumulate({"rules": rules, "combined": embedded_pipeline("de", kb, model)[0]}, held, results, speed)
            _print(f"held-out news sentences ({len(held)})", results, speed)
        if save is not None:
            _save(model, save, extra)


def _accumulate(pipelines: dict, test: list[GoldSentence], results: dict, speed: dict) -> None:
    for variant, nlp in pipelines.items():
        counts, words, seconds = score(nlp, test)
        for kind, (g, p, t) in counts.items():
            results[variant][kind] = [a + b for a, b in zip(results[variant][kind], (g, p, t), strict=True)]
        speed[variant][0] += words
        speed[variant][1] += seconds


def _print(title: str, results: dict, speed: dict) -> None:
    for variant, rows in results.items():
        words, seconds = speed[variant]
        print(f"\n{variant} — {title}; {words / seconds:,.0f} words/s")
        print(f"  {'type':<6}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}")
        for kind, (g, p, t) in rows.items():
            precision, recall, f1 = prf(g, p, t)
            print(f"  {kind:<6}{g:>6}{p:>6}{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}")


def _save(model: Language, path: Path, extra: Sequence[str]) -> None:
    sources = ["germeval", *extra]
    meta = {
        "name": "de_newsflow_ner",
        "version": "1.1.0",
        "description": "Trained by newsflow (bench/ner_cv.py) on: " + "; ".join(ATTRIBUTION[s] for s in sources) + ".",
        "sources": [{"name": s, "attribution": ATTRIBUTION[s]} for s in sources],
        "license": "CC BY 4.0",
    }
    save_model(model, path, meta)
    print(f"saved {path} (trained on {', '.join(sources)})")
