"""The per-document time limit: interrupt a document that takes too long, in a worker
process's main thread (SIGALRM) or in a thread (a Dask worker's)."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading

REPEAT_S = 0.05  # how often an expired time limit is raised again


class DocumentTimeout(BaseException):
    """A document took longer than the per-document time limit.

    A BaseException, like KeyboardInterrupt, so that libraries' broad `except Exception`
    handlers (trafilatura has several) cannot swallow it.
    """


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the body after `seconds`; with seconds <= 0 it runs unbounded.

    In a process's main thread (our worker pool) by SIGALRM; in any other thread (a Dask
    worker runs tasks in threads) by an exception set on the thread from a timer. Both land
    between Python bytecodes, so a body stuck inside one C call is interrupted when it returns.
    """
    if seconds <= 0:
        yield
        return
    message = f"processing took longer than {seconds:g} s (the time limit)"
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds, message):
            yield
    else:
        with _thread_timer(seconds, message):
            yield


@contextlib.contextmanager
def _alarm(seconds: float, message: str):
    # The alarm repeats (every `seconds`, at least REPEAT_S) until the body ends: Python drops an
    # exception raised where it cannot propagate (a gc callback, a __del__), and one such
    # landing must not let the document run unbounded.
    active = [True]

    def expire(signum, frame):
        if active[0]:
            raise DocumentTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, max(seconds, REPEAT_S))
    try:
        yield
    finally:
        while active[0]:
            try:  # an alarm landing before the flag is down raises once more: absorb it
                active[0] = False
            except DocumentTimeout:
                continue
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_timer(seconds: float, message: str):
    # PyThreadState_SetAsyncExc takes an exception class, so the message lives in a subclass.
    expired = type("DocumentTimeout", (DocumentTimeout,), {"__str__": lambda self: message})
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire():
        with lock:
            if state["inside"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["inside"] = False
            if state["fired"]:  # not raised yet (the body ended just then): never raise it later
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)
