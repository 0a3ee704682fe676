"""Agency credits from datelines, trailers and bylines; agencies cited in the story are not credits."""

import polars as pl
import pytest

from newsflow.errors import ConfigError
from transforms.agencies import AGENCY_CREDIT_SCHEMA, detect_agency_credits, load_agencies, strip_credits


@pytest.fixture(scope="module")
def agencies():
    return load_agencies()


def credits(agencies, text: str, author: str | None = None) -> set[tuple[str, str]]:
    frame = pl.DataFrame({"article_id": ["a"], "text": [text], "author": [author]}, schema_overrides={"author": pl.String})
    found = detect_agency_credits(frame, agencies)
    assert found.schema == AGENCY_CREDIT_SCHEMA
    return {(row["agency"], row["kind"]) for row in found.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wien/Seoul (dpa) – Kim Jong Un ist in Hanoi eingetroffen.", {("dpa", "dateline")}),
        ("HANOI (Reuters) - Trump left the summit early. Talks collapsed.", {("Reuters", "dateline")}),
        ("Hanoi (APA/dpa/AFP) – Der Gipfel beginnt.", {("APA", "dateline"), ("dpa", "dateline"), ("AFP", "dateline")}),
        ("Seoul (Yonhap) – Südkorea reagiert enttäuscht.", {("Yonhap", "dateline")}),
        ("Peking (Xinhua) – China begrüßt den Dialog.", {("Xinhua", "dateline")}),
        ("Pjöngjang (KCNA) – Der Vorsitzende ist zurück.", {("KCNA", "dateline")}),
        ("Tokio (Kyodo) – Japan fordert die Klärung der Entführungsfälle.", {("Kyodo", "dateline")}),
        ("Der Gipfel endete früher.\n\nMehr folgt. (APA, 27.2.2019)", {("APA", "trailer")}),
        ("Der Gipfel endete früher.\n\nred, APA", {("APA", "trailer")}),
        ("Der Gipfel endete früher. (red, APA, 28.2.2019)", {("APA", "trailer")}),
        ("Bern – Der Bundesrat begrüßt das Treffen. (sda/afp)", {("SDA", "trailer"), ("AFP", "trailer")}),
        ("Bonn – Die Bischöfe beten für den Frieden.\n\nKNA", {("KNA", "trailer")}),
        ("Frankfurt – Die Kirchen rufen zum Dialog auf.\n\nepd/mhe", {("epd", "trailer")}),
        ("Der Gipfel endete früher.\n\nQuelle: dpa", {("dpa", "trailer")}),
        ("Der Gipfel endete früher.\n\nmit Material von dpa und AFP", {("dpa", "trailer"), ("AFP", "trailer")}),
    ],
)
def test_datelines_and_trailers_are_credits(agencies, text, expected):
    assert credits(agencies, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pjöngjang – Die staatliche Nachrichtenagentur KCNA meldete den Start einer Rakete.",  # cited, not credited
        "Hanoi – Trump und Kim trafen sich. Foto: APA/HANS KLAUS TECHT\n\nDas Treffen dauerte lange.",  # photo credit
        "Die Vereinten Nationen (UN) – eine Bilanz. Der Gipfel endete ohne Einigung.",  # parentheses, no agency
        "Der Gipfel endete ohne Einigung (das hatte niemand erwartet)",  # closing parenthesis of prose
        "Hanoi – Der Gipfel endete früher. (red)",  # only the outlet's own desk
        "Laut AP und Reuters endete das Treffen früher als geplant.",  # agencies in a sentence
    ],
)
def test_cited_agencies_and_photo_credits_are_not_credits(agencies, text):
    assert credits(agencies, text) == set()


def test_byline_names_the_agency(agencies):
    assert credits(agencies, "Der Gipfel beginnt.", author="Anna Muster, AFP") == {("AFP", "byline")}
    assert credits(agencies, "Der Gipfel beginnt.", author="Associated Press") == {("AP", "byline")}
    assert credits(agencies, "Der Gipfel beginnt.", author="APA/red") == {("APA", "byline")}
    assert credits(agencies, "Der Gipfel beginnt.", author="Anna Paul") == set()


def test_one_row_per_article_agency_and_kind(agencies):
    text = "Hanoi (dpa) – Der Gipfel beginnt.\n\nEnde. (dpa/AFP)"
    frame = pl.DataFrame({"article_id": ["x", "y"], "text": [text, "Kein Agenturtext hier."], "author": ["dpa", None]})
    found = detect_agency_credits(frame, agencies)
    assert found.select("article_id", "agency", "kind").rows() == [
        ("x", "dpa", "byline"),
        ("x", "dpa", "dateline"),
        ("x", "AFP", "trailer"),
        ("x", "dpa", "trailer"),
    ]


def test_strip_credits_leaves_the_story(agencies):
    texts = [
        "Hanoi (APA/dpa) – Trump trifft Kim.\n\nDas Treffen beginnt. (APA, 27.2.2019)",
        "Hanoi – Trump trifft Kim.\n\nDas Treffen beginnt.",
        "Trump trifft Kim.\n\nDas Treffen beginnt.\n\nred, APA",
    ]
    stripped = pl.DataFrame({"text": texts}).select(strip_credits(pl.col("text"), agencies)).to_series().to_list()
    assert stripped == ["Trump trifft Kim.\n\nDas Treffen beginnt."] * 3


def test_the_list_is_extendable_and_checked(tmp_path):
    extended = tmp_path / "agencies.csv"
    extended.write_text(
        "agency,name,country,aliases\nVNA,Vietnam News Agency,VN,VNA|TTXVN\nAPA,Austria Presse Agentur,AT,APA\n",
        encoding="utf-8",
    )
    custom = load_agencies(extended)
    frame = pl.DataFrame({"article_id": ["a"], "text": ["Hanoi (TTXVN) – Vietnam ist bereit."], "author": [None]})
    assert detect_agency_credits(frame, custom)["agency"].to_list() == ["VNA"]
    assert custom.digest != load_agencies().digest

    clash = tmp_path / "clash.csv"
    clash.write_text("agency,name,country,aliases\nA,A,AT,XY\nB,B,DE,XY\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'XY' names more than one agency"):
        load_agencies(clash)
    with pytest.raises(ConfigError, match="cannot read the agency list"):
        load_agencies(tmp_path / "missing.csv")
