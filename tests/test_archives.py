"""Compressed files and archives: members as sources, limits while streaming, rerun semantics."""

import bz2
import gzip
import io
import lzma
import zipfile

import duckdb
import polars as pl
import pytest

from tests.ingest_builders import news_page, tar_bytes, zip_bomb, zip_bytes
from tests.test_ingest import plan_for
from transforms.ingest import ledger_rows, read_inputs
from transforms.readers import ReadOptions, read_file
from transforms.rejects import RejectReason

TEXT = "Donald Trump und Kim Jong Un trafen sich in Hanoi zu ihrem zweiten Gipfel, ohne Einigung."
OTHER = "Kim Jong Un reiste mit dem Zug aus Pjöngjang an; die Fahrt durch China dauerte zweieinhalb Tage."


def members_of(result) -> list[str]:
    return sorted(member.path for member in result.members)


@pytest.mark.parametrize(
    ("name", "pack"),
    [("story.txt.gz", gzip.compress), ("story.txt.bz2", bz2.compress), ("story.txt.xz", lzma.compress)],
)
def test_single_stream_compression_reads_the_document_inside(name, pack):
    result = read_file(f"/in/{name}", pack(TEXT.encode()))
    assert result.articles.get_column("text").to_list() == [TEXT]
    assert result.articles.get_column("source_path").to_list() == [f"/in/{name}"]  # one document: no member
    assert result.members == []


def test_compressed_json_is_sniffed_by_the_inner_suffix():
    result = read_file("/in/items.jsonl.gz", gzip.compress(b'{"text": "Eins."}\n{"text": "Zwei."}\n'))
    assert result.articles.get_column("item").to_list() == ["L1", "L2"]


def test_zip_members_are_sources_of_their_own():
    data = zip_bytes({"de/hanoi.txt": TEXT.encode(), "de/page.html": news_page("Gipfel"), "notes/": b""})
    result = read_file("/in/batch.zip", data)
    assert sorted(result.articles.get_column("source_path")) == [
        "/in/batch.zip!de/hanoi.txt",
        "/in/batch.zip!de/page.html",
    ]
    assert members_of(result) == ["/in/batch.zip!de/hanoi.txt", "/in/batch.zip!de/page.html"]
    assert all(len(member.content_hash) == 32 for member in result.members)


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_members_in_every_compression(mode):
    suffix = {"w": ".tar", "w:gz": ".tar.gz", "w:bz2": ".tar.bz2", "w:xz": ".tar.xz"}[mode]
    result = read_file(f"/in/batch{suffix}", tar_bytes({"a.txt": TEXT.encode(), "b/c.txt": OTHER.encode()}, mode))
    assert sorted(result.articles.get_column("source_path")) == [
        f"/in/batch{suffix}!a.txt",
        f"/in/batch{suffix}!b/c.txt",
    ]


def test_tgz_suffix_and_magic_detection_without_suffix():
    data = tar_bytes({"a.txt": TEXT.encode()}, "w:gz")
    assert read_file("/in/batch.tgz", data).articles.get_column("source_path").to_list() == ["/in/batch.tgz!a.txt"]
    assert read_file("/in/download", data).articles.height == 1


def test_nested_archive_members_name_the_whole_way_down():
    inner = zip_bytes({"deep.txt": TEXT.encode()})
    result = read_file("/in/outer.tar.gz", tar_bytes({"inner.zip": inner, "top.txt": OTHER.encode()}, "w:gz"))
    assert sorted(result.articles.get_column("source_path")) == [
        "/in/outer.tar.gz!inner.zip!deep.txt",
        "/in/outer.tar.gz!top.txt",
    ]
    assert members_of(result) == [
        "/in/outer.tar.gz!inner.zip",
        "/in/outer.tar.gz!inner.zip!deep.txt",
        "/in/outer.tar.gz!top.txt",
    ]


def test_nesting_deeper_than_the_limit_rejects_only_the_too_deep_member():
    data = zip_bytes(
        {"level2.zip": zip_bytes({"level3.zip": zip_bytes({"a.txt": TEXT.encode()})}), "ok.txt": OTHER.encode()}
    )
    result = read_file("/in/l1.zip", data, ReadOptions(max_archive_depth=2))
    assert result.articles.get_column("source_path").to_list() == ["/in/l1.zip!ok.txt"]
    (reject,) = result.rejects
    assert (reject.path, reject.reason) == ("/in/l1.zip!level2.zip!level3.zip", RejectReason.ARCHIVE_TOO_DEEP)


def test_zip_bomb_is_stopped_by_the_ratio_while_streaming():
    bomb = zip_bomb(50_000_000)
    result = read_file("/in/bomb.zip", bomb)
    (reject,) = result.rejects
    assert result.articles.is_empty() and result.members == []
    assert (reject.path, reject.stage, reject.reason) == ("/in/bomb.zip", "unpack", RejectReason.COMPRESSION_RATIO)
    unpacked = int(reject.detail.split()[1])
    assert unpacked < 12_000_000  # stopped mid-stream, far before the 50 MB the member declares


def test_total_unpacked_bytes_limit_also_while_streaming():
    options = ReadOptions(max_decompressed_bytes=300_000, max_compression_ratio=1e9)
    (reject,) = read_file("/in/big.gz", gzip.compress(b"a" * 2_000_000), options).rejects
    assert reject.reason is RejectReason.DECOMPRESSED_TOO_LARGE
    (reject,) = read_file("/in/big.zip", zip_bomb(2_000_000, members=3), options).rejects
    assert reject.reason is RejectReason.DECOMPRESSED_TOO_LARGE


def test_member_over_the_file_size_limit_is_rejected_alone():
    data = zip_bytes({"huge.txt": b"Text " * 3000, "ok.txt": TEXT.encode()})
    result = read_file("/in/a.zip", data, ReadOptions(max_file_bytes=5000))
    assert result.articles.get_column("source_path").to_list() == ["/in/a.zip!ok.txt"]
    (reject,) = result.rejects
    assert (reject.path, reject.reason) == ("/in/a.zip!huge.txt", RejectReason.TOO_LARGE)


def test_too_many_members_rejects_the_archive():
    data = zip_bytes({f"{n}.txt": TEXT.encode() for n in range(5)})
    result = read_file("/in/many.zip", data, ReadOptions(max_archive_members=4))
    assert result.articles.is_empty()
    assert [(r.path, r.reason) for r in result.rejects] == [("/in/many.zip", RejectReason.TOO_MANY_MEMBERS)]


def test_path_traversal_names_are_labels_never_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = zip_bytes({"../../escape.txt": TEXT.encode(), "/etc/absolute.txt": OTHER.encode()})
    result = read_file(str(tmp_path / "evil.zip"), data)
    assert sorted(result.articles.get_column("source_path")) == [
        f"{tmp_path}/evil.zip!../../escape.txt", f"{tmp_path}/evil.zip!/etc/absolute.txt",
    ]  # fmt: skip
    assert sorted(p.name for p in tmp_path.parent.parent.iterdir() if p.name == "escape.txt") == []
    assert list(tmp_path.iterdir()) == []  # nothing was written anywhere


def test_tar_symlink_member_is_rejected_not_followed():
    data = tar_bytes({"a.txt": TEXT.encode()}, symlinks={"passwd.txt": "/etc/passwd"})
    result = read_file("/in/links.tar", data)
    assert result.articles.get_column("source_path").to_list() == ["/in/links.tar!a.txt"]
    assert [(r.path, r.reason) for r in result.rejects] == [
        ("/in/links.tar!passwd.txt", RejectReason.UNSUPPORTED_MEMBER)
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cut.zip", zip_bytes({"a.txt": TEXT.encode() * 20})[:60]),
        ("cut.gz", gzip.compress(TEXT.encode() * 20)[:40]),
        ("junk.tar", b"this is not a tar archive at all" * 20),
        ("junk.xz", b"\xfd7zXZ\x00" + b"garbage" * 10),
    ],
)
def test_corrupt_containers_are_rejected(name, data):
    result = read_file(f"/in/{name}", data)
    assert result.articles.is_empty()
    assert [r.reason for r in result.rejects] == [RejectReason.CORRUPT_ARCHIVE]


def test_empty_archive_and_undecodable_member_with_offset():
    assert read_file("/in/empty.zip", zip_bytes({})).rejects[0].reason is RejectReason.EMPTY
    result = read_file("/in/a.zip", zip_bytes({"bad.txt": b"Text " + b"\x81\x8d" * 3, "ok.txt": TEXT.encode()}))
    (reject,) = result.rejects
    assert (reject.path, reject.reason, reject.detail) == (
        "/in/a.zip!bad.txt",
        RejectReason.UNDECODABLE,
        "invalid utf-8 at byte 5",
    )


def test_duplicate_member_names_keep_the_first():
    out = zip_bytes({"a.txt": TEXT.encode()})
    buffer = io.BytesIO(out)
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("a.txt", OTHER)
    result = read_file("/in/dup.zip", buffer.getvalue())
    assert result.articles.get_column("text").to_list() == [TEXT]
    assert [r.reason for r in result.rejects] == [RejectReason.CORRUPT_ARCHIVE]


def test_member_sidecar_sets_metadata_of_its_sibling(tmp_path):
    data = zip_bytes({"a.txt": TEXT.encode(), "a.txt.meta.json": b'{"outlet": "Tagesblick", "section": "Politik"}'})
    path = tmp_path / "a.zip"
    path.write_bytes(data)
    out = read_inputs(plan_for(path))
    (row,) = out.articles.to_dicts()
    assert (row["outlet"], row["section"]) == ("Tagesblick", "Politik")
    assert row["field_sources"]["outlet"] == "sidecar"
    assert out.files.get_column("path").to_list() == [str(path), f"{path}!a.txt"]  # the sidecar is no source


def test_ledger_rows_list_members_and_the_archive_counts_them_all(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(zip_bytes({"ok.txt": TEXT.encode(), "bad.txt": b"", "more.jsonl": b'{"text": "x"}\nnope\n'}))
    out = read_inputs(plan_for(path))
    rows = {row["path"]: row for row in ledger_rows(out.files, out.articles, out.rejects).to_dicts()}
    archive = str(path)
    assert rows[archive]["container"] is None and rows[archive]["status"] == "partial"
    assert (rows[archive]["articles"], rows[archive]["rejects"]) == (2, 2)
    assert rows[f"{archive}!ok.txt"]["status"] == "loaded" and rows[f"{archive}!ok.txt"]["container"] == archive
    assert rows[f"{archive}!bad.txt"]["status"] == "rejected"
    assert rows[f"{archive}!more.jsonl"]["status"] == "partial"


def test_changed_archive_replaces_exactly_its_members_rows(tmp_path):
    """Load through warehouse.load: a member removed from the archive leaves no row behind."""
    from transforms.prepare import prepare_articles
    from warehouse.load import Batch, load_batch
    from warehouse.migrations import migrate

    con = duckdb.connect()
    migrate(con)
    path = tmp_path / "a.zip"
    other = tmp_path / "b.txt"
    other.write_text(OTHER)

    def load(run_id: str, *paths) -> None:
        out = read_inputs(plan_for(*paths))
        articles, short = prepare_articles(
            out.articles, min_text_chars=5, languages=["de"], default_language="de", min_confidence=0.5
        )
        rejects = pl.concat([out.rejects, short])
        load_batch(con, Batch(ledger_rows(out.files, articles, rejects), articles, pl.DataFrame(), rejects), run_id)

    path.write_bytes(zip_bytes({"keep.txt": TEXT.encode(), "drop.txt": OTHER.encode(), "bad.txt": b""}))
    load("r1", path, other)
    path.write_bytes(zip_bytes({"keep.txt": (TEXT + " Neu.").encode(), "new.txt": OTHER.encode()}))
    load("r2", path)
    sources = con.execute("select source_path, run_id from articles order by 1").fetchall()
    assert sources == [(f"{path}!keep.txt", "r2"), (f"{path}!new.txt", "r2"), (str(other), "r1")]
    files = con.execute("select path, status, container from files order by 1").fetchall()
    assert files == [
        (str(path), "loaded", None), (f"{path}!keep.txt", "loaded", str(path)), (f"{path}!new.txt", "loaded", str(path)),
        (str(other), "loaded", None),
    ]  # fmt: skip
    assert con.execute("select count(*) from rejects").fetchone() == (0,)  # bad.txt's reject went with it


def test_sidecar_member_without_its_sibling_is_reported_not_dropped():
    result = read_file("/in/a.zip", zip_bytes({"a.txt": TEXT.encode(), "gone.html.meta.json": b'{"outlet": "X"}'}))
    assert result.articles.height == 1
    # on the archive's path (a ledger row, so a changed archive clears it), the sidecar member as item
    assert [(r.path, r.item, r.reason) for r in result.rejects] == [
        ("/in/a.zip", "gone.html.meta.json", RejectReason.INVALID_METADATA)
    ]
