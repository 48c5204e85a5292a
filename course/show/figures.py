"""Figure plumbing shared by the plots and the widgets: new figures and axes, PNG bytes,
readable log ticks, and numbers too large to draw.

Numbers "off the scale": a run that blows up produces losses of 1e280 and weights of 1e168,
finite but far beyond what an axis can hold (matplotlib's tick and margin arithmetic
overflows on them). The plots leave such values out of their curves and mark where they
were, at the top edge, with a legend entry that says "off the scale".
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from course.show.palette import GREY, GRID_GREY, WARNING_COLOUR

FIGSIZE = (6, 4)  # inches: the size of a plot drawn on its own
DPI = 100
PNG_DPI = 80  # widgets: enough for a screen; small PNGs travel to the browser quickly

OFF_SCALE = 1e100  # numbers larger than this (in size) are drawn as "off the scale"
OFF_SCALE_TEXT = "off the scale (> 1e100)"


def new_axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """The Axes to draw on (the one given, or a new one in the course's size) and its figure."""
    if ax is None:
        fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        # The notebook shows the returned figure; closing it here stops pyplot from showing
        # it a second time at the end of the cell (and from keeping every figure in memory).
        plt.close(fig)
    ax.grid(True, color=GRID_GREY, linewidth=0.8)
    ax.set_axisbelow(True)
    return ax.get_figure(root=True), ax


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib Figure that belongs to no notebook output (so it is never shown twice).

    Built without pyplot, so it is also safe to draw from a background thread. It has fixed
    margins (set them with ``fig.subplots_adjust``) rather than an automatic layout: the
    layout engine measures every label first, which made each redraw twice as slow.
    """
    fig = Figure(figsize=(width, height), dpi=PNG_DPI)
    FigureCanvasAgg(fig)  # draws straight to pixels: one drawing pass per PNG
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, ready for an ``ipywidgets.Image``."""
    if not isinstance(fig.canvas, FigureCanvasAgg):  # e.g. a pyplot figure that was closed
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer, pil_kwargs={"compress_level": 1})  # fast beats small here
    return buffer.getvalue()


def plain_log_ticks(ax: Axes) -> None:
    """Label a log axis 0.001, 0.1, 10 rather than as powers of ten: reads as easily, and
    skips matplotlib's maths typesetting, the slowest part of redrawing a small plot."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    low, high = ax.get_ylim()
    if low > 0 and high / low < 10:  # less than one power of ten: label the minor ticks too
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    else:  # many powers of ten: a few labelled ticks, and no unlabelled minor ones to draw
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_minor_locator(NullLocator())


def drawable(values: Sequence[float | None]) -> tuple[np.ndarray, np.ndarray]:
    """(values to draw, which ones are off the scale), as two aligned arrays.

    In the first, None, inf, nan and numbers off the scale are all nan (matplotlib leaves a
    gap); the second is True exactly where a finite number was too large to draw.
    """
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    with np.errstate(invalid="ignore"):
        off_scale = np.isfinite(array) & (np.abs(array) > OFF_SCALE)
        array[~np.isfinite(array) | off_scale] = np.nan
    return array, off_scale


def mark_off_scale(ax: Axes, xs: Sequence[float], label: str = OFF_SCALE_TEXT) -> None:
    """Triangles along the top edge at ``xs``: there was a value, too large to draw."""
    if len(xs) == 0:
        return
    top = ax.get_xaxis_transform()  # x in data units, y as a fraction of the axes' height
    ax.plot(xs, np.full(len(xs), 0.97), "^", color=WARNING_COLOUR, markersize=7, clip_on=False,
            transform=top, label=label, linestyle="none")


def mark_step(ax: Axes, step: float, text: str, colour: str = GREY) -> None:
    """A dashed vertical line at ``step`` with its text written along it, at the top."""
    ax.axvline(step, color=colour, linestyle="--", linewidth=1)
    ax.text(
        step, 0.98, f" {text}", transform=ax.get_xaxis_transform(), rotation=90,
        ha="right", va="top", fontsize=9, color=colour,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )
