"""Run the real `newsflow` CLI with a SIGKILL injected at one named point (failure injection for tests).

    python -m tests.fault_injection POINT AT_BATCH -- newsflow arguments…

The process kills itself (`kill -9`: no exception handler, `finally` or atexit
runs) at POINT. Points count batches, so a point is the same on every run:

    nlp              in the NLP stage of batch AT_BATCH (after its first Doc), once the flow has loaded every
                     earlier batch and waits for this one
    load-transaction inside the DuckDB transaction of batch AT_BATCH: every row written, just before `commit`
    after-commit     right after batch AT_BATCH committed (before the checkpoint and the snapshot publish)
    before-publish   after batch AT_BATCH, just before the read snapshot is copied
    during-publish   half-way through copying the read snapshot after batch AT_BATCH
    search-index     post-load: the full-text index built inside its transaction, before its bookkeeping row
    dedup            post-load: duplicate pairs matched and committed, the clusters' transaction begun (its first
                     statement, the delete of the touched clusters, not run)
    stall            no kill: before loading batch AT_BATCH, wait until the file named by $FAULT_RELEASE_FILE exists
                     (the run holds the run lock meanwhile, with every earlier batch committed)

Before dying it prints `fault-injection: killed at POINT` to stderr (`stalled
before batch N` when it stalls), so a test can tell the planned kill from a
crash. Production code is patched only here.
"""

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable

POINTS = ("nlp", "load-transaction", "after-commit", "before-publish", "during-publish", "search-index", "dedup", "stall")
WAIT_SECONDS = 300  # for the flow to reach batch AT_BATCH's load, or for a stall's release; only reached if a test hangs


def say(message: str) -> None:
    """Straight to fd 2: the flow's `log_prints` would route a print through Prefect's logger."""
    os.write(2, f"fault-injection: {message}\n".encode())


def kill(point: str) -> None:
    say(f"killed at {point}")
    os.kill(os.getpid(), signal.SIGKILL)


class KillingConnection:
    """A DuckDB connection that dies just before executing a statement `when` picks (whitespace-folded, lower case)."""

    def __init__(self, con, point: str, when: Callable[[str], bool]):
        self._con, self._point, self._when = con, point, when

    def execute(self, query, *args, **kwargs):
        if isinstance(query, str) and self._when(" ".join(query.split()).lower()):
            kill(self._point)
        return self._con.execute(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


class Progress:
    """Which batch the flow's loader has reached, shared with the NLP thread."""

    def __init__(self):
        self.committed = 0
        self.loading = 0  # the batch whose NLP result the loader waits for
        self.changed = threading.Condition()

    def reached(self, **values: int) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.changed.notify_all()

    def wait_loading(self, batch: int) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.loading >= batch, timeout=WAIT_SECONDS):
                say(f"the flow never waited for batch {batch}")
                os._exit(3)


def stall(batch: int) -> None:
    release = os.environ["FAULT_RELEASE_FILE"]
    say(f"stalled before batch {batch}")
    deadline = time.monotonic() + WAIT_SECONDS
    while not os.path.exists(release):
        if time.monotonic() > deadline:
            say("never released")
            os._exit(3)
        time.sleep(0.05)


def install(point: str, at_batch: int) -> None:
    import flows.build_corpus as build_corpus
    import flows.dedup as dedup
    import flows.post_load as post_load
    import warehouse.connection as connection
    import warehouse.snapshot as snapshot

    progress = Progress()
    real_load, real_load_next = build_corpus.load_batch, build_corpus._load_next

    def load_batch(con, batch, run_id):
        if point == "stall" and progress.committed + 1 == at_batch:
            stall(at_batch)
        if point == "load-transaction" and progress.committed + 1 == at_batch:
            con = KillingConnection(con, point, lambda sql: sql == "commit")
        real_load(con, batch, run_id)
        progress.reached(committed=progress.committed + 1)
        if point == "after-commit" and progress.committed == at_batch:
            kill(point)

    def load_next(item, *args, **kwargs):  # item: (label "batch-000N", read, future, submitted)
        progress.reached(loading=int(item[0].rsplit("-", 1)[1]))
        return real_load_next(item, *args, **kwargs)

    build_corpus.load_batch, build_corpus._load_next = load_batch, load_next

    if point == "nlp":
        real_extract = build_corpus.extract_entities
        calls = {"n": 0}

        def extract_entities(articles, pipeline, kb, batch_size, on_doc=None):
            calls["n"] += 1
            if calls["n"] != at_batch:
                return real_extract(articles, pipeline, kb, batch_size, on_doc=on_doc)

            def dying_on_doc(*args, **kwargs):
                if on_doc is not None:
                    on_doc(*args, **kwargs)
                progress.wait_loading(at_batch)  # the flow's thread loads the earlier batches meanwhile
                kill(point)

            return real_extract(articles, pipeline, kb, batch_size, on_doc=dying_on_doc)

        build_corpus.extract_entities = extract_entities

    if point == "before-publish":
        for module in (snapshot, connection):  # the run's publisher and the closing writer both publish
            real_publish = module.publish_or_withdraw

            def publish_or_withdraw(*args, real_publish=real_publish, **kwargs):
                if progress.committed == at_batch:
                    kill(point)
                return real_publish(*args, **kwargs)

            module.publish_or_withdraw = publish_or_withdraw

    if point == "during-publish":
        real_copyfile = shutil.copyfile

        def copyfile(source, target, *args, **kwargs):
            if progress.committed == at_batch and str(target).endswith(".tmp"):
                with open(source, "rb") as src, open(target, "wb") as dst:
                    dst.write(src.read(os.path.getsize(source) // 2))
                    dst.flush()
                    os.fsync(dst.fileno())
                kill(point)
            return real_copyfile(source, target, *args, **kwargs)

        shutil.copyfile = copyfile

    if point == "search-index":
        real_index = post_load.ensure_search_index

        def ensure_search_index(con, *args, **kwargs):
            dying = KillingConnection(con, point, lambda sql: sql.startswith("insert or replace into search_index"))
            return real_index(dying, *args, **kwargs)

        post_load.ensure_search_index = ensure_search_index

    if point == "dedup":
        real_cluster = dedup.cluster_warehouse

        def cluster_warehouse(con, settings, *args, **kwargs):
            dying = KillingConnection(con, point, lambda sql: sql.startswith("delete from clusters"))
            return real_cluster(dying, settings, *args, **kwargs)

        dedup.cluster_warehouse = cluster_warehouse


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 2 or argv[0] not in POINTS:
        print(__doc__, file=sys.stderr)
        return 2
    point, at_batch, newsflow_args = argv[0], int(argv[1]), argv[3:]
    from newsflow.commands.run import prepare_prefect_env

    prepare_prefect_env()
    install(point, at_batch)
    from newsflow.cli import main as newsflow_main

    return newsflow_main(newsflow_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
