"""`newsflow query`: run a named query from warehouse/queries/*.sql with bound parameters."""

import argparse
import json

from newsflow.commands.common import add_command, read_warehouse
from newsflow.commands.output import add_output_options, write_frame


def query(args: argparse.Namespace) -> int:
    from warehouse.named_queries import load_queries, parse_param_args, run_named

    queries = load_queries()
    if args.list or not args.name:
        for named in queries.values():
            params = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}=<{p.type}>]" for p in named.params)
            print(f"{named.name} {params}".rstrip())
            print(f"    {named.doc}")
            for param in named.params:
                default = "required" if param.required else f"default {json.dumps(param.default, default=str)}"
                print(f"      {param.name} ({param.type}, {default}): {param.help}")
        return 0
    params = parse_param_args(args.param)
    with read_warehouse(args) as con:
        frame = run_named(con, args.name, params, queries)
    write_frame(frame, args.format, args.output, args.max_rows)
    return 0


def register(subcommands) -> None:
    command = add_command(subcommands, "query", query, "run a named query (warehouse/queries/*.sql) with parameters")
    command.add_argument("name", nargs="?", help="query name (omit, or --list, to list them)")
    command.add_argument(
        "--param", "-p", action="append", default=[], metavar="NAME=VALUE",
        help='a parameter, bound (never formatted into the SQL), e.g. --param speaker="Kim Jong Un"',
    )  # fmt: skip
    command.add_argument(
        "--list", action="store_true", help="list the named queries and their parameters with types and defaults"
    )
    add_output_options(command)
