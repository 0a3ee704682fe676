"""A full disk and a read-only warehouse directory: a clear error, nothing half-written, a clean rerun.

* Disk full: `newsflow run` in a child process whose file size limit
  (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail with EFBIG "File too large"
  as they fail with ENOSPC on a full disk) stops DuckDB's write-ahead log
  mid-run. No privileges or mounts needed, so it runs everywhere.
* Read-only directory: we run as root, for whom chmod does not make a
  directory read-only, so the child refuses every write under the warehouse
  directory with EROFS (failure injection of `os.open`, `open` and
  `os.mkdir`). The first write of a run is its lock file, so the run stops
  there, before DuckDB opens anything.
* A really full disk, where the machine lets us mount a small tmpfs: the
  kernel's own ENOSPC, then the file system is grown and the run repeated.

Either way: exit 1 with the `[NF250]` message and its fix, no traceback; the
warehouse still opens and holds only whole batches (or is unchanged); a rerun
with the disk restored ends equal to an uninterrupted run.
"""

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import GNAD_CSV, PROJECT_DIR
from tests.test_hostile_scale import gnad_texts
from tests.test_properties import warehouse_tables

BATCH = 10
FIRST_RUN, LATER = 10, 40  # articles loaded before the fault, and arriving with it (4 batches)
FAST_CONFIG = f"""
[language]
languages = ["de"]
default = "de"

[nlp]
ner_models_dir = ""

[pipeline]
batch_size = {BATCH}
"""
WAL_LIMIT_BYTES = 400_000  # the WAL of a few batches: the fault comes mid-run
RUN_SPECIFIC = frozenset({"run_id", "built_at", "updated_at", "build_seconds"})  # which run wrote a row, when, how fast


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, prefect_harness):
    """(inbox, config, first, expected): the warehouse directory after the first articles were loaded,
    and the tables of an uninterrupted run over the whole inbox. Built once; tests copy `first`."""
    if not GNAD_CSV.exists():
        pytest.skip(f"shared corpus absent: {GNAD_CSV}")
    from flows.build_corpus import build_corpus

    root = tmp_path_factory.mktemp("storage")
    texts = gnad_texts()[: FIRST_RUN + LATER]
    inbox, config = root / "inbox", root / "fast.toml"
    inbox.mkdir()
    config.write_text(FAST_CONFIG)
    for number, text in enumerate(texts[:FIRST_RUN]):
        (inbox / f"a{number:03d}.txt").write_text(text + "\n", encoding="utf-8")
    first = root / "first" / "news.duckdb"
    assert build_corpus(paths=[str(inbox)], db=str(first), config=str(config))["articles"] == FIRST_RUN
    for number, text in enumerate(texts[FIRST_RUN:], start=FIRST_RUN):
        (inbox / f"a{number:03d}.txt").write_text(text + "\n", encoding="utf-8")
    clean = root / "clean" / "news.duckdb"
    assert build_corpus(paths=[str(inbox)], db=str(clean), config=str(config))["articles"] == FIRST_RUN + LATER
    return inbox, config, first.parent, final_tables(clean)


def prepare(corpus, db: Path) -> tuple[Path, Path, Path, dict]:
    """(inbox, config, db, expected) with `db` holding the first articles."""
    inbox, config, first, expected = corpus
    shutil.copytree(first, db.parent, dirs_exist_ok=True)
    return inbox, config, db, expected


@pytest.fixture
def setup(corpus, tmp_path):
    return prepare(corpus, tmp_path / "warehouse" / "news.duckdb")


def final_tables(db: Path) -> dict[str, list]:
    return warehouse_tables(db, skip_tables=frozenset({"runs"}), skip_columns=RUN_SPECIFIC)


def newsflow_run(
    inbox: Path, db: Path, config: Path, *, preexec=None, python_first: str = ""
) -> subprocess.CompletedProcess:
    """`newsflow run` in a child process (on the test session's Prefect API)."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "PREFECT_API_URL": PREFECT_API_URL.value()}
    env.pop("NEWSFLOW_WAREHOUSE__PATH", None)
    code = f"{python_first}\nimport sys\nfrom newsflow.cli import main\nsys.exit(main(sys.argv[1:]))"
    args = ["run", str(inbox), "--db", str(db), "--config", str(config), "--no-progress"]
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
        timeout=600, preexec_fn=preexec,
    )  # fmt: skip


def assert_clear_failure(run: subprocess.CompletedProcess, first_line: str, fix: str, code: str = "NF250") -> None:
    assert run.returncode == 1, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    message, fix_line = run.stderr.rstrip("\n").splitlines()[-2:]
    assert message.startswith(f"newsflow: [{code}] {first_line}"), message
    assert fix_line.startswith(f"  fix: {fix}"), fix_line


def assert_whole_batches(db: Path, inbox: Path) -> int:
    """The warehouse opens and holds whole batches only; returns how many articles it holds."""
    paths = sorted(str(path) for path in inbox.iterdir())
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = [path for (path,) in con.execute("select path from files order by path").fetchall()]
        assert len(loaded) % BATCH == 0 and loaded == paths[: len(loaded)]  # batches go in path order
        assert con.execute("select count(*) from files where status <> 'loaded' or articles <> 1").fetchone()[0] == 0
        articles = con.execute("select source_path from articles order by 1").fetchall()
        assert [path for (path,) in articles] == loaded
        orphans = con.execute(
            "select (select count(*) from mentions where article_id not in (select article_id from articles))"
            " + (select count(*) from dedup_signatures where article_id not in (select article_id from articles))"
        ).fetchone()[0]
        assert orphans == 0
    return len(loaded)


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.corpus
def test_disk_full_mid_run_fails_clearly_keeps_whole_batches_and_a_rerun_completes(setup):
    from flows.build_corpus import build_corpus

    inbox, config, db, expected = setup
    run = newsflow_run(inbox, db, config, preexec=_file_size_limit(WAL_LIMIT_BYTES))
    assert_clear_failure(run, f"no space left for the warehouse {db}: ", "free space on that disk")
    assert "File too large" in run.stderr.splitlines()[-2]  # what the system said

    held = assert_whole_batches(db, inbox)
    assert FIRST_RUN <= held < FIRST_RUN + LATER
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("select status, articles, error from runs order by started_at").fetchall()
    assert [status for status, *_ in runs] == ["completed", "failed"]
    assert runs[1][1] == held - FIRST_RUN and "[NF250] no space left" in runs[1][2]
    assert not list(db.parent.glob("*.tmp"))  # no half-copied read snapshot left behind

    again = build_corpus(paths=[str(inbox)], db=str(db), config=str(config))
    assert again["articles"] == FIRST_RUN + LATER - held
    assert final_tables(db) == expected


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of its own (when this machine lets us mount one), resized with `resize`."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256m", "newsflow-test", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the RLIMIT_FSIZE test covers it")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def resize(mount_point: Path, size: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount_point)], check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.corpus
def test_a_really_full_disk_mid_run_fails_clearly_and_a_rerun_after_resizing_completes(corpus, small_disk):
    """The same with the kernel's own ENOSPC: the warehouse on a tmpfs left 1.5 MB of room."""
    from flows.build_corpus import build_corpus

    inbox, config, db, expected = prepare(corpus, small_disk / "warehouse" / "news.duckdb")
    (db.parent / "news.read.duckdb").unlink()  # else withdrawing it when a copy fails frees the disk again
    usage = os.statvfs(small_disk)
    resize(small_disk, (usage.f_blocks - usage.f_bfree) * usage.f_frsize + 1_500_000)
    run = newsflow_run(inbox, db, config)
    assert_clear_failure(run, f"no space left for the warehouse {db}: ", "free space on that disk")
    assert "No space left on device" in run.stderr.splitlines()[-2]
    held = assert_whole_batches(db, inbox)
    assert run_statuses(db) in (["completed", "failed"], ["completed", "running"])  # recording needs room too

    resize(small_disk, 256 << 20)  # space restored
    again = build_corpus(paths=[str(inbox)], db=str(db), config=str(config))
    assert again["articles"] == FIRST_RUN + LATER - held
    assert final_tables(db) == expected
    assert run_statuses(db) == ["completed", "failed", "completed"]  # an unrecorded failure is marked now


def run_statuses(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [status for (status,) in con.execute("select status from runs order by started_at").fetchall()]


_REFUSE_WRITES = '''
import builtins, errno, io, os
from pathlib import Path

REFUSED = Path({directory!r})
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
real_os_open, real_open, real_mkdir = os.open, builtins.open, os.mkdir

def refused(path):
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False
    path = Path(os.fsdecode(path)).absolute()
    return path == REFUSED or REFUSED in path.parents

def read_only(path):
    return OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

def os_open(path, flags, *args, **kwargs):
    if flags & WRITING and refused(path):
        raise read_only(path)
    return real_os_open(path, flags, *args, **kwargs)

def open_(file, mode="r", *args, **kwargs):
    if set(mode) & set("wax+") and refused(file):
        raise read_only(file)
    return real_open(file, mode, *args, **kwargs)

def mkdir(path, *args, **kwargs):
    if refused(path) and os.path.isdir(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))
    if refused(path):
        raise read_only(path)
    return real_mkdir(path, *args, **kwargs)

os.open, builtins.open, io.open, os.mkdir = os_open, open_, open_, mkdir
'''


def directory_state(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.blake2b(path.read_bytes()).hexdigest() for path in sorted(directory.iterdir())}


@pytest.mark.slow
@pytest.mark.corpus
def test_read_only_warehouse_directory_fails_clearly_and_changes_nothing(setup):
    from flows.build_corpus import build_corpus

    inbox, config, db, expected = setup
    before = directory_state(db.parent)
    run = newsflow_run(inbox, db, config, python_first=_REFUSE_WRITES.format(directory=str(db.parent)))
    assert_clear_failure(run, f"cannot write to the warehouse directory {db.parent}: ", "make the directory writable")
    assert "Read-only file system" in run.stderr.splitlines()[-2]
    assert directory_state(db.parent) == before  # nothing written: the run could not even record itself
    assert assert_whole_batches(db, inbox) == FIRST_RUN

    again = build_corpus(paths=[str(inbox)], db=str(db), config=str(config))
    assert again["articles"] == LATER
    assert final_tables(db) == expected


@pytest.mark.slow
@pytest.mark.corpus
def test_a_memory_limit_too_small_fails_clearly_and_a_rerun_with_enough_completes(setup, tmp_path):
    from flows.build_corpus import build_corpus

    inbox, config, db, expected = setup
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(config.read_text() + '\n[warehouse]\nmemory_limit = "1MB"\n')
    run = newsflow_run(inbox, db, tiny)
    assert_clear_failure(
        run, f"DuckDB ran out of memory in the warehouse {db}: Out of Memory Error", "raise warehouse.memory_limit",
        code="NF251",
    )  # fmt: skip
    assert assert_whole_batches(db, inbox) == FIRST_RUN
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("select status, error from runs order by started_at").fetchall()
    assert [status for status, _ in runs] == ["completed", "failed"] and "[NF251]" in runs[1][1]

    again = build_corpus(paths=[str(inbox)], db=str(db), config=str(config))
    assert again["articles"] == LATER
    assert final_tables(db) == expected


def test_refused_writes_in_the_warehouse_directory_are_told_apart_from_other_errors(tmp_path):
    from newsflow.errors import WarehouseStorageError
    from warehouse.storage import resource_error

    db = tmp_path / "w" / "news.duckdb"
    full = resource_error(OSError(errno.ENOSPC, "No space left on device", str(db) + ".wal"), db)
    assert isinstance(full, WarehouseStorageError)
    assert str(full).startswith(f"[NF250] no space left for the warehouse {db}")
    wal = duckdb.IOException(f'Could not write file "{db}.wal": File too large')
    try:
        raise RuntimeError("load failed") from wal
    except RuntimeError as wrapped:
        assert "File too large" in resource_error(wrapped, db).message  # found through the cause
    locked = resource_error(PermissionError(errno.EROFS, "Read-only file system", str(db) + ".lock"), db)
    assert locked.message.startswith(f"cannot write to the warehouse directory {db.parent}")
    assert "writable" in locked.fix
    elsewhere = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "inbox" / "a.txt"))
    assert resource_error(elsewhere, db) is None  # not the warehouse's disk: no advice about it
    assert resource_error(duckdb.IOException("Could not write file \"/other/x.duckdb\": File too large"), db) is None
    assert resource_error(ValueError("permission denied"), db) is None
    out_of_memory = resource_error(duckdb.OutOfMemoryException("Out of Memory Error: failed\n\nPossible solutions: ..."), db)
    assert str(out_of_memory).startswith(f"[NF251] DuckDB ran out of memory in the warehouse {db}: Out of Memory Error")
    assert "Possible solutions" not in out_of_memory.message
