"""Evaluate a newsflow NER pipeline on a GermEval 2014 / CoNLL-style file.

    python bench/ner_eval.py ../shared/corpora/germeval2014_dev/NER-de-dev.tsv [--models embedded]

Input: `index<TAB>token<TAB>outer<TAB>inner` lines, `#` comment lines, a blank
line between sentences. Only the outer (top-level) BIO tags are scored; OTH is
scored as MISC. GermEval's `deriv` and `part` variants ("deutschen" LOCderiv,
"Nordkorea-Experten" LOCpart) are not entity mentions for newsflow: those gold
spans are removed, and a prediction on exactly such a span counts neither as
right nor as wrong. The gold tokenization is kept (each sentence becomes a
`Doc` built from its tokens), so spans compare by token index, exactly.
Prints precision, recall and F1 per type and overall, and words per second of
the pipeline alone. The data stays where it is: nothing is copied.
"""

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from transforms.nlp.extract import LABELS  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import build_pipeline  # noqa: E402

GOLD_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}
TYPES = ("PER", "LOC", "ORG", "MISC")
Span = tuple[int, int, int, str]  # sentence, start token, end token, type


def read_germeval(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, outer tags) per sentence."""
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        fields = line.split("\t")
        tokens.append(fields[1])
        tags.append(fields[2])
    if tokens:
        yield tokens, tags


def bio_spans(sentence: int, tags: list[str]) -> tuple[set[Span], set[Span]]:
    """(scored spans, ignored deriv/part spans) of one sentence's BIO tags."""
    scored: set[Span] = set()
    ignored: set[Span] = set()
    start, kind = None, ""
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            base = kind.removesuffix("deriv").removesuffix("part")
            span = (sentence, start, i, GOLD_TYPES.get(base, base))
            (scored if base == kind else ignored).add(span)
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return scored, ignored


def evaluate(path: Path, lang: str, models: list[str], kb_dir: Path, limit: int | None) -> int:
    nlp, description = build_pipeline(lang, models, "fail", load_kb(kb_dir))
    sentences = list(read_germeval(path))[:limit]
    gold: set[Span] = set()
    ignored: set[Span] = set()
    for index, (_, tags) in enumerate(sentences):
        scored, skipped = bio_spans(index, tags)
        gold |= scored
        ignored |= skipped
    docs = [Doc(nlp.vocab, words=tokens) for tokens, _ in sentences]
    started = time.perf_counter()
    predicted = {
        (index, ent.start, ent.end, LABELS[ent.label_])
        for index, doc in enumerate(nlp.pipe(docs, batch_size=256))
        for ent in doc.ents
        if ent.label_ in LABELS
    } - ignored
    seconds = time.perf_counter() - started
    words = sum(len(tokens) for tokens, _ in sentences)
    print(f"{path.name}: {len(sentences)} sentences, {words} words, pipeline {description}")
    print(f"{'type':<6}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in (*TYPES, "ALL"):
        g = {s for s in gold if kind in ("ALL", s[3])}
        p = {s for s in predicted if kind in ("ALL", s[3])}
        true = len(g & p)
        precision = true / len(p) if p else 0.0
        recall = true / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{kind:<6}{len(g):>7}{len(p):>7}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    print(f"ignored deriv/part gold spans: {len(ignored)}; label confusions: {_confusions(gold, predicted)}")
    print(f"throughput: {words / seconds:,.0f} words/s ({seconds:.2f} s)")
    return 0


def _confusions(gold: set[Span], predicted: set[Span]) -> dict[str, int]:
    by_position = {s[:3]: s[3] for s in gold}
    counts = Counter(
        f"{by_position[s[:3]]}->{s[3]}" for s in predicted if s[:3] in by_position and by_position[s[:3]] != s[3]
    )
    return dict(counts.most_common(5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="GermEval 2014 / CoNLL-style TSV file")
    parser.add_argument("--lang", default="de")
    parser.add_argument("--models", nargs="+", default=["embedded"], help="spaCy packages or 'embedded'")
    parser.add_argument("--kb", type=Path, default=PROJECT_DIR / "configs" / "kb")
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} is not a file: pass a GermEval TSV file", file=sys.stderr)
        return 2
    return evaluate(args.file, args.lang, args.models, args.kb, args.limit)


if __name__ == "__main__":
    sys.exit(main())
