"""Views over the tables (staging views, then marts), kept as `.sql` files.

`warehouse/models/NN_name.sql` files hold `create or replace view` statements
(plus `comment on` for the view and each of its columns) and are applied in
name order after the migrations, in one transaction, so every view always
matches the code that reads it.

A model that reads a table another stage creates says so in a header line:

    -- requires: clusters(cluster_id, article_id), quotes

It is applied only once those tables (and columns) exist and is reported as
skipped otherwise, so a warehouse from before that stage still gets every
other view. A later file may `create or replace` a view of an earlier one to
enrich it once its inputs exist (e.g. distinct stories from `clusters`).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import step_state
from warehouse.transaction import transaction

MODELS_DIR = Path(__file__).parent / "models"
STEP = "views"  # step_state row of the last apply
_REQUIRES = re.compile(r"^--\s*requires:\s*(.+)$", re.MULTILINE)
_TABLE = re.compile(r"([a-z_][a-z0-9_]*)\s*(?:\(([^)]*)\))?")


@dataclass(frozen=True)
class Model:
    name: str
    sql: str
    requires: dict[str, tuple[str, ...]]  # table -> columns it must have


@dataclass(frozen=True)
class ModelsApplied:
    applied: list[str]
    skipped: dict[str, str]  # model -> what it waits for
    unchanged: bool = False  # models and tables as at the last apply: nothing was done


def read_models(directory: Path = MODELS_DIR) -> list[Model]:
    models = []
    for path in sorted(directory.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        requires: dict[str, tuple[str, ...]] = {}
        for line in _REQUIRES.findall(sql):
            for table, columns in _TABLE.findall(line):
                requires[table] = tuple(c.strip() for c in columns.split(",") if c.strip())
        models.append(Model(path.stem, sql, requires))
    return models


def _fingerprint(con: duckdb.DuckDBPyConnection, models: list[Model]) -> str:
    """Digest of the model files and of every base table's columns (a view depends on both)."""
    columns = con.execute(
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() c "
        "join duckdb_tables() t using (database_name, schema_name, table_name) "
        "where c.schema_name = 'main' and c.database_name = current_database() order by all"
    ).fetchall()
    return step_state.digest(([(m.name, m.sql) for m in models], columns))


def missing_inputs(con: duckdb.DuckDBPyConnection, model: Model) -> list[str]:
    """What `model` waits for: `table` or `table.column` names absent from the warehouse."""
    missing = []
    for table, columns in model.requires.items():
        present = {
            row[0]
            for row in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'main' and table_name = ?", [table]
            ).fetchall()
        }
        if not present:
            missing.append(table)
        missing += [f"{table}.{column}" for column in columns if present and column not in present]
    return missing


def refresh_models(con: duckdb.DuckDBPyConnection, directory: Path = MODELS_DIR) -> ModelsApplied:
    """`apply_models`, unless neither the model files nor any table's columns changed since the last apply."""
    models = read_models(directory)
    if not models:
        return ModelsApplied([], {})
    fingerprint = _fingerprint(con, models)
    if step_state.is_unchanged(con, STEP, fingerprint):
        return ModelsApplied([], {}, unchanged=True)
    return _apply(con, models, fingerprint)


def apply_models(con: duckdb.DuckDBPyConnection, directory: Path = MODELS_DIR) -> ModelsApplied:
    """Create or replace every view whose inputs exist, in one transaction."""
    models = read_models(directory)
    if not models:
        return ModelsApplied([], {})
    return _apply(con, models, _fingerprint(con, models))


def _apply(con: duckdb.DuckDBPyConnection, models: list[Model], fingerprint: str) -> ModelsApplied:
    applied: list[str] = []
    skipped: dict[str, str] = {}
    with transaction(con):
        for model in models:
            missing = missing_inputs(con, model)
            if missing:
                skipped[model.name] = ", ".join(missing)
                continue
            con.execute(model.sql)
            applied.append(model.name)
        step_state.record(con, STEP, fingerprint)
    return ModelsApplied(applied, skipped)
