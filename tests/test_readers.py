import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.readers import SUPPORTED_SUFFIXES, ReadResult, article_id, read_file
from transforms.rejects import RejectReason
from transforms.schemas import RAW_ARTICLE_SCHEMA

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SEED = Path(__file__).parent.parent / "seeds" / "000_294f5652016ebd54.txt"


def read_fixture(name: str, **options) -> ReadResult:
    path = FIXTURES / name
    return read_file(str(path.resolve()), path.read_bytes(), **options)


def only_row(result: ReadResult) -> dict:
    assert result.rejects == []
    assert result.articles.schema == RAW_ARTICLE_SCHEMA
    (row,) = result.articles.to_dicts()
    return row


def only_reject(result: ReadResult):
    assert result.articles.height == 0
    assert result.articles.schema == RAW_ARTICLE_SCHEMA
    (reject,) = result.rejects
    return reject


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson"}


# --- HTML ---------------------------------------------------------------------------------


def test_german_news_page_keeps_article_drops_boilerplate():
    row = only_row(read_fixture("de_news_page.html"))
    assert row["format"] == "html"
    assert row["title"] == "Gipfel in Hanoi: Trump lockt Kim mit Wohlstand"
    assert row["outlet"] == "Tagesblick"
    assert row["author"] == "Anna Schmidt"
    assert row["url"] == "https://www.tagesblick.example/politik/gipfel-hanoi-100.html"
    assert row["language"] == "de"
    assert row["published_at"] == datetime(2019, 2, 27, 13, 5, tzinfo=UTC)
    paragraphs = row["text"].split("\n\n")
    assert paragraphs[0].startswith("Bei seinem zweiten Gipfel")
    assert "Experten erwarten keinen Durchbruch" in paragraphs  # subheading kept as paragraph
    assert "„Ich denke, dass Ihr Land" in row["text"]
    for boilerplate in ("Startseite", "Leser123", "Kommentare", "Impressum", "Cookies", "Mehr zum Thema", "Teilen"):
        assert boilerplate not in row["text"]
    assert not row["text"].startswith(row["title"])


def test_html_without_body_is_no_text():
    reject = only_reject(read_fixture("no_body.html"))
    assert (reject.reason, reject.stage, reject.item) == (RejectReason.NO_TEXT, "parse", "")
    assert reject.path == str((FIXTURES / "no_body.html").resolve())


def test_txt_holding_html_is_read_as_html():
    row = only_row(read_fixture("page_as.txt"))
    assert (row["format"], row["title"]) == ("html", "Gipfel in Hanoi: Trump lockt Kim mit Wohlstand")


# --- JSON / JSONL -------------------------------------------------------------------------


def test_news_please_json():
    row = only_row(read_fixture("newsplease.json"))
    assert row["format"] == "json"
    assert row["item"] == ""
    assert row["title"] == "Sommet de Hanoï : Trump promet la prospérité à Kim"
    assert row["outlet"] == "www.lequotidien.example"
    assert row["author"] == "Claire Dubois, Marc Lefèvre"
    assert row["language"] == "fr"
    assert row["published_at"] == datetime(2019, 2, 27, 16, 30, tzinfo=UTC)
    assert row["text"].startswith("Le président américain Donald Trump")
    assert row["text"].count("\n\n") == 1


def test_jsonl_broken_line_rejects_only_that_item():
    result = read_fixture("articles_broken.jsonl")
    assert result.articles.get_column("item").to_list() == ["L1", "L4"]
    first, second = result.articles.to_dicts()
    assert first["title"] == "Trump and Kim meet in Hanoi"
    assert first["outlet"] == "World Wire"  # {"name": ...} publisher object
    assert first["author"] == "John Miller"
    assert first["published_at"] == datetime(2019, 2, 27, 12, tzinfo=UTC)
    assert second["text"] == "The summit ended without an agreement.\n\nBoth sides left Hanoi on Thursday."
    assert second["published_at"] == datetime(2019, 2, 28, 9, tzinfo=UTC)
    reasons = {(r.item, r.reason) for r in result.rejects}
    assert reasons == {("L3", RejectReason.INVALID_JSON), ("L5", RejectReason.NO_TEXT)}
    broken = next(r for r in result.rejects if r.item == "L3")
    assert broken.detail == "Unterminated string starting at (line 3, col 39, char 38)"


def test_truncated_json_is_invalid_with_position():
    reject = only_reject(read_fixture("truncated.json"))
    assert reject.reason is RejectReason.INVALID_JSON
    assert reject.detail == "Unterminated string starting at (line 8, col 11, char 109)"


def test_json_array_items_are_indexed_and_ids_stable():
    data = json.dumps([{"text": "Erster Text."}, {"title": "ohne Text"}, {"body": "Dritter Text."}]).encode()
    result = read_file("/corpus/a.json", data)
    assert result.articles.get_column("item").to_list() == ["#0", "#2"]
    assert result.articles.get_column("article_id").to_list() == [
        article_id("/corpus/a.json", "#0"),
        article_id("/corpus/a.json", "#2"),
    ]
    assert article_id("/corpus/a.json", "#0") == "ad81a1864963ca65"  # blake2b(path NUL item)[:16]
    assert [(r.item, r.reason) for r in result.rejects] == [("#1", RejectReason.NO_TEXT)]
    assert read_file("/corpus/a.json", data).articles.equals(result.articles)


@pytest.mark.parametrize("container", ["articles", "items", "data"])
def test_json_container_keys(container):
    data = json.dumps({"meta": {"n": 1}, container: [{"content": "Text eins."}]}).encode()
    assert read_file("/c/x.json", data).articles.get_column("text").to_list() == ["Text eins."]


def test_field_map_overrides_defaults():
    data = json.dumps({"Inhalt": "Der Text.", "Schlagzeile": "Die Zeile", "title": "ignoriert"}).encode()
    row = only_row(read_file("/c/x.json", data, field_map={"text": ["Inhalt"], "title": ["Schlagzeile"]}))
    assert (row["text"], row["title"]) == ("Der Text.", "Die Zeile")


def test_json_too_deep_without_recursion_error():
    data = ("[" * 100_000 + "]" * 100_000).encode()
    reject = only_reject(read_file("/c/deep.json", data, max_json_depth=64))
    assert (reject.reason, reject.detail) == (RejectReason.JSON_TOO_DEEP, "nesting depth 100000 > 64")


def test_brackets_inside_strings_do_not_count_as_depth():
    data = json.dumps({"text": '[[[[{{{{ " ]]]]'}).encode()
    assert only_row(read_file("/c/x.json", data, max_json_depth=2))["text"] == '[[[[{{{{ " ]]]]'


def test_json_suffix_with_lines_is_jsonl():
    data = b'{"text": "Eins."}\n{"text": "Zwei."}\n'
    result = read_file("/c/x.json", data)
    assert result.articles.select("item", "format").rows() == [("L1", "jsonl"), ("L2", "jsonl")]


def test_empty_json_array_is_a_reject():
    assert only_reject(read_file("/c/x.json", b"[]")).reason is RejectReason.EMPTY


# --- txt / md -----------------------------------------------------------------------------


def test_seed_article_stays_whole_without_a_guessed_title():
    row = only_row(read_file(str(SEED.resolve()), SEED.read_bytes()))
    assert row["title"] is None
    assert row["format"] == "txt"
    assert row["text"] == SEED.read_text(encoding="utf-8").strip()


def test_front_matter_markdown():
    row = only_row(read_fixture("front_matter.md"))
    assert row["title"] == "Trump lockt Kim mit Wohlstand"
    assert row["published_at"] == datetime(2019, 2, 27, 13, 5, tzinfo=UTC)
    assert (row["outlet"], row["author"], row["language"]) == ("Tagesblick", "Anna Schmidt", "de")
    assert row["text"].split("\n\n") == [
        "Ein Heading, das nicht den Titel ersetzt",
        "Bei seinem zweiten Gipfel mit Nordkoreas Machthaber Kim Jong Un hat US-Präsident Donald Trump "
        "dem Land Aufschwung in Aussicht gestellt.",
        "Experten skeptisch",
        "Welche Ergebnisse das Treffen bringt, ist offen.",
    ]


def test_markdown_heading_is_title():
    row = only_row(read_fixture("heading.md"))
    assert row["title"] == "Sommet de Hanoï : Trump promet la prospérité"
    assert row["text"].startswith("Le président américain a promis un avenir économique formidable")


def test_short_first_line_is_headline():
    row = only_row(read_fixture("headline.txt"))
    assert row["title"] == "Trump and Kim meet again in Hanoi"
    assert row["text"].startswith("US President Donald Trump met")


def test_sentence_first_line_is_not_a_headline():
    row = only_row(read_file("/c/x.txt", b"Trump met Kim in Hanoi.\n\nThey shook hands."))
    assert row["title"] is None
    assert row["text"] == "Trump met Kim in Hanoi.\n\nThey shook hands."


def test_utf16_header_lines():
    row = only_row(read_fixture("utf16_bom.txt"))
    assert row["encoding"] == "utf-16-le"
    assert (row["title"], row["outlet"]) == ("Gipfel in Hanoi", "Tagesblick")
    assert row["published_at"] == datetime(2019, 2, 27, tzinfo=UTC)
    assert row["text"] == "US-Präsident Trump traf Nordkoreas Machthaber Kim in Hanoi. Beide sprachen über Abrüstung."


def test_cp1252_text_keeps_umlauts_and_quotes():
    row = only_row(read_fixture("cp1252_umlauts.txt"))
    assert row["encoding"] == "cp1252"
    assert row["text"].startswith("Der Außenminister sagte: „Wir begrüßen das Treffen.“")
    assert row["text"].endswith("Kritiker äußerten sich zurückhaltend.")


def test_mojibake_text_is_repaired():
    row = only_row(read_fixture("mojibake.txt"))
    assert row["encoding"] == "utf-8+ftfy"
    assert row["text"].startswith("Für die Bürger in Südkorea")


# --- rejects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason", "stage"),
    [("binary.txt", RejectReason.BINARY, "decode"), ("empty.txt", RejectReason.EMPTY, "decode")],
)
def test_binary_and_empty_files(name, reason, stage):
    reject = only_reject(read_fixture(name))
    assert (reject.reason, reject.stage, reject.path) == (reason, stage, str((FIXTURES / name).resolve()))


def test_known_binary_container_is_unsupported():
    reject = only_reject(read_file("/c/report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    assert (reject.reason, reject.detail) == (RejectReason.UNSUPPORTED_FORMAT, "PDF document, not a text article")


def test_unknown_suffix_xml_is_unsupported():
    reject = only_reject(read_file("/c/drawing.xml", b'<?xml version="1.0"?><svg><g/></svg>'))
    assert reject.reason is RejectReason.UNSUPPORTED_FORMAT


def test_feed_without_items_is_empty():
    reject = only_reject(read_file("/c/feed.xml", b'<?xml version="1.0"?><rss><channel/></rss>'))
    assert (reject.reason, reject.detail) == (RejectReason.EMPTY, "feed has no items")


def test_undecodable_detail_has_offset():
    reject = only_reject(read_file("/c/x.txt", b"Text " + b"\x81\x8d" * 3))
    assert (reject.reason, reject.detail) == (RejectReason.UNDECODABLE, "invalid utf-8 at byte 5")


# --- properties ---------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(), max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "title", "body", "date_publish", "authors", "articles", "x"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)
_html_bits = st.sampled_from(
    [
        "<html>",
        "<body>",
        "<p>",
        "</p>",
        "<article>",
        "<div>",
        "<h2>",
        "<script>",
        "<!--",
        "-->",
        "<?xml ?>",
        "&amp;",
        "&#0;",
        " Text ",
        "Ä",
        "\n",
        "<br>",
        "<title>T</title>",
        '<html lang="de">',
        "<table><tr><td>",
    ]
)


def assert_accounted(path: str, result: ReadResult) -> None:
    assert result.articles.schema == RAW_ARTICLE_SCHEMA
    if result.articles.height == 0:
        assert result.rejects
    assert all(reject.path == path for reject in result.rejects)
    assert result.articles.get_column("source_path").eq(path).all()
    assert result.articles.get_column("text").str.strip_chars().str.len_chars().fill_null(0).gt(0).all()  # never null or blank


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=1500), st.sampled_from([*sorted(SUPPORTED_SUFFIXES), ".bin", ""]))
def test_arbitrary_bytes_never_raise(data, suffix):
    path = f"/c/file{suffix}"
    assert_accounted(path, read_file(path, data))


@SETTINGS
@given(_json, st.sampled_from([".json", ".jsonl", ".txt"]))
def test_arbitrary_json_never_raises(document, suffix):
    path = f"/c/file{suffix}"
    assert_accounted(path, read_file(path, json.dumps(document).encode(), max_json_depth=5))


@SETTINGS
@given(st.lists(_html_bits | st.text(max_size=20), max_size=40))
def test_arbitrary_html_never_raises(parts):
    path = "/c/page.html"
    assert_accounted(path, read_file(path, "".join(parts).encode("utf-8", "surrogatepass")))


def test_html_line_breaks_and_lists_survive():
    html = (
        "<html><body><article><h1>Titel</h1>"
        "<p>Zeile eins mit genug Text, damit sie bleibt, und noch mehr Text hier.<br>"
        "Zeile zwei mit <b>genug</b> Text, damit trafilatura sie behält.</p>"
        "<ul><li>Punkt eins ist lang genug für die Liste hier</li><li>Punkt zwei ist ebenso lang genug</li></ul>"
        "</article></body></html>"
    )
    row = only_row(read_file("/c/x.html", html.encode()))
    assert row["text"].split("\n\n") == [
        "Zeile eins mit genug Text, damit sie bleibt, und noch mehr Text hier.\n"
        "Zeile zwei mit genug Text, damit trafilatura sie behält.",
        "Punkt eins ist lang genug für die Liste hier\nPunkt zwei ist ebenso lang genug",
    ]


def test_json_lone_surrogate_escapes_become_replacement_chars():
    row = only_row(read_file("/c/x.json", b'{"text": "abc \\ud800 def", "title": "\\ud83d\\ude00"}'))
    assert (row["text"], row["title"]) == ("abc \ufffd def", "\U0001f600")
