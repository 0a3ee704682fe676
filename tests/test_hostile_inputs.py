"""Issue #15: no single input stops or stalls a run, and memory does not grow with one file's items.

Every input that once killed or stalled a whole run (a non-UTF-8 file name, a
latin-1 tar member, surrogate character references and escapes, a 5,000-digit
JSON number, a `<meta charset>` naming a non-text codec, a 1.19 M-character
text, a file "a.zip!m.txt" beside a.zip, a header line of 200,000 spaces, a
10 MB JSON array of 5 M items, a symlink out of the inbox) sits next to good
articles; `newsflow run` runs in its own process, so its peak memory is its own.
"""

import os
import resource
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.hostile_inputs import NOT_TEXT_CODECS, write_hostile_inbox
from tests.test_hostile_scale import FAST_CONFIG  # German only, no trained NER model: readers and limits as usual
PEAK_RSS_LIMIT_MB = 2048


def _stored(path: bytes) -> str:
    """A path as the warehouse stores it: non-UTF-8 bytes as \\xNN, "a.zip!m" beside a.zip with \\x21."""
    text = path.decode("utf-8", "backslashreplace")
    return text.replace("a.zip!m.txt", "a.zip\\x21m.txt")


def test_hostile_inputs_beside_good_articles(tmp_path):
    inbox = tmp_path / "inbox"
    expected = write_hostile_inbox(inbox)
    config = tmp_path / "fast.toml"
    config.write_text(FAST_CONFIG)
    db = tmp_path / "w.duckdb"
    command = [sys.executable, "-m", "newsflow.cli", "run", str(inbox), "--db", str(db), "--config", str(config), "--no-progress"]
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr[-3000:]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the run: {peak_mb:.0f} MB")
    assert peak_mb < PEAK_RSS_LIMIT_MB

    with duckdb.connect(str(db), read_only=True) as con:
        loaded = {row[0] for row in con.execute("select source_path from articles").fetchall()}
        reasons: dict[str, set[str]] = {}
        for path, reason in con.execute("select path, reason from rejects").fetchall():
            reasons.setdefault(path.split("!")[0] if "!" in path and not path.endswith("m.txt") else path, set()).add(reason)
        status = dict(con.execute("select path, status from files").fetchall())

    good = [p for p, r in expected.items() if not r]
    for path in good:  # every good or legitimately readable input loaded (an archive through its member)
        name = _stored(path)
        assert name in loaded or any(source.startswith(name + "!") for source in loaded), name
    for path, wanted in expected.items():  # every bad one accounted for with its reason
        name = _stored(path)
        assert wanted <= reasons.get(name, set()), (name, reasons.get(name))
        assert name in status, name
    assert {_stored(p) for p in expected} >= {p for p in status if "!" not in p or "\\x21" in p}
    for codec in NOT_TEXT_CODECS:  # a non-text charset is ignored: the page is read as what it is
        assert str(inbox / f"charset-{codec}.html") in loaded
    huge = str(inbox / "huge.txt")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select max(n_chars) from articles").fetchone()[0] <= 100_000
        items = con.execute(
            "select count(*), max(detail) filter (where reason = 'too_many_items') from rejects where path like '%many-items.json'"
        ).fetchone()
    assert items[0] <= 102 and "4990000 item(s)" in items[1]  # 100 listed, one more_rejects, one too_many_items
    assert huge in loaded
    assert str(inbox.parent / "outside-secret.txt") not in loaded

    def counts() -> tuple:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("select (select count(*) from articles), (select count(*) from rejects), (select count(*) from files)").fetchone()

    first = counts()
    again = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=Path(__file__).parents[1])
    assert again.returncode == 0, again.stderr[-3000:]
    assert counts() == first  # a rerun quarantines the never-read inputs again, replacing their rows
