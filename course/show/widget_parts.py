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


def picture(fmt: str = "png") -> widgets.Image:
    """An empty picture that fits the notebook's width: "png", or "svg+xml" for Graphviz."""
    return widgets.Image(format=fmt, layout=widgets.Layout(max_width="100%", height="auto"))
