"""The quote gold sets (bench/gold/quotes_*.jsonl) with pinned minimum scores.

Lower a minimum only on purpose, with the reason in the commit message."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[1] / "bench" / "quote_eval.py"
# language: (exact span F1, overlap span F1, speaker accuracy of matched quotes)
MINIMUM = {"de": (0.95, 0.95, 0.95), "en": (0.95, 0.95, 0.95), "fr": (0.95, 0.95, 0.95)}


@pytest.fixture(scope="module")
def results():
    spec = importlib.util.spec_from_file_location("quote_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, module.evaluate()


@pytest.mark.parametrize("language", sorted(MINIMUM))
def test_gold_scores_stay_above_their_minimum(results, language):
    _, scores = results
    s = scores[language]
    exact, overlap, speaker = MINIMUM[language]
    assert s.gold >= 10
    assert s.f1(s.exact)[2] >= exact
    assert s.f1(s.overlap)[2] >= overlap
    assert s.speaker_right / s.overlap >= speaker


def test_gold_spans_must_be_in_the_text(results, tmp_path):
    module, _ = results
    bad = tmp_path / "quotes_de.jsonl"
    bad.write_text(
        '{"id": "x", "language": "de", "text": "Er sagte: „Ja.“", "quotes": [{"kind": "direct", "text": "Nein.", "speaker": null}]}\n'
    )
    with pytest.raises(ValueError, match="Nein"):
        module.read_gold(bad)
