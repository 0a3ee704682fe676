"""The `newsflow` command: thin wrappers, one library call per command.

Each command lives in `newsflow/commands/<name>.py` and registers itself;
add a new one to COMMANDS.
"""

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from newsflow.errors import NewsflowError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

COMMANDS = ("run", "sql", "status", "kb", "serve", "schema", "search", "query", "export", "report", "rejects")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description="News articles to a queryable DuckDB corpus.")
    subcommands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"newsflow.commands.{name}").register(subcommands)
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
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output left (`newsflow sql … | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
