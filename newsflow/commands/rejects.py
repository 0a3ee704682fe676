"""`newsflow rejects`: list quarantined inputs (path, member, item, stage, reason, detail, run)."""

import argparse
import sys

from newsflow.commands.common import add_command, read_warehouse
from newsflow.commands.output import add_output_options, write_frame


def rejects(args: argparse.Namespace) -> int:
    from warehouse.quarantine import count_rejects, list_rejects

    page = args.format == "table" and not args.output  # a printed table shows one page, fetched as one page
    with read_warehouse(args) as con:
        limit = args.max_rows if page else None
        frame = list_rejects(con, args.run, args.reason, limit=limit, offset=args.offset)
        total = count_rejects(con, args.run, args.reason) if page else frame.height
    write_frame(frame, args.format, args.output, args.max_rows)
    if page and total > args.offset + frame.height:
        shown = f"{args.offset + 1}-{args.offset + frame.height}" if frame.height else "none"
        print(f"(rows {shown} of {total}; --offset {args.offset + frame.height} for the next page, "
              "--format csv --output FILE for all)", file=sys.stderr)  # fmt: skip
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "rejects", rejects, "list quarantined inputs with their reason and detail")
    command.add_argument("--run", metavar="ID", help='only rejects of this run ("last" for the latest run)')
    command.add_argument("--reason", help="only this reason code (e.g. undecodable, skipped_record)")
    command.add_argument("--offset", type=int, default=0, help="rows to skip (a table shows --max-rows from here)")
    add_output_options(command)
