"""Sidecars, manifests, outlet from the registered domain, implausible dates, per-field provenance."""

from datetime import UTC, datetime

import polars as pl
import pytest

from newsflow.errors import ConfigError
from tests.ingest_builders import news_page, zip_bytes
from tests.test_ingest import plan_for
from transforms.ingest import content_hash, read_inputs
from transforms.metadata import (
    apply_manifest,
    flag_dates,
    load_manifests,
    registered_domain,
    settle_language_source,
)
from transforms.readers.records import article_row, articles_frame

TEXT = "Donald Trump und Kim Jong Un trafen sich in Hanoi zu ihrem zweiten Gipfel, ohne Einigung."


def only(out) -> dict:
    (row,) = out.articles.to_dicts()
    return row


def test_html_fields_record_html_meta_and_outlet_comes_from_the_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(news_page("Gipfel in Hanoi", canonical="https://www.tagesblick.example/politik/1.html"))
    row = only(read_inputs(plan_for(page)))
    assert row["outlet"] == "Tagesblick"
    assert row["field_sources"] == {
        "title": "html_meta", "published_at": "html_meta", "outlet": "html_meta", "url": "html_meta",
        "author": "html_meta", "language": "html_meta", "section": None,
    }  # fmt: skip


def test_sidecar_overrides_extraction_and_says_so(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(news_page("Gipfel in Hanoi"))
    (tmp_path / "page.html.meta.json").write_text(
        '{"outlet": "Der Tagesblick", "published_at": "27. Februar 2019", "section": "Ausland", "author": null}'
    )
    row = only(read_inputs(plan_for(page)))
    assert (row["outlet"], row["section"], row["author"]) == ("Der Tagesblick", "Ausland", "Anna Schmidt")
    assert row["published_at"] == datetime(2019, 2, 27, tzinfo=UTC)
    sources = row["field_sources"]
    assert (sources["outlet"], sources["published_at"], sources["section"], sources["author"]) == (
        "sidecar", "sidecar", "sidecar", "html_meta",
    )  # fmt: skip


def test_sidecar_is_part_of_the_content_hash(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(TEXT)
    before = read_inputs(plan_for(story)).files.get_column("content_hash")[0]
    (tmp_path / "story.txt.meta.json").write_text('{"outlet": "X"}')
    after = read_inputs(plan_for(story)).files.get_column("content_hash")[0]
    assert before != after


def test_broken_sidecar_is_quarantined_and_the_article_still_loads(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(TEXT)
    (tmp_path / "story.txt.meta.json").write_text('{"outlet": ["a", "b"]}')
    out = read_inputs(plan_for(story))
    assert out.articles.height == 1
    assert out.rejects.select("path", "item", "stage", "reason").rows() == [
        (str(story), "meta.json", "metadata", "invalid_metadata")
    ]


def test_manifest_rows_override_and_a_sidecar_beats_the_manifest(tmp_path):
    story, other = tmp_path / "story.txt", tmp_path / "other.txt"
    story.write_text(TEXT)
    other.write_text(TEXT)
    (tmp_path / "other.txt.meta.json").write_text('{"url": "https://sidecar.example/x"}')
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,url,outlet,published_at,language,author,section\n"
        "story.txt,https://www.zeit.de/politik/1,,2019-02-27T10:00:00+01:00,de-DE,Ben Muster,Politik\n"
        f"{other},https://manifest.example/y,Manifest-Zeitung,,,,\n"
    )
    out = read_inputs(plan_for(story, other), manifest=load_manifests([str(manifest)]))
    rows = {row["source_path"]: row for row in out.articles.to_dicts()}
    first, second = rows[str(story)], rows[str(other)]
    assert (first["url"], first["author"], first["section"], first["language"]) == (
        "https://www.zeit.de/politik/1", "Ben Muster", "Politik", "de",
    )  # fmt: skip
    assert first["published_at"] == datetime(2019, 2, 27, 9, tzinfo=UTC)
    assert first["outlet"] == "zeit.de" and first["field_sources"]["outlet"] == "extraction"  # derived from the URL
    assert first["field_sources"]["url"] == "manifest"
    assert (second["url"], second["field_sources"]["url"]) == ("https://sidecar.example/x", "sidecar")
    assert (second["outlet"], second["field_sources"]["outlet"]) == ("Manifest-Zeitung", "manifest")


def test_a_changed_manifest_row_changes_the_files_hash_and_only_that_file(tmp_path):
    story, other = tmp_path / "story.txt", tmp_path / "other.txt"
    story.write_text(TEXT)
    other.write_text(TEXT + " Anders.")
    manifest = tmp_path / "manifest.csv"

    def hashes(outlet: str) -> dict[str, str]:
        manifest.write_text(f"path,outlet\nstory.txt,{outlet}\n")
        out = read_inputs(plan_for(story, other), manifest=load_manifests([str(manifest)]))
        return dict(out.files.select("path", "content_hash").iter_rows())

    first, again, edited = hashes("Erste Zeitung"), hashes("Erste Zeitung"), hashes("Zweite Zeitung")
    assert first == again
    assert edited[str(story)] != first[str(story)]
    assert edited[str(other)] == first[str(other)] == content_hash(other.read_bytes())


def test_manifest_row_for_an_archive_member_or_the_whole_archive(tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_bytes({"x.txt": TEXT.encode(), "y.txt": TEXT.encode()}))
    manifest = pl.DataFrame({"path": [f"{archive}!x.txt", str(archive)], "section": ["Politik", "Sammlung"]})
    out = read_inputs(plan_for(archive), manifest=manifest)
    sections = dict(out.articles.select("source_path", "section").rows())
    assert sections == {f"{archive}!x.txt": "Politik", f"{archive}!y.txt": "Sammlung"}


def test_bad_manifest_is_a_config_error_that_names_the_file(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,link\na,b\n")
    with pytest.raises(ConfigError, match="m.csv"):
        load_manifests([str(manifest)])


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.spiegel.de/politik/ausland/a-1.html", "spiegel.de"),
        ("https://news.bbc.co.uk/2/hi/asia-pacific/1.stm", "bbc.co.uk"),
        ("http://edition.cnn.com/2019/02/28/asia/index.html", "cnn.com"),
        ("www.lemonde.fr/international/article.html", "lemonde.fr"),
        ("http://localhost:8080/x", None),
        ("not a url", None),
    ],
)
def test_registered_domain(url, domain):
    assert registered_domain(url) == domain


def test_implausible_dates_are_kept_and_flagged():
    rows = [
        article_row("/a", "", {"text": "x", "published_at": "12.03.1985"}, "utf-8", "txt"),
        article_row("/b", "", {"text": "x", "published_at": "2019-02-27"}, "utf-8", "txt"),
        article_row("/c", "", {"text": "x", "published_at": "1 January 2031"}, "utf-8", "txt"),
        article_row("/d", "", {"text": "x"}, "utf-8", "txt"),
    ]
    flagged = flag_dates(articles_frame(rows), now=datetime(2026, 11, 26, tzinfo=UTC))
    assert flagged.select("published_at_flag").to_series().to_list() == ["before_1990", None, "future", None]
    assert flagged.get_column("published_at").null_count() == 1  # only the missing one


def test_language_source_after_identification():
    frame = articles_frame(
        [
            article_row("/a", "", {"text": "x", "language": "de"}, "utf-8", "html", "html_meta"),
            article_row("/b", "", {"text": "x"}, "utf-8", "txt"),
            article_row("/c", "", {"text": "x"}, "utf-8", "txt"),
        ]
    ).with_columns(language_confidence=pl.Series([1.0, 0.93, 0.2]))
    settled = settle_language_source(frame, min_confidence=0.5)
    assert [s["language"] for s in settled.get_column("field_sources").to_list()] == [
        "html_meta",
        "identified",
        "default",
    ]


def test_manifest_applies_only_where_it_has_values():
    frame = articles_frame([article_row("/a", "", {"text": "x", "title": "T"}, "utf-8", "txt")])
    manifest = pl.DataFrame({"path": ["/a"], "title": [""], "author": ["A"]})
    (row,) = apply_manifest(frame, manifest).to_dicts()
    assert (row["title"], row["field_sources"]["title"], row["author"]) == ("T", "extraction", "A")
