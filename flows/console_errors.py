"""Known failures in one line: on the terminal, and in the run's logs.

`install_one_line_failures` (applied when flows/build_corpus.py is imported)
rewrites the records Prefect logs for a failed task or flow when the failure
is a `NewsflowError`: one line with its code and fix, in every handler (the
terminal and the run's logs in the UI); the traceback goes to DEBUG.

Prefect logs a failed task or flow with its traceback. For a failure newsflow
explains itself (a `NewsflowError` with code and fix, or a write the disk or
directory refused, see warehouse/storage.py) the traceback says nothing more
to the user, so while `newsflow run` runs, the terminal's log handler drops
it from those records. Only the terminal: the run's logs in the Prefect API
(the UI) are handled before the terminal and keep the traceback.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prefect.logging.handlers import PrefectConsoleHandler

from newsflow.errors import NewsflowError
from warehouse.storage import resource_error


class _KnownFailureFilter(logging.Filter):
    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and (isinstance(error, NewsflowError) or resource_error(error, self.db_path)):
            record.exc_info, record.exc_text = None, None
        return True


@contextmanager
def known_failures_in_one_line(db_path: Path) -> Iterator[None]:
    """While the block runs, the terminal shows known failures of the run on `db_path` without tracebacks."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    quiet = _KnownFailureFilter(db_path)
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)


RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


def newsflow_error_of(error: BaseException | None) -> NewsflowError | None:
    """The NewsflowError an exception is or was raised from (its cause or context chain)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, NewsflowError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def one_line(error: NewsflowError) -> str:
    text = f"[{error.code}] {error.message}" + (f" — fix: {error.fix}" if error.fix else "")
    return " ".join(text.split())


class OneLineFailures(logging.Filter):
    """A failure record with a NewsflowError: "<what failed>: [NF201] message — fix: …"; traceback at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR or not record.exc_info:
            return True
        error = newsflow_error_of(record.exc_info[1])
        if error is None:
            return True
        exc_info = record.exc_info
        what = record.getMessage().split(":", 1)[0]
        record.msg, record.args = f"{what}: {one_line(error)}", ()
        record.exc_info, record.exc_text = None, None
        logging.getLogger(record.name).debug("traceback of the failure above (%s)", error.code, exc_info=exc_info)
        return True


def install_one_line_failures() -> None:
    """Add OneLineFailures to Prefect's flow-run and task-run loggers (once)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineFailures) for f in logger.filters):
            logger.addFilter(OneLineFailures())
