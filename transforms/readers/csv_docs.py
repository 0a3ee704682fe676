"""CSV and TSV files: one article per row, columns mapped to fields (csv.* config).

Parsed by Polars in one vectorised pass, every column as a string. The
dialect comes from the config: delimiter ("auto" sniffs , ; tab | from the
first line; .tsv is tab), quote character, header or named columns. A field's
column is configured (csv.columns) or found by name among the JSON field
map's candidates. Rows are keyed "R<n>" (1-based data row); a row without text
is a NO_TEXT reject of its own; a file that does not parse is INVALID_CSV.
"""

from collections.abc import Mapping, Sequence

import polars as pl

from transforms.dates import parse_date
from transforms.readers.options import CsvOptions
from transforms.readers.records import ReadResult, article_id, language_tag, rejected
from transforms.rejects import Reject, RejectReason
from transforms.schemas import FIELD_SOURCES_DTYPE, PROVENANCE_FIELDS, RAW_ARTICLE_SCHEMA, conform

SNIFF_DELIMITERS = (",", ";", "\t", "|")
FIELDS = ("text", "title", "published_at", "outlet", "author", "url", "language", "section")


def read_csv(
    path: str, text: str, encoding: str, options: CsvOptions, field_map: Mapping[str, Sequence[str]], *, tsv: bool
) -> ReadResult:
    delimiter = "\t" if tsv else _sniff_delimiter(text) if options.delimiter == "auto" else options.delimiter
    try:
        frame = pl.read_csv(
            text.encode("utf-8", "surrogatepass"),
            separator=delimiter,
            quote_char=options.quote_char or None,
            has_header=options.has_header,
            new_columns=list(options.column_names) or None,
            infer_schema=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
            glob=False,
        )
    except (pl.exceptions.PolarsError, ValueError) as error:
        detail = f"not CSV with delimiter {delimiter!r} and quote {options.quote_char!r}: {_first_line(error)}"
        return rejected(path, "parse", RejectReason.INVALID_CSV, detail)
    columns = _columns(frame.columns, options.columns, field_map)
    if "text" not in columns:
        detail = f"no text column among {frame.columns}; set csv.columns.text (or csv.column_names)"
        return rejected(path, "parse", RejectReason.INVALID_CSV, detail)
    if frame.is_empty():
        return rejected(path, "parse", RejectReason.EMPTY, "CSV file has no data rows")
    return _articles(path, frame, columns, encoding)


def _articles(path: str, frame: pl.DataFrame, columns: Mapping[str, str], encoding: str) -> ReadResult:
    items = pl.int_range(1, pl.len() + 1).cast(pl.String)
    values = frame.select(
        ("R" + items).alias("item"),
        *[pl.col(column).str.strip_chars().replace("", None).alias(name) for name, column in columns.items()],
    )
    has_text = values.get_column("text").is_not_null()
    missing = values.filter(~has_text).get_column("item").to_list()
    rejects = [
        Reject(path, "parse", RejectReason.NO_TEXT, f"empty {columns['text']!r} column", item) for item in missing
    ]
    kept = values.filter(has_text)
    found = {name: pl.when(pl.col(name).is_not_null()).then(pl.lit("record")) for name in columns}
    sources = pl.struct([found.get(name, pl.lit(None, pl.String)).alias(name) for name in PROVENANCE_FIELDS]).cast(
        FIELD_SOURCES_DTYPE
    )
    articles = kept.with_columns(
        article_id=pl.Series([article_id(path, item) for item in kept.get_column("item")], dtype=pl.String),
        source_path=pl.lit(path),
        text=pl.col("text").str.replace_all(r"\r\n?", "\n"),
        encoding=pl.lit(encoding),
        format=pl.lit("csv"),
        **_typed(kept, columns),
        field_sources=sources,
    )
    return ReadResult(conform(articles, RAW_ARTICLE_SCHEMA), rejects)


def _typed(frame: pl.DataFrame, columns: Mapping[str, str]) -> dict[str, pl.Expr]:
    """Dates and language tags parsed from their distinct strings (few, in news CSVs)."""
    typed = {}
    if "published_at" in columns:
        distinct = frame.get_column("published_at").drop_nulls().unique().to_list()
        parsed = {value: parse_date(value) for value in distinct}
        typed["published_at"] = pl.col("published_at").replace_strict(
            parsed, default=None, return_dtype=pl.Datetime("us", "UTC")
        )
    if "language" in columns:
        distinct = frame.get_column("language").drop_nulls().unique().to_list()
        typed["language"] = pl.col("language").replace_strict(
            {v: language_tag(v) for v in distinct}, default=None, return_dtype=pl.String
        )
    return typed


def _columns(
    names: Sequence[str], configured: Mapping[str, str], field_map: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Field -> column: the configured column if present, else the first candidate name found."""
    by_lower = {name.strip().lower(): name for name in names}
    found = {}
    for field in FIELDS:
        if configured.get(field):
            if configured[field] in names:
                found[field] = configured[field]
            continue
        candidates = (field, *field_map.get(field, ()))
        match = next((by_lower[c.lower()] for c in candidates if c.lower() in by_lower), None)
        if match is not None and match not in found.values():
            found[field] = match
    return found


def _sniff_delimiter(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return max(SNIFF_DELIMITERS, key=first.count)


def _first_line(error: Exception) -> str:
    return str(error).strip().split("\n", 1)[0][:300]
