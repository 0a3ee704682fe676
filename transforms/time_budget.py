"""A time budget for reading one file: past it, the read is stopped and the file quarantined (`timeout`).

Reading runs in the calling thread; a timer thread raises `ReadTimeout` in it
when the budget is spent (CPython's PyThreadState_SetAsyncExc). The exception
arrives between two Python bytecodes, so it stops any parser written in
Python, however it loops; a single long call into C code (one regex match,
one lxml parse) is stopped as soon as that call returns.
"""

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadTimeout(Exception):
    """The read of one file ran over its budget."""




def _set_async_exc(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread soon; None withdraws one not yet raised."""
    argument = ctypes.py_object(exception) if exception is not None else None  # None: NULL
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), argument)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ReadTimeout inside the block once it has run `seconds` (None or <= 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["inside"]:
                state["fired"] = True
                _set_async_exc(thread_id, ReadTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["inside"] = False
            if state["fired"]:
                _set_async_exc(thread_id, None)  # not yet delivered: drop it, the block is over
        timer.cancel()
