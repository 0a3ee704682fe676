"""Run-level writes of the summit/key-term stage: the summit calendar and the key-term statistics.

`summits` is rewritten from configs/summits.toml. `mart_key_terms` is a view
ranking terms by TF-IDF at read time (warehouse/models) from tables kept current here for
the changed articles only, so a 10-article run on a 100,000-article warehouse
counts 10 articles' terms, not all of them:

- `term_document_frequency`: articles per (language, term); the articles it
  counts are `key_term_articles` (with a digest of their terms) and the pairs
  it counts are `key_term_sources`, so a changed or removed article's old terms
  are subtracted;
- `summit_term_totals`: terms summed per summit, recomputed for the (summit,
  term) pairs of the articles whose terms or tags (`key_term_summit_sources`)
  changed.

The result equals the from-scratch ranking `key_terms.sql` (tested). A run whose
articles' terms, summit tags, calendar and settings are those of the last
ranking skips the step (`step_state`).
"""

from pathlib import Path

import duckdb
import polars as pl

from warehouse import step_state
from warehouse.transaction import transaction

RANK_SQL = Path(__file__).with_suffix(".sql")


def write_summit_calendar(con: duckdb.DuckDBPyConnection, calendar: pl.DataFrame) -> int:
    """Replace `summits` with the calendar (SUMMIT_SCHEMA rows)."""
    with transaction(con, calendar_rows=calendar):
        con.execute("delete from summits")
        con.execute("insert into summits by name select * from calendar_rows")
    return calendar.height


STEP = "summits-key-terms"
_INPUTS_SQL = """
select
    (select count(*) || ':' || coalesce(sum(hash(t.article_id, t.language, t.term, t.display, t.count)), 0)
     from article_terms t semi join articles a using (article_id)),
    (select count(*) || ':' || coalesce(sum(hash(article_id, summit_id)), 0) from article_summits)
"""

# Which articles' terms changed since they were counted (new, changed, removed).
_STAGE_CHANGES = """
create or replace temp table _kt_current as
    select t.article_id, t.language, cast(sum(hash(t.term, t.display, t.count)) as varchar) as digest
    from article_terms t semi join articles a using (article_id)
    group by t.article_id, t.language;
create or replace temp table _kt_stale as
    select article_id from key_term_articles k anti join _kt_current c using (article_id, language, digest);
create or replace temp table _kt_new as
    select article_id, language, digest from _kt_current c anti join key_term_articles k using (article_id, language, digest);
"""

_UPDATE_FREQUENCIES = """
create or replace temp table _kt_delta as
    select language, term, sum(change) as change from (
        select language, term, -1 as change from key_term_sources semi join _kt_stale using (article_id)
        union all
        select t.language, t.term, 1 from article_terms t semi join _kt_new n using (article_id)
    ) group by language, term;
delete from key_term_sources where article_id in (select article_id from _kt_stale);
delete from key_term_articles where article_id in (select article_id from _kt_stale);
insert into key_term_sources select t.article_id, t.language, t.term from article_terms t semi join _kt_new n using (article_id);
insert into key_term_articles select article_id, language, digest from _kt_new;
update term_document_frequency f set df = f.df + d.change from _kt_delta d
    where f.language = d.language and f.term = d.term;
insert into term_document_frequency (language, term, df)
    select language, term, change from _kt_delta anti join term_document_frequency using (language, term);
delete from term_document_frequency where df = 0;
"""

# The (summit, language, term) totals a run changes: for each article whose terms or tags changed,
# its old and new summits times its old and new terms (staged before key_term_sources is updated).
_STAGE_SUMMIT_PAIRS = """
create or replace temp table _kt_touched as
    select article_id from _kt_stale union select article_id from _kt_new
    union select article_id from (select article_id, summit_id from article_summits except select article_id, summit_id from key_term_summit_sources)
    union select article_id from (select article_id, summit_id from key_term_summit_sources except select article_id, summit_id from article_summits);
create or replace temp table _kt_pairs as
    select distinct s.summit_id, t.language, t.term
    from (select article_id, summit_id from key_term_summit_sources semi join _kt_touched using (article_id)
          union select article_id, summit_id from article_summits semi join _kt_touched using (article_id)) s
    join (select article_id, language, term from key_term_sources semi join _kt_touched using (article_id)
          union select article_id, language, term from article_terms semi join _kt_touched using (article_id)) t
    using (article_id);
"""

_UPDATE_SUMMITS = """
delete from summit_term_totals s using _kt_pairs p
    where s.summit_id = p.summit_id and s.language = p.language and s.term = p.term;
insert into summit_term_totals (summit_id, language, term, display, count, articles)
    with t as materialized (  -- the touched terms' rows first: a few of millions
        select * from article_terms semi join (select distinct language, term from _kt_pairs) using (language, term)
    )
    select s.summit_id, t.language, t.term, arg_max(t.display, (t.count, t.display)), sum(t.count), count(distinct t.article_id)
    from t semi join key_term_articles k using (article_id)
    join article_summits s using (article_id)
    semi join _kt_pairs p on p.summit_id = s.summit_id and p.language = t.language and p.term = t.term
    group by s.summit_id, t.language, t.term;
delete from key_term_summit_sources where article_id in (select article_id from _kt_touched);
insert into key_term_summit_sources select article_id, summit_id from article_summits semi join _kt_touched using (article_id);
"""

_TEMP_TABLES = ("_kt_current", "_kt_stale", "_kt_new", "_kt_delta", "_kt_touched", "_kt_pairs")


def refresh_summits_and_key_terms(
    con: duckdb.DuckDBPyConnection, calendar: pl.DataFrame, per_article: int, per_summit: int, run_id: str | None
) -> dict:
    """Write the calendar and update the key-term statistics, unless nothing they derive from changed."""
    fingerprint = step_state.digest((con.execute(_INPUTS_SQL).fetchone(), calendar.rows(), per_article, per_summit))
    if step_state.is_unchanged(con, STEP, fingerprint):
        return {"changed": False}
    summits = write_summit_calendar(con, calendar)
    ranked = rank_key_terms(con, per_article, per_summit)
    step_state.record(con, STEP, fingerprint, run_id)
    return {"changed": True, "summits": summits, "key_terms": ranked}


def rank_key_terms(con: duckdb.DuckDBPyConnection, per_article: int, per_summit: int) -> dict[str, int]:
    """Bring the tables behind the `mart_key_terms` view up to date; return the changed articles and summits."""
    with transaction(con):
        _run_script(con, _STAGE_CHANGES)
        stale, new = con.execute("select (select count(*) from _kt_stale), (select count(*) from _kt_new)").fetchone()
        _run_script(con, _STAGE_SUMMIT_PAIRS)
        _run_script(con, _UPDATE_FREQUENCIES)
        _run_script(con, _UPDATE_SUMMITS)
        summits = con.execute("select count(distinct summit_id) from _kt_pairs").fetchone()[0]
        con.execute("delete from key_term_limits")
        con.execute("insert into key_term_limits values (?, ?)", [per_article, per_summit])
        for table in _TEMP_TABLES:
            con.execute(f"drop table {table}")
    return {"articles_removed": stale, "articles_added": new, "summits_updated": summits}


def _run_script(con: duckdb.DuckDBPyConnection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


def rank_from_scratch(con: duckdb.DuckDBPyConnection, per_article: int, per_summit: int) -> pl.DataFrame:
    """The key terms computed over the whole warehouse at once (`key_terms.sql`), as the view should show them."""
    return con.execute(RANK_SQL.read_text(encoding="utf-8"), {"per_article": per_article, "per_summit": per_summit}).pl()
