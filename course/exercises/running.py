"""Running a student's code during a check: a time limit, and a stop button that stops quietly.

A check runs the student's code, and a loop that never ends would make it never return. So
every check runs under :func:`time_limit`: when the time is up, a timer signal (SIGALRM) raises
:class:`TimeLimitExceeded` inside the running code, and the check reports it as the answer's
problem ("your code took longer than 10 s: does a loop never end?").

Signals reach only the main thread of a program. Jupyter runs each cell in the main thread of
its kernel, so in a notebook the limit always works. Anywhere else (a check called from another
thread, or Windows, which has no SIGALRM) the code runs without a limit: the check still gives
its verdict, it just cannot stop a loop that never ends.
"""

from __future__ import annotations

import math
import numbers
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_TIME_LIMIT = 10.0  # seconds per check; an Exercise can set its own (time_limit=...)

_limit_running = False  # True while a time_limit block is active (they do not nest)


class TimeLimitExceeded(BaseException):
    """Raised inside the student's code when its time is up.

    A BaseException, like KeyboardInterrupt, so that an ``except Exception:`` in the student's
    code cannot catch it and keep the loop going.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"still running after {seconds:g} s")
        self.seconds = seconds
        self.running = ""  # the call that was running, e.g. "train_loop(...)", when known


class CheckInterrupted(KeyboardInterrupt):
    """The learner stopped a check (Jupyter's stop button, or Ctrl+C) while it was running.

    It is still a KeyboardInterrupt, so "Run All" stops as usual, but IPython shows it as the
    one line of ``_render_traceback_`` instead of a traceback through the checker's code.
    """

    def __init__(self, exercise_id: str, key: str) -> None:
        self.line = (f"Exercise {exercise_id}: check interrupted before it finished. "
                     f"Run ex.{key}.check() again to check your answer.")
        super().__init__(self.line)

    def _render_traceback_(self) -> list[str]:
        return [self.line]


def checked_seconds(seconds: object) -> float:
    """``seconds`` as a float; a clear TypeError or ValueError unless it is a positive number."""
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise TypeError(f"a time limit is a number of seconds, like 10; got {seconds!r}")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"a time limit must be a positive number of seconds; got {seconds!r}")
    return float(seconds)


def can_limit_time() -> bool:
    """True where :func:`time_limit` can stop code: the main thread, on a system with SIGALRM."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block for at most ``seconds``, then raise TimeLimitExceeded inside it.

    Inside another ``time_limit`` block the outer limit holds (one timer at a time). Where
    signals cannot be used (see the module's docstring) the block runs without a limit.
    Any timer set before (SIGALRM and ITIMER_REAL) is restored afterwards.
    """
    global _limit_running
    seconds = checked_seconds(seconds)
    if _limit_running or not can_limit_time():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    _limit_running = True
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)  # the alarm may still go off on this line
        finally:
            _limit_running = False
            signal.signal(signal.SIGALRM,
                          signal.SIG_DFL if previous_handler is None else previous_handler)
            if previous_delay:  # someone else's timer was running: it goes off when it would have
                left = previous_delay - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
