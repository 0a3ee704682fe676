"""Reading a batch of files: hashing, limits, unreadable files, ledger status."""

import errno
import os

import polars as pl
import pytest

from newsflow.errors import TransientError
from transforms.discover import discover_files
from transforms.ingest import content_hash, ledger_rows, read_inputs

TEXT = "Donald Trump und Kim Jong Un trafen sich in Hanoi zu ihrem zweiten Gipfel."


def plan_for(*paths, known: dict | None = None) -> pl.DataFrame:
    known = known or {}
    return pl.DataFrame(
        {
            "path": [str(p) for p in paths],
            "size": [p.stat().st_size for p in paths],
            "mtime_ns": [p.stat().st_mtime_ns for p in paths],
            "known_hash": [known.get(str(p)) for p in paths],
        },
        schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "known_hash": pl.String},
    )


def test_reads_hashes_and_skips_files_whose_hash_is_known(tmp_path):
    new, same = tmp_path / "new.txt", tmp_path / "same.txt"
    new.write_text(TEXT)
    same.write_text(TEXT + " Nochmal.")
    out = read_inputs(plan_for(new, same, known={str(same): content_hash(same.read_bytes())}), max_file_bytes=10_000, max_json_depth=8)
    assert out.files["path"].to_list() == [str(new)]
    assert out.files["content_hash"].item() == content_hash(new.read_bytes())
    assert out.unchanged["path"].to_list() == [str(same)]
    assert out.articles["text"].to_list() == [TEXT]


def test_too_large_files_are_rejected_unread(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(TEXT * 10)
    out = read_inputs(plan_for(big), max_file_bytes=100, max_json_depth=8)
    assert out.rejects.select("reason", "stage").row(0) == ("too_large", "read")
    assert out.files["content_hash"].item() == ""  # never read: tried again next run
    assert out.articles.is_empty()


def test_unreadable_file_is_a_reject_and_transient_errors_raise(tmp_path, monkeypatch):
    story = tmp_path / "story.txt"
    story.write_text(TEXT)
    plan = plan_for(story)
    real_open = os.open

    def deny(path, *args, **kwargs):  # failure injection: permission denied (root ignores chmod)
        if str(path) == str(story):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    out = read_inputs(plan, max_file_bytes=10_000, max_json_depth=8)
    assert out.rejects.select("reason", "detail").row(0) == ("unreadable", "PermissionError: Permission denied")

    def flaky(path, *args, **kwargs):
        if str(path) == str(story):
            raise OSError(errno.EIO, "Input/output error")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", flaky)
    with pytest.raises(TransientError, match="Input/output error"):
        read_inputs(plan, max_file_bytes=10_000, max_json_depth=8)


def test_ledger_status_follows_what_each_file_produced():
    files = pl.DataFrame({"path": ["/a", "/b", "/c"], "size": [1, 1, 1], "mtime_ns": [1, 1, 1], "content_hash": ["x", "y", "z"]})
    articles = pl.DataFrame({"source_path": ["/a", "/b", "/b"]})
    rejects = pl.DataFrame({"path": ["/b", "/c"]})
    status = ledger_rows(files, articles, rejects).sort("path")
    assert status.select("path", "status", "articles", "rejects").rows() == [
        ("/a", "loaded", 1, 0), ("/b", "partial", 2, 1), ("/c", "rejected", 0, 1),
    ]  # fmt: skip


def test_a_fifo_or_socket_in_an_inbox_is_quarantined_without_blocking(tmp_path):
    import socket

    os.mkfifo(tmp_path / "pipe.txt")  # nobody writes to it: opening it for a blocking read would hang
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.txt"))
        (tmp_path / "good.txt").write_text("Trump und Kim trafen sich in Hanoi.", encoding="utf-8")
        files = discover_files([tmp_path], ["**/*.txt"], [])
        out = read_inputs(files.with_columns(known_hash=pl.lit(None, pl.String)))
    rejected = dict(out.rejects.select(pl.col("path").str.split("/").list.last(), "detail").iter_rows())
    assert rejected["pipe.txt"] == "OSError: not a regular file (a fifo)"
    assert "No such device or address" in rejected["sock.txt"]  # a socket cannot be opened at all
    assert set(out.rejects["reason"]) == {"unreadable"}
    assert out.articles["text"].to_list() == ["Trump und Kim trafen sich in Hanoi."]
