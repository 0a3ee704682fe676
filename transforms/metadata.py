"""Article metadata from outside the article, and where every field came from.

Precedence, strongest first: a sidecar `<file>.meta.json`, a manifest CSV row
(configs: metadata.manifests), then what the reader found (HTML meta, feed,
WARC headers, JSON/CSV record, front matter, extraction). `field_sources`
records the winner per field. When nothing names the outlet it is the URL's
registered domain (public suffix list, via `tld`). A publication date before
1990 or in the future is kept but flagged in `published_at_flag`.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
from newsflow.errors import ConfigError
from transforms.dates import date_precision, parse_date
from transforms.domains import registered_domain
from transforms.readers import SIDECAR_SUFFIX
from transforms.readers.records import language_tag
from transforms.safe_text import has_surrogates
from transforms.schemas import FIELD_SOURCES_DTYPE, PROVENANCE_FIELDS

OVERRIDE_FIELDS = PROVENANCE_FIELDS  # title, published_at, outlet, url, author, language, section
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)  # time zones and clock skew
MANIFEST_PATH_COLUMN = "path"
OVERRIDE_PRECEDENCE = ("sidecar", "manifest")  # strongest first


def sidecar_path(path: str) -> str:
    return path + SIDECAR_SUFFIX


def parse_sidecar(data: bytes) -> dict[str, str] | str:
    """The override fields of a sidecar, or why it is unusable (a reject detail)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        return f"sidecar is not JSON: {error}"
    if not isinstance(document, dict):
        return f"sidecar holds {type(document).__name__}, not an object"
    unknown = sorted(set(document) - set(OVERRIDE_FIELDS))
    if unknown:
        return f"unknown sidecar key(s) {unknown}; known: {list(OVERRIDE_FIELDS)}"
    fields = {}
    for key, value in document.items():
        if value is None:
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return f"sidecar key {key!r} is {type(value).__name__}, not a string"
        if isinstance(value, str) and has_surrogates(value):
            return f"sidecar key {key!r} holds a lone surrogate (a \\ud800-\\udfff escape), not text"
        fields[key] = str(value)
    return fields


def load_manifests(paths: Sequence[str]) -> pl.DataFrame:
    """All manifest rows: `path` (absolute, or "archive!member") plus override columns (strings)."""
    frames = [_load_manifest(Path(path).expanduser().resolve()) for path in paths]
    schema = {MANIFEST_PATH_COLUMN: pl.String, **dict.fromkeys(OVERRIDE_FIELDS, pl.String)}
    if not frames:
        return pl.DataFrame(schema=schema)
    combined = pl.concat(
        [
            frame.select([pl.col(n) if n in frame.columns else pl.lit(None, pl.String).alias(n) for n in schema])
            for frame in frames
        ]
    )
    return combined.unique(MANIFEST_PATH_COLUMN, keep="last", maintain_order=True)


def _load_manifest(path: Path) -> pl.DataFrame:
    fix = "a manifest is a CSV file with a header: path plus any of " + ", ".join(OVERRIDE_FIELDS)
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise ConfigError(f"manifest {path} cannot be read: {error}", fix=fix) from None
    unknown = sorted(set(frame.columns) - {MANIFEST_PATH_COLUMN, *OVERRIDE_FIELDS})
    if MANIFEST_PATH_COLUMN not in frame.columns or unknown:
        raise ConfigError(f"manifest {path} has columns {frame.columns} (unknown: {unknown})", fix=fix)
    base = str(path.parent) + "/"
    absolute = pl.col(MANIFEST_PATH_COLUMN).str.strip_chars()
    return frame.with_columns(
        pl.when(absolute.str.starts_with("/"))
        .then(absolute)
        .otherwise(pl.lit(base) + absolute)
        .alias(MANIFEST_PATH_COLUMN)
    )


def apply_overrides(articles: pl.DataFrame, overrides: Mapping[str, str], source: str) -> pl.DataFrame:
    """Set the given fields on every row (a sidecar); mark them as coming from `source`."""
    if articles.is_empty() or not overrides:
        return articles
    table = pl.DataFrame(
        {name: [value] for name, value in overrides.items()}, schema=dict.fromkeys(overrides, pl.String)
    )
    return _override(articles.with_columns(_key=pl.lit(0)), table.with_columns(_key=pl.lit(0)), source)


def apply_member_sidecars(articles: pl.DataFrame, sidecars: Mapping[str, Mapping[str, str]]) -> pl.DataFrame:
    """Sidecars of archive members ("a.zip!b.html" -> fields), applied to that member's rows only."""
    if articles.is_empty() or not sidecars:
        return articles
    rows = [{"_key": path, **fields} for path, fields in sidecars.items()]
    table = pl.DataFrame(rows, schema={"_key": pl.String, **dict.fromkeys(OVERRIDE_FIELDS, pl.String)})
    return _override(articles.with_columns(_key=pl.col("source_path")), table, "sidecar")


def apply_manifest(articles: pl.DataFrame, manifest: pl.DataFrame) -> pl.DataFrame:
    """Manifest rows override by exact source path; a row naming an archive covers all its members."""
    if articles.is_empty() or manifest.is_empty():
        return articles
    top = pl.col("source_path").str.split("!").list.first()
    keyed = articles.with_columns(
        _key=pl.when(pl.col("source_path").is_in(manifest[MANIFEST_PATH_COLUMN].implode()))
        .then(pl.col("source_path"))
        .otherwise(top)
    )
    return _override(keyed, manifest.rename({MANIFEST_PATH_COLUMN: "_key"}), "manifest")


def _override(keyed: pl.DataFrame, table: pl.DataFrame, source: str) -> pl.DataFrame:
    """Join overrides on _key; a field set by a stronger source (a sidecar over a manifest) stays."""
    fields = [name for name in OVERRIDE_FIELDS if name in table.columns]
    stronger = list(OVERRIDE_PRECEDENCE[: OVERRIDE_PRECEDENCE.index(source)])
    parsed = table.select(
        "_key",
        *[_parsed(name).alias(f"_new_{name}") for name in fields],
        *([_override_text("published_at").map_elements(date_precision, return_dtype=pl.String).alias("_precision")]
          if "published_at" in fields else []),
    )
    joined = keyed.join(parsed, on="_key", how="left", maintain_order="left")
    has = {
        name: pl.col(f"_new_{name}").is_not_null()
        & ~pl.col("field_sources").struct.field(name).fill_null("").is_in(stronger)
        for name in fields
    }
    current = {name: pl.col("field_sources").struct.field(name) for name in PROVENANCE_FIELDS}
    sources = pl.struct(
        [
            (pl.when(has[name]).then(pl.lit(source)).otherwise(current[name]) if name in has else current[name]).alias(
                name
            )
            for name in PROVENANCE_FIELDS
        ]
    ).cast(FIELD_SOURCES_DTYPE)
    precision = (
        [pl.when(has["published_at"]).then(pl.col("_precision")).otherwise(pl.col("published_precision"))
         .alias("published_precision")] if "published_at" in fields else []
    )
    return joined.with_columns(
        *[pl.when(has[name]).then(pl.col(f"_new_{name}")).otherwise(pl.col(name)).alias(name) for name in fields],
        *precision,
        field_sources=sources,
    ).drop("_key", *[f"_new_{name}" for name in fields], *(["_precision"] if precision else []))


def _override_text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars().replace("", None)


def _parsed(name: str) -> pl.Expr:
    """Override strings to the article column's type (blank means no override)."""
    value = _override_text(name)
    if name == "published_at":
        return value.map_elements(parse_date, return_dtype=pl.Datetime("us", "UTC"))
    if name == "language":
        return value.map_elements(language_tag, return_dtype=pl.String)
    return value


def derive_outlet(articles: pl.DataFrame) -> pl.DataFrame:
    """Outlet from the URL's registered domain ("www.spiegel.de/x" -> "spiegel.de") where none is named."""
    missing = pl.col("outlet").is_null() & pl.col("url").is_not_null()
    urls = articles.filter(missing).get_column("url").unique().to_list()
    if not urls:
        return articles
    domains = {url: registered_domain(url) for url in urls}
    domain = pl.col("url").replace_strict(domains, default=None, return_dtype=pl.String)
    found = missing & domain.is_not_null()
    return articles.with_columns(
        outlet=pl.when(found).then(domain).otherwise(pl.col("outlet")),
        field_sources=pl.col("field_sources").struct.with_fields(
            outlet=pl.when(found).then(pl.lit("extraction")).otherwise(pl.field("outlet"))
        ),
    )


def flag_dates(articles: pl.DataFrame, now: datetime | None = None) -> pl.DataFrame:
    """published_at_flag: before_1990 | future (kept, not dropped); null when plausible or absent."""
    latest = (now or datetime.now(UTC)) + FUTURE_TOLERANCE
    published = pl.col("published_at")
    return articles.with_columns(
        published_at_flag=pl.when(published < EARLIEST_PLAUSIBLE)
        .then(pl.lit("before_1990"))
        .when(published > latest)
        .then(pl.lit("future"))
    )


def settle_language_source(articles: pl.DataFrame, min_confidence: float) -> pl.DataFrame:
    """After identification: a declared language kept (confidence 1.0) keeps its source;
    otherwise "identified" (lingua at or above min_confidence) or "default"."""
    declared_kept = (
        pl.col("field_sources").struct.field("language").is_not_null()
        & (pl.col("language_confidence") == 1.0)
        & pl.col("language").eq_missing(pl.col("language_declared")).or_(pl.col("language_declared").is_null())
    )
    source = (
        pl.when(declared_kept)
        .then(pl.field("language"))
        .when(pl.col("language_confidence") >= min_confidence)
        .then(pl.lit("identified"))
        .otherwise(pl.lit("default"))
    )
    return articles.with_columns(field_sources=pl.col("field_sources").struct.with_fields(language=source))
