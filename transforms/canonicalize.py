"""Resolve entity mentions to entities: KB ids, roles, surnames, genitives.

Per mention, in order (the first that applies wins):

1. the KB id the ruler set;
2. a KB alias in any language ("North Korea", "Corée du Nord", "Nordkoreas")
   whose entity is unique and of compatible type (PER with PER only);
3. for a one-word person name ("Trump", "Vorsitzenden Kim"): the one person
   of the same article whose surname it is — a person named in full (KB
   surnames and the last word of full names) or one a title of the article
   stands for ("US-Präsident" → Donald Trump, `implies_entity_id`). Only if
   the article names no one of that surname, the KB person whose "byname" it
   is (aliases.csv: "Trump", "Putin" — what the surname alone means in the
   corpus's news, set by the KB's editor); a plain KB "surname" never links
   a person the article does not name: "Bolton" alone is not John Bolton.
   Two candidates, or none, leave it unresolved ("Kim" with two Kims);
4. a German genitive ("Katzians"): the entity of the stem when the stem is
   mentioned in the same article or is a KB alias;
5. otherwise a derived id `TYPE:normalized-name` ("PER:wolfgang-katzian"),
   the same in every run.

A role word ("US-Präsident", "Machthaber") before a person or at the start of
its span goes to `role` and is not part of the name that is matched. A known
first name (configs/kb/first_names.csv) right before a lone surname or place
makes one person of them: "Florian Mueller" is not Robert Mueller, "Michael
Jackson" is not the city of Jackson.

Title-only references (source "role": "der US-Präsident") resolve to the one
person of the same article written with that role (inflection and gender
aside: "US-Präsidenten" = "US-Präsident"), else to the role's
`implies_entity_id` in roles.csv; a reference that resolves to nobody is not
a mention of an entity and is not kept.
"""

import polars as pl

from transforms.nlp.kb import LANGS, SURNAME_KINDS, KnowledgeBase
from transforms.schemas import CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, MENTION_SCHEMA, conform


def canonicalize_mentions(mentions: pl.DataFrame, kb: KnowledgeBase) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(CANONICAL_MENTION_SCHEMA mentions, ENTITY_SCHEMA rows of every referenced entity)."""
    conformed = conform(mentions, MENTION_SCHEMA).with_row_index("_row")
    names = (
        conformed.filter(pl.col("source").fill_null("") != "role")
        .pipe(split_roles, role_words(kb))
        .pipe(attach_first_names, kb)
        .pipe(resolve_aliases, kb)
        .pipe(resolve_surnames, kb, conformed.filter(pl.col("source") == "role"))
        .pipe(resolve_genitives, kb)
        .with_columns(entity_id=pl.coalesce("entity_id", "_derived_id"))
    )
    references = resolve_role_references(conformed.filter(pl.col("source") == "role"), names, kb)
    resolved = pl.concat([names, references], how="diagonal_relaxed").sort("_row")
    return conform(resolved, CANONICAL_MENTION_SCHEMA), referenced_entities(resolved, kb)


def role_key(role: pl.Expr) -> pl.Expr:
    """Role without case, inflection and gender ending: "US-Präsidenten", "US-Präsidentin" -> "us-präsident"."""
    return role.str.to_lowercase().str.replace(r"(innen|in|en|er|e|n|s)$", "")


def resolve_role_references(references: pl.DataFrame, names: pl.DataFrame, kb: KnowledgeBase) -> pl.DataFrame:
    """Title-only references -> the article's one person with that role, else the KB's implied person."""
    in_article = (
        names.filter((pl.col("label") == "PER") & pl.col("role").is_not_null() & pl.col("entity_id").is_not_null())
        .select("article_id", "entity_id", _role_key=role_key(pl.col("role")))
        .group_by("article_id", "_role_key")
        .agg(_article_id=pl.col("entity_id").first(), _n=pl.col("entity_id").n_unique())
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )
    implied = implied_persons(kb)
    return (
        references.with_columns(role=pl.col("text"), _name=pl.col("text"), _role_key=role_key(pl.col("text")))
        .join(in_article, on=["article_id", "_role_key"], how="left")
        .join(implied, on="_role_key", how="left")
        .with_columns(entity_id=pl.coalesce("_article_id", "_kb_id"))
        .filter(pl.col("entity_id").is_not_null())
        .drop("_role_key", "_article_id", "_kb_id")
    )


def implied_persons(kb: KnowledgeBase) -> pl.DataFrame:
    """_role_key -> _kb_id for the roles.csv roles that stand for exactly one person."""
    return (
        kb.roles.drop_nulls("implies_entity_id")
        .select(_role_key=role_key(pl.col("role")), _kb_id="implies_entity_id")
        .unique()
        .filter(pl.col("_role_key").is_unique())
    )


def attach_first_names(mentions: pl.DataFrame, kb: KnowledgeBase) -> pl.DataFrame:
    """A lone surname or place right after a known first name -> a person of both words (see module docstring)."""
    lone = (pl.col("label") == "PER") & pl.col("kb_id").is_null() & ~pl.col("_key").str.contains(" ")
    attach = (lone | (pl.col("label") == "LOC")) & pl.col("preceding_word").is_in(sorted(kb.first_names))
    name = pl.when(attach).then(pl.col("preceding_word") + " " + pl.col("_name")).otherwise(pl.col("_name"))
    return (
        mentions.with_columns(
            label=pl.when(attach).then(pl.lit("PER")).otherwise(pl.col("label")),
            kb_id=pl.when(attach).then(None).otherwise(pl.col("kb_id")),
            _name=name,
        )
        .with_columns(_key=name_key(pl.col("_name")))
        .with_columns(_derived_id=derived_id(pl.col("label"), pl.col("_key")))
    )


def name_key(name: pl.Expr) -> pl.Expr:
    """Case-, dash- and punctuation-insensitive form of a name ("Kim Jong-un" == "Kim Jong Un")."""
    return (
        name.str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"[\"'’`´.]", "")
        .str.replace_all(r"[\s\-‐‑–—_/]+", " ")
        .str.strip_chars()
    )


def derived_id(label: pl.Expr, key: pl.Expr) -> pl.Expr:
    """Stable id of an entity the KB does not know: `TYPE:slug`."""
    slug = key.str.replace_all(r"[^\p{L}\p{N}]+", "-").str.strip_chars("-")
    return label + ":" + pl.when(slug == "").then(pl.lit("_")).otherwise(slug)


def role_words(kb: KnowledgeBase) -> pl.Series:
    return kb.roles["role"].str.to_lowercase().unique()


def split_roles(mentions: pl.DataFrame, roles: pl.Series) -> pl.DataFrame:
    """Move a role word (inside the span or just before it) of a person to `role`; add `_name`, `_key`."""
    first_word = pl.col("text").str.extract(r"^(\S+)\s+\S", 1)
    inner_role = pl.when((pl.col("label") == "PER") & _is_role(first_word, roles)).then(first_word)
    outer_role = pl.when((pl.col("label") == "PER") & _is_role(pl.col("preceding_word"), roles)).then(
        pl.col("preceding_word")
    )
    return (
        mentions.with_columns(role=pl.coalesce(inner_role, outer_role), _inner_role=inner_role)
        .with_columns(
            _name=pl.when(pl.col("_inner_role").is_not_null())
            .then(pl.col("text").str.replace(r"^\S+\s+", ""))
            .otherwise(pl.col("text"))
        )
        .with_columns(_key=name_key(pl.col("_name")))
        .with_columns(_derived_id=derived_id(pl.col("label"), pl.col("_key")))
        .drop("_inner_role")
    )


def _is_role(word: pl.Expr, roles: pl.Series) -> pl.Expr:
    lower = word.str.to_lowercase()
    return (lower.is_in(roles.implode()) | lower.str.replace(r"^.+-", "").is_in(roles.implode())).fill_null(False)


def alias_index(kb: KnowledgeBase) -> pl.DataFrame:
    """key -> entity for every non-surname alias that names exactly one entity."""
    return (
        kb.aliases.filter(~pl.col("kind").is_in(SURNAME_KINDS))
        .select("entity_id", _key=name_key(pl.col("alias")))
        .unique()
        .join(kb.entities.select("entity_id", "type"), on="entity_id")
        .group_by("_key")
        .agg(pl.col("entity_id").first().alias("_alias_id"), pl.col("type").first().alias("_alias_type"), _n=pl.len())
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )


def resolve_aliases(mentions: pl.DataFrame, kb: KnowledgeBase) -> pl.DataFrame:
    """`entity_id` = ruler KB id, else a unique KB alias of compatible type."""
    compatible = (pl.col("label") == "PER") == (pl.col("_alias_type") == "PER")
    return (
        mentions.join(alias_index(kb), on="_key", how="left")
        .with_columns(entity_id=pl.coalesce("kb_id", pl.when(compatible).then(pl.col("_alias_id"))))
        .drop("_alias_id", "_alias_type")
    )


def resolve_surnames(mentions: pl.DataFrame, kb: KnowledgeBase, references: pl.DataFrame) -> pl.DataFrame:
    """One-word person names -> the one person of the article with that surname, named in full or by a title."""
    surname_aliases = kb.aliases.filter(pl.col("kind").is_in(SURNAME_KINDS))
    kb_surnames = surname_aliases.select("entity_id", _surname=name_key(pl.col("alias"))).unique()
    bynames = (
        surname_aliases.filter(pl.col("kind") == "byname")
        .select("entity_id", _surname=name_key(pl.col("alias")))
        .unique()
        .group_by("_surname")
        .agg(_kb_id=pl.col("entity_id").first(), _n_kb=pl.col("entity_id").n_unique())
        .filter(pl.col("_n_kb") == 1)
    )
    is_person = pl.col("label") == "PER"
    full_name_id = pl.when(is_person).then(
        pl.coalesce("entity_id", pl.when(pl.col("_key").str.contains(" ")).then(pl.col("_derived_id")))
    )
    persons = mentions.select("article_id", "_key", _candidate=full_name_id).drop_nulls("_candidate")
    titled = (
        pl.concat([mentions.select("article_id", "role"), references.select("article_id", role="text")])
        .drop_nulls("role")
        .select("article_id", _role_key=role_key(pl.col("role")))
        .join(implied_persons(kb), on="_role_key")
        .select("article_id", _candidate="_kb_id")
    )
    last_word = pl.col("_key").str.split(" ").list.last()
    candidates = pl.concat(
        [
            pl.concat([persons.drop("_key"), titled])
            .join(kb_surnames, left_on="_candidate", right_on="entity_id")
            .select("article_id", "_surname", "_candidate"),
            persons.select("article_id", _surname=last_word, _candidate="_candidate"),
            persons.select("article_id", _surname=last_word + "s", _candidate="_candidate"),
        ]
    ).unique()
    in_article = candidates.group_by("article_id", "_surname").agg(
        _article_id=pl.col("_candidate").first(), _n_article=pl.col("_candidate").n_unique()
    )
    wanted = is_person & pl.col("entity_id").is_null() & ~pl.col("_key").str.contains(" ")
    return (
        mentions.join(in_article, left_on=["article_id", "_key"], right_on=["article_id", "_surname"], how="left")
        .join(bynames, left_on="_key", right_on="_surname", how="left")
        .with_columns(
            entity_id=pl.when(wanted & (pl.col("_n_article") == 1))
            .then(pl.col("_article_id"))
            .when(wanted & pl.col("_n_article").is_null())
            .then(pl.col("_kb_id"))
            .otherwise(pl.col("entity_id"))
        )
        .drop("_article_id", "_n_article", "_kb_id", "_n_kb")
    )


def resolve_genitives(mentions: pl.DataFrame, kb: KnowledgeBase) -> pl.DataFrame:
    """Unresolved "Xs" -> the entity of "X" when X is mentioned in the article or a KB alias."""
    in_article = (
        mentions.select("article_id", "_key", _stem_id=pl.coalesce("entity_id", "_derived_id"))
        .group_by("article_id", "_key")
        .agg(pl.col("_stem_id").first(), _n=pl.col("_stem_id").n_unique())
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )
    genitive = pl.col("entity_id").is_null() & pl.col("_key").str.contains(r"\p{L}{3,}s$")
    stem = pl.when(genitive).then(pl.col("_key").str.strip_suffix("s"))
    compatible = (pl.col("label") == "PER") == (pl.col("_alias_type") == "PER")
    return (
        mentions.with_columns(_stem=stem)
        .join(in_article, left_on=["article_id", "_stem"], right_on=["article_id", "_key"], how="left")
        .join(alias_index(kb), left_on="_stem", right_on="_key", how="left")
        .with_columns(entity_id=pl.coalesce("entity_id", "_stem_id", pl.when(compatible).then(pl.col("_alias_id"))))
        .drop("_stem", "_stem_id", "_alias_id", "_alias_type")
    )


def referenced_entities(mentions: pl.DataFrame, kb: KnowledgeBase) -> pl.DataFrame:
    """ENTITY_SCHEMA rows: KB entities as in the KB, derived ones named by their most frequent name.

    A KB entity's name in a language is its KB/CLDR label there, else its
    canonical name; a derived entity has no per-language names.
    """
    ids = mentions.select("entity_id").unique()
    known = kb.entities.join(ids, on="entity_id").with_columns(
        source=pl.lit("kb"), **{f"name_{lang}": pl.coalesce(f"name_{lang}", "canonical_name") for lang in LANGS}
    )
    derived = (
        mentions.join(kb.entities.select("entity_id"), on="entity_id", how="anti")
        .group_by("entity_id", "_name")
        .agg(_count=pl.len())
        .sort(["entity_id", "_count", pl.col("_name").str.len_chars(), "_name"], descending=[False, True, True, False])
        .group_by("entity_id", maintain_order=True)
        .agg(canonical_name=pl.col("_name").first())
        .with_columns(
            type=pl.col("entity_id").str.extract(r"^([A-Z]+):", 1),
            wikidata_id=pl.lit(None, pl.String),
            source=pl.lit("derived"),
        )
    )
    return (
        pl.concat([conform(known, ENTITY_SCHEMA), conform(derived, ENTITY_SCHEMA)])
        .with_columns(kb_version=pl.lit(kb.version))
        .sort("entity_id")
    )
