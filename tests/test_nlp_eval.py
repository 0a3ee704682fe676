"""bench/ner_eval.py: GermEval reading, span scoring and the command line."""

from pathlib import Path

from bench.ner_eval import bio_spans, main, read_germeval

GERMEVAL = """# http://example.org/a\t[2019-02-27]
1\tUS-Präsident\tO\tO
2\tDonald\tB-PER\tO
3\tTrump\tI-PER\tO
4\ttraf\tO\tO
5\tNordkorea-Experten\tB-LOCpart\tO
6\tin\tO\tO
7\tHanoi\tB-LOC\tO
8\t.\tO\tO

# http://example.org/b\t[2019-02-28]
1\tDie\tO\tO
2\tnordkoreanische\tB-LOCderiv\tO
3\tNachrichtenagentur\tO\tO
4\tKCNA\tB-ORG\tO
5\tmeldete\tO\tO
6\tden\tO\tO
7\tKoreakrieg\tB-OTH\tO
8\t.\tO\tO
"""


def test_read_germeval_skips_comments_and_splits_sentences(tmp_path: Path):
    path = tmp_path / "dev.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    sentences = list(read_germeval(path))
    assert [len(tokens) for tokens, _ in sentences] == [8, 8]
    assert sentences[0][1][1:3] == ["B-PER", "I-PER"]


def test_bio_spans_map_oth_and_set_deriv_and_part_aside():
    scored, ignored = bio_spans(0, ["O", "B-PER", "I-PER", "B-LOCpart", "B-OTH", "I-OTH", "B-LOCderiv"])
    assert scored == {(0, 1, 3, "PER"), (0, 4, 6, "MISC")}
    assert ignored == {(0, 3, 4, "LOC"), (0, 6, 7, "LOC")}


def test_command_prints_scores_per_type(tmp_path: Path, capsys):
    path = tmp_path / "dev.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:7]}
    assert rows["ALL"] == ["4", "4", "1.000", "1.000", "1.000"]  # Donald Trump, Hanoi, KCNA, Koreakrieg
    assert rows["MISC"] == ["1", "1", "1.000", "1.000", "1.000"]
    assert "words/s" in out


def test_command_rejects_a_missing_file(tmp_path: Path, capsys):
    assert main([str(tmp_path / "missing.tsv")]) == 2
    assert "is not a file" in capsys.readouterr().err
