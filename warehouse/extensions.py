"""DuckDB extensions installed offline from their PyPI wheels.

DuckDB normally downloads extensions; newsflow ships them as packages
(`duckdb-extension-icu`, `duckdb-extension-fts`) and installs them into a
project-local extension directory once, so no network is ever needed.
"""

import os
from functools import lru_cache
from pathlib import Path

import duckdb
from duckdb_extensions import import_extension

from newsflow.settings import PROJECT_DIR

REQUIRED = ("icu",)  # time zones: timestamptz arithmetic and display in UTC


def extension_directory() -> str:
    return os.environ.get("NEWSFLOW_DUCKDB_EXTENSION_DIR", str(PROJECT_DIR / ".duckdb" / "extensions"))


@lru_cache(maxsize=None)
def ensure_installed(name: str) -> None:
    """Install extension `name` from its wheel into the extension directory (once)."""
    directory = extension_directory()
    Path(directory).mkdir(parents=True, exist_ok=True)
    with duckdb.connect(config={"extension_directory": directory}) as con:
        installed = con.execute(
            "select installed from duckdb_extensions() where extension_name = ?", [name]
        ).fetchone()
        if not (installed and installed[0]):
            import_extension(name, con=con)


def load_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = REQUIRED) -> None:
    for name in names:
        ensure_installed(name)
        con.execute(f"load {name}")  # names come from the fixed tuple above, never from input
