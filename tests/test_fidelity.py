"""Ingestion fidelity on what real pages and files hold (issue 20, items 1-10)."""

import json

from transforms.discover import discover_files
from transforms.readers import read_file


def test_jsonl_keeps_records_with_unicode_line_separators():
    records = [
        {"title": f"Record {n}", "text": f"Paragraph one\u2028still the same string {n}.\u2029More text."}
        for n in range(3)
    ]
    data = "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()
    result = read_file("/in/records.jsonl", data)
    assert result.rejects == []
    assert result.articles["item"].to_list() == ["L1", "L2", "L3"]
    assert result.articles["title"].to_list() == ["Record 0", "Record 1", "Record 2"]


def test_jsonl_with_crlf_line_ends_still_loads():
    data = b'{"text": "one article here"}\r\n{"text": "another article"}\r\n'
    result = read_file("/in/records.jsonl", data)
    assert result.rejects == [] and result.articles.height == 2


def test_upper_case_extensions_are_discovered(tmp_path):
    for name in ("README.TXT", "story.Html", "lower.txt", "image.PNG"):
        (tmp_path / name).write_text("x")
    found = discover_files([tmp_path], ("**/*.txt", "**/*.html"), ("**/.*",))
    assert sorted(path.rsplit("/", 1)[1] for path in found["path"]) == ["README.TXT", "lower.txt", "story.Html"]


LEAD = "<p>" + "The summit opened on Wednesday with a long session on trade and security in the region. " * 3 + "</p>"


def page(body: str, head: str = "", lang: str = "en") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body><nav><a href='/'>Home</a></nav><main><article>{body}</article></main>"
        "<footer>Imprint</footer></body></html>"
    ).encode()


def read_page(body: str, head: str = "", lang: str = "en") -> dict:
    result = read_file("/in/page.html", page(body, head, lang))
    assert result.rejects == [], result.rejects
    return result.articles.row(0, named=True)


def test_text_after_a_subheading_is_kept():
    row = read_page(LEAD + "<div><h2>Switch Lite for $238.99</h2>Save $31 if you order it this week from the store.</div>" + LEAD)
    paragraphs = row["text"].split("\n\n")
    assert "Switch Lite for $238.99" in paragraphs
    assert "Save $31 if you order it this week from the store." in paragraphs
    assert paragraphs.index("Save $31 if you order it this week from the store.") == 2  # in reading order


def test_paragraphs_inside_list_items_come_out_once():
    items = "".join(f"<li><p>Item {word} of the agenda is discussed by both delegations.</p></li>" for word in ("one", "two"))
    row = read_page(LEAD + f"<ul>{items}</ul>" + LEAD)
    assert row["text"].count("Item one of the agenda") == 1
    assert row["text"].count("Item two of the agenda") == 1


def test_article_laid_out_in_a_table_falls_back_to_recall():
    cells = "".join(
        f"<tr><td><p>Paragraph {n}: the delegations met in the old opera house and talked for hours about "
        f"sanctions, trade and the future of the peninsula, as officials said afterwards.</p></td></tr>"
        for n in range(6)
    )
    html = f"<html><head><title>Summit talks</title></head><body><table>{cells}</table></body></html>".encode()
    result = read_file("/in/table.html", html)
    assert result.rejects == []
    row = result.articles.row(0, named=True)
    assert row["extraction"] == "fallback"
    assert "Paragraph 5" in row["text"]


def test_precise_extraction_is_recorded():
    assert read_page(LEAD + LEAD.replace("summit", "meeting"))["extraction"] == "precise"


def test_configured_boilerplate_lines_are_dropped():
    credit = "<p>AFP / MARCO BERTORELLO</p><p>Titelbild: Die Delegationen in Hanoi</p>"
    notice = "<p>Weitere Informationen zum Coronavirus in Thüringen:</p>"
    row = read_page(LEAD + credit + LEAD.replace("summit", "meeting") + notice, lang="de")
    assert "BERTORELLO" not in row["text"] and "Titelbild" not in row["text"] and "Weitere Informationen" not in row["text"]
    assert "trade and security" in row["text"]


def test_boilerplate_list_is_configurable(tmp_path):
    from dataclasses import replace

    from transforms.readers.options import HtmlOptions, ReadOptions

    options = replace(ReadOptions(), html=HtmlOptions(boilerplate=("Sponsored by .*",)))
    data = page(LEAD + "<p>Sponsored by ACME Corporation</p>" + LEAD.replace("summit", "meeting"))
    assert "ACME" not in read_file("/in/p.html", data, options=options).articles["text"][0]
    assert "ACME" in read_file("/in/p.html", data).articles["text"][0]


def test_title_loses_a_trailing_site_name_or_date():
    site = '<meta property="og:site_name" content="DOMRADIO.DE">'
    assert read_page(LEAD, f"<title>Papst ruft zu Frieden auf | DOMRADIO.DE</title>{site}")["title"] == (
        "Papst ruft zu Frieden auf"
    )
    canonical = '<link rel="canonical" href="https://telebasel.ch/2023/news">'
    assert read_page(LEAD, f"<title>Basel feiert die Fasnacht - Telebasel</title>{canonical}")["title"] == (
        "Basel feiert die Fasnacht"
    )
    dated = "<title>So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr</title>"
    assert read_page(LEAD, dated)["title"] == "So viel Regen gab es lange nicht"
    from transforms.readers.html_meta import strip_site_name

    assert strip_site_name("Trump - Kim: the second summit", ["Telebasel", None]) == "Trump - Kim: the second summit"
    assert strip_site_name("Spiel | Spiegel", ["spiegel.de"]) == "Spiel | Spiegel"  # too little would remain


def test_outlet_is_og_site_name_then_the_registered_domain():
    named = '<meta property="og:site_name" content="Die Furche">'
    assert read_page(LEAD, f"<title>Achtsam durch die Krise | Die FURCHE</title>{named}")["outlet"] == "Die Furche"
    canonical = '<link rel="canonical" href="https://www.furche.at/religion/achtsam">'
    row = read_page(LEAD, f"<title>Achtsam durch die Krise | Die FURCHE</title>{canonical}")
    assert (row["outlet"], row["title"]) == ("furche.at", "Achtsam durch die Krise")


def test_time_of_day_comes_from_page_metadata():
    from datetime import UTC, datetime

    stamped = '<meta property="article:published_time" content="2019-02-27T07:00:02Z">'
    row = read_page(LEAD, stamped)
    assert row["published_at"] == datetime(2019, 2, 27, 7, 0, 2, tzinfo=UTC)
    assert row["published_precision"] == "time"
    day_only = '<meta property="article:published_time" content="2019-02-27">'
    row = read_page(LEAD, day_only)
    assert row["published_at"] == datetime(2019, 2, 27, tzinfo=UTC) and row["published_precision"] == "day"
    midnight = '<meta property="article:published_time" content="2019-02-27T00:00:00+00:00">'
    assert read_page(LEAD, midnight)["published_precision"] == "time"  # a real midnight


def test_published_precision_of_text_records():
    lines = [{"text": "Body text of the article.", "date": d} for d in ("2019-02-27", "2019-02-27 10:30")]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    assert read_file("/in/r.jsonl", data).articles["published_precision"].to_list() == ["day", "time"]


def test_sidecar_date_sets_its_precision():
    from transforms.metadata import apply_overrides
    from transforms.readers.records import article_row, articles_frame

    frame = articles_frame([article_row("/a", "", {"text": "x", "published_at": "2019-02-27 10:00"}, "utf-8", "txt")])
    assert apply_overrides(frame, {"published_at": "2019-02-28"}, "sidecar")["published_precision"][0] == "day"


# --- lost article or lead on long pages (item 5) -------------------------------------------------

GERMAN_BODY = "".join(
    f"<p>Absatz {n}: Die Delegationen trafen sich im alten Opernhaus und sprachen stundenlang über Sanktionen, "
    f"Handel und die Zukunft der Halbinsel, wie Beamte danach sagten.</p>"
    for n in range(16)
)
GERMAN_LEAD = (
    "Nordkorea und die USA haben in Hanoi ihren zweiten Gipfel begonnen; Beobachter erwarten eine Erklärung "
    "zur Abrüstung, aber keinen Friedensvertrag."
)


def german_page(article: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Gipfel in Hanoi | Tagesblick</title>'
        '<meta property="og:site_name" content="Tagesblick"></head><body><nav><a href="/">Start</a>'
        '<a href="/politik">Politik</a></nav><main><article>'
        f"{article}</article></main><footer><p>© Tagesblick · Impressum · Datenschutz</p></footer></body></html>"
    ).encode()


def test_lead_lost_by_the_precise_extraction_on_a_long_page_is_restored():
    import trafilatura

    from transforms.readers.html import PRECISE

    data = german_page(
        '<header class="article-header"><h1>Gipfel in Hanoi</h1></header>'
        f'<div class="teaser"><p class="lead">{GERMAN_LEAD}</p></div><div class="article-body">{GERMAN_BODY}</div>'
    )
    assert "Friedensvertrag" not in trafilatura.bare_extraction(data.decode(), **PRECISE).text  # the loss reproduced
    row = read_file("/in/gipfel.html", data).articles.row(0, named=True)
    paragraphs = row["text"].split("\n\n")
    assert len(row["text"]) > 2000  # beyond fallback_below_chars
    assert paragraphs[0] == GERMAN_LEAD and paragraphs[1].startswith("Absatz 0:")
    assert row["extraction"] == "lead"
    assert row["text"].count("Friedensvertrag") == 1


def test_a_lead_the_precise_text_keeps_is_not_added_again():
    data = german_page(f'<div class="summary"><p>{GERMAN_LEAD}</p></div><div class="text">{GERMAN_BODY}</div>')
    row = read_file("/in/gipfel.html", data).articles.row(0, named=True)
    assert row["text"].count("Friedensvertrag") == 1
    assert row["extraction"] == "precise"


def test_hidden_or_boilerplate_paragraphs_are_no_lost_lead():
    hidden = f'<div class="teaser" aria-hidden="true"><p class="lead">{GERMAN_LEAD}</p></div>'
    row = read_file("/in/gipfel.html", german_page(hidden + f'<div class="article-body">{GERMAN_BODY}</div>'))
    assert "Friedensvertrag" not in row.articles["text"][0]
    from dataclasses import replace

    from transforms.readers.options import HtmlOptions, ReadOptions

    sponsored = "<p>Sponsored by ACME Corporation, the leading maker of everything a summit delegation could need.</p>"
    data = german_page(f'<div class="teaser">{sponsored}</div><div class="article-body">{GERMAN_BODY}</div>')
    assert read_file("/in/gipfel.html", data).articles["extraction"][0] == "lead"  # a lead unless configured away
    options = replace(ReadOptions(), html=HtmlOptions(boilerplate=("Sponsored by .*",)))
    row = read_file("/in/gipfel.html", data, options=options).articles.row(0, named=True)
    assert "ACME" not in row["text"] and row["extraction"] == "precise"


def test_long_page_whose_precise_text_is_a_fraction_of_its_paragraphs_falls_back_to_recall():
    cells = "".join(
        f"<tr><td><p>Paragraph {n}: the delegations met in the old opera house and talked for hours about "
        f"sanctions, trade and the future of the peninsula, as officials said afterwards.</p></td></tr>"
        for n in range(40)
    )
    intro = LEAD.replace("summit", "meeting") * 8  # > fallback_below_chars of precise text outside the table
    body = f"<article>{intro}<table>{cells}</table></article>"
    html = f"<html><head><title>Summit talks</title></head><body>{body}</body></html>"
    row = read_file("/in/table.html", html.encode()).articles.row(0, named=True)
    assert row["extraction"] == "fallback"
    assert "Paragraph 39" in row["text"] and "opened on Wednesday" in row["text"]


# --- mojibake repaired in the extracted text, not over the source --------------------------------


def test_mojibake_in_a_page_is_repaired_in_its_text_and_title():
    # a UTF-8 page once decoded as latin-1 and saved again ("FÃ¼r"), declaring latin-1
    article = "<p>Für die Bürger in Südkorea ist das Treffen ein Zeichen der Hoffnung, sagte die Ministerin.</p>" * 4
    source = (
        '<html lang="de"><head><meta charset="iso-8859-1"><title>Gipfel für Südkorea</title></head>'
        f"<body><article><h1>Gipfel für Südkorea</h1>{article}</article></body></html>"
    )
    data = source.encode("utf-8").decode("latin-1").encode("utf-8")
    row = read_file("/in/mojibake.html", data).articles.row(0, named=True)
    assert row["text"].startswith("Für die Bürger in Südkorea")
    assert "Ã" not in row["text"]
    assert row["title"] == "Gipfel für Südkorea"
    assert row["encoding"] == "utf-8+ftfy"


def test_mojibake_only_in_a_script_leaves_the_text_and_encoding_alone():
    script = "<script>var s = 'FÃ¼r die BÃ¼rger';</script>"
    row = read_page(LEAD + LEAD.replace("summit", "meeting"), head=script)
    assert row["encoding"] == "utf-8"
    assert "trade and security" in row["text"]


def test_recall_extraction_runs_only_on_a_sign_of_loss(monkeypatch):
    import trafilatura

    calls = []
    extract = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: calls.append(k) or extract(*a, **k))
    intact = german_page(f'<div class="article-body"><p>{GERMAN_LEAD}</p>{GERMAN_BODY}</div>')
    assert read_file("/in/gipfel.html", intact).articles["extraction"][0] == "precise"
    assert [k["favor_precision"] for k in calls] == [True]  # a long, whole article: one extraction
    calls.clear()
    read_file("/in/short.html", page(LEAD))
    assert len(calls) == 2 and calls[1]["favor_recall"] and not calls[1]["with_metadata"]
