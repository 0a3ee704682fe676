"""`newsflow schema`: tables, views, columns, types and comments, read from the warehouse itself."""

import argparse

from newsflow.commands.common import add_command, read_warehouse
from newsflow.errors import WarehouseError


def schema(args: argparse.Namespace) -> int:
    from warehouse.schema_doc import describe_schema, render_json, render_markdown, render_text

    with read_warehouse(args) as con:
        relations = describe_schema(con)
    if args.names:
        known = {r.name for r in relations}
        unknown = [n for n in args.names if n not in known]
        if unknown:
            raise WarehouseError(f"no table or view named {', '.join(unknown)}", fix=f"known: {', '.join(sorted(known))}")
        relations = [r for r in relations if r.name in args.names]
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[args.format]
    print(render(relations))
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "schema", schema, "print the warehouse schema: tables, views, columns, types, comments")
    command.add_argument("names", nargs="*", help="only these tables or views")
    command.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text",
        help="text (default: one block per relation), markdown (a reference page) or json (for tools)",
    )  # fmt: skip
