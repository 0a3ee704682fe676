"""Export every table and mart to Parquet or CSV, with a manifest and the schema.

`export_warehouse` writes one directory per relation (tables, and the `mart_*`
views; the `stg_*` views are the tables renamed and are left out), Parquet
partitioned by language where a relation has one, and `manifest.json` with
each relation's row count, files, partitioning and columns (type, nullable,
comment). The export is written to a temporary sibling directory and renamed
into place, so a failed export never leaves a half-written directory behind.
`attach_export` reads an export back (types from the manifest), which is what
the round-trip test compares against the warehouse.
"""

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseError
from warehouse.migrations import schema_version
from warehouse.schema_doc import Relation, describe_schema

FORMATS = ("parquet", "csv")
PARTITION_COLUMNS = ("summit_id", "language")  # Parquet only: the first one a relation fills in every row
MANIFEST = "manifest.json"
CSV_NULL = "\\N"  # NULL in CSV files, so that an empty string stays an empty string


@dataclass(frozen=True)
class ExportedRelation:
    name: str
    kind: str
    comment: str | None
    rows: int
    path: str  # relative to the export directory
    files: int
    partition_by: str | None
    columns: list[dict]


def exported_relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    return [r for r in describe_schema(con) if r.kind == "table" or r.name.startswith("mart_")]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_warehouse(
    con: duckdb.DuckDBPyConnection, directory: str | Path, fmt: str = "parquet", overwrite: bool = False
) -> dict:
    """Write every table and mart under `directory`; return the manifest."""
    if fmt not in FORMATS:
        raise WarehouseError(f"unknown export format {fmt!r}", fix=f"use one of {', '.join(FORMATS)}")
    target = Path(directory).expanduser().resolve()
    check_replaceable(target, overwrite, _database_files(con))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        entries = [_export_relation(con, relation, staging, fmt) for relation in exported_relations(con)]
        manifest = {
            "format": fmt,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "schema_version": schema_version(con),
            "csv_null": CSV_NULL if fmt == "csv" else None,
            "relations": [asdict(entry) for entry in entries],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def check_replaceable(target: Path, overwrite: bool, protected: tuple[Path, ...] = ()) -> None:
    """Refuse a target that holds (or is) a warehouse file, or holds anything but a previous export.

    `--overwrite` replaces a directory only when its manifest.json says it is a
    newsflow export; never one that contains the warehouse or its snapshot.
    """
    for path in protected:
        if path == target or target in path.parents:
            raise WarehouseError(f"{target} holds the warehouse file {path}; an export never replaces it", fix="choose another directory")
    if not target.exists():
        return
    if not target.is_dir():
        raise WarehouseError(f"{target} exists and is not a directory", fix="choose a new directory")
    if not any(target.iterdir()):
        return
    if not overwrite:
        raise WarehouseError(f"{target} exists and is not empty", fix="choose a new directory or pass --overwrite")
    if not _is_export(target):
        raise WarehouseError(
            f"{target} is not a newsflow export (no {MANIFEST} of one); --overwrite replaces only a previous export",
            fix="choose a new or empty directory",
        )


def _is_export(directory: Path) -> bool:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and isinstance(manifest.get("relations"), list) and manifest.get("format") in FORMATS


def _database_files(con: duckdb.DuckDBPyConnection) -> tuple[Path, ...]:
    """The files of the databases `con` reads (a snapshot, and the live warehouse it is a copy of)."""
    from warehouse.snapshot import snapshot_path

    paths = [Path(row[0]).resolve() for row in con.execute("select path from duckdb_databases() where path is not null").fetchall()]
    live = [p.with_name(p.name.replace(".read.", ".", 1)) for p in paths if ".read." in p.name]
    return tuple({*paths, *live, *(snapshot_path(p) for p in paths)})


def _export_relation(con: duckdb.DuckDBPyConnection, relation: Relation, root: Path, fmt: str) -> ExportedRelation:
    rows = con.execute(f"select count(*) from {_identifier(relation.name)}").fetchone()[0]
    partition = _partition_column(con, relation) if fmt == "parquet" and rows else None
    source = f"select * from {_identifier(relation.name)}"
    if partition:
        out = root / relation.name
        options = f"format parquet, partition_by ({_identifier(partition)}), write_partition_columns true"
        con.execute(f"copy ({source}) to {_literal(str(out))} ({options})")
    else:
        partition = None
        out = root / relation.name / f"{relation.name}.{fmt}"
        out.parent.mkdir(parents=True)
        options = "format parquet" if fmt == "parquet" else f"format csv, header true, nullstr {_literal(CSV_NULL)}"
        con.execute(f"copy ({source}) to {_literal(str(out))} ({options})")
    files = sum(1 for _ in (root / relation.name).rglob(f"*.{fmt}"))
    columns = [{"name": c.name, "type": c.type, "nullable": c.nullable, "comment": c.comment} for c in relation.columns]
    return ExportedRelation(relation.name, relation.kind, relation.comment, rows, relation.name, files, partition, columns)


def _partition_column(con: duckdb.DuckDBPyConnection, relation: Relation) -> str | None:
    """The first of PARTITION_COLUMNS the relation has with a value in every row (no NULL directory)."""
    names = {c.name for c in relation.columns}
    for column in (c for c in PARTITION_COLUMNS if c in names):
        nulls = con.execute(
            f"select count(*) from {_identifier(relation.name)} where {_identifier(column)} is null"
        ).fetchone()[0]
        if nulls == 0:
            return column
    return None


def read_manifest(directory: str | Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise WarehouseError(f"no {MANIFEST} in {directory}", fix="point at a directory written by `newsflow export`")
    return json.loads(path.read_text(encoding="utf-8"))


def attach_export(con: duckdb.DuckDBPyConnection, directory: str | Path) -> dict:
    """Create one view per exported relation, typed as the manifest says; return the manifest."""
    directory = Path(directory).resolve()
    manifest = read_manifest(directory)
    for entry in manifest["relations"]:
        pattern = _literal(str(directory / entry["path"] / f"**/*.{manifest['format']}"))
        types = {c["name"]: c["type"] for c in entry["columns"]}
        if manifest["format"] == "parquet":
            reader = f"read_parquet({pattern}, hive_partitioning = false)"
        else:
            spec = "{" + ", ".join(f"{_literal(n)}: {_literal(t)}" for n, t in types.items()) + "}"
            reader = f"read_csv({pattern}, header = true, columns = {spec}, auto_detect = false, nullstr = {_literal(manifest['csv_null'])})"
        select = ", ".join(f"cast({_identifier(n)} as {t}) as {_identifier(n)}" for n, t in types.items())
        con.execute(f"create or replace view {_identifier(entry['name'])} as select {select} from {reader}")
    return manifest
