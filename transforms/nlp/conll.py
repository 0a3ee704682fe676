"""GermEval 2014 / CoNLL-style NER files: sentences, BIO spans, spaCy examples.

Input: `index<TAB>token<TAB>outer<TAB>inner` lines, a `#<TAB>url<TAB>[date]`
comment before each sentence, a blank line between sentences. Only the outer
(top-level) tags are used; OTH is MISC. GermEval's `deriv` and `part` variants
("deutschen" LOCderiv, "Nordkorea-Experten" LOCpart) are not entity mentions
for newsflow: they are returned apart so that scoring can ignore them and
training can treat them as "no entity".
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

GOLD_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}
TYPES = ("PER", "LOC", "ORG", "MISC")
TokenSpan = tuple[int, int, str]  # start token, end token, type


@dataclass(frozen=True)
class GoldSentence:
    tokens: list[str]
    tags: list[str]  # outer BIO tags as in the file
    source: str  # the URL of the comment line ("" when absent)

    @property
    def is_news(self) -> bool:
        """GermEval's README: sentences not from wikipedia.org are news text."""
        return bool(self.source) and "wikipedia.org" not in self.source


def read_germeval(path: Path) -> Iterator[GoldSentence]:
    """Every sentence of `path` with its outer tags and source URL."""
    tokens: list[str] = []
    tags: list[str] = []
    source = ""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            fields = line[1:].split()
            source = fields[0] if fields else ""
            continue
        if not line.strip():
            if tokens:
                yield GoldSentence(tokens, tags, source)
            tokens, tags, source = [], [], ""
            continue
        fields = line.split("\t")
        tokens.append(fields[1])
        tags.append(fields[2] if len(fields) > 2 else "O")
    if tokens:
        yield GoldSentence(tokens, tags, source)


# Labels of the other gold sets (`../shared/corpora/ner_extra`) onto newsflow's
# types: LER's fine-grained legal labels, Europeana's odd-case variants; a
# label mapped to None is no entity (laws, rulings, literature).
COLUMN_LABELS = {
    "PER": "PER", "RR": "PER", "AN": "PER",
    "LOC": "LOC", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
    "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "EUN": "ORG", "MRK": "ORG",
    "MISC": "MISC", "OTH": "MISC",
    "GS": None, "VO": None, "VS": None, "VT": None, "RS": None, "LIT": None,
}  # fmt: skip
SENTENCE_END = (".", "!", "?")


def read_columns(path: Path, split_long: int = 0) -> Iterator[GoldSentence]:
    """Sentences of a `token<TAB or space>label` file (CoNLL-2002 style, IOB or IOB2).

    Labels are mapped by COLUMN_LABELS (case-insensitively; unknown labels are
    no entity) and returned as IOB2 tags. With `split_long`, a sentence longer
    than that many tokens is also split after sentence-final punctuation, and
    at twice that many anyway (Europeana has no sentence breaks, and OCR
    loses many full stops).
    """
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        fields = line.split()
        if len(fields) >= 2:
            tokens.append(fields[0])
            tags.append(_column_tag(fields[-1], tags[-1] if tags else "O"))
        ends = bool(tokens) and tokens[-1] in SENTENCE_END
        if tokens and (not fields or (split_long and len(tokens) >= split_long * (1 if ends else 2))):
            yield GoldSentence(tokens, tags, "")
            tokens, tags = [], []


def read_gold(path: Path) -> Iterator[GoldSentence]:
    """GermEval (`index<TAB>token<TAB>outer…`) or two-column file, told apart by the first token line."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.strip() and not line.startswith("#"):
            reader = read_germeval if len(fields) >= 3 and fields[0].isdigit() else read_columns
            return reader(path)
    return iter(())


def _column_tag(label: str, previous: str) -> str:
    """IOB2 tag of one column label: "I-X" after no X starts a span; unknown types are "O"."""
    prefix, _, kind = label.upper().partition("-")
    kind = COLUMN_LABELS.get(kind)
    if prefix not in ("B", "I") or kind is None:
        return "O"
    return f"I-{kind}" if prefix == "I" and previous[2:] == kind else f"B-{kind}"


def bio_spans(tags: list[str]) -> tuple[set[TokenSpan], set[TokenSpan]]:
    """(scored spans, ignored deriv/part spans) of one sentence's BIO tags."""
    scored: set[TokenSpan] = set()
    ignored: set[TokenSpan] = set()
    start, kind = None, ""
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            base = kind.removesuffix("deriv").removesuffix("part")
            span = (start, i, GOLD_TYPES.get(base, base))
            (scored if base == kind else ignored).add(span)
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return scored, ignored


def gold_example(vocab: Vocab, sentence: GoldSentence) -> Example:
    """A training example: the sentence's tokens with its scored spans; everything else is "O"."""
    predicted = Doc(vocab, words=sentence.tokens)
    reference = Doc(vocab, words=sentence.tokens)
    scored, _ = bio_spans(sentence.tags)
    reference.set_ents([Span(reference, s, e, label=t) for s, e, t in sorted(scored)], default="outside")
    return Example(predicted, reference)


Counts = dict[str, tuple[int, int, int]]  # type -> (gold, predicted, true positives)


def count_matches(gold: set[tuple], predicted: set[tuple]) -> Counts:
    """Exact-span counts per type and "ALL"; the type is the last element of each span tuple."""
    counts: Counts = {}
    for kind in (*TYPES, "ALL"):
        g = {s for s in gold if kind in ("ALL", s[-1])}
        p = {s for s in predicted if kind in ("ALL", s[-1])}
        counts[kind] = (len(g), len(p), len(g & p))
    return counts


def prf(gold: int, predicted: int, true: int) -> tuple[float, float, float]:
    precision = true / predicted if predicted else 0.0
    recall = true / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
