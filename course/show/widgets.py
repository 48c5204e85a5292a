"""Interactive widgets for the notebooks: move a slider, watch the maths react.

* :func:`lr_explorer` -- notebook 01's single weight: pick a learning rate and a number of
  steps, see the loss per step and the path down the parabola, and read which regime that
  learning rate is in (converges smoothly, crawls, oscillates, diverges).
* :func:`training_lr_explorer` -- the same question on a real network: retrain the lesson's
  ``MLP(3, [4, 4, 1])`` from the same starting weights at the chosen learning rate.
* :func:`backward_stepper` -- step through a backward pass one node at a time, or press Play.

The maths lives in small pure functions that notebooks and tests call directly (the descent
in ``course/single_weight.py``, the backward replay in ``course/show/backward.py``); the
widget classes only wire sliders to them and draw the result. Those functions stay
importable from here as well.

Every widget shows its pictures in an ``ipywidgets.Image`` (SVG bytes), and catches every
error in its callbacks (``course/show/widget_parts.py``): a bad value shows up as a readable
message inside the widget, never as a traceback.

The learning-rate pictures are SVG built as text (``descent_svg.py``), not matplotlib
figures: a few milliseconds instead of about 0.1 s, so the picture follows the slider as it
moves. A slider's changes go through ``LatestOnly``: while one picture is being made, newer
values replace each other and only the newest is drawn, so dragging never queues stale work.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

import ipywidgets as widgets

from course.checks import real_number, whole_number
from course.engine import Value
from course.nn import MLP
from course.show.backward import backward_steps, describe_backward_step, nodes_in_order
from course.show.descent_svg import WIDTH as DESCENT_WIDTH
from course.show.descent_svg import descent_svg, loss_panel
from course.show.figures import figure_png, new_figure
from course.show.graph import MAX_DRAWN_NODES, draw_backward_step, parameter_set
from course.show.palette import WARNING_COLOUR
from course.show.svg import svg, text
from course.show.widget_parts import LatestOnly, MessageLine, picture, shows_errors
from course.single_weight import (
    CRAWLS,
    DIVERGES,
    OSCILLATES,
    OSCILLATES_FOREVER,
    SMOOTH,
    classify_descent,
    single_weight_descent,
)
from course.training import fit, scores

__all__ = [  # the maths and plumbing these widgets use stay importable from here too
    "CRAWLS", "DIVERGES", "OSCILLATES", "OSCILLATES_FOREVER", "SMOOTH",
    "BackwardStepper", "LearningRateExplorer", "MessageLine", "TrainingLearningRateExplorer",
    "backward_stepper", "classify_descent", "describe_backward_step", "describe_descent",
    "figure_png", "lr_explorer", "new_figure", "shows_errors", "single_weight_descent",
    "training_lr_explorer",
]

# ----------------------------------------------------------------------------------------------
# 1. One weight, one learning rate (notebook 01)
# ----------------------------------------------------------------------------------------------


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
        real_number(lr, "lr", low=0.001, high=1.0)  # the sliders' ranges: a value outside
        whole_number(steps, "steps", low=1, high=50)  # would be moved into them silently
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
        self.image = picture("svg+xml", width=DESCENT_WIDTH)
        self.message = MessageLine()
        self.renders = 0  # how many times the picture was drawn (tests watch it)
        self.drawing = LatestOnly(lambda _: self.redraw())
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
        self.drawing.request(change["new"])

    @shows_errors
    def redraw(self) -> None:
        """Run gradient descent for the sliders' values and draw it."""
        lr, steps = self.lr_slider.value, self.steps_slider.value
        self.weights = single_weight_descent(lr, steps, self.w0, self.x, self.y)
        self.regime, sentence = describe_descent(self.weights, self.x, self.y)
        picture_bytes = descent_svg(self.weights, lr, self.x, self.y).encode()
        # The picture first, then the text: once the text names an lr, its picture is there.
        self.image.value = picture_bytes
        self.regime_text.value = (f"<b>lr = {lr:.3g}: {self.regime}</b> &mdash; "
                                  f"{html.escape(sentence)}")
        self.renders += 1
        self.message.clear()


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
LOSS_WIDTH = 380  # pixels: the training explorer's picture
MAX_REMEMBERED_RUNS = 200  # the training explorer keeps this many runs (a few kB each)


class TrainingLearningRateExplorer(widgets.VBox):
    """Retrain the lesson's network from the same start at the chosen lr; redraw its loss."""

    def __init__(self, lr: float = 0.05, steps: int = 100, activation: str = "tanh",
                 seed: int = LESSON_SEED) -> None:
        real_number(lr, "lr", low=0.001, high=10.0)  # the sliders' ranges
        whole_number(steps, "steps", low=10, high=300)
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
        self.image = picture("svg+xml", width=LOSS_WIDTH)
        self.message = MessageLine()
        self.renders = 0
        self.history = None
        self._runs: dict[tuple[str, int], tuple[object, list[float]]] = {}  # (lr, steps) ->
        self.drawing = LatestOnly(lambda _: self.retrain(), idle=self._train_neighbours)
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
        self.drawing.request(change["new"])

    @shows_errors
    def retrain(self) -> None:
        """Train a fresh copy of the lesson's network and draw its loss curve."""
        lr, steps = self.lr_slider.value, self.steps_slider.value
        self.history, outputs = self._run(lr, steps)
        predictions = ", ".join(f"{p:.3g}" for p in outputs)
        targets = ", ".join(f"{t:g}" for t in LESSON_YS)
        self.image.value = self._picture(lr).encode()  # the picture first, then the text
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

    def _run(self, lr: float, steps: int) -> tuple[object, list[float]]:
        """(training history, predictions) for this lr and number of steps, trained once."""
        key = (f"{lr:.6g}", steps)  # the slider's values, as the browser rounds them
        if key not in self._runs:
            model = MLP(3, [4, 4, 1], activation=self.activation, seed=self.seed)
            history = fit(model, LESSON_XS, LESSON_YS, loss="mse", lr=lr, steps=steps)
            if len(self._runs) >= MAX_REMEMBERED_RUNS:
                self._runs.pop(next(iter(self._runs)))  # forget the oldest
            self._runs[key] = (history, scores(model, LESSON_XS))
        return self._runs[key]

    def _train_neighbours(self) -> bool:
        """While the slider rests, train the runs one step of the slider either side, so the
        next key press finds its run ready. False once there is nothing left to do."""
        exponent, steps = math.log10(self.lr_slider.value), self.steps_slider.value
        for shift in (self.lr_slider.step, -self.lr_slider.step):
            lr = 10 ** (exponent + shift)
            if self.lr_slider.min <= exponent + shift <= self.lr_slider.max and (
                    f"{lr:.6g}", steps) not in self._runs:
                self._run(lr, steps)
                return True
        return False

    def _picture(self, lr: float) -> str:
        """The loss at each step on a log scale, and a note when training diverged."""
        body = loss_panel(self.history.train_loss, lr, 0)
        if self.history.diverged:
            body.append(text(206, 150, "Training diverged: lower the learning rate",
                             colour=WARNING_COLOUR, weight="bold", size=13))
        return svg(LOSS_WIDTH, 330, body, "course-training-loss")


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


def _code_html(text: str) -> str:
    """Plain text with `backticks` as HTML with <code> for the names."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


class BackwardStepper(widgets.VBox):
    """A slider (with a Play button) over the steps of a backward pass; the graph redrawn."""

    def __init__(self, root: Value, params: Sequence[Value] | None = None, rankdir: str = "LR",
                 interval_ms: int = 1200, max_nodes: int = MAX_DRAWN_NODES) -> None:
        # Mistakes are refused here, at once, before any step is computed or drawn.
        self.order = nodes_in_order(root, max_nodes, "the stepper draws the whole graph at "
                                    "every step", "Step through")
        parameter_set(params)  # e.g. the model instead of model.parameters()
        self.root, self.params, self.rankdir, self.max_nodes = root, params, rankdir, max_nodes
        self.steps = backward_steps(root, max_nodes=max_nodes)
        # The slider counts steps from 1, as the drawing's title does.
        count = len(self.steps)
        self.step_slider = widgets.IntSlider(value=1, min=1, max=count, description="step")
        self.play = widgets.Play(value=1, min=1, max=count, interval=interval_ms,
                                 description="Play the backward pass")
        widgets.link((self.play, "value"), (self.step_slider, "value"))
        self.step_text = widgets.HTML()
        self.image = picture("svg+xml")
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
        dot = draw_backward_step(self.root, self.steps, k, rankdir=self.rankdir,
                                 params=self.params, max_nodes=self.max_nodes)
        svg = dot.pipe(format="svg")
        text = describe_backward_step(self.order, self.steps, k)
        self.image.value = svg  # picture and text change together, right after each other
        self.step_text.value = f"<b>{_code_html(text)}</b>"
        self.renders += 1
        self.message.clear()


def backward_stepper(root: Value, params: Sequence[Value] | None = None, rankdir: str = "LR",
                     max_nodes: int = MAX_DRAWN_NODES) -> BackwardStepper:
    """Step through ``root.backward()`` one node at a time: a slider, a Play button, the graph.

    Run ``root.backward()`` first or not: the stepper replays the pass on its own and never
    touches the Values' ``.grad``. ``params`` marks parameters in the drawing. A graph of
    more than ``max_nodes`` Values is refused at once: its drawing would be unreadable.
    """
    return BackwardStepper(root, params=params, rankdir=rankdir, max_nodes=max_nodes)
