"""Shared fixtures: a project-local Prefect home, one Prefect test server per session."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Before anything imports Prefect: keep its state out of the user's home.
_PREFECT_HOME = tempfile.mkdtemp(prefix="newsflow-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_DIR / "seeds"
SHARED_DIR = PROJECT_DIR.parent / "shared"
GNAD_CSV = SHARED_DIR / "corpora" / "gnad10k_test" / "test.csv"
GERMEVAL_TSV = SHARED_DIR / "corpora" / "germeval2014_dev" / "NER-de-dev.tsv"
SEED_FILE = SEEDS_DIR / "000_294f5652016ebd54.txt"


@pytest.fixture(scope="session")
def prefect_harness():
    """One real (temporary) Prefect API for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "test.duckdb"


# CI replays the same Hypothesis examples on every run (a red build must mean a
# change broke something); developers' runs keep exploring new examples.
if os.environ.get("CI"):
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    hypothesis_settings.load_profile("ci")
