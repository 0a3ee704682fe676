"""Every input ends as article(s) or reject(s): never an exception, never both for one item, never neither.

Arbitrary bytes, JSON, HTML, CSV, feeds and archives of them (nested) go through `read_file`.
"""

import bz2
import gzip
import json

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest_builders import tar_bytes, zip_bytes
from transforms.ingest import ledger_rows
from transforms.readers import ReadOptions, ReadResult, read_file
from transforms.schemas import RAW_ARTICLE_SCHEMA

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".tsv", ".rss", ".xml", ".warc", ".gz", ".bz2", ".xz",
            ".zip", ".tar", ".tgz", ".bin", ""]  # fmt: skip
# small limits so that the limits themselves are exercised
OPTIONS = ReadOptions(max_file_bytes=20_000, max_decompressed_bytes=60_000, ratio_check_min_bytes=2_000,
                      max_compression_ratio=50.0, max_archive_members=6, max_archive_depth=3)  # fmt: skip

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "title", "maintext", "date_publish", "url", "items", "x"]), inner, max_size=4
        )
    ),
    max_leaves=15,
)
_markup = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "<p>",
            "</p>",
            "<article>",
            "<h2>",
            "<rss>",
            "<channel>",
            "<item>",
            "<description>",
            "</item>",
            "<feed>",
            "<entry>",
            "<content>",
            "<!--",
            "-->",
            "&amp;",
            " Text ",
            "Ä",
            "\n",
            "<br>",
            "<title>T</title>",
            "WARC/1.0\r\n",
        ]
    ),  # fmt: skip
    max_size=25,
).map("".join)
_csv = st.lists(
    st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=20), min_size=1, max_size=4), max_size=6
).map(lambda rows: "\n".join(",".join(cells) for cells in [["title", "text"], *rows]))
_document = st.one_of(
    st.binary(max_size=600),
    _json.map(lambda value: json.dumps(value).encode()),
    _markup.map(str.encode),
    _csv.map(lambda text: text.encode("utf-8", "surrogatepass")),
)
_name = st.tuples(st.sampled_from(["a", "dir/b", "../c", "d.meta", "e!f"]), st.sampled_from(SUFFIXES)).map("".join)


def _archive(children):
    members = st.dictionaries(_name, children, max_size=4)
    return st.one_of(
        members.map(lambda m: ("zip", zip_bytes(m))),
        members.map(lambda m: ("tar", tar_bytes(m))),
        children.map(lambda data: ("gz", gzip.compress(data))),
        children.map(lambda data: ("bz2", bz2.compress(data))),
    ).map(lambda pair: pair[1])


_input = st.recursive(_document, _archive, max_leaves=6)


def assert_accounted(path: str, result: ReadResult) -> None:
    assert result.articles.schema == RAW_ARTICLE_SCHEMA
    mine = lambda column: pl.col(column).eq(path) | pl.col(column).str.starts_with(path + "!")  # noqa: E731
    assert result.articles.select(mine("source_path").all()).item() in (True, None)
    assert all(r.path == path or r.path.startswith(path + "!") for r in result.rejects)
    assert result.articles.get_column("text").str.strip_chars().str.len_chars().fill_null(0).gt(0).all()
    # never neither
    assert result.articles.height > 0 or result.rejects
    # never both for the same item
    loaded = set(result.articles.select("source_path", "item").rows())
    quarantined = {(r.path, r.item) for r in result.rejects}
    assert loaded.isdisjoint(quarantined)
    assert len(loaded) == result.articles.height  # one row per (source, item)
    # every member is accounted for, and the ledger gives every member a status
    for member in result.members:
        produced = [p for p, _ in loaded | quarantined if p == member.path or p.startswith(member.path + "!")]
        assert produced, member.path
    files = pl.DataFrame(
        {"path": [path, *[m.path for m in result.members]], "container": [None, *[path] * len(result.members)]},
        schema={"path": pl.String, "container": pl.String},
    )
    rejects = pl.DataFrame(
        {"path": [r.path for r in result.rejects], "reason": [str(r.reason) for r in result.rejects]},
        schema={"path": pl.String, "reason": pl.String},
    )
    statuses = ledger_rows(files, result.articles, rejects).get_column("status")
    assert statuses.is_in(["loaded", "partial", "rejected", "skipped"]).all()


@SETTINGS
@given(_input, st.sampled_from(SUFFIXES))
def test_any_input_is_articles_or_rejects_never_an_exception(data, suffix):
    path = f"/in/input{suffix}"
    assert_accounted(path, read_file(path, data, OPTIONS))


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_in_any_format_slot(data, suffix):
    path = f"/in/raw{suffix}"
    assert_accounted(path, read_file(path, data, OPTIONS))


@SETTINGS
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=10_000))
def test_damaged_archives(data, cut):
    packed = zip_bytes({"a.txt": data, "b.html": b"<html><body><p>" + data + b"</p></body></html>"})
    for name, blob in (("x.zip", packed), ("x.tgz", tar_bytes({"a.txt": data}, "w:gz")), ("x.gz", gzip.compress(data))):
        assert_accounted(f"/in/{name}", read_file(f"/in/{name}", blob[: cut % (len(blob) + 1)], OPTIONS))
