"""Run-level steps that work on the whole warehouse once every batch is loaded.

Each step is a Prefect task `(db_path: Path, run_id: str, settings: Settings)
-> dict` of counts for the log; it must be idempotent (a rerun with nothing new
changes nothing) and keep its own writes in short transactions. Register a
step by appending it to POST_LOAD_STEPS.
"""

from collections.abc import Callable
from pathlib import Path

from newsflow.settings import Settings

PostLoadStep = Callable[[Path, str, Settings], dict]

POST_LOAD_STEPS: list[PostLoadStep] = []
