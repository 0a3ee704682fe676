"""The newsflow knowledge base: entities, their aliases and role words.

The KB is plain data in `configs/kb/` (entities.csv, aliases.csv, roles.csv,
and the optional first_names.csv used by the German name rules) that a user
extends without code. `load_kb` adds two generated layers:

* CLDR country and territory names from Babel (de/en/fr), one `LOC:<ISO>`
  entity per territory; a KB row with the same id takes precedence for names
  and Wikidata id.

Canonical names are German, the corpus's main language ("Nordkorea", "USA");
name_en and name_fr keep the English and French labels.
* German genitive forms (+s unless the name ends in s/x/z/ß) of every German or
  language-neutral name of a PER, LOC or MISC entity ("Nordkoreas", "Trumps").

When one alias (in one language) maps to several entities, explicit KB aliases
win over entity names, which win over CLDR names, which win over generated
genitives; what is still ambiguous stays in the table and the ruler emits it
without an id (surnames such as "Kim" are meant to be ambiguous).
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import babel
import polars as pl
from babel import Locale

from newsflow.errors import ConfigError

LANGS = ("de", "en", "fr")
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
# CLDR territory codes that are not a single place (unknown, pseudo, unions).
_NON_PLACE_TERRITORIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})
# Alias precedence, lower wins (see module docstring).
_PRIORITY = {"kb_alias": 0, "kb_name": 1, "cldr": 2, "genitive": 3}
# Genitives are generated for PER names and single-word LOC/MISC names (a
# multi-word name inflects elsewhere: "der Vereinigten Staaten"), never for
# acronyms ("USA").
_GENITIVE_TYPES = ("PER", "LOC", "MISC")

ENTITY_COLUMNS = pl.Schema(
    {
        "entity_id": pl.String,
        "canonical_name": pl.String,
        "type": pl.String,
        "wikidata_id": pl.String,
        "name_de": pl.String,
        "name_en": pl.String,
        "name_fr": pl.String,
    }
)
ALIAS_COLUMNS = pl.Schema({"entity_id": pl.String, "alias": pl.String, "lang": pl.String, "kind": pl.String})
ROLE_COLUMNS = pl.Schema({"role": pl.String, "lang": pl.String, "implies_entity_id": pl.String})
FIRST_NAME_COLUMNS = pl.Schema({"first_name": pl.String})


class KnowledgeBaseError(ConfigError):
    """A KB file is missing, malformed or inconsistent (permanent: fix the file)."""

    code = "NF202"


@dataclass(frozen=True)
class KnowledgeBase:
    entities: pl.DataFrame  # ENTITY_COLUMNS
    aliases: pl.DataFrame  # ALIAS_COLUMNS
    roles: pl.DataFrame  # ROLE_COLUMNS
    version: str  # short content hash of the KB files and the Babel version
    first_names: frozenset[str] = frozenset()  # given names that start an unseen person name


def load_kb(kb_dir: Path) -> KnowledgeBase:
    """Read `kb_dir`, add CLDR territories and genitives, validate ids."""
    kb_dir = Path(kb_dir)
    kb_entities = _read_csv(kb_dir / "entities.csv", ENTITY_COLUMNS)
    kb_aliases = _read_csv(kb_dir / "aliases.csv", ALIAS_COLUMNS)
    roles = _read_csv(kb_dir / "roles.csv", ROLE_COLUMNS).unique(maintain_order=True)

    territories = cldr_territories()
    entities = _merge_territories(kb_entities, territories)
    _check_entities(entities, kb_dir)
    _check_references(kb_aliases, entities, "aliases.csv", kb_dir)
    _check_references(
        roles.filter(pl.col("implies_entity_id").is_not_null()).rename({"implies_entity_id": "entity_id"}),
        entities,
        "roles.csv",
        kb_dir,
    )
    aliases = build_aliases(entities, kb_aliases, territories)
    first_names_file = kb_dir / "first_names.csv"
    first_names = (
        frozenset(_read_csv(first_names_file, FIRST_NAME_COLUMNS)["first_name"].drop_nulls())
        if first_names_file.is_file()
        else frozenset()
    )
    return KnowledgeBase(entities, aliases, roles, _version(kb_dir), first_names)


def cldr_territories() -> pl.DataFrame:
    """One LOC row per CLDR territory with an ISO 3166 alpha-2 code."""
    names = {lang: Locale(lang).territories for lang in LANGS}
    codes = sorted(
        code for code in names["en"] if len(code) == 2 and code.isalpha() and code not in _NON_PLACE_TERRITORIES
    )
    return pl.DataFrame(
        {
            "entity_id": [f"LOC:{code}" for code in codes],
            "canonical_name": [names["de"].get(code, names["en"][code]) for code in codes],
            "type": "LOC",
            "wikidata_id": None,
            **{f"name_{lang}": [names[lang].get(code) for code in codes] for lang in LANGS},
        },
        schema=ENTITY_COLUMNS,
    )


def german_genitive(name: pl.Expr) -> pl.Expr:
    """German -s genitive ("Nordkorea" -> "Nordkoreas"); null after s/x/z/ß."""
    return pl.when(name.str.contains(r"[sxzßSXZ]$")).then(None).otherwise(name + "s")


def build_aliases(entities: pl.DataFrame, kb_aliases: pl.DataFrame, territories: pl.DataFrame) -> pl.DataFrame:
    """All surface forms with precedence applied (see module docstring)."""
    kb_ids = entities.filter(~pl.col("entity_id").is_in(territories["entity_id"].implode()))
    from_names = _names_as_aliases(entities).with_columns(
        origin=pl.when(pl.col("entity_id").is_in(kb_ids["entity_id"].implode()))
        .then(pl.lit("kb_name"))
        .otherwise(pl.lit("cldr"))
    )
    cldr = _names_as_aliases(territories).with_columns(origin=pl.lit("cldr"))
    explicit = kb_aliases.with_columns(origin=pl.lit("kb_alias"))
    base = pl.concat([explicit, from_names, cldr])
    types = entities.select("entity_id", "type")
    genitives = (
        base.join(types, on="entity_id")
        .filter(
            pl.col("lang").is_in(["de", "*"])
            & (pl.col("alias") != pl.col("alias").str.to_uppercase())
            & ((pl.col("type") == "PER") | (pl.col("type").is_in(_GENITIVE_TYPES) & ~pl.col("alias").str.contains(" ")))
        )
        .with_columns(
            alias=german_genitive(pl.col("alias")),
            kind=pl.when(pl.col("kind") == "surname").then(pl.lit("surname")).otherwise(pl.lit("inflected")),
            origin=pl.lit("genitive"),
        )
        .drop("type")
        .drop_nulls("alias")
    )
    return (
        pl.concat([base, genitives])
        .with_columns(alias=pl.col("alias").str.strip_chars(), rank=pl.col("origin").replace_strict(_PRIORITY))
        .filter(pl.col("alias") != "")
        .filter(pl.col("rank") == pl.col("rank").min().over("alias", "lang"))
        .unique(["entity_id", "alias", "lang"], keep="first", maintain_order=True)
        .select(ALIAS_COLUMNS.names())
    )


def _names_as_aliases(entities: pl.DataFrame) -> pl.DataFrame:
    """canonical_name (lang "*") and name_de/en/fr as alias rows of kind "name"."""
    name_columns = {"canonical_name": "*", **{f"name_{lang}": lang for lang in LANGS}}
    return (
        entities.unpivot(index="entity_id", on=list(name_columns), variable_name="column", value_name="alias")
        .drop_nulls("alias")
        .select(
            "entity_id",
            "alias",
            lang=pl.col("column").replace_strict(name_columns),
            kind=pl.lit("name"),
        )
    )


def _merge_territories(kb_entities: pl.DataFrame, territories: pl.DataFrame) -> pl.DataFrame:
    """KB rows override CLDR rows with the same id, column by column."""
    merged = kb_entities.join(territories, on="entity_id", how="left", suffix="_cldr")
    filled = merged.select(
        "entity_id",
        *[pl.coalesce(column, f"{column}_cldr").alias(column) for column in ENTITY_COLUMNS.names()[1:]],
    )
    rest = territories.filter(~pl.col("entity_id").is_in(kb_entities["entity_id"].implode()))
    return pl.concat([filled, rest]).select(ENTITY_COLUMNS.names())


def _read_csv(path: Path, schema: pl.Schema) -> pl.DataFrame:
    if not path.is_file():
        raise KnowledgeBaseError(f"KB file {path} is missing: create it with header {','.join(schema)}")
    frame = pl.read_csv(path, schema_overrides=schema, infer_schema=False)
    if frame.columns != schema.names():
        raise KnowledgeBaseError(f"KB file {path} has columns {frame.columns}; expected {schema.names()}")
    return frame.with_columns(pl.col(pl.String).str.strip_chars().replace("", None))


def _check_entities(entities: pl.DataFrame, kb_dir: Path) -> None:
    duplicated = entities.filter(pl.col("entity_id").is_duplicated())["entity_id"].unique()
    if len(duplicated):
        raise KnowledgeBaseError(f"{kb_dir}/entities.csv: duplicate entity_id {duplicated.to_list()}")
    bad_type = entities.filter(~pl.col("type").is_in(ENTITY_TYPES))
    if len(bad_type):
        raise KnowledgeBaseError(
            f"{kb_dir}/entities.csv: type must be one of {ENTITY_TYPES}: {bad_type['entity_id'].to_list()}"
        )
    unnamed = entities.filter(pl.col("canonical_name").is_null())
    if len(unnamed):
        raise KnowledgeBaseError(
            f"{kb_dir}/entities.csv: no canonical_name (and no CLDR name) for {unnamed['entity_id'].to_list()}"
        )
    bad_qid = entities.filter(pl.col("wikidata_id").is_not_null() & ~pl.col("wikidata_id").str.contains(r"^Q\d+$"))
    if len(bad_qid):
        raise KnowledgeBaseError(f"{kb_dir}/entities.csv: malformed wikidata_id for {bad_qid['entity_id'].to_list()}")


def _check_references(frame: pl.DataFrame, entities: pl.DataFrame, name: str, kb_dir: Path) -> None:
    unknown = frame.filter(~pl.col("entity_id").is_in(entities["entity_id"].implode()))
    if len(unknown):
        raise KnowledgeBaseError(
            f"{kb_dir}/{name} refers to unknown entity ids {unknown['entity_id'].unique().to_list()}: "
            "add them to entities.csv"
        )


def _version(kb_dir: Path) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(kb_dir.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"babel={babel.__version__}".encode())
    return digest.hexdigest()[:6]
