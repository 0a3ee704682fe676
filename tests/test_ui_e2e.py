"""End to end with the real Prefect UI: `prefect server start`, `newsflow serve`, a deployment
run through the API, and the run's page in headless Chromium (screenshot in tests/artifacts/).

Everything is a real process on free local ports with its own PREFECT_HOME; the test talks
to the server over plain HTTP (not through the session's test harness) and drives Chromium
through the DevTools protocol, waiting until the single-page app has rendered what it checks.
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.conftest import PROJECT_DIR, SEED_FILE

pytestmark = pytest.mark.slow

ARTIFACTS_DIR = PROJECT_DIR / "tests" / "artifacts"
NEVER_DURING_THE_TEST = "0 0 1 1 *"  # served schedule: Jan 1st, so only the run the test starts happens
EXPECTED_ARTIFACTS = ("newsflow-run-summary", "newsflow-progress", "newsflow-warehouse")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, probe: Callable[[], object], timeout: float, every: float = 0.5, logs: Callable[[], str] = str):
    """Poll `probe` until it returns something truthy; fail with `what` and the logs otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs()}")


@contextmanager
def background(command: list[str], env: dict, log: Path, cwd: Path) -> Iterator[subprocess.Popen]:
    """A process in its own session; SIGTERM to its group at the end, SIGKILL if it lingers."""
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    """A real `prefect server start` with the UI on a free port; yields (API URL, env for clients)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    log = home / "server.log"
    prefect = str(Path(sys.executable).parent / "prefect")
    command = [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with background(command, env, log, home) as server:

        def healthy() -> bool:
            if server.poll() is not None:
                pytest.fail(f"prefect server exited with {server.returncode}\n{tail(log)}")
            try:
                return httpx.get(f"{api}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for("the Prefect server's /api/health", healthy, timeout=180, logs=lambda: tail(log))
        yield api, env


def api_call(method: str, api: str, path: str, body: dict | None = None, attempts: int = 8):
    """One Prefect API call, retried with back-off while the (busy, shared) server answers 5xx."""
    for attempt in range(attempts):
        try:
            response = httpx.request(method, f"{api}{path}", json=body, timeout=30)
            if response.status_code < 500:
                response.raise_for_status()
                return response.json()
        except httpx.TransportError:
            if attempt == attempts - 1:
                raise
        time.sleep(min(2**attempt * 0.25, 8))
    response.raise_for_status()


def api_post(api: str, path: str, body: dict) -> object:
    return api_call("POST", api, path, body)


def api_get(api: str, path: str) -> dict:
    return api_call("GET", api, path)


class Chromium:
    """Headless Debian chromium driven over the DevTools protocol (no extra packages)."""

    def __init__(self, profile: Path):
        self.port = free_port()
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary is None:
            pytest.fail("Debian's chromium is not installed: run `make browser` (make test does)")
        self.process = subprocess.Popen(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", f"--remote-debugging-port={self.port}", "--window-size=1400,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.socket = None
        self.calls = 0

    def __enter__(self) -> "Chromium":
        from websockets.sync.client import connect

        page = wait_for("Chromium's DevTools endpoint", self._page_target, timeout=60)
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=30)
        self.call("Page.enable")
        return self

    def __exit__(self, *exc) -> None:
        if self.socket is not None:
            self.socket.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def _page_target(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as response:
                targets = json.load(response)
        except OSError:
            return None
        return next((t for t in targets if t.get("type") == "page"), None)

    def call(self, method: str, **params) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.calls:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def click_text(self, text: str) -> bool:
        """Click the last element whose whole text is `text` (a tab of the run page)."""
        script = (
            "(() => { const found = [...document.querySelectorAll('li, button, a, [role=tab]')]"
            f".filter(e => e.textContent.trim() === {json.dumps(text)});"
            " if (!found.length) return false; found[found.length - 1].click(); return true; })()"
        )
        return bool(self.evaluate(script))

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))


def test_served_deployment_runs_and_the_ui_shows_the_run_with_its_artifacts(prefect_server, tmp_path):
    started = time.monotonic()
    api, env = prefect_server
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_FILE, inbox)
    (inbox / "empty.txt").write_bytes(b"")
    db_path = tmp_path / "warehouse" / "e2e.duckdb"
    serve_env = {
        **env,
        "PYTHONPATH": str(PROJECT_DIR),
        "NEWSFLOW_SCHEDULE__CRON": json.dumps(NEVER_DURING_THE_TEST),
        "NEWSFLOW_SCHEDULE__TIMEZONE": '"Europe/Berlin"',
        "NEWSFLOW_SCHEDULE__DEPLOYMENT": '"e2e-inbox"',
    }
    serve_log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "newsflow.cli", "serve", str(inbox), "--db", str(db_path)]
    with background(command, serve_env, serve_log, tmp_path) as serve:

        def deployment() -> dict | None:
            if serve.poll() is not None:
                pytest.fail(f"newsflow serve exited with {serve.returncode}\n{tail(serve_log)}")
            found = api_post(api, "/deployments/filter", {"deployments": {"name": {"any_": ["e2e-inbox"]}}})
            return found[0] if found else None

        served = wait_for("the served deployment", deployment, timeout=120, logs=lambda: tail(serve_log))
        [schedule] = served["schedules"]
        assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == (NEVER_DURING_THE_TEST, "Europe/Berlin")
        assert served["parameters"]["paths"] == [str(inbox)] and served["parameters"]["db"] == str(db_path)
        assert served["global_concurrency_limit"]["limit"] == 1  # one run of the deployment at a time
        assert served["concurrency_options"]["collision_strategy"] == "ENQUEUE"
        properties = served["parameter_openapi_schema"]["properties"]
        assert set(properties) == {"paths", "db", "config", "languages"}  # typed parameters, shown in the UI
        assert all(properties[name]["description"] for name in properties)

        # two runs at once on one warehouse: the deployment's limit makes the second wait its turn
        runs = [
            api_post(api, f"/deployments/{served['id']}/create_flow_run", {"idempotency_key": f"e2e-{n}"})  # safe to retry
            for n in range(2)
        ]

        def finished() -> list[dict] | None:
            current = [api_get(api, f"/flow_runs/{run['id']}") for run in runs]
            for run in current:
                if run["state"]["type"] in ("FAILED", "CRASHED", "CANCELLED"):
                    pytest.fail(f"flow run ended {run['state']['type']}: {run['state'].get('message')}\n{tail(serve_log, 80)}")
            return current if all(run["state"]["type"] == "COMPLETED" for run in current) else None

        first, second = sorted(
            wait_for("both flow runs to complete", finished, timeout=600, every=1, logs=lambda: tail(serve_log, 80)),
            key=lambda run: run["start_time"],
        )
        assert first["end_time"] <= second["start_time"]  # never at once
        with duckdb.connect(str(db_path), read_only=True) as con:
            loaded = dict(con.execute("select flow_run_id, files_changed from runs where status = 'completed'").fetchall())
            assert con.execute("select count(*), count(distinct article_id) from articles").fetchone() == (1, 1)
        assert loaded == {first["id"]: 2, second["id"]: 0}  # the second found nothing new: no duplicates
        run = first

        artifacts = api_post(api, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
        by_key = {artifact["key"]: artifact for artifact in artifacts if artifact["key"]}
        assert set(EXPECTED_ARTIFACTS) | {"newsflow-rejects"} <= set(by_key)
        assert by_key["newsflow-progress"]["data"] == 100.0
        assert "| empty | 1 |" in by_key["newsflow-run-summary"]["data"]

        with Chromium(tmp_path / "chromium") as browser:
            browser.call("Page.navigate", url=api.removesuffix("/api") + f"/runs/flow-run/{run['id']}")
            wait_for(
                "the run page to render", lambda: run["name"] in browser.text() and "Completed" in browser.text(),
                timeout=90, logs=browser.text,
            )  # fmt: skip
            wait_for("the Artifacts tab", lambda: browser.click_text("Artifacts"), timeout=30, logs=browser.text)
            shown = wait_for(
                "the run's artifacts in the UI", lambda: all(k in browser.text() for k in EXPECTED_ARTIFACTS) and browser.text(),
                timeout=60, logs=browser.text,
            )  # fmt: skip
            assert "newsflow-rejects" in shown and "build_corpus" in shown and "e2e-inbox" in shown
            browser.screenshot(ARTIFACTS_DIR / "ui_flow_run_artifacts.png")

        serve.send_signal(signal.SIGTERM)  # how a service manager stops `newsflow serve`
        assert serve.wait(timeout=60) == 0, tail(serve_log)
    assert "newsflow serve: stopped" in serve_log.read_text()
    assert api_get(api, f"/deployments/{served['id']}")["paused"] is True  # no runs pile up while it is down
    assert (ARTIFACTS_DIR / "ui_flow_run_artifacts.png").stat().st_size > 10_000
    print(f"UI end-to-end test: {time.monotonic() - started:.1f} s (server start not included)")
