"""Add an entity to the knowledge base files, validated (`newsflow kb add`).

The new rows are appended to a copy of the KB directory first and the whole
KB is loaded from that copy (`load_kb` checks ids, types, Wikidata ids and
references); only then are the real files replaced, so a bad entry never
leaves a half-written KB. Editing the CSV files by hand works the same way:
`load_kb` validates them at the next run.
"""

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.nlp.kb import ENTITY_TYPES, LANGS, KnowledgeBaseError, load_kb

ALIAS_LANGS = ("*", *LANGS)
_QID = re.compile(r"^Q[1-9]\d*$")


@dataclass(frozen=True)
class NewEntity:
    type: str
    name: str  # canonical (German) name
    wikidata_id: str | None = None
    entity_id: str | None = None  # default: TYPE:slug-of-name
    names: dict[str, str] = field(default_factory=dict)  # lang -> label (name_de/en/fr)
    aliases: tuple[str, ...] = ()
    alias_lang: str = "*"


@dataclass(frozen=True)
class Added:
    entity_id: str
    aliases: list[tuple[str, str]]  # (alias, kind)
    old_version: str
    new_version: str


def slug(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


def add_entity(kb_dir: Path, new: NewEntity) -> Added:
    """Append `new` to entities.csv and aliases.csv of `kb_dir` after validating the result."""
    kb_dir = Path(kb_dir)
    before = load_kb(kb_dir)
    entity_id = new.entity_id or f"{new.type}:{slug(new.name)}"
    _validate(new, entity_id, before.entities)
    aliases = [(alias.strip(), alias_kind(new, alias.strip())) for alias in new.aliases if alias.strip()]
    entity_row = [entity_id, new.name.strip(), new.type, new.wikidata_id or "", *(new.names.get(l, "") for l in LANGS)]
    alias_rows = [[entity_id, alias, new.alias_lang, kind] for alias, kind in aliases]
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "kb"
        shutil.copytree(kb_dir, staged)
        _append(staged / "entities.csv", [entity_row])
        if alias_rows:
            _append(staged / "aliases.csv", alias_rows)
        after = load_kb(staged)  # raises KnowledgeBaseError with the reason
        for name in ("entities.csv", "aliases.csv"):
            shutil.copyfile(staged / name, kb_dir / name)
    return Added(entity_id, aliases, before.version, after.version)


def alias_kind(new: NewEntity, alias: str) -> str:
    """A person's one-word alias equal to the last word of the name is a surname (resolved per article)."""
    if new.type == "PER" and " " not in alias and alias == new.name.split()[-1]:
        return "surname"
    return "name"


def _validate(new: NewEntity, entity_id: str, entities: pl.DataFrame) -> None:
    if new.type not in ENTITY_TYPES:
        raise KnowledgeBaseError(f"type {new.type!r} is not one of {ENTITY_TYPES}", fix="pass --type PER|LOC|ORG|MISC")
    if not new.name.strip():
        raise KnowledgeBaseError("the entity needs a name", fix='pass --name "Full Name"')
    if not entity_id.startswith(f"{new.type}:") or entity_id == f"{new.type}:":
        raise KnowledgeBaseError(f"entity id {entity_id!r} must be {new.type}:<slug>", fix="fix --id or leave it out")
    if new.wikidata_id is not None and not _QID.match(new.wikidata_id):
        raise KnowledgeBaseError(
            f"Wikidata id {new.wikidata_id!r} is malformed", fix="pass the item id, e.g. --wikidata Q22686"
        )
    if new.alias_lang not in ALIAS_LANGS:
        raise KnowledgeBaseError(f"alias language {new.alias_lang!r} is not one of {ALIAS_LANGS}")
    if entity_id in entities["entity_id"]:
        raise KnowledgeBaseError(f"{entity_id} is already in the KB", fix="edit configs/kb/entities.csv or pass --id")
    if new.wikidata_id is not None:
        holder = entities.filter(pl.col("wikidata_id") == new.wikidata_id)["entity_id"].to_list()
        if holder:
            raise KnowledgeBaseError(
                f"Wikidata id {new.wikidata_id} already belongs to {holder[0]}",
                fix=f"add aliases of {holder[0]} instead, or check the Q-id",
            )


def _append(path: Path, rows: list[list[str]]) -> None:
    text = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    separator = "" if not text or text.endswith("\n") else "\n"
    path.write_text(text + separator + buffer.getvalue(), encoding="utf-8")
