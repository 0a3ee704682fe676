"""`newsflow sql`: read-only ad-hoc SQL over the last committed state."""

import argparse

from newsflow.commands.common import add_command, read_warehouse
from newsflow.commands.output import add_output_options, write_frame


def sql(args: argparse.Namespace) -> int:
    from warehouse.query import run_query

    with read_warehouse(args) as con:
        frame = run_query(con, args.query)
    write_frame(frame, args.format, args.output, args.max_rows)
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "sql", sql, "run a read-only SQL query against the warehouse")
    command.add_argument("query", help="SELECT … (writes are refused)")
    add_output_options(command)
