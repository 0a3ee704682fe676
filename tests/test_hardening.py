"""Issue #15: what one input, one link, one lock file or one bug can no longer do to a run or a warehouse."""

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import transforms.ingest as ingest
from newsflow.cli import main
from newsflow.errors import WarehouseError
from tests.analyst_data import build_analyst_warehouse
from tests.hostile_inputs import good_article
from transforms.discover import discover_files
from transforms.ingest import aggregated, read_inputs
from transforms.long_texts import cut_long_texts, cut_text
from transforms.readers import ReadOptions, read_file
from transforms.rejects import Reject, RejectReason
from warehouse.lock import run_in_progress, run_lock
from warehouse.snapshot import snapshot_path

ALL = ["**/*"]


def _planned(*roots: Path, **options) -> pl.DataFrame:
    return discover_files(list(roots), ALL, [], **options).with_columns(known_hash=pl.lit(None, pl.String))


def _reasons(out) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path, reason in out.rejects.select("path", "reason").iter_rows():
        found.setdefault(path, set()).add(reason)
    return found


# -- item 2: one bad input or one bug is one reject ------------------------------------------------


def test_an_unexpected_exception_quarantines_only_its_file_and_is_logged_once(tmp_path, monkeypatch, caplog):
    for name in ("a.txt", "boom.txt", "c.txt"):
        (tmp_path / name).write_text(good_article(len(name)))
    real = ingest.read_file

    def faulty(path, data, options=None, **kwargs):  # a reader bug that only this file triggers
        if path.endswith("boom.txt"):
            raise KeyError("a bug")
        return real(path, data, options, **kwargs)

    monkeypatch.setattr(ingest, "read_file", faulty)
    with caplog.at_level(logging.ERROR, logger="transforms.ingest"):
        out = read_inputs(_planned(tmp_path))
    assert sorted(Path(p).name for p in out.articles["source_path"]) == ["a.txt", "c.txt"]
    (reject,) = out.rejects.to_dicts()
    assert reject["reason"] == "internal_error" and reject["detail"] == "KeyError: 'a bug'"
    assert len([r for r in caplog.records if "boom.txt" in r.getMessage()]) == 1
    hashes = dict(out.files.select("path", "content_hash").iter_rows())
    assert hashes[str(tmp_path / "boom.txt")] == ""  # not recorded as done: a fixed newsflow reads it again


def test_a_read_over_its_time_budget_is_a_timeout_reject(tmp_path, monkeypatch):
    (tmp_path / "slow.txt").write_text(good_article(1))
    (tmp_path / "fast.txt").write_text(good_article(2))
    real = ingest.read_file

    def stalling(path, data, options=None, **kwargs):
        while path.endswith("slow.txt"):  # a parser stuck in a Python loop
            pass
        return real(path, data, options, **kwargs)

    monkeypatch.setattr(ingest, "read_file", stalling)
    started = time.monotonic()
    out = read_inputs(_planned(tmp_path), ReadOptions(read_seconds_per_file=0.3))
    assert time.monotonic() - started < 10
    assert [Path(p).name for p in out.articles["source_path"]] == ["fast.txt"]
    assert out.rejects.select("reason", "detail").row(0) == ("timeout", "reading took over 0.3 s (limits.read_seconds_per_file)")


def test_a_header_line_of_200000_spaces_is_read_as_a_title():
    result = read_file("/in/spaces.txt", ("Titel: a" + " " * 200_000 + "b\n\nDer Gipfel endete ohne Einigung.").encode())
    assert result.articles["title"].item().split() == ["a", "b"]
    assert result.articles["text"].item() == "Der Gipfel endete ohne Einigung."


def test_json_arrays_are_streamed_and_capped_with_one_reject_for_the_rest():
    items = [{"text": f"Artikel {n} über den Gipfel"} for n in range(25)]
    result = read_file("/in/a.json", json.dumps(items).encode(), ReadOptions(max_items_per_file=10))
    assert result.articles.height == 10 and result.articles["item"].to_list()[-1] == "#9"
    (reject,) = result.rejects
    assert reject.reason == RejectReason.TOO_MANY_ITEMS and reject.detail.startswith("15 item(s) after the first 10")
    lines = "\n".join(json.dumps(item) for item in items).encode()
    capped = read_file("/in/a.jsonl", lines, ReadOptions(max_items_per_file=20))
    assert capped.articles.height == 20 and capped.rejects[0].detail.startswith("5 item(s)")
    broken = read_file("/in/b.json", b"[" + b'{"text": "x"},' * 30 + b"}", ReadOptions(max_items_per_file=3))
    assert [r.reason for r in broken.rejects] == [RejectReason.INVALID_JSON]  # a syntax error past the cap still counts


def test_rejects_of_one_file_and_reason_are_aggregated():
    rejects = [Reject("/a", "parse", RejectReason.NO_TEXT, "x", f"#{n}") for n in range(7)] + [
        Reject("/a", "parse", RejectReason.INVALID_JSON, "y", "L1")
    ]
    kept = aggregated(rejects, per_reason=3)
    assert [r.reason for r in kept].count(RejectReason.NO_TEXT) == 3
    (more,) = [r for r in kept if r.reason == RejectReason.MORE_REJECTS]
    assert more.detail.startswith("4 more no_text reject(s)") and more.item == "more-no_text"


def test_long_texts_are_cut_at_a_break_and_the_cut_is_a_reject():
    text = ("Ein Satz über den Gipfel. " * 30 + "\n\n") * 20
    head, kind = cut_text(text, 2_000)
    assert kind == "paragraph" and len(head) <= 2_000 and text.startswith(head) and head.endswith(".")
    raw = pl.DataFrame({"source_path": ["/a.txt", "/b.txt"], "item": ["", ""], "text": [text, "kurz"]})
    articles, rejects = cut_long_texts(raw, 2_000)
    assert articles["text"].str.len_chars().max() <= 2_000 and articles.height == 2
    assert rejects.select("path", "reason").rows() == [("/a.txt", "text_truncated")]


# -- items 5 and 9: directories that cannot be listed, links out of the inputs ---------------------


def test_a_directory_that_cannot_be_listed_is_an_unreadable_reject(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(good_article(1))
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text(good_article(2))
    real = os.scandir

    def scandir(path="."):  # root reads every directory, so the refusal is injected
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = read_inputs(_planned(tmp_path))
    assert [Path(p).name for p in out.articles["source_path"]] == ["ok.txt"]
    (reject,) = out.rejects.to_dicts()
    assert reject["path"] == str(tmp_path / "locked") and reject["reason"] == "unreadable"
    assert "Permission denied" in reject["detail"]


def test_links_out_of_the_inputs_are_not_followed_unless_configured(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "secret.txt"
    inbox.mkdir()
    outside.write_text(good_article(1))
    (inbox / "inside.txt").write_text(good_article(2))
    os.symlink(outside, inbox / "out.txt")
    os.symlink(inbox / "inside.txt", inbox / "alias.txt")  # within the inputs: followed as before
    out = read_inputs(_planned(inbox))
    assert str(outside) not in out.articles["source_path"].to_list()
    assert _reasons(out) == {str(inbox / "out.txt"): {"link_outside_inputs"}}
    followed = read_inputs(_planned(inbox, follow_links_outside=True))
    assert str(outside) in followed.articles["source_path"].to_list() and followed.rejects.is_empty()


# -- Hypothesis: names and numbers never raise out of the read stage -------------------------------

_NAME_BYTES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=5, unique=True))
def test_arbitrary_file_names_never_raise_out_of_the_read_stage(names):
    directory = Path(tempfile.mkdtemp(prefix="names-"))
    try:
        for name in names:
            with open(os.path.join(os.fsencode(directory), name), "wb") as handle:
                handle.write(good_article(len(name)).encode())
        out = read_inputs(_planned(directory))
        accounted = set(out.articles["source_path"]) | set(out.rejects["path"])
        assert len(accounted) == len(names)  # every file an article or a reject, under a storable name
        assert all(path.encode("utf-8") for path in accounted)
    finally:
        shutil.rmtree(directory)


_NUMBER = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=False).map(repr),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "9" * n),
    st.tuples(st.integers(1, 9), st.integers(-99_999, 99_999)).map(lambda t: f"{t[0]}e{t[1]}"),
    st.text(alphabet="0123456789.eE+-", min_size=1, max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(number=_NUMBER, jsonl=st.booleans())
def test_arbitrary_json_numbers_never_raise_out_of_the_read_stage(number, jsonl):
    document = f'{{"text": "Der Gipfel von Hanoi endete ohne Einigung.", "n": {number}}}'
    data = (document if jsonl else f"[{document}, {number}]").encode()
    result = read_file("/in/n.jsonl" if jsonl else "/in/n.json", data)
    assert result.articles.height + len(result.rejects) >= 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["articles", "items", "data", "a", "b"]), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(document=_JSON, keep=st.integers(0, 5), indent=st.sampled_from([None, 1]))
def test_the_streamed_reader_cuts_only_the_item_list_and_counts_what_it_cut(document, keep, indent):
    from transforms.readers.json_docs import CONTAINER_KEYS
    from transforms.readers.json_stream import capped_document

    text = json.dumps(document, indent=indent)
    parsed, cut = capped_document(text, keep, CONTAINER_KEYS)
    expected, items = json.loads(text), None
    if isinstance(expected, list):
        items = expected
    elif isinstance(expected, dict):
        key = next((k for k in CONTAINER_KEYS if isinstance(expected.get(k), list)), None)
        items = expected[key] if key else None
    assert cut == (max(len(items) - keep, 0) if items is not None else 0)
    if isinstance(expected, dict):  # container lists cut to `keep`, everything else as json.loads reads it
        expected = {k: v[:keep] if k in CONTAINER_KEYS and isinstance(v, list) else v for k, v in expected.items()}
    elif isinstance(expected, list):
        expected = expected[:keep]
    assert parsed == expected


# -- items 1, 6, 7: the warehouse and its files are never overwritten ------------------------------


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_analyst_warehouse(tmp_path_factory.mktemp("hardening") / "w.duckdb")


def test_sql_output_never_overwrites_the_warehouse_or_its_snapshot(warehouse, tmp_path, capsys):
    before = {p: p.read_bytes() for p in (warehouse, snapshot_path(warehouse))}
    link = tmp_path / "innocent.csv"
    os.symlink(warehouse, link)
    for target in (warehouse, snapshot_path(warehouse), link, Path(f"{warehouse}.lock")):
        assert main(["sql", "--db", str(warehouse), "--format", "csv", "--output", str(target), "select 1"]) == 1
        assert "is the warehouse or one of its files" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


def test_the_run_lock_never_writes_through_a_symlink(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    db = tmp_path / "w.duckdb"
    os.symlink(precious, f"{db}.lock")
    with pytest.raises(WarehouseError, match="symbolic link"):
        with run_lock(db, wait_seconds=0.1):
            pass
    assert precious.read_text() == "keep me" and not run_in_progress(db)


# -- item 8: the temporary Prefect server ends with its run ----------------------------------------


def test_a_server_started_through_the_guard_exits_when_its_parent_is_killed(tmp_path):
    """A parent starts a long-lived module through flows.server_guard (as a run starts uvicorn), then is killed -9."""
    import signal
    import subprocess
    import sys

    pid_file = tmp_path / "child.pid"
    parent_code = (
        "import os, subprocess, sys, time\n"
        "from flows.server_guard import _guarded_popen\n"
        "child = _guarded_popen([sys.executable, '-m', 'http.server', '0', '--bind', '127.0.0.1'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=Path(__file__).parents[1])
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(pid_file.read_text())
    time.sleep(1.5)
    assert _alive(child)  # the server runs while its parent does
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not _alive(child):
            return
        time.sleep(0.2)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the guarded child outlived its killed parent")


def _alive(pid: int) -> bool:
    """Running (a zombie nobody reaped yet has exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_a_file_the_nlp_stage_fails_on_is_quarantined_and_the_batch_loads(tmp_path, monkeypatch):
    """A bug in the NLP stage for one file's article: the batch is retried file by file, that file is internal_error."""
    import flows.build_corpus as flow
    from newsflow.settings import load_settings
    from transforms.nlp.kb import load_kb

    settings = load_settings(overrides={"language.languages": ["de"], "language.default": "de", "nlp.ner_models_dir": ""})
    for name in ("a.txt", "boom.txt", "c.txt"):
        (tmp_path / name).write_text(good_article(len(name)))
    read = read_inputs(_planned(tmp_path))
    real = flow.extract_entities

    def faulty(articles, *args, **kwargs):
        if any(path.endswith("boom.txt") for path in articles["source_path"]):
            raise ValueError("a bug in a component")
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(flow, "extract_entities", faulty)
    logged: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = logged.append  # Prefect's logging set-up may keep records from the root logger
    flow.log.addHandler(handler)
    try:
        batch = flow.process_batch(read, settings, load_kb(settings.nlp.kb_path), {})
    finally:
        flow.log.removeHandler(handler)
    assert sorted(Path(p).name for p in batch.articles["source_path"]) == ["a.txt", "c.txt"]
    assert batch.mentions.height > 0 and set(batch.mentions["article_id"]) <= set(batch.articles["article_id"])
    (reject,) = batch.rejects.to_dicts()
    assert (Path(reject["path"]).name, reject["stage"], reject["reason"]) == ("boom.txt", "nlp", "internal_error")
    assert reject["detail"] == "ValueError: a bug in a component"
    status = dict(batch.files.select(pl.col("path").str.split("/").list.last(), "status").iter_rows())
    assert status == {"a.txt": "loaded", "boom.txt": "rejected", "c.txt": "loaded"}
    assert len([r for r in logged if "boom.txt" in r.getMessage()]) == 1
