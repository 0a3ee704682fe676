"""WARC and WARC.gz (built with warcio): HTML 200 responses become articles, the rest is counted."""

from datetime import UTC, datetime

from tests.ingest_builders import WARC_PAGES, WARC_SKIPPED, warc_bytes
from transforms.readers import read_file
from transforms.rejects import RejectReason


def test_html_responses_become_articles_with_target_uri_and_fetch_date():
    result = read_file("/crawl/news.warc", warc_bytes())
    rows = result.articles.to_dicts()  # in file order
    assert [row["url"] for row in rows] == [uri for uri, _ in WARC_PAGES]
    assert [row["title"] for row in rows] == [title for _, title in WARC_PAGES]
    assert all(row["fetched_at"] == datetime(2019, 2, 28, 6, 30, tzinfo=UTC) for row in rows)
    assert all(row["published_at"] == datetime(2019, 2, 27, 13, 5, tzinfo=UTC) for row in rows)  # from the page
    assert all(row["format"] == "warc" and row["field_sources"]["url"] == "warc" for row in rows)
    assert all(row["item"].startswith("@") for row in rows)
    assert "Kommentare" not in rows[0]["text"] and "Startseite" not in rows[0]["text"]


def test_non_html_and_non_200_responses_are_counted_as_skipped_records():
    result = read_file("/crawl/news.warc", warc_bytes())
    skipped = [r for r in result.rejects if r.reason is RejectReason.SKIPPED_RECORD]
    assert len(skipped) == len(WARC_SKIPPED) == len(result.rejects)
    assert sorted(r.detail for r in skipped) == sorted(
        [
            "HTTP 301 for https://www.tagesblick.example/alt",
            "HTTP 404 for https://www.tagesblick.example/fehlt.html",
            "image/png for https://www.tagesblick.example/logo.png",
        ]
    )
    # request, metadata and warcinfo records are not items: nothing about them
    assert {r.item for r in skipped}.isdisjoint(result.articles.get_column("item").to_list())


def test_warc_gz_reads_the_same_articles_with_the_same_item_keys():
    plain = read_file("/crawl/news.warc", warc_bytes())
    packed = read_file("/crawl/news.warc.gz", warc_bytes(gzip=True))
    assert packed.articles.get_column("text").to_list() == plain.articles.get_column("text").to_list()
    assert packed.articles.get_column("item").to_list() == plain.articles.get_column("item").to_list()
    assert packed.members == []  # a .gz holds one document: no member of its own


def test_truncated_warc_keeps_the_records_before_the_break_and_says_where():
    data = warc_bytes()
    cut = data[: data.index(b"WARC/1.0", data.index(b"kim-zug-200")) + 120]  # inside a later record's headers
    result = read_file("/crawl/cut.warc", cut)
    assert result.articles.height >= 1
    broken = [r for r in result.rejects if r.reason is RejectReason.INVALID_WARC]
    assert len(broken) <= 1
    assert all(r.item == "" and "byte" in r.detail for r in broken)


def test_undecodable_page_in_a_warc_is_a_reject_of_that_record():
    from tests.ingest_builders import news_page

    bad = news_page("Kaputt").replace(b"Hanoi", b"Han\x81\x8d\x90oi")
    data = warc_bytes(pages=(), skipped=(("https://x.example/a.html", "200 OK", "text/html", bad),))
    result = read_file("/crawl/bad.warc", data)
    assert result.articles.is_empty()
    (reject,) = result.rejects
    assert reject.reason is RejectReason.UNDECODABLE and reject.item.startswith("@") and "at byte" in reject.detail


def test_http_charset_decodes_a_page_that_does_not_declare_one():
    paragraph = "Президент Путин встретился с Ким Чен Ыном во Владивостоке. Переговоры продолжались несколько часов."
    page = f"<html><head><title>Саммит</title></head><body><article><p>{paragraph}</p><p>{paragraph}</p></article></body></html>"
    record = ("https://ru.example/a.html", "200 OK", "text/html; charset=windows-1251", page.encode("cp1251"))
    result = read_file("/crawl/ru.warc", warc_bytes(pages=(), skipped=(record,)))
    (row,) = result.articles.to_dicts()
    assert row["encoding"] == "cp1251" and paragraph in row["text"]


def test_mojibake_in_a_captured_page_is_repaired_in_its_text():
    from tests.ingest_builders import news_page

    paragraphs = ("Für die Bürger in Südkorea ist das Treffen in Hanoi ein Zeichen der Hoffnung, sagte sie.",) * 3
    page = news_page("Gipfel für Südkorea", paragraphs).decode().encode("utf-8").decode("latin-1").encode("utf-8")
    record = ("https://x.example/a.html", "200 OK", "text/html; charset=iso-8859-1", page)
    (row,) = read_file("/crawl/moji.warc", warc_bytes(pages=(), skipped=(record,))).articles.to_dicts()
    assert row["text"].startswith("Für die Bürger in Südkorea") and row["encoding"] == "utf-8+ftfy"
