"""Tie Prefect's temporary API server to the process that started it.

Without a configured `PREFECT_API_URL`, a flow run starts Prefect's API in a
child process (`python -m uvicorn …`, prefect.server.api.server
.SubprocessASGIServer) and stops it at exit. A run killed with `kill -9`
never reaches that exit, and the server (~225 MB) lived on. Here the
server is started through this module instead: a thread in the server's
process watches its parent and, once the parent is gone, stops the server
(SIGTERM, then a hard exit), as the NLP worker does (flows/runners.py).
"""

import os
import runpy
import signal
import subprocess
import sys
import threading
import time
import types
from functools import wraps

PARENT_CHECK_SECONDS = 1.0
STOP_GRACE_SECONDS = 5.0
_installed = False


def tie_prefect_server_to_this_process() -> None:
    """Make every temporary Prefect server this process starts end when this process ends (idempotent)."""
    global _installed
    if _installed:
        return
    from prefect.server.api import server as prefect_server

    start = prefect_server.SubprocessASGIServer._run_uvicorn_command

    @wraps(start)
    def run_guarded(self):
        real = prefect_server.subprocess
        prefect_server.subprocess = types.SimpleNamespace(**{**vars(subprocess), "Popen": _guarded_popen})
        try:
            return start(self)
        finally:
            prefect_server.subprocess = real

    prefect_server.SubprocessASGIServer._run_uvicorn_command = run_guarded
    _installed = True


def _guarded_popen(args, **kwargs):
    """`python -m uvicorn …` (any `python -m module …`) as `python -m flows.server_guard <our pid> uvicorn …`."""
    if len(args) > 2 and args[1] == "-m":
        args = [args[0], "-m", __name__, str(os.getpid()), *args[2:]]
    return subprocess.Popen(args, **kwargs)


def _stop_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn shuts down cleanly on SIGTERM
    time.sleep(STOP_GRACE_SECONDS)
    os._exit(1)


def main() -> None:
    parent, module = int(sys.argv[1]), sys.argv[2]
    threading.Thread(target=_stop_when_orphaned, args=(parent,), daemon=True, name="exit-with-run").start()
    sys.argv = [module, *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
