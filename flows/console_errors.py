"""Known failures on the terminal: one line from the log, no traceback.

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
