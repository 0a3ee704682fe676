"""`newsflow search`: ranked full-text search over article titles and texts (BM25)."""

import argparse
import sys

from newsflow.commands.common import add_command, read_warehouse, settings_of
from newsflow.commands.output import add_output_options, write_frame

_BOLD = ("\033[1m", "\033[0m")


def search(args: argparse.Namespace) -> int:
    from warehouse.fts import search_articles

    settings = settings_of(args)
    plain = args.format != "table" or args.output or not sys.stdout.isatty()
    with read_warehouse(args) as con:
        found = search_articles(
            con, args.query, language=args.language, summit=args.summit, outlet=args.outlet, limit=args.limit,
            stemmer=settings.search.stemmer, snippet_chars=settings.search.snippet_chars,
            mark=("**", "**") if plain else _BOLD,
        )  # fmt: skip
    if args.format != "table" or args.output:
        write_frame(found, args.format, args.output, args.max_rows)
        return 0
    if found.is_empty():
        print(f"no article matches {args.query!r}")
        return 0
    for rank, row in enumerate(found.iter_rows(named=True), start=1):
        date = row["published_date"] or "undated"
        print(f"{rank:>2}. [{row['score']:.2f}] {row['title'] or '(no title)'}")
        print(f"    {row['outlet']} · {row['language']} · {date} · {row['article_id']}")
        print(f"    {row['snippet']}\n")
    print(f"({found.height} result{'s' if found.height != 1 else ''})")
    return 0


def register(subcommands) -> None:
    from warehouse.search_query import SYNTAX_HELP

    command = add_command(subcommands, "search", search, "full-text search of articles, best matches first")
    command.add_argument("query", help=f"words to look for, e.g. 'Gipfel Hanoi'; {SYNTAX_HELP}".replace("%", "%%"))
    command.add_argument(
        "--language", "--lang", dest="language", metavar="CODE",
        help="only articles in this language (ISO 639-1, e.g. de; --lang is the old name)",
    )  # fmt: skip
    command.add_argument("--summit", help="only articles tagged with this summit (e.g. hanoi-2019)")
    command.add_argument("--outlet", help="only articles of this outlet (as in articles.outlet)")
    command.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    add_output_options(command)
