"""Parts every widget of the course is built from: a picture, and a message line that shows
what went wrong instead of a traceback.

A widget's callbacks run inside the notebook's event handling, where a traceback would land
in a log nobody reads, or in the middle of the page: neither helps a student. So every
callback is wrapped in :func:`shows_errors`, which turns any exception into a readable line
in the widget's :class:`MessageLine`.
"""

from __future__ import annotations

import functools
import html
import threading
from collections.abc import Callable

import ipywidgets as widgets

from course.show.palette import INFO_COLOUR, WARNING_COLOUR


class MessageLine(widgets.HTML):
    """One line of text under a widget: a hint, or what went wrong (instead of a traceback)."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.add_class("course-message")
        self.text = ""  # the plain text of the message, for tests and for reading in code

    def show(self, text: str, error: bool = False) -> None:
        colour = WARNING_COLOUR if error else INFO_COLOUR
        weight = "bold" if error else "normal"
        self.text = text
        style = f"color:{colour}; font-weight:{weight}"
        self.value = f'<span style="{style}">{html.escape(text)}</span>'

    def show_error(self, error: BaseException) -> None:
        """The error's message; its type too, unless it is a ValueError (a bad value typed)."""
        text = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
        self.show(text, error=True)

    def clear(self) -> None:
        self.text = ""
        self.value = ""


def shows_errors(callback: Callable) -> Callable:
    """Wrap a widget method so that any exception becomes a message in ``self.message``."""

    @functools.wraps(callback)
    def wrapper(self, *args, **kwargs):
        try:
            return callback(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 -- shown to the user instead of raised
            self.message.show_error(error)
            return None

    return wrapper


def picture(fmt: str = "png", width: int | None = None) -> widgets.Image:
    """An empty picture that fits the notebook's width: "png", or "svg+xml" for Graphviz.

    ``width`` (pixels) keeps an SVG at its own size rather than stretched to the whole width.
    """
    size = {} if width is None else {"width": f"{width}px"}
    return widgets.Image(format=fmt, layout=widgets.Layout(max_width="100%", height="auto",
                                                           **size))


class LatestOnly:
    """Run ``draw(value)`` for the newest value only, so a dragged slider never builds a queue.

    In a running notebook each request is handed to a drawing thread and returns at once;
    while a drawing runs, newer requests replace one another and only the last is drawn.
    Outside a kernel (tests, scripts) ``request`` simply draws, so the result is there at once.

    ``idle``, if given, is called by the drawing thread while no request waits: work that
    makes the next drawing quicker, a small piece per call, returning False when done.
    """

    def __init__(self, draw: Callable[[object], None], background: bool | None = None,
                 idle: Callable[[], bool] | None = None) -> None:
        self.draw = draw
        self.idle = idle
        self.background = _in_a_kernel() if background is None else background
        self._lock = threading.Lock()
        self._waiting: tuple[object] | None = None  # (value,): the newest request not drawn
        self._worker: threading.Thread | None = None

    def request(self, value: object) -> None:
        if not self.background:
            self.draw(value)
            return
        with self._lock:
            self._waiting = (value,)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="redraw", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._waiting is None and not self._idle_work():
                    self._worker = None
                    return
                if self._waiting is None:
                    continue
                (value,), self._waiting = self._waiting, None
            self.draw(value)

    def _idle_work(self) -> bool:
        """One piece of the idle work (with the lock released meanwhile); False when none."""
        if self.idle is None:
            return False
        self._lock.release()
        try:
            return bool(self.idle())
        except Exception:  # noqa: BLE001 -- idle work is optional: stop it, keep drawing
            return False
        finally:
            self._lock.acquire()

    def wait(self, timeout: float = 10.0) -> None:
        """Block until every request has been drawn (for tests and scripts)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)


def _in_a_kernel() -> bool:
    """True inside a running Jupyter kernel, where a browser waits for the pictures."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
