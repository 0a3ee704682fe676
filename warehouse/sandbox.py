"""A reader connection the engine itself keeps read-only: no files, no extensions, no settings.

`newsflow sql`, `query` and `search` run text a user typed. The connection is
opened in DuckDB's read-only mode (no write to the database file), and then
closed off before any of that text runs (DuckDB's "Securing DuckDB" page):

- the extensions readers need (`icu`, `fts`) are loaded first, and automatic
  install/load of any other extension is switched off;
- `enable_external_access = false`: no file outside the open database is read
  or written (COPY … TO, EXPORT DATABASE, ATTACH, read_text/read_csv/glob of
  host files, INSTALL/LOAD), with `allowed_directories`/`allowed_paths` left
  empty so no path is excepted;
- `lock_configuration = true`: no SET, RESET or PRAGMA can undo any of it.

DuckDB still spills large sorts to its own temporary directory. The statement
check in warehouse/query.py comes on top, for a clear NF220 message.
"""

import duckdb

from warehouse.extensions import load_extensions

READER_EXTENSIONS = ("icu", "fts")  # time zones; full-text search (`newsflow search`)

_LOCKDOWN = (
    "set autoinstall_known_extensions = false",
    "set autoload_known_extensions = false",
    "set allow_community_extensions = false",
    "set allowed_directories = []",
    "set allowed_paths = []",
    "set enable_external_access = false",
    "set lock_configuration = true",  # last: from here on no setting changes
)


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Load what readers need, then refuse every file, extension and setting change on `con`."""
    load_extensions(con, READER_EXTENSIONS)
    for statement in _LOCKDOWN:
        con.execute(statement)


def is_locked_down(con: duckdb.DuckDBPyConnection) -> bool:
    external, locked = con.execute(
        "select current_setting('enable_external_access'), current_setting('lock_configuration')"
    ).fetchone()
    return not external and bool(locked)
