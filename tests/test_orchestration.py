"""Orchestration: schedules and deployments, one writer at a time, artifacts and progress,
retries with back-off, and the NLP stage on Dask (real Prefect API, real DuckDB, real Dask)."""

import asyncio
import inspect
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
import yaml

from newsflow.errors import ConfigError
from newsflow.settings import load_settings
from tests.conftest import PROJECT_DIR, SEED_FILE

SECOND_ARTICLE = "Kim Jong Un und Donald Trump trafen sich in Singapur zum ersten Gipfel der beiden Staatschefs."
THIRD_ARTICLE = "Der russische Präsident Wladimir Putin empfing Kim Jong Un in Wladiwostok zu einem Gipfel."


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    directory = tmp_path / "inbox"
    directory.mkdir()
    shutil.copy(SEED_FILE, directory)
    (directory / "singapur.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    (directory / "wladiwostok.txt").write_text(THIRD_ARTICLE, encoding="utf-8")
    return directory


def write_config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text(text)
    return str(path)


# --- configuration and deployment (fast) ---------------------------------------------------


def test_orchestration_and_schedule_defaults_are_in_the_config():
    settings = load_settings(environ={})
    assert settings.orchestration.task_runner == "process" and settings.orchestration.process_min_files > 0
    assert settings.orchestration.batches_in_flight >= 1
    assert settings.schedule.cron == "0 * * * *" and settings.schedule.interval_seconds == 0
    assert settings.schedule.timezone == "UTC"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NEWSFLOW_SCHEDULE__INTERVAL_SECONDS": "600"}, "exactly one of 'schedule.cron'"),
        ({"NEWSFLOW_SCHEDULE__CRON": '""'}, "exactly one of 'schedule.cron'"),
        ({"NEWSFLOW_SCHEDULE__TIMEZONE": "Mars/Olympus"}, "not a known time zone: 'Mars/Olympus'"),
        ({"NEWSFLOW_ORCHESTRATION__TASK_RUNNER": "ray"}, "must be one of ('thread', 'process', 'dask')"),
        ({"NEWSFLOW_ORCHESTRATION__DASK_WORKERS": "0"}, "'orchestration.dask_workers' must be positive"),
    ],
)
def test_bad_orchestration_settings_name_the_key(environ, message):
    with pytest.raises(ConfigError) as error:
        load_settings(environ=environ)
    assert message in str(error.value)


def test_languages_parameter_narrows_the_languages_and_keeps_a_valid_default():
    from flows.build_corpus import settings_for

    assert settings_for(None, None).language.languages == ("de", "en", "fr")
    both = settings_for(None, ["fr", "de"]).language
    assert (both.languages, both.default) == (("fr", "de"), "de")  # the configured default still applies
    french = settings_for(None, ["fr"]).language
    assert (french.languages, french.default) == (("fr",), "fr")
    with pytest.raises(ConfigError, match="no pipeline configured for language"):
        settings_for(None, ["xx"])


def test_schedule_is_cron_or_interval_in_its_time_zone():
    from flows.serve import schedule_of

    cron = schedule_of(load_settings(environ={"NEWSFLOW_SCHEDULE__TIMEZONE": '"Europe/Berlin"'}).schedule)
    assert (cron.cron, cron.timezone, cron.interval) == ("0 * * * *", "Europe/Berlin", None)
    every = schedule_of(
        load_settings(environ={"NEWSFLOW_SCHEDULE__CRON": '""', "NEWSFLOW_SCHEDULE__INTERVAL_SECONDS": "900"}).schedule
    )
    assert (every.cron, every.interval.total_seconds()) == (None, 900)
    with pytest.raises(ConfigError, match="invalid schedule"):
        schedule_of(load_settings(environ={"NEWSFLOW_SCHEDULE__CRON": '"every full moon"'}).schedule)


def test_served_deployment_has_typed_parameters_the_schedule_and_one_run_at_a_time(tmp_path):
    from flows.serve import deployment_parameters, inbox_deployment

    settings = load_settings(environ={})
    parameters = deployment_parameters(settings, [str(tmp_path / "a"), str(tmp_path / "b")], str(tmp_path / "w.duckdb"), None, ["de"])
    deployment = inbox_deployment(settings, parameters)
    assert deployment.name == "inbox" and deployment.entrypoint == "flows.build_corpus.build_corpus"
    assert deployment.parameters == {
        "paths": [str(tmp_path / "a"), str(tmp_path / "b")],
        "db": str(tmp_path / "w.duckdb"),
        "config": None,
        "languages": ["de"],
    }
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 * * * *", "UTC")
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"
    properties = deployment._parameter_openapi_schema.properties
    assert set(properties) == {"paths", "db", "config", "languages"}
    assert "files or directories to read" in properties["paths"]["description"]
    assert {"type": "array", "items": {"type": "string"}} in properties["languages"]["anyOf"]


def test_prefect_yaml_declares_the_same_deployment_as_newsflow_serve():
    from flows.build_corpus import build_corpus
    from flows.serve import TAGS, inbox_deployment

    settings = load_settings(environ={})
    served = inbox_deployment(settings)
    [declared] = yaml.safe_load((PROJECT_DIR / "prefect.yaml").read_text())["deployments"]
    assert declared["name"] == served.name == settings.schedule.deployment
    module_path, function = declared["entrypoint"].split(":")
    assert Path(module_path).with_suffix("").as_posix().replace("/", ".") + "." + function == served.entrypoint
    assert set(declared["parameters"]) == set(inspect.signature(build_corpus.fn).parameters)
    assert declared["schedules"] == [{"cron": settings.schedule.cron, "timezone": settings.schedule.timezone, "active": True}]
    assert declared["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}
    assert declared["tags"] == list(TAGS) and declared["description"] == served.description


def test_serve_help_names_the_schedule_and_inboxes():
    result = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "serve", "--help"], capture_output=True, text=True, cwd=PROJECT_DIR, timeout=60
    )
    assert result.returncode == 0
    assert "INBOX" in result.stdout and "schedule" in result.stdout and "--language" in result.stdout


# --- summaries and progress (fast) -----------------------------------------------------------


def test_rich_progress_draws_one_bar_per_stage():
    from rich.console import Console

    from flows.progress import RichProgress, RunProgress, watching

    out = io.StringIO()
    with watching(RichProgress(Console(file=out, force_terminal=True, width=120))):
        progress = RunProgress()
        progress.started(files_to_read=4, batches=2)
        for stage in ("read", "process", "load"):
            progress.advanced(stage, files=2, articles=3)
        progress.finished(completed=True)
    text = out.getvalue()
    for stage in ("read", "process", "load"):
        assert stage in text
    assert "2/4" in text and "3 articles" in text
    assert RunProgress().listeners == []  # the listener is gone after the block


def _tiny_warehouse(with_quotes: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table articles (article_id varchar, run_id varchar, title varchar, outlet varchar)")
    con.execute("create table entities (entity_id varchar, canonical_name varchar, type varchar, wikidata_id varchar)")
    con.execute("create table mentions (article_id varchar, entity_id varchar)")
    con.execute("insert into articles values ('a1', 'r1', 'Erster Gipfel', 'x'), ('a2', 'r2', 'Zweiter Gipfel', 'y')")
    con.execute(
        "insert into entities values ('trump', 'Donald Trump', 'PER', 'Q22686'), ('hanoi', 'Hanoi', 'LOC', 'Q1858'),"
        " ('putin', 'Wladimir Putin', 'PER', 'Q7747')"
    )
    con.execute(
        "insert into mentions values ('a1', 'trump'), ('a2', 'trump'), ('a2', 'hanoi'), ('a2', 'hanoi'), ('a2', 'putin')"
    )
    if with_quotes:
        con.execute(
            "create table quotes (quote_id varchar, article_id varchar, kind varchar, text varchar,"
            " speaker_text varchar, speaker_entity_id varchar)"
        )
        con.execute(
            "insert into quotes values ('q1', 'a2', 'direct', 'Wir hatten ein sehr gutes Treffen', 'Trump', 'trump'),"
            " ('q2', 'a2', 'direct', 'Kurz', 'ein Sprecher', null), ('q3', 'a1', 'direct', 'Alt', 'Trump', 'trump')"
        )
    return con


def test_new_entities_are_those_no_other_run_mentions_and_quotes_appear_when_the_table_exists():
    from flows.run_insights import run_insights

    insights = run_insights(_tiny_warehouse(with_quotes=True), "r2")
    assert insights.new_entity_count == 2
    assert insights.new_entities.select("canonical_name", "mentions").rows() == [("Hanoi", 2), ("Wladimir Putin", 1)]
    assert insights.top_quotes.select("speaker", "quote").rows() == [
        ("Donald Trump", "Wir hatten ein sehr gutes Treffen"),
        ("ein Sprecher", "Kurz"),
    ]  # only this run's articles; resolved speakers first
    assert run_insights(_tiny_warehouse(with_quotes=False), "r2").top_quotes is None


def test_markdown_summary_has_stages_rejects_new_entities_and_quotes():
    import polars as pl

    from flows.run_insights import run_insights
    from flows.summary import render_markdown
    from warehouse.report import RunReport

    rejects = pl.DataFrame(
        {"path": ["/in/a.txt", "/in/b.txt", "/in/c.json"], "item": ["", "", ""], "stage": ["read", "read", "prepare"],
         "reason": ["empty", "empty", "text_too_short"], "detail": ["", "", "12 chars"]}
    )  # fmt: skip
    empty = pl.DataFrame({"canonical_name": [], "mentions": []})
    report = RunReport({"run_id": "r2", "articles": 1}, rejects, empty, empty, empty)
    stages = [{"stage": "read", "in": "3 files", "out": "1 articles from 3 files", "rejects": 2, "seconds": 0.5}]
    markdown = render_markdown(report, stages, run_insights(_tiny_warehouse(with_quotes=True), "r2"))
    assert "| read | 3 files | 1 articles from 3 files | 2 | 0.5 |" in markdown
    assert "| empty | 2 | read |" in markdown and "| text_too_short | 1 | prepare |" in markdown
    assert "## New entities (2)" in markdown and "| Wladimir Putin | PER | Q7747 | 1 | 1 |" in markdown
    quote_lines = [line for line in markdown.splitlines() if line.startswith("1. “")]
    assert quote_lines and all(line.count("”") == 1 and " — **" in line for line in quote_lines)
    trump = next(line for line in quote_lines if "Wir hatten ein sehr gutes Treffen" in line)
    assert trump.endswith("— **Donald Trump**, *Zweiter Gipfel*, y")  # the quote and its speaker on one line
    assert not any(line.startswith(">") for line in markdown.splitlines())


# --- real flow runs --------------------------------------------------------------------------


def run_flow(paths, db_path, **kwargs) -> dict:
    from flows.build_corpus import build_corpus

    return build_corpus(paths=[str(p) for p in paths], db=str(db_path), **kwargs)


def articles_by_file(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("select regexp_extract(source_path, '[^/]+$'), count(*) from articles group by all").fetchall()
    return dict(rows)


def artifacts_of(flow_run_id: str) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read() -> dict:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            )
        return {artifact.key: artifact for artifact in found}

    return asyncio.run(read())


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_scheduled_runs_pick_up_only_new_or_changed_files(inbox, db_path, tmp_path):
    from flows.serve import deployment_parameters

    # the parameters the served deployment passes to every scheduled run
    from flows.build_corpus import build_corpus

    parameters = deployment_parameters(load_settings(environ={}), [str(inbox)], str(db_path))
    first = build_corpus(**parameters)
    assert (first["files_changed"], first["articles"]) == (3, 3)

    (inbox / "new.txt").write_text("Trump und Kim trafen sich in Hanoi, der Hauptstadt Vietnams, zum Gipfel.")
    changed = inbox / "singapur.txt"
    changed.write_text(SECOND_ARTICLE + " Beide unterzeichneten eine Erklärung.", encoding="utf-8")
    second = build_corpus(**parameters)
    assert (second["files_seen"], second["files_changed"], second["files_skipped"]) == (4, 2, 2)
    assert articles_by_file(db_path) == {SEED_FILE.name: 1, "singapur.txt": 1, "wladiwostok.txt": 1, "new.txt": 1}

    third = build_corpus(**parameters)
    assert (third["files_changed"], third["articles"], third["files_skipped"]) == (0, 0, 4)
    summary = artifacts_of(third["flow_run_id"])["newsflow-run-summary"].data
    assert "No entity appeared for the first time in this run." in summary


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_run_publishes_progress_link_and_stage_artifacts(inbox, db_path, tmp_path):
    (inbox / "empty.txt").write_bytes(b"")
    config = write_config(tmp_path, "[pipeline]\nbatch_size = 1\n[orchestration]\nbatches_in_flight = 1\n")
    result = run_flow([inbox], db_path, config=config)
    artifacts = artifacts_of(result["flow_run_id"])
    assert artifacts["newsflow-progress"].type == "progress" and artifacts["newsflow-progress"].data == 100.0
    link = artifacts["newsflow-warehouse"]
    assert f"[warehouse test.duckdb]({db_path.resolve().as_uri()})" in link.data  # Prefect stores links as markdown
    summary = artifacts["newsflow-run-summary"].data
    assert "| discover | 4 files | 4 to read | 0 | – |" in summary
    assert "| read | 4 files | 3 articles from 4 files | 1 |" in summary
    assert "| empty | 1 |" in summary
    assert "## New entities (" in summary and "Wladimir Putin" in summary
    assert artifacts["newsflow-rejects"].type == "table"


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_transient_load_errors_are_retried_and_permanent_ones_are_not(inbox, db_path, tmp_path, monkeypatch):
    import flows.build_corpus as module

    real_load = module.load_batch
    calls = {"n": 0}

    def flaky_load(con, batch, run_id):  # failure injection: the first attempt hits an I/O error
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("I/O error (injected)")
        real_load(con, batch, run_id)

    config = write_config(tmp_path, "[pipeline]\nio_retries = 2\nio_retry_delay_seconds = 0.1\n")
    monkeypatch.setattr(module, "load_batch", flaky_load)
    result = run_flow([inbox], db_path, config=config)
    assert result["articles"] == 3 and calls["n"] == 2

    def broken_load(con, batch, run_id):  # a permanent error: retrying cannot help
        calls["n"] += 1
        raise ValueError("bad batch (injected)")

    calls["n"] = 0
    (inbox / "new.txt").write_text(SECOND_ARTICLE + " Neu.", encoding="utf-8")
    monkeypatch.setattr(module, "load_batch", broken_load)
    with pytest.raises(ValueError, match="bad batch"):
        run_flow([inbox], db_path, config=config)
    assert calls["n"] == 1


def test_io_retries_back_off_exponentially():
    from prefect.tasks import exponential_backoff

    delays = exponential_backoff(backoff_factor=2.0)(3)
    assert delays == [2.0, 4.0, 8.0]


def _newsflow(args: list[str], env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsflow.cli", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _subprocess_env(**extra: str) -> dict:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "PREFECT_API_URL": PREFECT_API_URL.value(), **extra}
    env.pop("NEWSFLOW_WAREHOUSE__PATH", None)
    return env


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_two_concurrent_runs_on_one_warehouse_take_turns_without_duplicates(inbox, db_path, tmp_path):
    env = _subprocess_env(NEWSFLOW_WAREHOUSE__READ_TIMEOUT_SECONDS="300")
    runs = [_newsflow(["run", str(inbox), "--db", str(db_path)], env, tmp_path) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    processed = sorted(int(out.split(" processed")[0].rsplit(" ", 1)[1]) for out, _ in outputs)
    assert processed == [0, 3]  # one run loaded everything, the other found it done
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*), count(distinct article_id) from articles").fetchone() == (3, 3)
        assert con.execute("select count(*) from (select path from files group by path having count(*) > 1)").fetchone()[0] == 0
        assert con.execute("select status, count(*) from runs group by all").fetchall() == [("completed", 2)]


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_a_run_that_cannot_get_the_warehouse_exits_with_a_clear_message(inbox, db_path, tmp_path):
    from warehouse.lock import run_lock

    env = _subprocess_env(NEWSFLOW_WAREHOUSE__READ_TIMEOUT_SECONDS="2")
    with run_lock(db_path, wait_seconds=1):  # another writer holds the warehouse
        run = _newsflow(["run", str(inbox), "--db", str(db_path)], env, tmp_path)
        _, err = run.communicate(timeout=300)
    assert run.returncode == 1
    assert f"[NF101] another run is writing to {db_path}" in err and "fix: wait for it to finish" in err
    assert not db_path.exists()  # nothing was written


# --- the NLP stage on Dask -------------------------------------------------------------------


def loaded_rows(db_path: Path) -> dict[str, list]:
    """Everything a run loads, minus run ids; lingua's confidence varies in the last bits between runs."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            "articles": con.execute(
                "select * exclude (run_id, language_confidence), round(language_confidence, 9) from articles order by all"
            ).fetchall(),
            "mentions": con.execute("select * from mentions order by all").fetchall(),
            "entities": con.execute("select * from entities order by all").fetchall(),
            "files": con.execute("select path, size, content_hash, status from files order by all").fetchall(),
        }


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_nlp_stage_on_a_local_dask_cluster_loads_the_same_rows_as_the_thread_runner(inbox, tmp_path):
    batches = "[pipeline]\nbatch_size = 1\n"
    thread_db, dask_db = tmp_path / "thread.duckdb", tmp_path / "dask.duckdb"
    run_flow([inbox], thread_db, config=write_config(tmp_path, batches))
    dask = batches + '[orchestration]\ntask_runner = "dask"\ndask_workers = 1\nbatches_in_flight = 2\n'
    result = run_flow([inbox], dask_db, config=write_config(tmp_path, dask))
    assert result["articles"] == 3
    assert loaded_rows(dask_db) == loaded_rows(thread_db)
    with duckdb.connect(str(dask_db), read_only=True) as con:
        assert "embedded-de" in con.execute("select pipelines from runs").fetchone()[0]


def _count_pipeline_builds() -> None:  # runs inside a Dask worker
    import transforms.nlp.pipelines as pipelines

    real_build = pipelines._build
    pipelines._builds = 0

    def counting_build(*args, **kwargs):
        pipelines._builds += 1
        return real_build(*args, **kwargs)

    pipelines._build = counting_build


def _pipeline_builds() -> tuple[int, int]:  # runs inside a Dask worker
    import transforms.nlp.pipelines as pipelines

    return os.getpid(), pipelines._builds


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_an_existing_dask_cluster_builds_each_pipeline_once_per_worker(inbox, db_path, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            client.run(_count_pipeline_builds)
            config = f'[pipeline]\nbatch_size = 1\n[orchestration]\ntask_runner = "dask"\ndask_address = "{cluster.scheduler_address}"\n'
            result = run_flow([inbox], db_path, config=write_config(tmp_path, config))
            assert result["articles"] == 3  # three batches, all German
            [(pid, builds)] = client.run(_pipeline_builds).values()
            assert builds == 1 and pid != os.getpid()
            assert len(cluster.workers) == 1  # the run used the cluster and left it running


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_batches_are_pipelined_and_loaded_in_order(inbox, db_path, tmp_path, monkeypatch):
    """While batch N is in the NLP stage batch N+1 is read; loads happen strictly in batch order."""
    import flows.build_corpus as module

    events: list[str] = []
    lock = threading.Lock()
    real_read, real_process, real_load = module.read_inputs, module.process_batch, module.load_batch

    def record(name, real):
        def wrapper(*args, **kwargs):
            number = len([e for e in events if e.startswith(f"{name}:start")]) + 1
            with lock:
                events.append(f"{name}:start:{number}")
            out = real(*args, **kwargs)
            with lock:
                events.append(f"{name}:end:{number}")
            return out

        return wrapper

    def slow_process(*args, **kwargs):  # make the NLP stage the bottleneck, as it is on real data
        import time

        time.sleep(0.5)
        return real_process(*args, **kwargs)

    monkeypatch.setattr(module, "read_inputs", record("read", real_read))
    monkeypatch.setattr(module, "process_batch", record("process", slow_process))
    monkeypatch.setattr(module, "load_batch", record("load", real_load))
    config = write_config(tmp_path, "[pipeline]\nbatch_size = 1\n[orchestration]\nbatches_in_flight = 1\n")
    result = run_flow([inbox], db_path, config=config)
    assert result["articles"] == 3
    assert [e for e in events if e.startswith("load:end")] == ["load:end:1", "load:end:2", "load:end:3"]
    assert events.index("read:end:2") < events.index("process:end:1")  # read ahead while processing
    assert events.index("load:end:1") < events.index("load:start:2")
