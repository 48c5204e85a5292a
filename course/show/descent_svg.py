"""The learning-rate explorer's picture as SVG: the loss at each step (log scale) and the path
of the weight down the parabola loss(w) = (w·x − y)².

The same picture as ``plot_single_weight`` and a loss plot in matplotlib, built as text in a
few milliseconds so the slider answers at once (see ``svg.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from course.show.figures import OFF_SCALE, OFF_SCALE_TEXT
from course.show.palette import (
    BLUE,
    GREEN,
    GREY,
    HIGHLIGHT,
    INFO_COLOUR,
    ORANGE,
    TRAIN_COLOUR,
    WHITE,
)
from course.show.plots import _on_the_scale, _weights_to_show
from course.show.svg import Frame, nice_ticks, svg, text

WIDTH, HEIGHT = 830, 330
MAX_NUMBERED = 12  # step numbers written next to the path, at most
MIN_GAP = 14  # pixels: a point this close to a numbered one gets no number of its own


def _power_text(value: float) -> str:
    return f"{10 ** value:g}"


def loss_panel(losses: Sequence[float], lr: float, left: float) -> list[str]:
    """Loss against step on a log scale; losses too large to draw marked along the top."""
    values = np.array(losses, dtype=float)
    drawable = np.isfinite(values) & (values > 0) & (values <= OFF_SCALE)
    logs = np.where(drawable, np.log10(np.where(drawable, values, 1.0)), np.nan)
    low = math.floor(np.nanmin(logs)) if drawable.any() else 0
    high = math.ceil(np.nanmax(logs)) if drawable.any() else 1
    high = max(high, low + 1)
    frame = Frame(left + 56, 34, 300, HEIGHT - 80, 0, max(len(values) - 1, 1), low, high)
    decades = list(range(low, high + 1))
    y_ticks = decades[::max(1, math.ceil(len(decades) / 7))]
    parts = [text(frame.left + frame.width / 2, 16, f"Loss at each step (lr = {lr:.3g})",
                  weight="bold")]
    parts += frame.box(nice_ticks(0, frame.x_high, 6), y_ticks, "step", "loss (log scale)",
                       y_tick_text=_power_text)
    steps = np.arange(len(values))
    parts.append(frame.polyline(steps, logs, TRAIN_COLOUR, width=1.5))
    for x, y in zip(frame.x(steps[drawable]), frame.y(logs[drawable])):
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.4' fill='{TRAIN_COLOUR}'/>")
    off_scale = np.isfinite(values) & (values > OFF_SCALE) | np.isinf(values)
    for x in frame.x(steps[off_scale]):
        parts.append(f"<path d='M{x - 4:.1f},{frame.top + 8:.1f} l4,-7 l4,7 z' "
                     f"fill='{HIGHLIGHT}'/>")
    if off_scale.any():
        parts.append(text(frame.left + frame.width - 4, frame.top + 20, f"▲ {OFF_SCALE_TEXT}",
                          anchor="end", colour=HIGHLIGHT))
    if 0.0 in losses:
        parts.append(text(frame.left + frame.width - 4, frame.top + 34,
                          f"loss = 0 exactly from step {list(losses).index(0.0)} on",
                          anchor="end", colour=INFO_COLOUR))
    return parts


def path_panel(path: Sequence[float], x: float, y: float, left: float) -> list[str]:
    """The parabola, the minimum, and gradient descent's steps as numbered points."""
    best = y / x
    path = [float(w) for w in path]
    shown = _on_the_scale(path, x, y)
    ws = _weights_to_show(best, shown)
    curve = (ws * x - y) ** 2
    losses = [(w * x - y) ** 2 for w in shown]
    frame = Frame(left + 62, 34, 380, HEIGHT - 80, float(ws[0]), float(ws[-1]), 0.0,
                  float(max(curve.max(), *losses, 1e-12)) * 1.08)
    title = f"Gradient descent on one weight: x = {x:g}, target y = {y:g}"
    parts = [text(frame.left + frame.width / 2, 16, title, weight="bold")]
    parts += frame.box(nice_ticks(frame.x_low, frame.x_high, 6),
                       nice_ticks(0, frame.y_high, 5), "weight w", "loss(w) = (w·x − y)²")
    parts.append(frame.polyline(ws, curve, GREY, width=1.5))
    px, py = frame.x(shown), frame.y(losses)
    for i in range(len(shown) - 1):  # the steps: arrows from each weight to the next
        parts.append(f"<line x1='{px[i]:.1f}' y1='{py[i]:.1f}' x2='{px[i + 1]:.1f}' "
                     f"y2='{py[i + 1]:.1f}' stroke='{HIGHLIGHT}' stroke-width='1.3' "
                     f"marker-end='url(#course-arrow)'/>")
    numbered: list[tuple[float, float]] = []
    for i, (cx, cy) in enumerate(zip(px, py)):
        parts.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='3' fill='{HIGHLIGHT}'/>")
        # Number a point unless it sits on one already numbered (the numbers would overlap).
        if len(numbered) < MAX_NUMBERED and all(math.hypot(cx - nx, cy - ny) > MIN_GAP
                                                for nx, ny in numbered):
            numbered.append((cx, cy))
            right = shown[i] >= best
            parts.append(text(cx + (7 if right else -7), cy + 12, str(i),
                              anchor="start" if right else "end", size=10, colour=HIGHLIGHT))
    bx, by = float(frame.x(best)), float(frame.y(0.0))
    parts.append(text(bx, by + 1, "★", size=20, colour=GREEN))
    legend = [(GREY, "—", "loss(w)"), (GREEN, "★", f"minimum: w = {best:g}")]
    if shown:
        parts.append(f"<rect x='{px[0] - 5:.1f}' y='{py[0] - 5:.1f}' width='10' height='10' "
                     f"fill='{BLUE}' transform='rotate(45 {px[0]:.1f} {py[0]:.1f})'/>")
        parts.append(f"<rect x='{px[-1] - 6:.1f}' y='{py[-1] - 6:.1f}' width='12' height='12' "
                     f"fill='none' stroke='{ORANGE}' stroke-width='2'/>")
        end = "end" if len(shown) == len(path) else "last on the scale"
        legend += [(HIGHLIGHT, "●", "a step of gradient descent"),
                   (BLUE, "◆", f"start: w = {shown[0]:.4g}"),
                   (ORANGE, "□", f"{end}: w = {shown[-1]:.4g}")]
    if len(shown) < len(path):
        sizes = [abs(w) for w in path[len(shown):] if not math.isnan(w)]
        reach = f"|w| reaches {max(sizes):.2g}" if sizes else "w is nan"
        legend.append((HIGHLIGHT, "!", f"diverged: off the scale from step {len(shown)} ({reach})"))
    parts.append(f"<rect x='{frame.left + frame.width / 2 - 98:.1f}' y='{frame.top + 4}' "
                 f"width='230' height='{15 * len(legend) + 4}' fill='{WHITE}' fill-opacity='0.85' "
                 f"stroke='{GREY}' stroke-width='0.5'/>")
    for row, (colour, mark, words) in enumerate(legend):
        ly = frame.top + 16 + 15 * row
        parts.append(text(frame.left + frame.width / 2 - 90, ly, mark, colour=colour,
                          weight="bold"))
        parts.append(text(frame.left + frame.width / 2 - 80, ly, words, anchor="start"))
    return parts


ARROW_HEAD = (f"<defs><marker id='course-arrow' viewBox='0 0 10 10' refX='9' refY='5' "
              f"markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
              f"<path d='M0,0 L10,5 L0,10 z' fill='{HIGHLIGHT}'/></marker></defs>")


def descent_svg(weights: Sequence[float], lr: float, x: float = 2.0, y: float = 6.0) -> str:
    """Both panels side by side: what the learning-rate explorer shows for one run."""
    errors = [w * x - y for w in weights]
    losses = [e * e if math.isfinite(e) else math.inf for e in errors]
    body = [ARROW_HEAD, *loss_panel(losses, lr, 0), *path_panel(weights, x, y, 370)]
    return svg(WIDTH, HEIGHT, body, "course-descent")
