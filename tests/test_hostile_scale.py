"""Hostile inputs at scale: 1,000 good German articles and 1,000 broken files through the real flow.

The good articles are real derStandard.at texts from the shared 10kGNAD corpus
(`tests.conftest.GNAD_CSV`), written as single .txt, .html and .json files. The
broken ones are twenty kinds of what an inbox really receives (garbage bytes,
empty files, a file over `limits.max_file_bytes`, zip and gzip bombs, truncated
and nested compression, broken JSON, JSON Lines, CSV and HTML, mis-encoded
text, documents that are not text, links that lead nowhere), fifty of each.
Every good article must be loaded, every broken file quarantined with the
reason and stage of its kind, in `rejects` and in the run's counts; a rerun
reads nothing it read before.

To keep CI time down the flow runs with a fast configuration: German only (no
language identification: the corpus is German) and the embedded German
pipeline of KB and rules without newsflow's trained NER model
(`nlp.ner_models_dir = ""`). Readers, limits, quarantine, ledger and loading
are the same as in the default configuration; only the NLP is lighter.
"""

import csv
import gzip
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
import pytest

from newsflow.settings import load_settings
from tests.conftest import GNAD_CSV
from tests.ingest_builders import news_page, zip_bomb, zip_bytes
from tests.test_properties import warehouse_tables
from transforms.discover import LEDGER_SCHEMA, discover_files, plan_changes
from transforms.ingest import read_inputs


GOOD_ARTICLES = 1000
PER_KIND = 50
FAST_CONFIG = """
[language]
languages = ["de"]
default = "de"

[nlp]
ner_models_dir = ""
"""
MAX_FILE_BYTES = load_settings().limits.max_file_bytes  # the configured limit: the fast config keeps it
BOMB_BYTES = 20_000_000  # zeros: ~20 KB compressed, stopped by the ratio check after ~4 MB


@cache
def gnad_texts() -> tuple[str, ...]:
    with GNAD_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(row[1] for row in csv.reader(handle, delimiter=";", quotechar="'"))


@cache
def bombs() -> tuple[bytes, bytes]:
    return zip_bomb(BOMB_BYTES), gzip.compress(bytes(BOMB_BYTES), compresslevel=9)


def _text(n: int) -> str:
    texts = gnad_texts()
    return texts[(n * 7) % len(texts)]


def _garbage(n: int) -> bytes:
    rng = random.Random(n)
    noise = bytes(rng.randrange(256) for _ in range(2048))
    if n % 2:  # controls without NUL: valid UTF-8, but no text
        return ("Meldung " + "\x01\x02\x03\x04\x05" * 40).encode()
    return noise[:100] + b"\x00" + noise[100:]


def _misencoded(n: int) -> bytes:
    """German text in cp1252 with bytes that are undefined there and invalid as UTF-8."""
    raw = _text(n).encode("cp1252", errors="replace")
    middle = len(raw) // 2
    return raw[:middle] + b"\x81\x8d\x90\x9d" + raw[middle:]


def _bad_utf16(n: int) -> bytes:
    """A UTF-16 BOM, then text, then a lone high surrogate."""
    return b"\xff\xfe" + _text(n)[:200].encode("utf-16-le") + b"\x00\xd8A\x00"


def _truncated_gzip(n: int) -> bytes:
    data = gzip.compress(_text(n).encode(), mtime=0)
    return data[: len(data) // 2]


def _nested_gzip(n: int) -> bytes:
    data = _text(n).encode()
    for _ in range(5):  # limits.max_archive_depth is 4
        data = gzip.compress(data, mtime=0)
    return data


def _not_text(n: int) -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", b"\x89PNG\r\n\x1a\n" + bytes(64))[n % 2]


def _broken_jsonl(n: int) -> bytes:
    return (
        f'{{"title": "Meldung {n}", "text": "Der Gipfel\n'  # an unterminated string
        '{"title": 1,, "text": "x"}\n'
        f'[1, 2, {n}\n'
    ).encode()


@dataclass(frozen=True)
class Kind:
    """One kind of broken file: how to write it and what newsflow must say about it."""

    suffix: str
    build: Callable[[int], bytes] | None  # None: written specially (sparse file, link)
    reason: str
    stage: str
    rejects_per_file: int = 1


BROKEN: dict[str, Kind] = {
    "garbage": Kind(".txt", _garbage, "binary", "decode"),
    "empty": Kind(".txt", lambda n: b"", "empty", "decode"),
    "blank": Kind(".md", lambda n: b" \n\t\r\n" * (n % 5 + 1), "empty", "decode"),
    "huge": Kind(".txt", None, "too_large", "read"),
    "zip_bomb": Kind(".zip", lambda n: bombs()[0], "compression_ratio", "unpack"),
    "gzip_bomb": Kind(".txt.gz", lambda n: bombs()[1], "compression_ratio", "unpack"),
    "truncated_gzip": Kind(".txt.gz", _truncated_gzip, "corrupt_archive", "unpack"),  # fmt: skip
    "corrupt_zip": Kind(".zip", lambda n: zip_bytes({"a.txt": _text(n).encode()})[:-60], "corrupt_archive", "unpack"),
    "nested_gzip": Kind(".txt.gz", _nested_gzip, "archive_too_deep", "unpack"),
    "broken_json": Kind(".json", lambda n: json.dumps({"title": "Gipfel", "text": _text(n)}).encode()[:-30], "invalid_json", "parse"),  # fmt: skip
    "broken_jsonl": Kind(".jsonl", _broken_jsonl, "invalid_json", "parse", rejects_per_file=3),
    "deep_json": Kind(".json", lambda n: b"[" * (70 + n) + b"]" * (70 + n), "json_too_deep", "parse"),
    "json_without_text": Kind(".json", lambda n: json.dumps({"title": f"Gipfel {n}", "views": n}).encode(), "no_text", "parse"),  # fmt: skip
    "broken_csv": Kind(".csv", lambda n: f'text,title\n"{_text(n)[:80]},Meldung {n}\n'.encode(), "invalid_csv", "parse"),  # fmt: skip
    "html_without_body": Kind(".html", lambda n: f"<html><head><title>Meldung {n}</title></head><body></body></html>".encode(), "no_text", "parse"),  # fmt: skip
    "tag_soup": Kind(".html", lambda n: f"<html><body><div><p>Kurz {n}<div></p></span><<>>".encode(), "text_too_short", "normalize"),  # fmt: skip
    "misencoded": Kind(".txt", _misencoded, "undecodable", "decode"),
    "bad_utf16": Kind(".txt", _bad_utf16, "undecodable", "decode"),
    "not_text": Kind(".html", _not_text, "unsupported_format", "read"),
    "dead_link": Kind(".txt", None, "unreadable", "read"),
}


def write_inbox(inbox: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The mixed inbox: (good path -> format, broken path -> kind).

    Names start with a shuffled number, so every batch mixes good and broken files.
    """
    inbox.mkdir()
    total = GOOD_ARTICLES + len(BROKEN) * PER_KIND
    order = iter(random.Random(2019).sample(range(total), total))
    good: dict[str, str] = {}
    for n in range(GOOD_ARTICLES):
        text, fmt = gnad_texts()[n], ("txt", "html", "json")[n % 3]
        path = inbox / f"{next(order):04d}_good.{fmt}"
        if fmt == "txt":
            path.write_text(text + "\n", encoding="utf-8")
        elif fmt == "html":
            paragraphs = [part.strip() + "." for part in text.split(". ") if part.strip()]
            path.write_bytes(news_page(f"Meldung {n}", paragraphs))
        else:
            path.write_text(json.dumps({"title": f"Meldung {n}", "text": text}, ensure_ascii=False), encoding="utf-8")
        good[str(path)] = fmt
    broken: dict[str, str] = {}
    for name, kind in BROKEN.items():
        for n in range(PER_KIND):
            path = inbox / f"{next(order):04d}_{name}{kind.suffix}"
            if name == "huge":
                with path.open("wb") as handle:  # sparse: over the limit without using the disk
                    handle.truncate(MAX_FILE_BYTES + 1 + n)
            elif name == "dead_link":  # a link to itself (a loop) or to nothing
                path.symlink_to(path.name if n % 2 else f"gone/{path.name}")
            else:
                path.write_bytes(kind.build(n))
            broken[str(path)] = name
    assert len(good) == GOOD_ARTICLES and len(broken) == len(BROKEN) * PER_KIND == 1000
    return good, broken


def warehouse_rows(db_path: Path) -> dict[str, list]:
    """Every table's rows, without the run that wrote them."""
    return warehouse_tables(db_path, skip_tables=frozenset({"runs"}), skip_columns=frozenset({"run_id"}))


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.usefixtures("prefect_harness")
def test_thousand_good_and_thousand_broken_files(tmp_path, db_path):
    if not GNAD_CSV.exists():
        pytest.skip(f"shared corpus absent: {GNAD_CSV}")
    from flows.build_corpus import build_corpus

    good, broken = write_inbox(tmp_path / "inbox")
    config = tmp_path / "fast.toml"
    config.write_text(FAST_CONFIG)

    began = time.perf_counter()
    result = build_corpus(paths=[str(tmp_path / "inbox")], db=str(db_path), config=str(config))
    first_seconds = time.perf_counter() - began

    expected_reasons = Counter()
    for name in broken.values():
        expected_reasons[BROKEN[name].reason] += BROKEN[name].rejects_per_file
    total_rejects = sum(expected_reasons.values())
    assert result["files_seen"] == result["files_changed"] == 2000
    assert (result["articles"], result["rejects"]) == (GOOD_ARTICLES, total_rejects)

    with duckdb.connect(str(db_path), read_only=True) as con:
        # every good file gave exactly its one German article
        loaded = dict(con.execute("select source_path, count(*) from articles group by all").fetchall())
        assert loaded == dict.fromkeys(good, 1)
        formats = Counter(dict(con.execute("select format, count(*) from articles group by all").fetchall()))
        assert formats == Counter(good.values())
        assert con.execute("select count(*) from articles where language <> 'de' or n_words < 5").fetchone()[0] == 0
        # every broken file is quarantined with its kind's reason and stage, nothing else is
        rejects = con.execute("select path, item, stage, reason from rejects").fetchall()
        assert Counter(reason for *_, reason in rejects) == expected_reasons
        by_path = Counter((path, stage, reason) for path, _, stage, reason in rejects)
        expected_paths = {(path, BROKEN[name].stage, BROKEN[name].reason): name for path, name in broken.items()}
        assert by_path == Counter({key: BROKEN[name].rejects_per_file for key, name in expected_paths.items()})
        # the ledger agrees, file by file
        statuses = dict(con.execute("select path, status from files where container is null").fetchall())
        assert statuses == {**dict.fromkeys(good, "loaded"), **dict.fromkeys(broken, "rejected")}
        run = con.execute("select status, articles, rejects, files_changed from runs").fetchone()
        assert run == ("completed", GOOD_ARTICLES, total_rejects, 2000)
        by_reason = con.execute("select reason, count(*) from rejects where run_id = ? group by 1", [result["run_id"]])
        assert Counter(dict(by_reason.fetchall())) == expected_reasons  # what the run report shows
        # mentions of the good articles were found and point into their text
        assert con.execute("select count(distinct article_id) from mentions").fetchone()[0] > GOOD_ARTICLES // 2
        misaligned = con.execute(
            "select count(*) from mentions m join articles a using (article_id)"
            " where substr(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.text"
        ).fetchone()[0]
        assert misaligned == 0

    before = warehouse_rows(db_path)
    again = build_corpus(paths=[str(tmp_path / "inbox")], db=str(db_path), config=str(config))
    # Nothing read before is read again. Links that lead nowhere were never read, so they are
    # tried again (their target may have appeared) and quarantined again, exactly as before.
    dead_links = [path for path, name in broken.items() if name == "dead_link"]
    assert (again["files_seen"], again["articles"]) == (2000, 0)
    assert (again["files_changed"], again["rejects"]) == (len(dead_links), len(dead_links))
    assert warehouse_rows(db_path) == before
    print(f"hostile inbox: first run {first_seconds:.1f} s, rerun {again['seconds']:.1f} s")


def test_links_that_lead_nowhere_are_quarantined_not_dropped_and_do_not_stop_discovery(tmp_path):
    """A link loop made discovery raise (RuntimeError from Path.resolve) and the whole run fail."""
    (tmp_path / "story.txt").write_text("Der Gipfel in Hanoi endete ohne eine gemeinsame Erklärung der beiden Seiten.")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "ping.txt").symlink_to("pong.txt")
    (tmp_path / "pong.txt").symlink_to("ping.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "unmounted" / "gone.txt")
    found = discover_files([tmp_path], ["**/*.txt"], [])
    assert sorted(Path(p).name for p in found["path"]) == ["gone.txt", "loop.txt", "ping.txt", "pong.txt", "story.txt"]
    read = read_inputs(found.with_columns(known_hash=pl.lit(None, pl.String)))
    assert read.articles["source_path"].to_list() == [str(tmp_path / "story.txt")]
    details = {Path(path).name: (reason, detail) for path, _, _, reason, detail in read.rejects.iter_rows()}
    assert {name: reason for name, (reason, _) in details.items()} == dict.fromkeys(
        ["gone.txt", "loop.txt", "ping.txt", "pong.txt"], "unreadable"
    )
    assert "symbolic links" in details["loop.txt"][1] and "No such file" in details["gone.txt"][1]


def test_a_file_still_over_the_size_limit_is_not_read_again():
    """Retry only what can succeed: a quarantined file over the limit with the same size and mtime
    stays quarantined; a changed file, a raised limit or an unreadable file is tried again."""
    ledger = pl.DataFrame(
        {"path": ["/huge", "/grown", "/limit", "/eio"], "size": [900, 900, 900, 10], "mtime_ns": [1, 1, 1, 1],
         "content_hash": ["", "", "", ""]},
        schema=LEDGER_SCHEMA,
    )  # fmt: skip
    found = pl.DataFrame(
        {"path": ["/huge", "/grown", "/limit", "/eio"], "size": [900, 950, 900, 10], "mtime_ns": [1, 2, 1, 1]}
    )
    for trust_mtime in (True, False):
        planned = plan_changes(found, ledger, trust_mtime, max_file_bytes=500)
        assert dict(planned.select("path", "action").iter_rows()) == {
            "/huge": "unchanged", "/grown": "new", "/limit": "unchanged", "/eio": "new",
        }  # fmt: skip
    raised = plan_changes(found, ledger, True, max_file_bytes=1000)
    assert raised.filter(pl.col("path") == "/limit")["action"].item() == "new"
