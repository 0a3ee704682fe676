"""Printing and saving query results: readable tables, CSV, JSON, Parquet.

Tables fit the terminal: every column gets a fair share of the width (long
values are cut with "…", newlines shown as "⏎"; identifiers such as run_id
and article_id are never cut), at most `max_rows` rows are printed, and the
footer says how many rows there are in all. Column types are shown as SQL
types (as `newsflow schema` names them) and floats rounded to 4 decimals for
display only. CSV renders list and struct columns as JSON text, as DuckDB's
own CLI does.
"""

import shutil
import sys
from pathlib import Path

import polars as pl

from newsflow.errors import NewsflowError

FORMATS = ("table", "csv", "json", "parquet")
MIN_COLUMN = 6
EXPANDED_BELOW = 10  # a column squeezed under this many characters: print one record per block instead


DISPLAY_DECIMALS = 4
_SQL_TYPES = {
    pl.String: "VARCHAR", pl.Int8: "TINYINT", pl.Int16: "SMALLINT", pl.Int32: "INTEGER", pl.Int64: "BIGINT",
    pl.Int128: "HUGEINT", pl.UInt8: "UTINYINT", pl.UInt16: "USMALLINT", pl.UInt32: "UINTEGER", pl.UInt64: "UBIGINT",
    pl.Float32: "FLOAT", pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN", pl.Date: "DATE", pl.Time: "TIME",
    pl.Duration: "INTERVAL", pl.Binary: "BLOB", pl.Null: "NULL", pl.Categorical: "VARCHAR", pl.Enum: "ENUM",
}  # fmt: skip


def sql_type(dtype: pl.DataType) -> str:
    """The DuckDB name of a result column's type (TIMESTAMP WITH TIME ZONE, VARCHAR[], STRUCT(a BIGINT))."""
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP WITH TIME ZONE" if dtype.time_zone else "TIMESTAMP"
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.List):
        return f"{sql_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Array):
        return f"{sql_type(dtype.inner)}[{dtype.size}]"
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f"{f.name} {sql_type(f.dtype)}" for f in dtype.fields) + ")"
    return _SQL_TYPES.get(dtype.base_type(), str(dtype).upper())


def is_identifier(column: str) -> bool:
    """Columns whose values are looked up elsewhere (run ids for `rejects --run`): shown whole."""
    return column == "id" or column.endswith("_id")


def _cell(value, limit: int) -> str:
    if isinstance(value, float):
        text = _rounded(value)
    else:
        text = "NULL" if value is None else str(value).replace("\r\n", "⏎").replace("\n", "⏎").replace("\t", " ")
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def _rounded(value: float) -> str:
    """0.123456 -> "0.1235", 3.0 -> "3.0", 1.5e-07 -> "1.5e-07" (tiny values keep their magnitude)."""
    if value != value or value in (float("inf"), float("-inf")) or value == 0 or abs(value) >= 10**-DISPLAY_DECIMALS:
        text = f"{value:.{DISPLAY_DECIMALS}f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    return f"{value:.2g}"


def column_widths(natural: list[int], total: int, fixed: list[bool] | None = None) -> list[int]:
    """Shrink the widest columns first until the row (with 3-char separators) fits `total`;
    `fixed` columns (identifiers) keep their natural width."""
    widths = list(natural)
    fixed = fixed or [False] * len(widths)
    budget = total - 3 * max(len(widths) - 1, 0)
    while sum(widths) > budget:
        candidates = [i for i in range(len(widths)) if not fixed[i]]
        if not candidates:
            break
        widest = max(candidates, key=widths.__getitem__)
        if widths[widest] <= MIN_COLUMN:
            break  # too many columns for the terminal: keep a readable minimum and let it wrap
        widths[widest] -= 1
    return widths


def render_table(frame: pl.DataFrame, width: int | None = None, max_rows: int = 40) -> str:
    width = width or shutil.get_terminal_size((120, 24)).columns
    shown = frame.head(max_rows)
    if not frame.columns:
        return "(no columns)"
    headers = frame.columns
    types = [sql_type(dtype) for dtype in frame.dtypes]
    cells = [[_cell(v, 10_000) for v in row] for row in shown.iter_rows()]
    natural = [
        max([len(h), len(t)] + [len(row[i]) for row in cells]) for i, (h, t) in enumerate(zip(headers, types))
    ]
    widths = column_widths(natural, width, [is_identifier(name) for name in headers])
    if any(w < min(n, EXPANDED_BELOW) for w, n in zip(widths, natural)):
        return _render_expanded(frame, shown, types, width)

    def line(values: list[str]) -> str:
        return " │ ".join(_cell(v, w).ljust(w) for v, w in zip(values, widths)).rstrip()

    rule = "─┼─".join("─" * w for w in widths)
    lines = [line(headers), line(types), rule] + [line(row) for row in cells]
    rows = frame.height
    if rows > shown.height:
        lines.append(f"(showing {shown.height} of {rows} rows; use --max-rows or --format csv --output FILE for all)")
    else:
        lines.append(f"({rows} row{'s' if rows != 1 else ''})")
    return "\n".join(lines)


def _render_expanded(frame: pl.DataFrame, shown: pl.DataFrame, types: list[str], width: int) -> str:
    """One block per record (psql's \\x): for results with more columns than the terminal fits."""
    name_width = max(len(c) for c in frame.columns)
    value_width = max(width - name_width - 3, 20)
    lines = []
    for number, row in enumerate(shown.iter_rows(), start=1):
        lines.append(f"-[ record {number} ]".ljust(min(width, 60), "-"))
        lines += [
            f"{name.ljust(name_width)} │ {_cell(value, 10_000 if is_identifier(name) else value_width)}"
            for name, value in zip(frame.columns, row)
        ]
    total = frame.height
    shown_rows = shown.height
    lines.append(
        f"(showing {shown_rows} of {total} rows; use --max-rows or --format csv --output FILE for all)"
        if total > shown_rows else f"({total} row{'s' if total != 1 else ''})"
    )
    return "\n".join(lines)


def nested_as_json(frame: pl.DataFrame) -> pl.DataFrame:
    """List, array and struct columns as JSON text (CSV has no nested values); null stays empty."""
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.when(pl.col(name).is_not_null())
        .then(pl.struct(pl.col(name).alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}"))
        .alias(name)
        for name in nested
    )


def write_frame(frame: pl.DataFrame, fmt: str = "table", output: str | None = None, max_rows: int = 40) -> None:
    """Print `frame` in `fmt`, or write it to `output` (required for parquet)."""
    if fmt not in FORMATS:
        raise NewsflowError(f"unknown format {fmt!r}", fix=f"use one of {', '.join(FORMATS)}")
    if output:
        path = Path(output).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            frame.write_parquet(path)
        elif fmt == "csv":
            nested_as_json(frame).write_csv(path)
        elif fmt == "json":
            path.write_text(frame.write_json() + "\n", encoding="utf-8")
        else:
            path.write_text(render_table(frame, width=10_000, max_rows=frame.height) + "\n", encoding="utf-8")
        print(f"wrote {frame.height} row(s) to {path}", file=sys.stderr)
        return
    if fmt == "parquet":
        raise NewsflowError("--format parquet needs --output FILE", fix="e.g. --format parquet --output result.parquet")
    if fmt == "csv":
        sys.stdout.write(nested_as_json(frame).write_csv())
    elif fmt == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        print(render_table(frame, max_rows=max_rows))


def add_output_options(command, default_rows: int = 40) -> None:
    command.add_argument("--format", choices=FORMATS, default="table", help="table (default), csv, json or parquet")
    command.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of printing it")
    command.add_argument("--max-rows", type=int, default=default_rows, help=f"rows a table shows (default {default_rows})")
