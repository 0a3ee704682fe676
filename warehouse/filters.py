"""Filter values the analyst commands take (--summit, --language, --outlet), checked against the warehouse.

A value the warehouse does not hold would match nothing and look like an
empty result; it is an error that lists the values there are.
"""

import duckdb

from newsflow.errors import WarehouseError

# filter -> (what it is called, the query of the values there are)
FILTERS = {
    "summit": ("summit id", "select summit_id from summits"),
    "language": ("language", "select distinct language from articles where language is not null"),
    "outlet": ("outlet", "select distinct outlet from articles where outlet is not null"),
}
LISTED = 25


def check_filter_values(con: duckdb.DuckDBPyConnection, **values: str | None) -> None:
    """Raise WarehouseError naming the first given value that the warehouse does not hold."""
    for name, value in values.items():
        if value is None:
            continue
        what, query = FILTERS[name]
        known = sorted(row[0] for row in con.execute(query).fetchall())
        if value not in known:
            shown = ", ".join(known[:LISTED]) + (f", … ({len(known) - LISTED} more)" if len(known) > LISTED else "")
            raise WarehouseError(
                f"unknown {what} {value!r}",
                fix=f"known {what}s: {shown}" if known else f"the warehouse holds no {what} yet",
            )
