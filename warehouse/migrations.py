"""Numbered schema migrations, applied in one transaction and recorded.

`warehouse/migrations/NNN_name.sql` files are applied in order; each applied
version is a row in `schema_migrations`. A warehouse whose schema is newer
than this code is refused rather than guessed at.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseError
from warehouse.transaction import transaction

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise WarehouseError(f"migration file {path.name} is not named NNN_name.sql")
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a version number in {directory}")
    return migrations


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[Migration] | None = None) -> list[int]:
    """Apply pending migrations in one transaction; return the versions applied."""
    migrations = available_migrations() if migrations is None else migrations
    latest = max((m.version for m in migrations), default=0)
    current = schema_version(con)
    if current > latest:
        raise WarehouseError(
            f"the warehouse schema is version {current}, newer than this newsflow (knows up to {latest})",
            fix="upgrade newsflow, or point --db at another warehouse file",
        )
    pending = [m for m in migrations if m.version > current]
    if not pending:
        return []
    with transaction(con):
        con.execute(
            "create table if not exists schema_migrations ("
            " version integer primary key, name varchar not null, applied_at timestamptz not null)"
        )
        for migration in pending:
            con.execute(migration.sql)
            con.execute(
                "insert into schema_migrations values (?, ?, now())", [migration.version, migration.name]
            )
    return [m.version for m in pending]
