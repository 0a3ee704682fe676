"""Printing and saving query results: readable tables, CSV, JSON, Parquet.

Tables fit the terminal: every column gets a fair share of the width (long
values are cut with "…", newlines shown as "⏎"), at most `max_rows` rows are
printed, and the footer says how many rows there are in all.
"""

import shutil
import sys
from pathlib import Path

import polars as pl

from newsflow.errors import NewsflowError

FORMATS = ("table", "csv", "json", "parquet")
MIN_COLUMN = 6
EXPANDED_BELOW = 10  # a column squeezed under this many characters: print one record per block instead


def _cell(value, limit: int) -> str:
    text = "NULL" if value is None else str(value).replace("\r\n", "⏎").replace("\n", "⏎").replace("\t", " ")
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def column_widths(natural: list[int], total: int) -> list[int]:
    """Shrink the widest columns first until the row (with 3-char separators) fits `total`."""
    widths = list(natural)
    budget = total - 3 * max(len(widths) - 1, 0)
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
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
    types = [str(dtype).lower() for dtype in frame.dtypes]
    cells = [[_cell(v, 10_000) for v in row] for row in shown.iter_rows()]
    natural = [
        max([len(h), len(t)] + [len(row[i]) for row in cells]) for i, (h, t) in enumerate(zip(headers, types))
    ]
    widths = column_widths(natural, width)
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
        lines += [f"{name.ljust(name_width)} │ {_cell(value, value_width)}" for name, value in zip(frame.columns, row)]
    total = frame.height
    shown_rows = shown.height
    lines.append(
        f"(showing {shown_rows} of {total} rows; use --max-rows or --format csv --output FILE for all)"
        if total > shown_rows else f"({total} row{'s' if total != 1 else ''})"
    )
    return "\n".join(lines)


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
            frame.write_csv(path)
        elif fmt == "json":
            path.write_text(frame.write_json() + "\n", encoding="utf-8")
        else:
            path.write_text(render_table(frame, width=10_000, max_rows=frame.height) + "\n", encoding="utf-8")
        print(f"wrote {frame.height} row(s) to {path}", file=sys.stderr)
        return
    if fmt == "parquet":
        raise NewsflowError("--format parquet needs --output FILE", fix="e.g. --format parquet --output result.parquet")
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        print(render_table(frame, max_rows=max_rows))


def add_output_options(command, default_rows: int = 40) -> None:
    command.add_argument("--format", choices=FORMATS, default="table", help="table (default), csv, json or parquet")
    command.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of printing it")
    command.add_argument("--max-rows", type=int, default=default_rows, help=f"rows a table shows (default {default_rows})")
