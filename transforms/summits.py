"""Tag articles with the summits they cover: a score and the evidence behind it.

The calendar is `configs/summits.toml` (dates, places and participants as KB
entity ids, coverage windows, naming phrases per language, weights). Per
article and summit the evidence is: publication date inside the coverage
window (or a penalty outside it), a summit place mentioned (more in the
lead: title and first paragraph), the share of participants mentioned, and a
naming phrase ("zweiten Gipfel", "Hanoi summit") or summit entity. An undated
article is scored from its content alone, and an article without a date in
the window needs a participant or a summit entity besides: a city and the
word "summit" ("ASEAN summit in Hanoi") are not enough. An article is tagged with every
summit whose score reaches `min_score` and `relative_to_best` times the best
score of that article.
"""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

# One row per (article, summit) tag.
ARTICLE_SUMMIT_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "summit_id": pl.String,
        "score": pl.Float64,  # 0-1, sum of the evidence weights
        "evidence": pl.List(pl.String),  # e.g. "phrase:zweiten Gipfel (lead)", "participants:2/2"
    }
)

# The calendar as a table (warehouse `summits`).
SUMMIT_SCHEMA = pl.Schema(
    {
        "summit_id": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "places": pl.List(pl.String),
        "participants": pl.List(pl.String),
        "coverage_start": pl.Date,
        "coverage_end": pl.Date,
    }
)

WEIGHTS = (
    "date_in_window", "date_outside_window", "place_in_lead", "place_later", "participants",
    "phrase_in_lead", "phrase_later", "relative_to_best",
)  # fmt: skip


@dataclass(frozen=True)
class Summit:
    id: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    places: tuple[str, ...]
    participants: tuple[str, ...]
    coverage_start: dt.date
    coverage_end: dt.date
    entities: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SummitCalendar:
    summits: tuple[Summit, ...]
    weights: dict[str, float]

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [
                {
                    "summit_id": s.id, "name": s.name, "kind": s.kind, "start_date": s.start, "end_date": s.end,
                    "places": list(s.places), "participants": list(s.participants),
                    "coverage_start": s.coverage_start, "coverage_end": s.coverage_end,
                }
                for s in self.summits
            ],
            schema=SUMMIT_SCHEMA,
        )  # fmt: skip


class SummitConfigError(ValueError):
    """configs/summits.toml is malformed (permanent)."""


def load_summits(path: Path, known_entities: set[str] | None = None) -> SummitCalendar:
    """Parse and check the calendar; unknown entity ids are an error when `known_entities` is given."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    weights = data.get("scoring", {})
    missing = [w for w in WEIGHTS if w not in weights]
    if missing:
        raise SummitConfigError(f"{path}: [scoring] lacks {missing}")
    summits = []
    for raw in data.get("summit", []):
        try:
            summit = Summit(
                raw["id"], raw["name"], raw.get("kind", ""), raw["start"], raw["end"], tuple(raw["places"]),
                tuple(raw["participants"]), raw["coverage_start"], raw["coverage_end"], tuple(raw.get("entities", ())),
                {lang: tuple(items) for lang, items in raw.get("phrases", {}).items()},
            )  # fmt: skip
        except KeyError as error:
            raise SummitConfigError(f"{path}: summit {raw.get('id', '?')!r} lacks key {error}") from None
        if not (summit.coverage_start <= summit.start <= summit.end <= summit.coverage_end):
            raise SummitConfigError(
                f"{path}: summit {summit.id!r}: need coverage_start <= start <= end <= coverage_end"
            )
        ids = {*summit.places, *summit.participants, *summit.entities}
        if known_entities is not None and ids - known_entities:
            raise SummitConfigError(
                f"{path}: summit {summit.id!r} names unknown entity ids {sorted(ids - known_entities)}"
            )
        summits.append(summit)
    if len({s.id for s in summits}) != len(summits):
        raise SummitConfigError(f"{path}: two summits share an id")
    return SummitCalendar(tuple(summits), {k: float(v) for k, v in weights.items()})


def tag_summits(
    articles: pl.DataFrame, mentions: pl.DataFrame, calendar: SummitCalendar, min_score: float
) -> pl.DataFrame:
    """ARTICLE_SUMMIT_SCHEMA rows for `articles` (article_id, title, text, language, published_at)
    given their canonical `mentions` (article_id, entity_id, start_char)."""
    if articles.is_empty() or not calendar.summits:
        return pl.DataFrame(schema=ARTICLE_SUMMIT_SCHEMA)
    base = articles.select(
        "article_id",
        "language",
        title=pl.col("title").fill_null(""),
        text=pl.col("text").fill_null(""),
        published=pl.col("published_at").dt.date(),
        lead_end=pl.col("text").fill_null("").str.find("\n\n").fill_null(pl.col("text").fill_null("").str.len_chars()),
    )
    scored = pl.concat([_score(base, mentions, summit, calendar.weights) for summit in calendar.summits])
    best = pl.col("score").max().over("article_id")
    return (
        scored.with_columns(score=pl.col("score").clip(0.0, 1.0).round(3))
        .filter((pl.col("score") >= min_score) & (pl.col("score") >= best * calendar.weights["relative_to_best"]))
        .sort("article_id", "score", "summit_id", descending=[False, True, False])
        .select(ARTICLE_SUMMIT_SCHEMA.names())
        .cast(dict(ARTICLE_SUMMIT_SCHEMA))
    )


def _score(base: pl.DataFrame, mentions: pl.DataFrame, summit: Summit, w: dict[str, float]) -> pl.DataFrame:
    found = mentions.select("article_id", "entity_id", "start_char")
    places = _first_mention(found, summit.places, "place")
    entities = _first_mention(found, summit.entities, "entity")
    people = (
        found.filter(pl.col("entity_id").is_in(list(summit.participants)))
        .group_by("article_id")
        .agg(n_participants=pl.col("entity_id").n_unique())
    )
    n = len(summit.participants) or 1
    frame = (
        base.join(places, on="article_id", how="left")
        .join(entities, on="article_id", how="left")
        .join(people, on="article_id", how="left")
        .with_columns(_phrase_columns(summit))
        .with_columns(
            in_window=pl.col("published").is_between(pl.lit(summit.coverage_start), pl.lit(summit.coverage_end)),
            place_lead=pl.col("place_at") < pl.col("lead_end"),
            phrase_lead=pl.col("phrase_in_title")
            | (pl.col("phrase_at") < pl.col("lead_end"))
            | (pl.col("entity_at") < pl.col("lead_end")),
            phrase_any=pl.col("phrase_at").is_not_null()
            | pl.col("entity_at").is_not_null()
            | pl.col("phrase_in_title"),
            share=pl.col("n_participants").fill_null(0) / n,
        )
    )
    date_score = (
        pl.when(pl.col("in_window"))
        .then(w["date_in_window"])
        .when(pl.col("published").is_not_null())
        .then(w["date_outside_window"])
        .otherwise(0.0)
    )
    place_score = (
        pl.when(pl.col("place_lead"))
        .then(w["place_in_lead"])
        .when(pl.col("place_at").is_not_null())
        .then(w["place_later"])
        .otherwise(0.0)
    )
    phrase_score = (
        pl.when(pl.col("phrase_lead"))
        .then(w["phrase_in_lead"])
        .when(pl.col("phrase_any"))
        .then(w["phrase_later"])
        .otherwise(0.0)
    )
    evidence = pl.concat_list(
        pl.when(pl.col("in_window"))
        .then(pl.lit("date:in coverage window"))
        .when(pl.col("published").is_not_null())
        .then(pl.lit("date:outside coverage window")),
        pl.when(pl.col("place_at").is_not_null()).then(
            pl.format(
                "place:{} ({})",
                "place_id",
                pl.when(pl.col("place_lead")).then(pl.lit("lead")).otherwise(pl.lit("body")),
            )
        ),
        pl.when(pl.col("share") > 0).then(pl.format("participants:{}/{}", pl.col("n_participants"), pl.lit(n))),
        pl.when(pl.col("phrase_any")).then(
            pl.format(
                "phrase:{} ({})",
                pl.coalesce("phrase", "entity_id_"),
                pl.when(pl.col("phrase_lead")).then(pl.lit("lead")).otherwise(pl.lit("body")),
            )
        ),
    ).list.drop_nulls()
    _anchored = pl.col("in_window").fill_null(False) | (pl.col("share") > 0) | pl.col("entity_at").is_not_null()
    return frame.with_columns(_anchored=_anchored).select(
        "article_id",
        "_anchored",
        summit_id=pl.lit(summit.id),
        score=date_score + place_score + phrase_score + w["participants"] * pl.col("share"),
        evidence=evidence,
    ).filter(pl.col("evidence").list.len() > 0, pl.col("_anchored")).drop("_anchored")


def _first_mention(found: pl.DataFrame, ids: tuple[str, ...], what: str) -> pl.DataFrame:
    """Per article: the earliest mention of any of `ids` (offset and entity id)."""
    suffix = "id" if what == "place" else "id_"
    return (
        found.filter(pl.col("entity_id").is_in(list(ids)))
        .sort("start_char")
        .group_by("article_id")
        .agg(pl.col("start_char").first().alias(f"{what}_at"), pl.col("entity_id").first().alias(f"{what}_{suffix}"))
    )


def _phrase_columns(summit: Summit) -> list[pl.Expr]:
    """phrase_at (first offset in text), phrase (as written), phrase_in_title, per the article's language."""
    at, phrase, in_title = [], [], []
    for language, phrases in summit.phrases.items():
        if not phrases:
            continue
        pattern = r"(?i)(?:^|[^\p{L}\p{N}])(" + "|".join(re.escape(p) for p in phrases) + r")(?:[^\p{L}\p{N}]|$)"
        is_language = pl.col("language") == language
        at.append(pl.when(is_language).then(pl.col("text").str.find(pattern)))
        phrase.append(pl.when(is_language).then(pl.col("text").str.extract(pattern, 1)))
        in_title.append(pl.when(is_language).then(pl.col("title").str.contains(pattern)))
    if not at:
        return [
            pl.lit(None, pl.Int64).alias("phrase_at"),
            pl.lit(None, pl.String).alias("phrase"),
            pl.lit(False).alias("phrase_in_title"),
        ]
    return [
        pl.coalesce(at).alias("phrase_at"),
        pl.coalesce(phrase).alias("phrase"),
        pl.coalesce(in_title).fill_null(False).alias("phrase_in_title"),
    ]
