"""Small SVG pictures built as text: what the widgets redraw many times a second.

A matplotlib redraw of a widget's figure costs about 0.1 s, most of it laying out tick labels
and legends; the same picture as SVG text takes a few milliseconds to build and the browser
draws it at once. These helpers are the few pieces the widgets' pictures share: the <svg>
element, text, a plot frame that maps numbers to pixels, and tick values.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from course.show.palette import BLACK, GREY, GRID_GREY, WHITE


def svg(width: float, height: float, body: list[str], css_class: str) -> str:
    """The <svg> element around ``body``, ``width`` x ``height`` pixels."""
    return (f"<svg class='{css_class}' xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' "
            f"height='{height:.0f}' viewBox='0 0 {width:.0f} {height:.0f}' "
            f"style='font-family:sans-serif;font-size:11px;background:{WHITE}'>"
            f"{''.join(body)}</svg>")


def text(x: float, y: float, words: str, anchor: str = "middle", size: int = 11,
         colour: str = BLACK, weight: str = "normal") -> str:
    """A line of text; ``anchor`` is start, middle or end."""
    return (f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='{size}' "
            f"fill='{colour}' font-weight='{weight}'>{html.escape(words)}</text>")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round numbers (1, 2, 2.5 or 5 times a power of ten) from low to high, about ``count``."""
    if not high > low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 12) for i in range(int((high - first) / step + 1e-9) + 1)]


@dataclass
class Frame:
    """A plot's rectangle on the picture and the numbers it shows: maps data to pixels."""

    left: float
    top: float
    width: float
    height: float
    x_low: float
    x_high: float
    y_low: float
    y_high: float

    def x(self, values) -> np.ndarray:
        span = (self.x_high - self.x_low) or 1.0
        return self.left + (np.asarray(values, dtype=float) - self.x_low) / span * self.width

    def y(self, values) -> np.ndarray:
        span = (self.y_high - self.y_low) or 1.0
        fraction = (np.asarray(values, dtype=float) - self.y_low) / span
        return self.top + (1 - fraction) * self.height

    def box(self, x_ticks: list[float], y_ticks: list[float], x_label: str, y_label: str,
            y_tick_text=None) -> list[str]:
        """The white plot area with grid lines, tick labels and axis labels."""
        right, bottom = self.left + self.width, self.top + self.height
        parts = [f"<rect x='{self.left}' y='{self.top}' width='{self.width}' "
                 f"height='{self.height}' fill='{WHITE}' stroke='{GREY}'/>"]
        for value in y_ticks:
            y = float(self.y(value))
            parts.append(f"<line x1='{self.left}' x2='{right}' y1='{y:.1f}' y2='{y:.1f}' "
                         f"stroke='{GRID_GREY}'/>")
            label = y_tick_text(value) if y_tick_text else f"{value:g}"
            parts.append(text(self.left - 4, y + 4, label, anchor="end", colour=GREY))
        for value in x_ticks:
            x = float(self.x(value))
            parts.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{self.top}' y2='{bottom}' "
                         f"stroke='{GRID_GREY}'/>")
            parts.append(text(x, bottom + 13, f"{value:g}", colour=GREY))
        parts.append(f"<rect x='{self.left}' y='{self.top}' width='{self.width}' "
                     f"height='{self.height}' fill='none' stroke='{GREY}'/>")
        parts.append(text(self.left + self.width / 2, bottom + 27, x_label, colour=GREY))
        parts.append(f"<g transform='translate({self.left - 40:.0f} "
                     f"{self.top + self.height / 2:.0f}) rotate(-90)'>"
                     + text(0, 0, y_label, colour=GREY) + "</g>")
        return parts

    def polyline(self, xs, ys, colour: str, width: float = 2, dash: str = "") -> str:
        """A line through the points (x, y); points that are nan are left out."""
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        keep = np.isfinite(xs) & np.isfinite(ys)
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(self.x(xs[keep]), self.y(ys[keep])))
        dashes = f" stroke-dasharray='{dash}'" if dash else ""
        return (f"<polyline fill='none' stroke='{colour}' stroke-width='{width}'{dashes} "
                f"points='{points}'/>")
