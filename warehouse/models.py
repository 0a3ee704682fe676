"""Views over the tables (staging views, then marts), kept as `.sql` files.

`warehouse/models/NN_name.sql` files hold `create or replace view` statements
and are applied in name order after the migrations, in one transaction, so
every view always matches the code that reads it.
"""

from pathlib import Path

import duckdb

MODELS_DIR = Path(__file__).parent / "models"


def apply_models(con: duckdb.DuckDBPyConnection, directory: Path = MODELS_DIR) -> list[str]:
    files = sorted(directory.glob("*.sql"))
    if not files:
        return []
    con.execute("begin transaction")
    try:
        for path in files:
            con.execute(path.read_text(encoding="utf-8"))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return [path.stem for path in files]
