"""What the commands share: common options, the warehouse path, read access."""

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsflow.errors import NewsflowError
from newsflow.settings import Settings, load_settings


def add_command(subcommands, name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
    """A subcommand with the options every command takes (--db, --config)."""
    command = subcommands.add_parser(name, help=help_text, description=help_text)
    command.add_argument("--db", help="DuckDB warehouse file (default: warehouse.path from the config)")
    command.add_argument("--config", help="TOML file layered over configs/default.toml")
    command.set_defaults(handler=handler)
    return command


def settings_of(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def db_path_of(args: argparse.Namespace, settings: Settings | None = None) -> Path:
    settings = settings or settings_of(args)
    return Path(args.db or settings.warehouse.path).expanduser().resolve()


def warehouse_files(db_path: Path) -> tuple[Path, ...]:
    """The files of a warehouse: the database, its read snapshot, write-ahead log and run lock."""
    from warehouse.snapshot import snapshot_path, wal_path

    return (db_path, snapshot_path(db_path), wal_path(db_path), Path(f"{db_path}.lock"))


def refuse_output_over_warehouse(output: str | None, db_path: Path) -> None:
    """`--output` must never name (or link to) the warehouse or one of its files."""
    if not output:
        return
    target = Path(output).expanduser().resolve()
    if target in {path.resolve() for path in warehouse_files(db_path)}:
        raise NewsflowError(
            f"--output {output} is the warehouse or one of its files; it is never overwritten",
            fix="write the result to another file",
        )


@contextmanager
def read_warehouse(args: argparse.Namespace, locked_down: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the last committed state (warehouse/snapshot.py).

    `locked_down` (all but `export`, which writes its files through DuckDB): the engine
    refuses every file, extension and setting change (warehouse/sandbox.py).
    """
    from warehouse.snapshot import open_reader  # the published snapshot: never blocks a run

    settings = settings_of(args)
    refuse_output_over_warehouse(getattr(args, "output", None), db_path_of(args, settings))
    timeout = settings.warehouse.read_timeout_seconds
    with open_reader(db_path_of(args, settings), timeout_seconds=timeout, locked_down=locked_down) as con:
        yield con

