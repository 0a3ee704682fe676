"""RSS and Atom feeds: one article per item, with content:encoded or summary, link, date, author."""

from datetime import UTC, datetime
from pathlib import Path

from transforms.readers import read_file
from transforms.rejects import RejectReason

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(name: str):
    path = FIXTURES / name
    return read_file(str(path), path.read_bytes())


def test_rss_items_become_articles_with_content_encoded_link_date_author():
    result = read("tagesschau_rss.xml")
    rows = result.articles.sort("item").to_dicts()
    assert [row["item"] for row in rows] == ["#0", "#1"]
    first, second = rows
    assert first["title"] == "Gipfel in Hanoi ohne Einigung beendet"
    assert first["url"] == "https://www.beispielzeitung.de/ausland/gipfel-hanoi-101.html"
    assert first["published_at"] == datetime(2019, 2, 28, 8, 15, tzinfo=UTC)  # +0100 -> UTC
    assert (first["author"], first["section"], first["language"]) == ("Anna Beispiel", "Ausland", "de")
    assert first["outlet"] == "Weltnachrichten – Beispielzeitung"
    # content:encoded wins over the description; subheading kept as a paragraph; <br> a line break; script out
    assert first["text"].split("\n\n") == [
        "Das zweite Treffen zwischen US-Präsident Donald Trump und Nordkoreas Machthaber Kim Jong Un in Hanoi ist"
        " vorzeitig zu Ende gegangen.",
        "Streit um Sanktionen",
        "Nordkorea habe die Aufhebung aller Sanktionen verlangt, sagte Trump vor Journalisten.\n"
        "Ein gemeinsames Mittagessen wurde abgesagt.",
    ]
    assert "track()" not in first["text"] and "Kurzfassung" not in first["text"]
    # escaped-HTML description is the text when there is no content:encoded; RSS <author> "mail (Name)"
    assert second["text"].startswith("Nordkoreas Machthaber Kim Jong Un hat Vietnam") and "<p>" not in second["text"]
    assert second["author"] == "Ben Muster"
    assert first["format"] == "feed" and first["field_sources"]["url"] == "feed"


def test_item_without_content_or_summary_is_its_own_reject():
    result = read("tagesschau_rss.xml")
    assert [(r.item, r.reason) for r in result.rejects] == [("#2", RejectReason.NO_TEXT)]
    assert "#2" not in result.articles.get_column("item").to_list()


def test_atom_entries_with_content_or_summary_and_updated_date():
    rows = read("lemonde_atom.atom").articles.sort("item").to_dicts()
    assert [row["language"] for row in rows] == ["fr", "fr"]  # xml:lang of the feed
    assert rows[0]["published_at"] == datetime(2018, 6, 12, 6, 30, tzinfo=UTC)
    assert rows[0]["author"] == "Claire Exemple"
    assert rows[0]["text"].split("\n\n")[1] == "Les deux dirigeants ont signé un document commun."
    assert rows[1]["published_at"] == datetime(2018, 6, 13, 6, 0, tzinfo=UTC)  # no <published>: <updated>
    assert rows[1]["text"].startswith("La presse officielle nord-coréenne")


def test_feed_detected_by_content_whatever_the_suffix():
    data = (FIXTURES / "tagesschau_rss.xml").read_bytes()
    assert read_file("/c/download.txt", data).articles.height == 2


def test_feed_bytes_are_never_taken_for_a_url_or_a_path(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Geheimer Text, der nie gelesen werden darf, auch nicht als Feed.")
    result = read_file("/c/x.rss", str(secret).encode())  # feedparser would open a path given as a string
    assert result.articles.is_empty()
    assert "Geheimer" not in " ".join(r.detail for r in result.rejects)


def test_malformed_feed_without_items_is_invalid():
    reject = read_file("/c/x.rss", b"<rss><channel><item><title>kaputt").rejects[0]
    assert reject.reason in {RejectReason.INVALID_FEED, RejectReason.NO_TEXT, RejectReason.EMPTY}
