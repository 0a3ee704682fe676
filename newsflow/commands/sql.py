"""`newsflow sql`: read-only ad-hoc SQL."""

import argparse

from newsflow.commands.common import add_command, print_frame, read_warehouse


def sql(args: argparse.Namespace) -> int:
    from warehouse.query import run_query

    with read_warehouse(args) as con:
        frame = run_query(con, args.query)
    print_frame(frame, args.format)
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "sql", sql, "run a read-only SQL query against the warehouse")
    command.add_argument("query", help="SELECT … (writes are refused)")
    command.add_argument("--format", choices=("table", "csv", "json"), default="table")
