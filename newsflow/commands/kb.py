"""`newsflow kb add`: add a person, place, organisation or other entity to the KB."""

import argparse
from pathlib import Path

from newsflow.commands.common import settings_of


def kb_add(args: argparse.Namespace) -> int:
    from transforms.nlp.kb_add import NewEntity, add_entity

    kb_dir = Path(args.kb_dir) if args.kb_dir else settings_of(args).nlp.kb_path
    names = {lang: value for lang, value in (("de", args.name_de), ("en", args.name_en), ("fr", args.name_fr)) if value}
    new = NewEntity(
        type=args.type,
        name=args.name,
        wikidata_id=args.wikidata,
        entity_id=args.id,
        names=names,
        aliases=tuple(args.alias),
        alias_lang=args.alias_lang,
    )
    added = add_entity(kb_dir, new)
    aliases = ", ".join(f"{alias} ({kind})" for alias, kind in added.aliases) or "none"
    print(f"added {added.entity_id} ({args.name}) to {kb_dir}; aliases: {aliases}")
    print(f"KB version {added.old_version} -> {added.new_version} (the next run uses it)")
    return 0


def register(subcommands) -> None:
    kb = subcommands.add_parser(
        "kb", help="edit the knowledge base", description="Edit the knowledge base (configs/kb)."
    )
    actions = kb.add_subparsers(dest="kb_command", required=True)
    add = actions.add_parser(
        "add",
        help="add an entity with aliases and a Wikidata id",
        description="Append an entity (and its aliases) to the KB CSV files after validating the whole KB.",
    )
    add.add_argument("--type", required=True, choices=("PER", "LOC", "ORG", "MISC"))
    add.add_argument("--name", required=True, help="canonical name (German spelling)")
    add.add_argument("--alias", action="append", default=[], help="another surface form (repeatable)")
    add.add_argument("--alias-lang", default="*", choices=("*", "de", "en", "fr"), help="language of the aliases")
    add.add_argument("--wikidata", help="Wikidata item id, e.g. Q22686 (only when sure)")
    add.add_argument("--id", help="entity id (default: TYPE:slug-of-name)")
    add.add_argument("--name-de", help="German label when it differs from --name")
    add.add_argument("--name-en", help="English label")
    add.add_argument("--name-fr", help="French label")
    add.add_argument("--kb-dir", help="KB directory (default: nlp.kb_dir from the config)")
    add.add_argument("--config", help="TOML file layered over configs/default.toml")
    add.set_defaults(handler=kb_add)
