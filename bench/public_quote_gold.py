"""Public quote gold that newsflow never wrote: PolNeAR (English) and the German gold over 10kGNAD.

Neither corpus may be copied into the repository, so both are read from
`../shared/corpora` at evaluation time:

* PolNeAR (Newell, Margolin, Ruths, LREC 2018; `polnear_train_dev/<split>/`):
  brat `.ann` attributions (Source, Cue, Content) of English political news;
  one annotator's file per article (the first by name). Attribution is
  broader than speech, so each relation is marked `speech` when its cue
  contains a speech word (`SPEECH_CUE_WORDS`: say, tell, add, according to …).
* German (`bench/gold/quotes_de_gnad.jsonl`, guidelines in
  `bench/gold/QUOTES_DE_GUIDELINES.md`): article row numbers of
  `gnad10k_test/test.csv` with character offsets of each quote and its speaker
  and an 8-hex fingerprint of the quoted words (no text), split `tune` /
  `heldout`.

A gold quote here: {"kind": direct|indirect, "span": (start, end), "source": text or None, "speech": bool}.
"""

import csv
import hashlib
import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
POLNEAR = SHARED / "polnear_train_dev"
GNAD_CSV = SHARED / "gnad10k_test" / "test.csv"
QUOTE_MARKS = "\"“”„«»'‘’‚"
SPEECH_CUE_WORDS = frozenset(
    "say says said saying tell tells told telling add adds added adding according claim claims claimed claiming "
    "argue argues argued arguing insist insists insisted state states stated explain explained explains write "
    "wrote writes writing tweet tweeted tweets note noted notes ask asked asks announce announced warn warned "
    "reply replied respond responded declare declared stress stressed acknowledge acknowledged confirm confirmed "
    "promise promised continue continued".split()
)


def polnear_documents(split: str = "dev") -> list[dict]:
    """[{"id", "language", "text", "quotes"}] of a PolNeAR split (never "test")."""
    if split not in {"train", "dev"}:
        raise ValueError("PolNeAR: only the train and dev splits may be used")
    directory = POLNEAR / split
    by_article: dict[str, Path] = {}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        by_article.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    documents = []
    for name, ann in sorted(by_article.items()):
        text = (directory / "text" / f"{name}.txt").read_text(encoding="utf-8")
        documents.append({"id": name, "language": "en", "text": text, "quotes": _brat_quotes(ann, text)})
    return documents


def _brat_quotes(path: Path, text: str) -> list[dict]:
    spans: dict[str, tuple[str, int, int]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, *offsets = parts[1].replace(";", " ").split()
            numbers = [int(o) for o in offsets]
            spans[parts[0]] = (label, min(numbers), max(numbers))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    quotes = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None:
            continue
        cue = spans.get(relation.get("Cue", ""))
        source = spans.get(relation.get("Source", ""))
        cue_text = text[cue[1] : cue[2]].lower() if cue else ""
        span = trim(text, content[1], content[2])
        quotes.append(
            {
                "kind": "direct" if _fully_quoted(text, *span) else "indirect",
                "span": span,
                "source": text[source[1] : source[2]] if source else None,
                "speech": bool(set(cue_text.replace(":", " ").split()) & SPEECH_CUE_WORDS),
            }
        )
    return quotes


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Content without surrounding spaces, punctuation, quote marks and a leading "that" (exact-match basis)."""
    strip = " \n\t.,;:!?" + QUOTE_MARKS
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if text[start : start + 5].lower() == "that " or text[start : start + 4].lower() == "daß " :
        start += 5 if text[start : start + 5].lower() == "that " else 4
    if text[start : start + 5].lower() == "dass ":
        start += 5
    return start, end


def _fully_quoted(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 3]
    return any(c in QUOTE_MARKS for c in before) and any(c in QUOTE_MARKS for c in after)


def gnad_texts() -> list[str]:
    with GNAD_CSV.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'")]


def fingerprint(words: str) -> str:
    return hashlib.blake2b(words.encode(), digest_size=4).hexdigest()


def german_documents(gold: Path, part: str) -> list[dict]:
    """The German gold articles of `part` ("tune", "heldout" or "all"), texts read from 10kGNAD."""
    texts = gnad_texts()
    documents = []
    for number, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        if part != "all" and entry["part"] != part:
            continue
        text = texts[entry["row"]]
        quotes = []
        for q in entry["quotes"]:
            words = text[q["start"] : q["end"]]
            if fingerprint(words) != q["check"]:
                raise ValueError(f"{gold}:{number}: the span {q['start']}-{q['end']} of row {entry['row']} has changed")
            source = text[q["speaker_start"] : q["speaker_end"]] if q.get("speaker_start") is not None else None
            quotes.append({"kind": q["kind"], "span": (q["start"], q["end"]), "source": source, "speech": True})
        documents.append({"id": f"gnad-{entry['row']}", "language": "de", "text": text, "quotes": quotes})
    return documents
