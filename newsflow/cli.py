"""The `newsflow` command: thin wrappers, one library call per command.

Each command lives in `newsflow/commands/<name>.py` and registers itself;
add a new one to COMMANDS.
"""

import argparse
import difflib
import importlib
import importlib.metadata
import os
import sys
from collections.abc import Sequence

from newsflow.errors import NewsflowError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

COMMANDS = ("run", "sql", "status", "kb", "serve", "schema", "search", "query", "export", "report", "rejects")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description="News articles to a queryable DuckDB corpus.")
    parser.add_argument("--version", action="version", version=f"newsflow {newsflow_version()}")
    subcommands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"newsflow.commands.{name}").register(subcommands)
    return parser


def newsflow_version() -> str:
    try:
        return importlib.metadata.version("newsflow")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def unknown_command(argv: Sequence[str]) -> str | None:
    """"unknown command 'serch'; did you mean 'search'?" for a first word that is no command."""
    first = next((word for word in argv if not word.startswith("-")), None)
    if first is None or first in COMMANDS or argv[0].startswith("-"):
        return None
    close = difflib.get_close_matches(first, COMMANDS, n=2, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"newsflow: unknown command {first!r}{hint} (commands: {', '.join(COMMANDS)})"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if (message := unknown_command(argv)) is not None:
        print(message, file=sys.stderr)
        raise SystemExit(EXIT_USAGE)  # as argparse does for its usage errors
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except NewsflowError as error:
        print(f"newsflow: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("newsflow: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output left (`newsflow sql … | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
