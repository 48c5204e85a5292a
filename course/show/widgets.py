"""Interactive widgets for the notebooks: move a slider, watch the maths react.

* :func:`lr_explorer` -- notebook 01's single weight: pick a learning rate and a number of
  steps, see the loss per step and the path down the parabola, and read which regime that
  learning rate is in (converges smoothly, crawls, oscillates, diverges).
* :func:`training_lr_explorer` -- the same question on a real network: retrain the lesson's
  ``MLP(3, [4, 4, 1])`` from the same starting weights at the chosen learning rate.
* :func:`backward_stepper` -- step through a backward pass one node at a time, or press Play.

The maths lives in small pure functions (:func:`single_weight_descent`,
:func:`classify_descent`, :func:`describe_backward_step`) that notebooks and tests call
directly; the widget classes only wire sliders to them and draw the result.

Every widget shows its pictures in an ``ipywidgets.Image`` (PNG or SVG bytes), and catches
every error in its callbacks: a bad value shows up as a readable message inside the widget,
never as a traceback.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
from collections.abc import Callable, Sequence

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from course.engine import Value
from course.nn import MLP
from course.show import (
    BackwardStep,
    backward_steps,
    draw_backward_step,
    node_name,
    plot_loss,
    plot_single_weight,
)
from course.training import fit, scores

# ----------------------------------------------------------------------------------------------
# Shared pieces: figures as PNG bytes, and a message line that replaces tracebacks
# ----------------------------------------------------------------------------------------------

PNG_DPI = 80  # enough for a screen; small PNGs travel to the browser quickly
ERROR_COLOUR = "#D55E00"  # Okabe-Ito vermillion, as in the plots
INFO_COLOUR = "#555555"


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


class MessageLine(widgets.HTML):
    """One line of text under a widget: a hint, or what went wrong (instead of a traceback)."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.add_class("course-message")
        self.text = ""  # the plain text of the message, for tests and for reading in code

    def show(self, text: str, error: bool = False) -> None:
        colour = ERROR_COLOUR if error else INFO_COLOUR
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
    """Wrap a widget method so that any exception becomes a message in ``self.message``.

    Callbacks run inside the notebook's event handling, where a traceback would appear in a
    log nobody reads, or in the middle of the page: neither helps a student.
    """

    @functools.wraps(callback)
    def wrapper(self, *args, **kwargs):
        try:
            return callback(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 -- shown to the user instead of raised
            self.message.show_error(error)
            return None

    return wrapper


def plain_log_ticks(ax) -> None:
    """Label a log axis 0.001, 0.1, 10 rather than as powers of ten: reads as easily, and
    skips matplotlib's maths typesetting, the slowest part of redrawing a small plot."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    low, high = ax.get_ylim()
    if low > 0 and high / low < 10:  # less than one power of ten: label the minor ticks too
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    else:  # many powers of ten: a few labelled ticks, and no unlabelled minor ones to draw
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_minor_locator(NullLocator())


def _image(fmt: str = "png") -> widgets.Image:
    return widgets.Image(format=fmt, layout=widgets.Layout(max_width="100%", height="auto"))


# ----------------------------------------------------------------------------------------------
# 1. One weight, one learning rate (notebook 01)
# ----------------------------------------------------------------------------------------------

SMOOTH = "converges smoothly"
CRAWLS = "crawls"
OSCILLATES = "oscillates but converges"
OSCILLATES_FOREVER = "oscillates forever"
DIVERGES = "diverges"

CRAWL_FRACTION = 0.1  # "crawls": after all the steps, |error| is still above 10 % of the start
SAME_SIZE = 1e-9  # relative tolerance for "the error stayed the same size"


def single_weight_descent(
    lr: float, steps: int, w0: float = 1.0, x: float = 2.0, y: float = 6.0
) -> list[float]:
    """Gradient descent on one weight: the weights w0, w1, ..., w_steps (steps + 1 numbers).

    The model predicts ``w * x``; the loss is ``(w*x - y)**2``; its slope with respect to w is
    ``2 * x * (w*x - y)``; each step moves ``w <- w - lr * slope``.
    """
    ws = [float(w0)]
    w = float(w0)
    for _ in range(int(steps)):
        grad = 2 * x * (w * x - y)
        w = w - lr * grad
        ws.append(w)
    return ws


def classify_descent(errors: Sequence[float], crawl_fraction: float = CRAWL_FRACTION) -> str:
    """Name what a run of gradient descent did, from its errors (prediction - target) per step.

    Read straight off the run, with no formula: the error grew -> "diverges"; it changed sign
    (jumped over the minimum) and shrank -> "oscillates but converges", or kept its size ->
    "oscillates forever"; it shrank without changing sign -> "converges smoothly", or
    "crawls" when more than ``crawl_fraction`` of it is still left at the end.
    """
    if len(errors) < 2:
        raise ValueError("classify_descent needs the errors of at least two steps")
    first, last = abs(errors[0]), abs(errors[-1])
    if not math.isfinite(last) or last > first * (1 + SAME_SIZE):
        return DIVERGES
    jumps_over = any(a * b < 0 for a, b in zip(errors, errors[1:]))
    if jumps_over:
        return OSCILLATES_FOREVER if last >= first * (1 - SAME_SIZE) else OSCILLATES
    return CRAWLS if last > crawl_fraction * first else SMOOTH


def describe_descent(ws: Sequence[float], x: float = 2.0, y: float = 6.0) -> tuple[str, str]:
    """(regime, one sentence saying what the weights did) for a run of gradient descent."""
    errors = [w * x - y for w in ws]
    regime = classify_descent(errors)
    steps, first, last = len(ws) - 1, errors[0], errors[-1]
    went = f"in {steps} steps the error w·x − y went from {first:.3g} to {last:.2g}"
    best = f"the minimum w = {y / x:g}"
    if regime == DIVERGES:
        return regime, (f"every step jumps further past {best} than the one before: {went}. "
                        f"Use a smaller learning rate.")
    if regime == OSCILLATES_FOREVER:
        return regime, (f"each step jumps exactly as far past {best} as it started: w bounces "
                        f"between {ws[-2]:.3g} and {ws[-1]:.3g} and never gets closer.")
    if regime == OSCILLATES:
        flips = sum(a * b < 0 for a, b in zip(errors, errors[1:]))
        return regime, (f"each step jumps over {best} to the other side (the error changed sign "
                         f"{flips} times) but lands closer every time: {went}.")
    if regime == CRAWLS:
        left = abs(last) / abs(first)
        return regime, (f"w moves the right way, but slowly: {went}, so {left:.0%} of it is still "
                        f"left. A larger learning rate gets there sooner.")
    return regime, f"w slides down to {best} without overshooting: {went}."


class LearningRateExplorer(widgets.VBox):
    """Sliders for the learning rate and the number of steps; the loss and the path redrawn."""

    def __init__(self, lr: float = 0.05, steps: int = 20, x: float = 2.0, y: float = 6.0,
                 w0: float = 1.0) -> None:
        self.x, self.y, self.w0 = x, y, w0
        self.lr_slider = widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=0, step=0.05, readout_format=".3g",
            description="learning rate", style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
        self.steps_slider = widgets.IntSlider(
            value=steps, min=1, max=50, description="steps", layout=widgets.Layout(width="320px")
        )
        self.regime_text = widgets.HTML()
        self.image = _image()
        self.message = MessageLine()
        self.renders = 0  # how many times the picture was drawn (tests watch it)
        self.regime = ""
        self.weights: list[float] = []
        super().__init__([
            widgets.HBox([self.lr_slider, self.steps_slider]),
            self.regime_text, self.image, self.message,
        ])
        self.add_class("course-lr-explorer")  # CSS classes: handles for the browser tests
        self.regime_text.add_class("course-regime")
        self.lr_slider.observe(self._on_change, names="value")
        self.steps_slider.observe(self._on_change, names="value")
        self.redraw()

    def _on_change(self, change: dict) -> None:
        self.redraw()

    @shows_errors
    def redraw(self) -> None:
        """Run gradient descent for the sliders' values and draw it."""
        lr, steps = self.lr_slider.value, self.steps_slider.value
        self.weights = single_weight_descent(lr, steps, self.w0, self.x, self.y)
        self.regime, sentence = describe_descent(self.weights, self.x, self.y)
        png = figure_png(self._figure(lr))
        # The picture first, then the text: once the text names an lr, its picture is there.
        self.image.value = png
        self.regime_text.value = (f"<b>lr = {lr:.3g}: {self.regime}</b> &mdash; "
                                  f"{html.escape(sentence)}")
        self.renders += 1
        self.message.clear()

    def _figure(self, lr: float) -> Figure:
        fig = new_figure(11, 3.8)
        loss_ax, path_ax = fig.subplots(1, 2, width_ratios=[1, 1.3])
        fig.subplots_adjust(left=0.085, right=0.99, bottom=0.13, top=0.92, wspace=0.22)
        losses = [(w * self.x - self.y) ** 2 for w in self.weights]
        loss_ax.plot(range(len(losses)), losses, "o-", color="#0072B2", markersize=3)
        loss_ax.set_yscale("log")
        plain_log_ticks(loss_ax)
        loss_ax.set_title(f"Loss at each step (lr = {lr:.3g})")
        loss_ax.set_xlabel("step")
        loss_ax.set_ylabel("loss (log scale)")
        loss_ax.grid(True, color="#DDDDDD", linewidth=0.8)
        if 0.0 in losses:  # a log scale has no place for 0: say so instead of leaving a gap
            loss_ax.text(0.97, 0.95, f"loss = 0 exactly from step {losses.index(0.0)} on\n"
                         "(0 cannot be drawn on a log scale)", transform=loss_ax.transAxes,
                         ha="right", va="top", fontsize=9, color=INFO_COLOUR)
        plot_single_weight(x=self.x, y=self.y, path=self.weights, ax=path_ax)
        return fig


def lr_explorer(lr: float = 0.05, steps: int = 20) -> LearningRateExplorer:
    """Notebook 01's single weight with a learning-rate slider (log scale, 0.001 to 1).

    The error w*x - y is multiplied by the same factor at every step, so one learning rate
    always behaves the same way; the widget names the regime from the run itself.
    """
    return LearningRateExplorer(lr=lr, steps=steps)


# ----------------------------------------------------------------------------------------------
# 2. The learning rate on a real network (notebook 07)
# ----------------------------------------------------------------------------------------------

LESSON_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LESSON_YS = [1.0, -1.0, -1.0, 1.0]
LESSON_SEED = 0  # every retraining starts from the same initial weights


class TrainingLearningRateExplorer(widgets.VBox):
    """Retrain the lesson's network from the same start at the chosen lr; redraw its loss."""

    def __init__(self, lr: float = 0.05, steps: int = 100, activation: str = "tanh",
                 seed: int = LESSON_SEED) -> None:
        self.activation, self.seed = activation, seed
        self.lr_slider = widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=1, step=0.05, readout_format=".3g",
            description="learning rate", continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
        )
        self.steps_slider = widgets.IntSlider(
            value=steps, min=10, max=300, step=10, description="steps", continuous_update=False,
            layout=widgets.Layout(width="320px"),
        )
        self.summary = widgets.HTML()
        self.image = _image()
        self.message = MessageLine()
        self.renders = 0
        self.history = None
        super().__init__([
            widgets.HBox([self.lr_slider, self.steps_slider]),
            self.summary, self.image, self.message,
        ])
        self.add_class("course-training-lr-explorer")
        self.summary.add_class("course-summary")
        self.lr_slider.observe(self._on_change, names="value")
        self.steps_slider.observe(self._on_change, names="value")
        self.retrain()

    def _on_change(self, change: dict) -> None:
        self.retrain()

    @shows_errors
    def retrain(self) -> None:
        """Train a fresh copy of the lesson's network and draw its loss curve."""
        lr, steps = self.lr_slider.value, self.steps_slider.value
        model = MLP(3, [4, 4, 1], activation=self.activation, seed=self.seed)
        self.history = fit(model, LESSON_XS, LESSON_YS, loss="mse", lr=lr, steps=steps)
        predictions = ", ".join(f"{p:.3g}" for p in scores(model, LESSON_XS))
        targets = ", ".join(f"{t:g}" for t in LESSON_YS)
        self.image.value = figure_png(self._figure(lr))  # the picture first, then the text
        if self.history.diverged:
            self.summary.value = (f"<b>lr = {lr:.3g}: diverged</b> &mdash; "
                                  f"{html.escape(self.history.message)}")
        else:
            self.summary.value = (
                f"<b>lr = {lr:.3g}</b>: loss {self.history.train_loss[-1]:.4g} after "
                f"{len(self.history.train_loss)} steps; predictions [{predictions}] for targets "
                f"[{targets}]"
            )
        self.renders += 1
        self.message.clear()

    def _figure(self, lr: float) -> Figure:
        fig = new_figure(7, 3.8)
        ax = fig.subplots()
        fig.subplots_adjust(left=0.11, right=0.98, bottom=0.13, top=0.92)
        if self.history.train_loss:
            plot_loss(self.history, lr=lr, log=True, ax=ax)
            plain_log_ticks(ax)
        if self.history.diverged:
            ax.text(0.5, 0.5, f"Training diverged:\n{self.history.message}", transform=ax.transAxes,
                    ha="center", va="center", wrap=True, fontsize=11, color=ERROR_COLOUR,
                    bbox={"facecolor": "white", "edgecolor": ERROR_COLOUR})
        return fig


def training_lr_explorer(lr: float = 0.05, steps: int = 100, activation: str = "tanh"
                         ) -> TrainingLearningRateExplorer:
    """A learning-rate slider on real training: the lesson's MLP(3, [4, 4, 1]) and MSE loss.

    Each move retrains from the same initial weights (a fixed seed), so the only difference
    between two curves is the learning rate.
    """
    return TrainingLearningRateExplorer(lr=lr, steps=steps, activation=activation)


# ----------------------------------------------------------------------------------------------
# 3. Stepping through a backward pass (notebook 05)
# ----------------------------------------------------------------------------------------------


def describe_backward_step(order: Sequence[Value], steps: Sequence[BackwardStep], k: int) -> str:
    """One line saying what happens at step ``k`` (0-based) of ``steps = backward_steps(root)``.

    For example "step 2/4: `c` (grad 1) passes -3 × 1 = -3 to `a`, 2 × 1 = 2 to `b`"
    (local gradient × upstream gradient, the order the drawing's edge labels use).
    Steps are counted from 1 in the text, as in ``draw_backward_step``'s title.
    ``order`` is ``root.topological_order()``.
    """
    step = steps[k]
    node = order[step.node]
    grad = step.grads[step.node]
    head = f"step {k + 1}/{len(steps)}: {node_name(node, quote='`')} (grad {grad:.4g})"
    if k == 0:
        head += " is the output: its grad is d(output)/d(output) = 1"
    if not step.flows:
        return head + " is a leaf: nothing to pass on, its grad is final."
    passes = ", ".join(
        f"{flow.local_grad:.4g} × {flow.upstream:.4g} = {flow.contribution:.4g} "
        f"to {node_name(order[flow.child], quote='`')}"
        for flow in step.flows
    )
    joiner = "; it passes " if k == 0 else " passes "
    return head + joiner + passes


def _code_html(text: str) -> str:
    """Plain text with `backticks` as HTML with <code> for the names."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


class BackwardStepper(widgets.VBox):
    """A slider (with a Play button) over the steps of a backward pass; the graph redrawn."""

    def __init__(self, root: Value, params: Sequence[Value] | None = None, rankdir: str = "LR",
                 interval_ms: int = 1200) -> None:
        self.root, self.params, self.rankdir = root, params, rankdir
        self.order = root.topological_order()
        self.steps = backward_steps(root)
        # The slider counts steps from 1, as the drawing's title does.
        count = len(self.steps)
        self.step_slider = widgets.IntSlider(value=1, min=1, max=count, description="step")
        self.play = widgets.Play(value=1, min=1, max=count, interval=interval_ms,
                                 description="Play the backward pass")
        widgets.link((self.play, "value"), (self.step_slider, "value"))
        self.step_text = widgets.HTML()
        self.image = _image("svg+xml")
        self.message = MessageLine()
        self.renders = 0
        super().__init__([
            widgets.HBox([self.play, self.step_slider]), self.step_text, self.image, self.message,
        ])
        self.add_class("course-backward-stepper")
        self.step_text.add_class("course-step-text")
        self.step_slider.observe(self._on_change, names="value")
        self.show_step(1)

    def _on_change(self, change: dict) -> None:
        self.show_step(change["new"])

    @shows_errors
    def show_step(self, number: int) -> None:
        """Draw the graph as it is after step ``number`` (1 to the number of steps)."""
        k = number - 1
        dot = draw_backward_step(self.root, self.steps, k, rankdir=self.rankdir, params=self.params)
        svg = dot.pipe(format="svg")
        text = describe_backward_step(self.order, self.steps, k)
        self.image.value = svg  # picture and text change together, right after each other
        self.step_text.value = f"<b>{_code_html(text)}</b>"
        self.renders += 1
        self.message.clear()


def backward_stepper(root: Value, params: Sequence[Value] | None = None, rankdir: str = "LR"
                     ) -> BackwardStepper:
    """Step through ``root.backward()`` one node at a time: a slider, a Play button, the graph.

    Run ``root.backward()`` first or not: the stepper replays the pass on its own and never
    touches the Values' ``.grad``. ``params`` marks parameters in the drawing.
    """
    return BackwardStepper(root, params=params, rankdir=rankdir)
