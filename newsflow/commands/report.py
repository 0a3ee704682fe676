"""`newsflow report`: a self-contained offline HTML report with charts."""

import argparse

from newsflow.commands.common import add_command, read_warehouse


def report(args: argparse.Namespace) -> int:
    from reports.data import collect_report
    from reports.html import write_report

    with read_warehouse(args) as con:
        data = collect_report(con, top=args.top)
    path = write_report(data, args.output)
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, works offline)")
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "report", report, "write a self-contained HTML report (coverage, people, quotes, duplicates, rejects)")
    command.add_argument("--output", "-o", default="report.html", help="HTML file to write (default report.html)")
    command.add_argument("--top", type=int, default=15, help="people, places and speakers per chart (default 15)")
