"""The `newsflow` command: thin wrappers, one library call per command."""

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from newsflow.errors import NewsflowError
from newsflow.settings import PROJECT_DIR, load_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _prepare_prefect_env() -> None:
    """Keep Prefect's state in the project and offline unless the user chose otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_DIR / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _db_path(args: argparse.Namespace) -> Path:
    settings = load_settings(args.config)
    return Path(args.db or settings.warehouse.path).expanduser().resolve()


def cmd_run(args: argparse.Namespace) -> int:
    _prepare_prefect_env()
    from flows.build_corpus import build_corpus  # Prefect is imported only for runs
    from flows.summary import render_text
    from warehouse.connection import open_warehouse
    from warehouse.report import run_report

    result = build_corpus(paths=args.paths or None, db=args.db, config=args.config)
    settings = load_settings(args.config)
    with open_warehouse(result["db"], read_only=True, timeout_seconds=settings.warehouse.read_timeout_seconds) as con:
        print(render_text(run_report(con, result["run_id"])))
    print(f"warehouse: {result['db']}")
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.connection import open_warehouse
    from warehouse.query import run_query

    settings = load_settings(args.config)
    with open_warehouse(_db_path(args), read_only=True, timeout_seconds=settings.warehouse.read_timeout_seconds) as con:
        frame = run_query(con, args.query)
    print_frame(frame, args.format)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.connection import open_warehouse
    from warehouse.query import warehouse_status

    settings = load_settings(args.config)
    db = _db_path(args)
    with open_warehouse(db, read_only=True, timeout_seconds=settings.warehouse.read_timeout_seconds) as con:
        status = warehouse_status(con)
    print(f"warehouse: {db}")
    for title, frame in (("tables", status.table_counts), ("last runs", status.last_runs), ("rejects", status.rejects_by_reason)):
        print(f"\n{title}:")
        print_frame(frame, "table")
    return EXIT_OK


def print_frame(frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        width = shutil.get_terminal_size((120, 24)).columns
        with pl.Config(tbl_rows=50, tbl_cols=-1, tbl_width_chars=width, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
            print(frame)
        print(f"({frame.height} row{'s' if frame.height != 1 else ''})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description="News articles to a queryable DuckDB corpus.")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--db", help="DuckDB warehouse file (default: warehouse.path from the config)")
        command.add_argument("--config", help="TOML file layered over configs/default.toml")
        command.set_defaults(handler=handler)
        return command

    run = add("run", cmd_run, "ingest files and directories into the warehouse")
    run.add_argument("paths", nargs="*", help="files or directories (default: input.paths, i.e. seeds/)")
    sql = add("sql", cmd_sql, "run a read-only SQL query against the warehouse")
    sql.add_argument("query", help="SELECT … (writes are refused)")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add("status", cmd_status, "row counts, last runs and rejects")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except NewsflowError as error:
        print(f"newsflow: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("newsflow: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
