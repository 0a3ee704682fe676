"""Named queries kept in `warehouse/queries/*.sql`, run by name with bound parameters.

A file holds one or more blocks in the aiosql style:

    -- name: quotes_by_speaker
    -- Quotes of one speaker, newest first.
    -- param: speaker text  the speaker's canonical name
    -- param: limit integer = 50  rows to return
    select ... where speaker = $speaker limit $limit;

Parameters are DuckDB named parameters (`$speaker`) bound at execution, never
formatted into the SQL. `-- param:` lines declare each one's type (text,
integer, double, date, boolean, text[] as a JSON list), an optional default and
a help text.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from newsflow.errors import ReadOnlyQueryError
from warehouse.query import run_query

QUERIES_DIR = Path(__file__).parent / "queries"
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
_PARAM = re.compile(r"^--\s*param:\s*([a-z_][a-z0-9_]*)\s+(text\[\]|text|integer|double|date|boolean)(?:\s*=\s*(\S+))?\s*(.*)$")
_CONVERT = {
    "text": str,
    "integer": int,
    "double": float,
    "date": dt.date.fromisoformat,
    "boolean": lambda value: {"true": True, "false": False}[value.lower()],
    "text[]": lambda value: [str(item) for item in json.loads(value)],
}
_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object  # _REQUIRED when the caller must give it
    help: str

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


@dataclass(frozen=True)
class NamedQuery:
    name: str
    doc: str
    params: tuple[Param, ...]
    sql: str
    path: Path


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(directory.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        starts = [match.start() for match in _NAME.finditer(text)] + [len(text)]
        for start, end in zip(starts, starts[1:]):
            query = _parse_block(text[start:end].strip(), path)
            if query.name in queries:
                raise ValueError(f"named query {query.name} is defined twice ({queries[query.name].path.name}, {path.name})")
            queries[query.name] = query
    return queries


def _parse_block(block: str, path: Path) -> NamedQuery:
    lines = block.splitlines()
    name = _NAME.match(lines[0])[1]
    doc, params, body = [], [], []
    for line in lines[1:]:
        param = _PARAM.match(line)
        if param:
            name_, type_, default, help_text = param.groups()
            value = _REQUIRED if default is None else (None if default == "null" else _CONVERT[type_](default))
            params.append(Param(name_, type_, value, help_text.strip()))
        elif line.startswith("--") and not body:
            doc.append(line.removeprefix("--").strip())
        else:
            body.append(line)
    sql = "\n".join(body).strip().rstrip(";")
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))
    declared = {p.name for p in params}
    if used != declared:
        raise ValueError(f"named query {name} in {path.name}: parameters used {sorted(used)} but declared {sorted(declared)}")
    return NamedQuery(name, " ".join(doc), tuple(params), sql, path)


def bind_params(query: NamedQuery, given: dict[str, str | object]) -> dict[str, object]:
    """Convert `name=value` strings to the declared types; fill defaults; refuse unknown or missing names."""
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        raise ReadOnlyQueryError(
            f"query {query.name} has no parameter {', '.join(sorted(unknown))}",
            fix=f"its parameters: {', '.join(p.name for p in query.params) or 'none'}",
        )
    bound = {}
    for param in query.params:
        if param.name in given:
            value = given[param.name]
            try:
                bound[param.name] = _CONVERT[param.type](value) if isinstance(value, str) else value
            except (ValueError, KeyError, TypeError):
                raise ReadOnlyQueryError(
                    f"parameter {param.name} of {query.name} must be {param.type}, got {value!r}"
                ) from None
        elif param.required:
            raise ReadOnlyQueryError(
                f"query {query.name} needs parameter {param.name} ({param.type}: {param.help})",
                fix=f"pass --param {param.name}=VALUE",
            )
        else:
            bound[param.name] = param.default
    return bound


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    count = con.execute(
        """
        select count(*) from (
            select table_name from duckdb_tables() where schema_name = 'main' and table_name = $name
            union all select view_name from duckdb_views() where schema_name = 'main' and view_name = $name
        )
        """,
        {"name": name},
    ).fetchone()[0]
    return count > 0


def run_named(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, queries: dict | None = None) -> pl.DataFrame:
    queries = load_queries() if queries is None else queries
    if name not in queries:
        raise ReadOnlyQueryError(f"no named query {name!r}", fix=f"known queries: {', '.join(sorted(queries))}")
    query = queries[name]
    return run_query(con, query.sql, bind_params(query, params or {}))


def parse_param_args(pairs: list[str]) -> dict[str, str]:
    """`name=value` strings from the command line."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ReadOnlyQueryError(f"--param {pair!r} is not name=value", fix='e.g. --param speaker="Kim Jong Un"')
        params[name.strip()] = value
    return params
