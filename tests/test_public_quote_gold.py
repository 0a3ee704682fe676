"""The public quote gold readers (bench/public_quote_gold.py): texts stay in ../shared, offsets and
fingerprints in the repository, a fifth of the German gold held back, PolNeAR's test split refused."""

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import GNAD_CSV

BENCH = Path(__file__).resolve().parents[1] / "bench"
GOLD = BENCH / "gold" / "quotes_de_gnad.jsonl"


@pytest.fixture(scope="module")
def public():
    spec = importlib.util.spec_from_file_location("public_quote_gold", BENCH / "public_quote_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_german_gold_holds_no_text_and_keeps_a_fifth_back():
    entries = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(entries) >= 100
    assert len({e["row"] for e in entries}) == len(entries)
    held = [e for e in entries if e["part"] == "heldout"]
    assert len(held) == len(entries) // 5
    for entry in entries:
        assert set(entry) == {"row", "part", "quotes"}
        for quote in entry["quotes"]:
            assert set(quote) <= {"kind", "start", "end", "check", "speaker_start", "speaker_end"}


@pytest.mark.skipif(not GNAD_CSV.exists(), reason="10kGNAD test split not in ../shared/corpora")
def test_the_german_gold_spans_still_match_the_corpus(public):
    documents = public.german_documents(GOLD, "all")
    assert sum(len(d["quotes"]) for d in documents) >= 300
    assert {q["kind"] for d in documents for q in d["quotes"]} == {"direct", "indirect"}


@pytest.mark.skipif(not GNAD_CSV.exists(), reason="10kGNAD test split not in ../shared/corpora")
def test_a_changed_span_is_refused(public, tmp_path):
    entry = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    entry["quotes"][0]["check"] = "00000000"
    changed = tmp_path / "gold.jsonl"
    changed.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has changed"):
        public.german_documents(changed, "all")


def test_polnear_test_split_is_never_read(public):
    with pytest.raises(ValueError, match="train and dev"):
        public.polnear_documents("test")
