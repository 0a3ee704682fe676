"""News-agency credits of an article: which agency's story an outlet ran.

A credit is an agency named where newsrooms credit agencies, never an agency
merely cited in the story ("meldete die Nachrichtenagentur KCNA" is not a
credit, nor is a photo credit "Foto: APA/Techt"):

* dateline — the opening "Wien/Seoul (dpa) –", "HANOI (Reuters) -",
  "Hanoi (APA/dpa/AFP) –": a place, then agencies in parentheses, then a dash;
* trailer — the closing "(APA, 27.2.2019)", "(red, APA)", "(sda/afp)" at the
  end of the last paragraph, or a last line of its own such as "red, APA",
  "mhe/dpa" or "Quelle: dpa";
* byline — the `author` field naming an agency ("dpa", "Anna Muster, AFP").

A dateline or trailer counts only when everything inside it is a credit token:
an agency alias, "red"/"Red." (the outlet's own desk), newsroom initials (2-4
lower-case letters) or a date. The agencies and their spellings are plain data
in `configs/agencies.csv` (agency, name, country, aliases separated by "|"), to
be extended without code; aliases are matched case-sensitively as written.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import polars as pl

from newsflow.errors import ConfigError
from newsflow.settings import CONFIG_DIR

AGENCIES_CSV = CONFIG_DIR / "agencies.csv"
AGENCY_COLUMNS = pl.Schema({"agency": pl.String, "name": pl.String, "country": pl.String, "aliases": pl.String})

# One row per (article, agency, kind): the article_agencies table.
AGENCY_CREDIT_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "agency": pl.String,  # agencies.csv `agency`
        "kind": pl.String,  # dateline | trailer | byline
        "evidence": pl.String,  # the credit as written
    }
)

_MONTHS = "Jänner|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
# Tokens that may stand next to agencies in a credit without being one.
_FILLER = (
    r"(?:[Rr]ed\.?|Redaktion|Agenturen|[a-zäöü]{2,4}"
    r"|\d{1,2}\.\s?\d{1,2}\.(?:\d{2,4})?|\d{1,2}\.\s?(?:" + _MONTHS + r")(?:\s\d{4})?)"
)
_PREFIX = r"(?:(?:Quellen?|Material|Agenturen|[Mm]it Material (?:von|der)|Text)\s*:?\s+|©\s*)?"
_SEPARATOR = r"\s*(?:[,/;&+]|\bund\b)\s*"
_TOKEN_SPLIT = r"[,/;&+()]|\bund\b|\s+[-–—]\s+"


@dataclass(frozen=True)
class AgencyList:
    """The shipped agency list with the credit patterns built from it."""

    agencies: pl.DataFrame  # AGENCY_COLUMNS
    aliases: pl.DataFrame  # alias -> agency

    @cached_property
    def digest(self) -> str:
        """Changes when any alias or its agency changes (stored with signatures: credits are stripped before comparing)."""
        rows = sorted(self.aliases.select("alias", "agency").iter_rows())
        return hashlib.blake2b(repr(rows).encode(), digest_size=4).hexdigest()

    @cached_property
    def _alias_pattern(self) -> str:
        # Longest first, so "dpa-AFX" wins over "dpa" and "KCNA/KNS" over "KCNA".
        names = sorted(self.aliases["alias"].to_list(), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(name) for name in names) + ")"

    @cached_property
    def credit_list(self) -> str:
        token = f"(?:{self._alias_pattern}|{_FILLER})"
        return f"{_PREFIX}{token}(?:{_SEPARATOR}{token})*"

    @cached_property
    def dateline(self) -> str:
        """Place (capitalised, no sentence punctuation), agencies in parentheses, a dash."""
        return rf"^\s*[A-ZÄÖÜ][^\n()!?;:]{{0,80}}?\s*\(({self.credit_list})\)\s*[-–—:]\s*"

    @cached_property
    def trailer(self) -> str:
        """A closing parenthesis of credits, or a last line that is only credits."""
        return rf"(?:\s*\(({self.credit_list})\)|\n\s*({self.credit_list}))\s*\.?\s*$"



@lru_cache(maxsize=4)
def load_agencies(path: Path = AGENCIES_CSV) -> AgencyList:
    """Read agencies.csv; a missing file or column is a ConfigError naming it."""
    try:
        frame = pl.read_csv(path, schema=AGENCY_COLUMNS, comment_prefix="#")
    except (FileNotFoundError, pl.exceptions.PolarsError) as error:
        raise ConfigError(
            f"cannot read the agency list {path}: {error}",
            fix="restore configs/agencies.csv (columns agency,name,country,aliases)",
        ) from None
    if frame["agency"].null_count() or frame["aliases"].null_count():
        raise ConfigError(f"{path}: every row needs an agency and at least one alias")
    aliases = (
        frame.select("agency", alias=pl.col("aliases").str.split("|"))
        .explode("alias")
        .with_columns(pl.col("alias").str.strip_chars())
        .filter(pl.col("alias") != "")
    )
    clash = aliases.group_by("alias").agg(pl.col("agency").n_unique()).filter(pl.col("agency") > 1)
    if clash.height:
        raise ConfigError(f"{path}: alias {clash['alias'][0]!r} names more than one agency")
    return AgencyList(frame, aliases.unique("alias", keep="first", maintain_order=True))


def detect_agency_credits(articles: pl.DataFrame, agencies: AgencyList) -> pl.DataFrame:
    """Articles (article_id, text, author) -> AGENCY_CREDIT_SCHEMA rows, one per (article, agency, kind)."""
    evidence = articles.select(
        "article_id",
        dateline=pl.col("text").str.extract(agencies.dateline, 1),
        trailer=pl.coalesce(
            pl.col("text").str.extract(agencies.trailer, 1), pl.col("text").str.extract(agencies.trailer, 2)
        ),
        byline=pl.col("author"),
    ).unpivot(index="article_id", variable_name="kind", value_name="evidence")
    # Candidates: each separated part ("Associated Press") and each word in it ("Quelle: dpa" -> "dpa").
    parts = pl.col("evidence").str.replace_all(_TOKEN_SPLIT, "\x1f").str.split("\x1f")
    credits = (
        evidence.drop_nulls("evidence")
        .with_columns(part=parts)
        .explode("part")
        .with_columns(alias=pl.concat_list(pl.col("part"), pl.col("part").str.split(" ")))
        .explode("alias")
        .with_columns(pl.col("alias").str.strip_chars(" .:"))
        .join(agencies.aliases, on="alias", how="inner")
        .unique(["article_id", "agency", "kind"], keep="first", maintain_order=True)
    )
    return credits.select(AGENCY_CREDIT_SCHEMA.names()).cast(dict(AGENCY_CREDIT_SCHEMA)).sort("article_id", "kind", "agency")


# A dateline without credits: "Wien – ", "Washington/Hanoi – " (place words, then a spaced dash).
PLAIN_DATELINE = r"^\s*[A-ZÄÖÜ][\p{L}/.\- ]{0,40}?\s[–—-]\s+"


def strip_credits(text: pl.Expr, agencies: AgencyList) -> pl.Expr:
    """The text without its dateline (with or without credits) and credit trailer: what is compared as the story."""
    return (
        text.str.replace(agencies.dateline, "").str.replace(PLAIN_DATELINE, "").str.replace(agencies.trailer, "")
    )
