"""`newsflow run`: ingest files and directories into the warehouse."""

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from newsflow.commands.common import add_command, db_path_of, settings_of
from newsflow.settings import PROJECT_DIR


def prepare_prefect_env() -> None:
    """Keep Prefect's state in the project and offline unless the user chose otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_DIR / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.server_guard import tie_prefect_server_to_this_process  # a killed run leaves no server behind

    tie_prefect_server_to_this_process()


def run(args: argparse.Namespace) -> int:
    from newsflow.preflight import check_run_inputs

    check_run_inputs(args.paths, args.config, args.languages)  # before Prefect or the warehouse file
    prepare_prefect_env()
    import duckdb

    from flows.build_corpus import run_ad_hoc  # Prefect is imported only for runs
    from flows.console_errors import known_failures_in_one_line
    from flows.summary import render_text
    from warehouse.connection import open_warehouse
    from warehouse.report import run_report
    from warehouse.storage import resource_error

    db_path = db_path_of(args)
    with stage_progress(enabled=args.progress), known_failures_in_one_line(db_path):
        try:
            result = run_ad_hoc(paths=args.paths or None, db=args.db, config=args.config, languages=args.languages)
        except (OSError, duckdb.Error) as error:  # the lock or the first write, before the run could record itself
            storage = resource_error(error, db_path)
            if storage is None:
                raise
            raise storage from error
    timeout = settings_of(args).warehouse.read_timeout_seconds
    with open_warehouse(result["db"], read_only=True, timeout_seconds=timeout) as con:
        print(render_text(run_report(con, result["run_id"])))
    print(f"warehouse: {result['db']}")
    return 0


@contextmanager
def stage_progress(enabled: bool | None) -> Iterator[None]:
    """One progress bar per stage on a terminal (cleared at the end, before the summary is printed)."""
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        yield
        return
    from rich.console import Console

    from flows.progress import RichProgress, watching

    with watching(RichProgress(Console(stderr=True))):
        yield


def register(subcommands) -> None:
    command = add_command(subcommands, "run", run, "ingest files and directories into the warehouse")
    command.add_argument("paths", nargs="*", help="files or directories (default: input.paths, i.e. seeds/)")
    command.add_argument(
        "--language", dest="languages", action="append", metavar="CODE",
        help="process only this language (repeat for more; default: language.languages)",
    )  # fmt: skip
    command.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="progress bars per stage (default: on when stderr is a terminal)",
    )  # fmt: skip
