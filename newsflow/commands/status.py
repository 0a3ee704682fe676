"""`newsflow status`: row counts, last runs and rejects by reason."""

import argparse

from newsflow.commands.common import add_command, db_path_of, read_warehouse
from newsflow.commands.output import write_frame


def status(args: argparse.Namespace) -> int:
    from warehouse.lock import run_in_progress
    from warehouse.query import warehouse_status

    with read_warehouse(args) as con:
        summary = warehouse_status(con, live_run=run_in_progress(db_path_of(args)))
    print(f"warehouse: {db_path_of(args)}")
    sections = (("tables", summary.table_counts), ("last runs", summary.last_runs), ("rejects", summary.rejects_by_reason))
    for title, frame in sections:
        print(f"\n{title}:")
        write_frame(frame)
    return 0


def register(subcommands) -> None:
    add_command(subcommands, "status", status, "row counts, last runs and rejects")
