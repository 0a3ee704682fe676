"""Progress of a run while its batches go through: Prefect artifacts and terminal bars.

The flow reports each stage (read, process, load) per batch to every
listener: `ArtifactProgress` keeps a progress artifact of the flow run up to
date (the UI shows it while the run is live) and publishes a link to the
warehouse; `newsflow run` adds `RichProgress` on a terminal, one bar per stage.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

STAGES = ("read", "process", "load")


class ProgressListener(Protocol):
    def started(self, files_to_read: int, batches: int) -> None: ...

    def advanced(self, stage: str, files: int, articles: int) -> None: ...

    def finished(self, completed: bool) -> None: ...


_listeners: list[ProgressListener] = []
_listeners_lock = threading.Lock()


@contextmanager
def watching(listener: ProgressListener) -> Iterator[ProgressListener]:
    """Register `listener` for the runs of this process while the block runs."""
    with _listeners_lock:
        _listeners.append(listener)
    try:
        yield listener
    finally:
        with _listeners_lock:
            _listeners.remove(listener)


class RunProgress:
    """What the flow calls; fans out to the artifact and any registered listeners."""

    def __init__(self, *listeners: ProgressListener):
        with _listeners_lock:
            self.listeners = [*listeners, *_listeners]

    def started(self, files_to_read: int, batches: int) -> None:
        for listener in self.listeners:
            listener.started(files_to_read, batches)

    def advanced(self, stage: str, files: int, articles: int) -> None:
        for listener in self.listeners:
            listener.advanced(stage, files, articles)

    def finished(self, completed: bool) -> None:
        for listener in self.listeners:
            listener.finished(completed)


class ArtifactProgress:
    """A progress artifact (share of files loaded) and a link artifact to the warehouse."""

    KEY = "newsflow-progress"
    LINK_KEY = "newsflow-warehouse"

    def __init__(self, db_path: Path, run_id: str):
        self.db_path, self.run_id = db_path, run_id
        self.artifact_id = None
        self.total = self.loaded = 0

    def started(self, files_to_read: int, batches: int) -> None:
        from prefect.artifacts import create_link_artifact, create_progress_artifact

        self.total = files_to_read
        create_link_artifact(
            key=self.LINK_KEY,
            link=self.db_path.as_uri(),
            link_text=f"warehouse {self.db_path.name}",
            description=f"the DuckDB warehouse run {self.run_id} writes (query it with `newsflow sql --db {self.db_path}`)",
        )
        self.artifact_id = create_progress_artifact(
            progress=0.0 if files_to_read else 100.0,
            key=self.KEY,
            description=f"run {self.run_id}: share of {files_to_read} file(s) in {batches} batch(es) loaded",
        )

    def advanced(self, stage: str, files: int, articles: int) -> None:
        if stage != "load" or self.artifact_id is None or not self.total:
            return
        from prefect.artifacts import update_progress_artifact

        self.loaded += files
        update_progress_artifact(artifact_id=self.artifact_id, progress=round(100.0 * self.loaded / self.total, 1))

    def finished(self, completed: bool) -> None:
        if completed and self.artifact_id is not None:  # a failed run keeps its last progress
            from prefect.artifacts import update_progress_artifact

            update_progress_artifact(artifact_id=self.artifact_id, progress=100.0)


class RichProgress:
    """One terminal bar per stage (files), with articles and articles/s; gone when the run ends."""

    def __init__(self, console=None):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TextColumn("{task.fields[articles]} articles ({task.fields[rate]}/s)"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, object] = {}
        self.articles = dict.fromkeys(STAGES, 0)
        self.began = time.perf_counter()

    def started(self, files_to_read: int, batches: int) -> None:
        self.began = time.perf_counter()
        self.progress.start()
        for stage in STAGES:
            self.tasks[stage] = self.progress.add_task(stage, total=files_to_read, articles=0, rate="0.0")

    def advanced(self, stage: str, files: int, articles: int) -> None:
        self.articles[stage] += articles
        rate = self.articles[stage] / max(time.perf_counter() - self.began, 1e-9)
        self.progress.update(self.tasks[stage], advance=files, articles=self.articles[stage], rate=f"{rate:.1f}")

    def finished(self, completed: bool) -> None:
        self.progress.stop()
