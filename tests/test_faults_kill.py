"""Crash safety: a run killed with SIGKILL at any point, then a normal rerun, leaves exactly the warehouse
an uninterrupted run leaves; a run that finds another one writing stops with a clear message and writes
nothing. Real `newsflow run` processes (tests/fault_injection.py kills them), real DuckDB files, the
session's Prefect API."""

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsflow.cli import main
from tests.test_orchestration import _subprocess_env
from warehouse.snapshot import is_current, snapshot_path

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

# 12 files in 4 batches; the read snapshot is published after every batch
CONFIG = "[pipeline]\nbatch_size = 3\n[warehouse]\nsnapshot_interval_seconds = 0\n"
FILES = 12
KILLED_RUN_ERROR = "the run stopped without finishing (process killed?)"

ARTICLES = {  # file name: (title, published, text); dated summit coverage with quotes, agencies and a copy
    "00_hanoi.json": ("Gipfel in Hanoi beginnt", "2019-02-27", "Hanoi (dpa) – US-Präsident Donald Trump und Nordkoreas Machthaber Kim Jong Un sind in Hanoi zu ihrem zweiten Gipfel zusammengekommen. „Ich denke, dass Ihr Land gewaltiges wirtschaftliches Potenzial hat“, sagte Trump vor Journalisten. Kim sagte: „Ich hoffe, dass wir alles erreichen, was die Leute erwarten.“ Es geht um die Denuklearisierung der koreanischen Halbinsel und um Sanktionen."),
    "01_singapur.json": ("Treffen in Singapur", "2018-06-12", "Singapur – Donald Trump und Kim Jong Un haben sich in Singapur zum ersten Gipfel getroffen. Beide unterzeichneten eine Erklärung zur Denuklearisierung. „Wir haben eine besondere Verbindung entwickelt“, sagte Trump nach dem Treffen auf der Insel Sentosa. Südkorea begrüßte das Ergebnis."),
    "02_abbruch.json": ("Gipfel ohne Einigung abgebrochen", "2019-02-28", "Hanoi – Der Gipfel zwischen Trump und Kim ist ohne Einigung zu Ende gegangen. Nordkorea habe die Aufhebung aller Sanktionen verlangt, sagte Trump. „Manchmal muss man gehen“, erklärte der US-Präsident. Außenminister Mike Pompeo zeigte sich dennoch optimistisch."),
    "03_grenze.json": ("Handschlag an der Grenze", "2019-06-30", "Panmunjom – Donald Trump hat als erster amtierender US-Präsident nordkoreanischen Boden betreten. An der Grenze in Panmunjom schüttelte er Kim Jong Un die Hand. „Es ist mir eine große Ehre“, sagte Trump. Südkoreas Präsident Moon Jae In begleitete die beiden."),
    "04_moon.json": ("Moon trifft Kim", "2018-04-27", "Panmunjom – Südkoreas Präsident Moon Jae In und Kim Jong Un haben sich an der Grenze getroffen. Beide Staatschefs versprachen eine atomwaffenfreie koreanische Halbinsel. „Eine neue Geschichte beginnt jetzt“, schrieb Kim in das Gästebuch."),
    "05_putin.json": ("Putin empfängt Kim", "2019-04-25", "Wladiwostok – Der russische Präsident Wladimir Putin hat Kim Jong Un in Wladiwostok empfangen. Putin sagte, Nordkorea brauche Sicherheitsgarantien. Der Kreml sprach von einem nützlichen Treffen. China und Russland fordern eine Lockerung der Sanktionen."),
    "06_raketen.json": ("Raketentest in Nordkorea", "2019-05-04", "Seoul – Nordkorea hat nach Angaben des südkoreanischen Militärs mehrere Kurzstreckenraketen getestet. Die Regierung in Seoul zeigte sich besorgt. Japan verurteilte den Test. Die Gespräche mit den USA stocken seit dem Gipfel in Hanoi."),
    "07_pompeo.json": ("Pompeo reist nach Pjöngjang", "2018-07-06", "Pjöngjang – US-Außenminister Mike Pompeo ist zu Gesprächen über die Umsetzung der Vereinbarungen von Singapur in Pjöngjang eingetroffen. „Wir machen Fortschritte“, sagte Pompeo. Nordkorea kritisierte die Forderungen der USA als einseitig."),
}  # fmt: skip
COPY = ("08_kopie.json", "Trump und Kim in Hanoi", "00_hanoi.json", " (APA, 27.2.2019)")  # new headline, credit trailer
UPDATE = ("09_update.txt", "02_abbruch.json", "optimistisch", "zuversichtlich, dass es weitere Gespräche gibt")
BROKEN = {"10_leer.txt": b"", "11_kaputt.json": b'{"title": "Gipfel", "maintext": "Trump und Kim tr'}

# Columns whose values belong to the run that wrote a row, not to the data.
RUN_SPECIFIC = {"run_id", "first_seen_at", "processed_at", "rejected_at", "updated_at", "built_at", "build_seconds"}
NOT_COMPARED = {"runs", "schema_migrations"}  # the runs are checked on their own; migrations are applied once
MUST_HOLD_DATA = (
    "files", "articles", "entities", "mentions", "rejects", "quotes", "clusters", "dedup_pairs", "article_agencies",
    "article_summits", "article_terms", "term_document_frequency", "summits", "search_index",
)  # fmt: skip


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fault-config") / "faults.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """One inbox for every run of the module, so paths (and ids derived from them) are the same."""
    directory = tmp_path_factory.mktemp("fault-inbox")

    def article(name: str, title: str, published: str, text: str) -> None:
        document = {"title": title, "date_publish": published, "maintext": text, "source_domain": "zeitung.de"}
        (directory / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    for name, (title, published, text) in ARTICLES.items():
        article(name, title, published, text)
    name, title, original, trailer = COPY
    article(name, title, ARTICLES[original][1], ARTICLES[original][2] + trailer)
    name, original, old, new = UPDATE
    (directory / name).write_text(ARTICLES[original][2].replace(old, new), encoding="utf-8")
    for name, data in BROKEN.items():
        (directory / name).write_bytes(data)
    return directory


def newsflow_killed(point: str, batch: int, inbox: Path, db: Path, config: Path) -> subprocess.CompletedProcess:
    """`newsflow run` in its own process, killed at `point` (tests/fault_injection.py)."""
    command = ["-m", "tests.fault_injection", point, str(batch), "--", "run", str(inbox), "--db", str(db), "--config", str(config)]
    return subprocess.run(
        [sys.executable, *command, "--no-progress"], cwd=db.parent.parent, env=_subprocess_env(),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def newsflow_run(paths: Path | list[Path], db: Path, config: Path) -> dict:
    """A normal run: the flow `newsflow run` calls, in this process (its spaCy pipelines stay loaded)."""
    from flows.build_corpus import build_corpus

    paths = paths if isinstance(paths, list) else [paths]
    return build_corpus(paths=[str(path) for path in paths], db=str(db), config=str(config))


@pytest.fixture(scope="module")
def reference(inbox, config, tmp_path_factory) -> dict:
    """The warehouse of one uninterrupted run."""
    db = tmp_path_factory.mktemp("fault-reference") / "news.duckdb"
    assert newsflow_run(inbox, db, config)["files_changed"] == FILES
    contents = warehouse_contents(db)
    for table in MUST_HOLD_DATA:  # the comparison covers every kind of row a run writes
        assert contents[table], f"the reference run wrote no {table}"
    assert len(contents["clusters"]) > len({row[0] for row in contents["clusters"]})  # the copy was clustered
    return contents


def warehouse_contents(db: Path) -> dict[str, list]:
    """Every row of every table (run-specific columns left out), the full-text index by document name."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by table_name"
        ).fetchall()
        contents = {}
        for (table,) in tables:
            if table in NOT_COMPARED:
                continue
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'main' and table_name = ?"
                " order by column_index",
                [table],
            ).fetchall()
            # lingua's confidences vary in their last bits between processes
            selected = [f'round("{c}", 9)' if t == "DOUBLE" else f'"{c}"' for c, t in columns if c not in RUN_SPECIFIC]
            contents[table] = con.execute(f'select {", ".join(selected)} from "{table}" order by all').fetchall()
        if con.execute("select count(*) from duckdb_schemas() where schema_name = 'fts_main_articles'").fetchone()[0]:
            contents["fts terms"] = con.execute(  # docids follow load order; the document names do not
                """
                select d.name, f.field, t.term from fts_main_articles.terms
                join fts_main_articles.docs d using (docid) join fts_main_articles.dict t using (termid)
                join fts_main_articles.fields f using (fieldid) order by all
                """
            ).fetchall()
            contents["fts docs"] = con.execute("select name, len from fts_main_articles.docs order by all").fetchall()
    return contents


def runs_of(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select status, error, files_changed from runs order by started_at").fetchall()


def assert_runs_account_for_every_row(db: Path) -> None:
    """What the runs say they loaded adds up to what the warehouse holds, a killed run included."""
    with duckdb.connect(str(db), read_only=True) as con:
        said = con.execute("select sum(files_changed), sum(articles), sum(mentions), sum(rejects) from runs").fetchone()
        held = con.execute(
            "select (select count(*) from files), (select count(*) from articles), (select count(*) from mentions),"
            " (select count(*) from rejects)"
        ).fetchone()
        assert said == held
        assert con.execute("select count(*) from runs where finished_at < started_at or finished_at is null").fetchone() == (0,)


def sql(db: Path, query: str, capsys) -> list[dict]:
    """`newsflow sql` as an analyst runs it (through the read snapshot or the live file)."""
    capsys.readouterr()
    assert main(["sql", "--db", str(db), "--format", "json", query]) == 0
    return json.loads(capsys.readouterr().out)


# point, batch, files committed when the process dies (4 batches of 3 files)
KILL_POINTS = [
    pytest.param("nlp", 3, 6, id="during-nlp-of-batch-3"),
    pytest.param("load-transaction", 2, 3, id="inside-load-transaction-before-commit"),
    pytest.param("after-commit", 2, 6, id="after-commit-before-checkpoint"),
    pytest.param("before-publish", 2, 6, id="after-load-before-snapshot-publish"),
    pytest.param("during-publish", 2, 6, id="half-way-through-snapshot-copy"),
    pytest.param("search-index", 0, 12, id="post-load-search-index-transaction"),
    pytest.param("dedup", 0, 12, id="post-load-between-dedup-matching-and-clusters"),
]


@pytest.mark.parametrize(("point", "batch", "committed_files"), KILL_POINTS)
def test_a_killed_run_then_a_rerun_equals_an_uninterrupted_run(
    point, batch, committed_files, inbox, config, reference, tmp_path, capsys
):
    db = tmp_path / "warehouse" / "news.duckdb"
    killed = newsflow_killed(point, batch, inbox, db, config)
    assert killed.returncode == -9, killed.stderr[-3000:]
    assert f"fault-injection: killed at {point}" in killed.stderr

    # what the dead run committed is there and readable; its row still says running
    assert sql(db, "select count(*) as files from files", capsys) == [{"files": committed_files}]
    assert runs_of(db) == [("running", None, None)]

    rerun = newsflow_run(inbox, db, config)
    assert rerun["files_changed"] == FILES - committed_files  # exactly what is missing is read
    assert runs_of(db) == [("failed", KILLED_RUN_ERROR, committed_files), ("completed", None, FILES - committed_files)]
    assert_runs_account_for_every_row(db)
    assert warehouse_contents(db) == reference

    # readers see the same final state; nothing of the killed run is left next to the warehouse
    assert is_current(db)
    assert warehouse_contents(snapshot_path(db)) == reference
    assert sorted(p.name for p in db.parent.iterdir()) == sorted([db.name, f"{db.name}.lock", snapshot_path(db).name])


def test_a_run_killed_while_clustering_new_articles_against_loaded_ones_recovers(
    inbox, config, reference, tmp_path, capsys
):
    """Incremental dedup: the copy and the update arrive in a second run, killed between matching and clustering."""
    db = tmp_path / "warehouse" / "news.duckdb"
    first = sorted(path for path in inbox.iterdir() if path.name < COPY[0])  # the eight originals
    assert newsflow_run(first, db, config)["files_changed"] == len(first)
    killed = newsflow_killed("dedup", 0, inbox, db, config)
    assert killed.returncode == -9, killed.stderr[-3000:]
    loaded = "select count(*) as files, count(distinct run_id) as runs from files"
    assert sql(db, loaded, capsys) == [{"files": FILES, "runs": 2}]  # the killed run's batches are committed

    assert newsflow_run(inbox, db, config)["files_changed"] == 0
    assert runs_of(db) == [
        ("completed", None, len(first)), ("failed", KILLED_RUN_ERROR, FILES - len(first)), ("completed", None, 0),
    ]  # fmt: skip
    assert_runs_account_for_every_row(db)
    assert warehouse_contents(db) == reference


def _wait_for(condition, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def test_a_run_during_a_live_run_stops_with_a_clear_message_and_writes_nothing(
    inbox, config, reference, tmp_path, capsys
):
    """The first run stalls holding the warehouse (batch 1 committed); a second one gives up with NF101."""
    db = tmp_path / "warehouse" / "news.duckdb"
    release, first_log = tmp_path / "release", tmp_path / "first.log"
    command = [sys.executable, "-m", "tests.fault_injection", "stall", "2", "--", "run", str(inbox), "--db", str(db)]
    with open(first_log, "w") as log:
        first = subprocess.Popen(
            [*command, "--config", str(config), "--no-progress"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log,
            env=_subprocess_env(FAULT_RELEASE_FILE=str(release)),
        )  # fmt: skip
    try:
        _wait_for(lambda: "fault-injection: stalled before batch 2" in first_log.read_text(), "the first run to stall")
        files_before = {path.name: path.read_bytes() for path in db.parent.iterdir()}

        second = subprocess.run(
            [sys.executable, "-m", "newsflow.cli", "run", str(inbox), "--db", str(db), "--config", str(config)],
            cwd=tmp_path, env=_subprocess_env(NEWSFLOW_WAREHOUSE__READ_TIMEOUT_SECONDS="1"),
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert second.returncode == 1, second.stderr[-3000:]
        assert f"newsflow: [NF101] another run is writing to {db} (lock held by pid {first.pid})" in second.stderr
        assert "fix: wait for it to finish; runs on one warehouse never write at once" in second.stderr
        assert {path.name: path.read_bytes() for path in db.parent.iterdir()} == files_before  # not a byte written

        # analysts read the first run's committed batch meanwhile
        assert sql(db, "select count(*) as files from files", capsys) == [{"files": 3}]
        release.touch()
        assert first.wait(timeout=600) == 0, first_log.read_text()[-3000:]
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert runs_of(db) == [("completed", None, FILES)]  # the second run never started a row
    assert warehouse_contents(db) == reference
