"""The schema reference, generated from the database itself.

Tables and views of the `main` schema with their columns, types and the
`COMMENT ON` text set by the migrations (`warehouse/migrations/`) and models
(`warehouse/models/`). Nothing here is written by hand: what `newsflow schema`
prints is what the warehouse holds.
"""

import json
from dataclasses import asdict, dataclass

import duckdb

_RELATIONS = """
    select table_name as name, 'table' as kind, comment, estimated_size as rows
    from duckdb_tables() where schema_name = 'main' and not internal and not temporary
    union all
    select view_name, 'view', comment, null
    from duckdb_views() where schema_name = 'main' and not internal and not temporary
    order by kind, name
"""

_COLUMNS = """
    select table_name, column_name, data_type, is_nullable, comment
    from duckdb_columns()
    where schema_name = 'main' and not internal
    order by table_name, column_index
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    comment: str | None


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # table | view
    comment: str | None
    rows: int | None  # estimated, tables only
    columns: tuple[Column, ...]


def describe_schema(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    columns: dict[str, list[Column]] = {}
    for table, name, type_, nullable, comment in con.execute(_COLUMNS).fetchall():
        columns.setdefault(table, []).append(Column(name, type_, nullable, comment))
    return [
        Relation(name, kind, comment, rows, tuple(columns.get(name, ())))
        for name, kind, comment, rows in con.execute(_RELATIONS).fetchall()
    ]


def missing_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """`relation` or `relation.column` names that carry no comment."""
    missing = []
    for relation in describe_schema(con):
        if not relation.comment:
            missing.append(relation.name)
        missing += [f"{relation.name}.{c.name}" for c in relation.columns if not c.comment]
    return missing


def render_text(relations: list[Relation]) -> str:
    lines = []
    for relation in relations:
        size = f", ~{relation.rows} rows" if relation.rows is not None else ""
        lines.append(f"{relation.name} ({relation.kind}{size})")
        if relation.comment:
            lines.append(f"  {relation.comment}")
        name_width = max((len(c.name) for c in relation.columns), default=0)
        type_width = max((len(c.type) for c in relation.columns), default=0)
        for column in relation.columns:
            null = "" if column.nullable else " not null"
            lines.append(
                f"    {column.name:<{name_width}}  {column.type + null:<{type_width + 9}}  {column.comment or '(no comment)'}"
            )
        lines.append("")
    return "\n".join(lines)


def render_markdown(relations: list[Relation]) -> str:
    lines = ["# newsflow warehouse schema", ""]
    for relation in relations:
        lines += [f"## `{relation.name}` ({relation.kind})", "", relation.comment or "", ""]
        lines += ["| column | type | nullable | description |", "|---|---|---|---|"]
        for column in relation.columns:
            comment = (column.comment or "").replace("|", "\\|")
            lines.append(f"| `{column.name}` | {column.type} | {'yes' if column.nullable else 'no'} | {comment} |")
        lines.append("")
    return "\n".join(lines)


def render_json(relations: list[Relation]) -> str:
    return json.dumps([asdict(r) for r in relations], indent=2, ensure_ascii=False)
