"""`newsflow export`: every table and mart to Parquet or CSV files, with a manifest."""

import argparse

from newsflow.commands.common import add_command, read_warehouse


def export(args: argparse.Namespace) -> int:
    from warehouse.export import export_warehouse

    with read_warehouse(args, locked_down=False) as con:  # it writes the export through DuckDB
        manifest = export_warehouse(con, args.directory, args.format, overwrite=args.overwrite)
    for entry in manifest["relations"]:
        partition = f", partitioned by {entry['partition_by']}" if entry["partition_by"] else ""
        print(f"{entry['name']:<28} {entry['rows']:>9} rows  {entry['files']} file(s){partition}")
    print(f"wrote {len(manifest['relations'])} tables and marts ({args.format}) and manifest.json to {args.directory}")
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "export", export, "export every table and mart to Parquet or CSV with a manifest")
    command.add_argument("directory", help="directory to write (must be new or empty unless --overwrite)")
    command.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    command.add_argument("--overwrite", action="store_true", help="replace an existing export directory")
