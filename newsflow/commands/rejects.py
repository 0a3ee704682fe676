"""`newsflow rejects`: list quarantined inputs (path, member, item, stage, reason, detail, run)."""

import argparse

from newsflow.commands.common import add_command, read_warehouse
from newsflow.commands.output import add_output_options, write_frame


def rejects(args: argparse.Namespace) -> int:
    from warehouse.quarantine import list_rejects

    with read_warehouse(args) as con:
        frame = list_rejects(con, args.run, args.reason)
    write_frame(frame, args.format, args.output, args.max_rows)
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "rejects", rejects, "list quarantined inputs with their reason and detail")
    command.add_argument("--run", metavar="ID", help='only rejects of this run ("last" for the latest run)')
    command.add_argument("--reason", help="only this reason code (e.g. undecodable, skipped_record)")
    add_output_options(command)
