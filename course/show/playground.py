"""A playground for small classifiers in the spirit of TensorFlow Playground, on our engine.

Pick a dataset, a network and the training settings, press Play, and watch the decision
boundary form while the train and test losses fall. Every number is computed by the scalar
engine of ``course.engine``, through ``course.nn.MLP`` and ``course.training.fit``.

The file has three parts, from plain data to widgets:

* :class:`PlaygroundSettings` -- every choice the controls offer, checked, and written to or
  read from a short setup string such as ``"dataset=xor; layers=8,8; lr=0.1"`` that a
  lecturer can hand to a class.
* :class:`PlaygroundRun` -- the data, the network and the training so far, with no widgets:
  ``train_epoch()``, ``measure()`` and ``figure()``. Notebooks and tests use it directly.
* :class:`Playground` -- the controls, the picture and the Play loop. Play trains in a
  background thread, so the notebook stays responsive and Pause is answered at once.

Only the picture takes a shortcut: the shading of the decision boundary needs the network's
output at 1,600 grid points several times a second, so it copies the weights into NumPy
arrays (:func:`network_as_arrays`) and evaluates the grid in one go. Training never does.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from course.data import (
    make_circles,
    make_gaussians,
    make_moons,
    make_spiral,
    make_xor,
    train_dev_test_split,
)
from course.engine import GELU_CUBIC, SQRT_2_OVER_PI
from course.nn import ACTIVATIONS, MLP
from course.optim import SGD, check_lr
from course.show import plot_decision_boundary, plot_loss
from course.show.widgets import MessageLine, figure_png, new_figure, shows_errors
from course.training import fit, loss_and_targets

# ----------------------------------------------------------------------------------------------
# Settings and the setup string
# ----------------------------------------------------------------------------------------------


def make_two_arm_spiral(
    n: int = 200, noise: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two spiral arms, one per class: the playground keeps every problem to two classes."""
    return make_spiral(n, noise=noise, seed=seed, classes=2)


DATASETS: dict[str, Callable] = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "spiral": make_two_arm_spiral,
    "gaussians": make_gaussians,
}
LOSS_NAMES = {"bce": "binary cross-entropy", "hinge": "hinge"}
REGULARIZATIONS = {"none": "none", "l2": "L2"}
N_POINTS = 200  # points per dataset, split into train and test
MAX_LAYERS = 6
MAX_NEURONS = 16  # per layer: more would make each step too slow to watch
FIGURE_SIZE = (10.5, 4.4)  # inches: the boundary on the left, the loss curves on the right
MAX_NOISE = 0.5
MAX_BATCH = 30

# Each setting's key in the setup string (short, so the string fits on one line).
KEYS = {
    "dataset": "dataset", "noise": "noise", "train_percent": "train", "batch_size": "batch",
    "lr": "lr", "activation": "activation", "loss": "loss", "regularization": "reg",
    "rate": "rate", "layers": "layers", "seed": "seed",
}
FIELDS = {key: name for name, key in KEYS.items()}


def _choice(value: object, options, what: str) -> str:
    if value not in options:
        valid = ", ".join(str(o) for o in options)
        raise ValueError(f"{what} must be one of {valid}; got {value!r}")
    return value


def _whole_number(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} must be a whole number from {low} to {high}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{what} must be from {low} to {high}; got {value}")
    return int(value)


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, e.g. 0.03; got {text!r}") from None


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything the playground lets you choose. ``check()`` says clearly what is wrong."""

    dataset: str = "moons"
    noise: float = 0.1  # standard deviation of the noise added to each point
    train_percent: int = 50  # the rest of the points are the test set
    batch_size: int = 10
    lr: float = 0.1
    activation: str = "tanh"
    loss: str = "bce"
    regularization: str = "none"
    rate: float = 0.001  # strength of the L2 penalty (used when regularization is "l2")
    layers: tuple[int, ...] = (8, 8)  # neurons in each hidden layer; () = no hidden layer
    seed: int = 0  # the data, the split, the initial weights and the batch order

    def __post_init__(self) -> None:
        if isinstance(self.layers, list):  # [8, 8] works too; stored as (8, 8)
            object.__setattr__(self, "layers", tuple(self.layers))

    def check(self) -> PlaygroundSettings:
        """Return the settings if they are usable; otherwise raise a ValueError saying why."""
        _choice(self.dataset, DATASETS, "dataset")
        _choice(self.activation, ACTIVATIONS, "activation")
        _choice(self.loss, LOSS_NAMES, "loss")
        _choice(self.regularization, REGULARIZATIONS, "regularization")
        if not (isinstance(self.noise, (int, float)) and 0 <= self.noise <= MAX_NOISE):
            raise ValueError(f"noise must be a number from 0 to {MAX_NOISE:g}; got {self.noise!r}")
        _whole_number(self.train_percent, "train %", 10, 90)
        _whole_number(self.batch_size, "batch size", 1, MAX_BATCH)
        try:
            check_lr(self.lr)
        except (TypeError, ValueError):
            raise ValueError(
                f"learning rate must be a positive number, e.g. 0.03; got {self.lr!r}"
            ) from None
        rate_ok = isinstance(self.rate, (int, float)) and math.isfinite(self.rate)
        if not (rate_ok and self.rate >= 0):
            raise ValueError(f"regularization rate must be a number >= 0; got {self.rate!r}")
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers; got {len(self.layers)}")
        for i, width in enumerate(self.layers, start=1):
            if isinstance(width, (int, np.integer)) and width < 1:
                raise ValueError(
                    f"hidden layer {i} has {width} neurons: a layer needs at least 1 "
                    f"(remove the layer instead)"
                )
            _whole_number(width, f"neurons in hidden layer {i}", 1, MAX_NEURONS)
        _whole_number(self.seed, "seed", 0, 2**31 - 1)
        return self

    # --- the setup string ------------------------------------------------------------------

    def to_string(self) -> str:
        """The settings as one readable line: ``dataset=moons; noise=0.1; ...; seed=0``."""
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "layers":
                text = ",".join(str(n) for n in value) or "none"
            else:
                text = f"{value:g}" if isinstance(value, float) else str(value)
            parts.append(f"{KEYS[field.name]}={text}")
        return "; ".join(parts)

    @classmethod
    def from_string(cls, text: str) -> PlaygroundSettings:
        """Read a setup string. Missing keys keep their defaults; anything odd is a ValueError."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the setup string is empty: paste one like 'dataset=xor; layers=4,4'")
        values: dict[str, object] = {}
        for part in text.replace("\n", ";").split(";"):
            if not part.strip():
                continue
            key, sep, raw = part.partition("=")
            key, raw = key.strip(), raw.strip()
            if not sep or key not in FIELDS:
                valid = ", ".join(KEYS.values())
                raise ValueError(f"cannot read {part.strip()!r} in the setup string: "
                                 f"use key=value with a key among {valid}")
            values[FIELDS[key]] = _parse_value(FIELDS[key], raw)
        return cls(**values).check()


def _parse_value(field: str, raw: str) -> object:
    """One value of the setup string, turned into the type its setting needs."""
    if field in ("noise", "lr", "rate"):
        return _number(raw, KEYS[field])
    if field in ("train_percent", "batch_size", "seed"):
        try:
            return int(raw.rstrip("%"))
        except ValueError:
            raise ValueError(f"{KEYS[field]} must be a whole number; got {raw!r}") from None
    if field == "layers":
        if raw.lower() in ("", "none", "0"):
            return ()
        try:
            return tuple(int(n) for n in raw.split(","))
        except ValueError:
            raise ValueError(
                f"layers must be neuron counts separated by commas, e.g. 8,8; got {raw!r}"
            ) from None
    return raw


# ----------------------------------------------------------------------------------------------
# The network in NumPy, for drawing only
# ----------------------------------------------------------------------------------------------

NUMPY_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),  # Value.leaky_relu's slope
    "gelu": lambda z: 0.5 * z * (1.0 + np.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3))),
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # = 1/(1+e^-z), and never overflows
    "linear": lambda z: z,
}


def network_as_arrays(model: MLP) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Each layer's weights (a matrix, one row per neuron), biases and activation, as NumPy.

    A snapshot of the numbers only: changing the arrays does not change the model.
    """
    layers = []
    for layer in model.layers:
        weights = np.array([[w.data for w in neuron.w] for neuron in layer.neurons])
        biases = np.array([neuron.b.data for neuron in layer.neurons])
        layers.append((weights, biases, layer.activation))
    return layers


def numpy_scores(layers: list[tuple[np.ndarray, np.ndarray, str]], X: np.ndarray) -> np.ndarray:
    """The network's output for every row of X at once: the same numbers as the scalar
    engine gives one point at a time, computed as matrix products."""
    a = np.asarray(X, dtype=float)
    with np.errstate(all="ignore"):  # a diverged network gives inf/nan: draw it, don't warn
        for weights, biases, activation in layers:
            a = NUMPY_ACTIVATIONS[activation](a @ weights.T + biases)
    return a[:, 0]


# ----------------------------------------------------------------------------------------------
# A run: data, network, training so far
# ----------------------------------------------------------------------------------------------

LIVE_SETTINGS = ("lr", "batch_size", "regularization", "rate")  # change without a reset


class PlaygroundRun:
    """The data, the network and its training so far, for one set of settings."""

    def __init__(self, settings: PlaygroundSettings | None = None) -> None:
        self.settings = (settings or PlaygroundSettings()).check()
        s = self.settings
        X, y = DATASETS[s.dataset](N_POINTS, noise=s.noise, seed=s.seed)
        train = s.train_percent / 100
        split = train_dev_test_split(X, y, (train, 0.0, 1.0 - train), seed=s.seed)
        self.X_train, self.y_train, _, _, self.X_test, self.y_test = split
        # Hidden layers use the chosen activation; the output is a plain score (a logit).
        self.model = MLP(2, [*s.layers, 1], activation=s.activation, output_activation="linear",
                         seed=s.seed)
        self.optimizer = SGD(self.model.parameters(), lr=s.lr)
        self.epoch = 0
        self.steps = 0
        self.curve_epochs: list[int] = []
        self.train_losses: list[float] = []
        self.test_losses: list[float] = []
        self.diverged_message = ""

    @property
    def diverged(self) -> bool:
        return bool(self.diverged_message)

    def update_live(self, settings: PlaygroundSettings) -> None:
        """Take new settings that need no reset (learning rate, batch size, regularization)."""
        self.settings = settings.check()
        self.optimizer.lr = settings.lr

    # --- training --------------------------------------------------------------------------

    def train_epoch(self) -> bool:
        """One pass over the training points in shuffled mini-batches. False if it diverged."""
        if self.diverged:
            return False
        s = self.settings
        batch = min(s.batch_size, len(self.X_train))
        steps = math.ceil(len(self.X_train) / batch)
        history = fit(
            self.model, self.X_train, self.y_train, loss=s.loss, optimizer=self.optimizer,
            steps=steps, batch_size=batch, l2=s.rate if s.regularization == "l2" else 0.0,
            seed=s.seed * 100_003 + self.epoch,  # a new shuffle every epoch, reproducibly
        )
        self.steps += len(history.step)
        if history.diverged:
            self.diverged_message = (
                f"Training diverged in epoch {self.epoch + 1}: the loss became inf or nan. "
                f"The learning rate {s.lr:g} is too large for this setup: lower it and press Reset."
            )
            return False
        self.epoch += 1
        return True

    def train(self, epochs: int) -> bool:
        """Train ``epochs`` epochs, measuring the losses after each (for the curves).

        Stops early, returning False, if training diverges.
        """
        self.measure()  # the starting point of the curves, if it is not there yet
        for _ in range(epochs):
            if not self.train_epoch():
                return False
            self.measure()
        return True

    # --- measuring -------------------------------------------------------------------------

    def loss_on(self, X: np.ndarray, y: np.ndarray) -> float:
        """The data loss (no L2 penalty) on a whole set, computed by the scalar engine."""
        outputs = self.model.forward_batch(X.tolist())
        loss_fn, to_targets = loss_and_targets(self.settings.loss)
        return loss_fn(outputs, to_targets(y)).data

    def measure(self) -> tuple[float, float]:
        """Train and test loss now; the first measurement in each epoch joins the curves."""
        if self.curve_epochs and self.curve_epochs[-1] == self.epoch:
            return self.train_losses[-1], self.test_losses[-1]
        train_loss = self.loss_on(self.X_train, self.y_train)
        test_loss = self.loss_on(self.X_test, self.y_test)
        self.curve_epochs.append(self.epoch)
        self.train_losses.append(train_loss)
        self.test_losses.append(test_loss)
        return train_loss, test_loss

    def predict_classes(self, X: np.ndarray) -> np.ndarray:
        """Class 0 or 1 for every row of X (1 where the score is positive), via NumPy."""
        scores = numpy_scores(network_as_arrays(self.model), X)
        return (scores > 0).astype(np.int64)

    # --- drawing ---------------------------------------------------------------------------

    def figure(self, fig: Figure | None = None, resolution: int = 100) -> Figure:
        """The decision boundary with the train and test points, and the loss curves.

        Without ``fig`` it makes a pyplot figure, which a notebook shows when it is the last
        value of a cell. The widget passes a Figure of its own instead: pyplot keeps a list
        of open figures and must not be used from the background thread that plays.
        """
        self.measure()
        if fig is None:
            fig = plt.figure(figsize=FIGURE_SIZE)
            plt.close(fig)  # shown once, as the cell's value; not again at the end of the cell
        boundary_ax, loss_ax = fig.subplots(1, 2, width_ratios=[1.15, 1])
        fig.subplots_adjust(left=0.06, right=0.985, bottom=0.12, top=0.87, wspace=0.2)
        plot_decision_boundary(self.predict_classes, self.X_train, self.y_train,
                               self.X_test, self.y_test, ax=boundary_ax, resolution=resolution,
                               held_out_name="test")
        curves = SimpleNamespace(train_loss=self.train_losses, dev_loss=self.test_losses,
                                 step=self.curve_epochs)
        plot_loss(curves, ax=loss_ax, held_out_name="test")
        loss_ax.set_xlabel("epoch")
        loss_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        loss_ax.set_title(f"{LOSS_NAMES[self.settings.loss]} loss, epoch {self.epoch}")
        if self.diverged:
            loss_ax.text(0.5, 0.5, "diverged:\nlower the learning rate\nand press Reset",
                         transform=loss_ax.transAxes, ha="center", va="center", fontsize=12,
                         color="#D55E00", bbox={"facecolor": "white", "edgecolor": "#D55E00"})
        return fig


# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------

LR_CHOICES = ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]
RATE_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
DEFAULT_NEURONS = 4  # the size of a newly added layer
REDRAW_SECONDS = 0.25  # while playing, redraw at most this often: drawing is the slow part
MEASURE_SECONDS = 0.1  # and add a point to the loss curves at most this often
MAX_EPOCHS = 5000  # Play pauses by itself here, so a forgotten tab does not train forever

_WIDE = {"description_width": "110px"}


def _row(width: str = "300px") -> widgets.Layout:
    return widgets.Layout(width=width)


class Playground(widgets.VBox):
    """TensorFlow-Playground-style controls around a :class:`PlaygroundRun`.

    ``Playground()`` starts from the default settings; ``Playground(settings)`` or
    ``Playground.from_state("dataset=xor; layers=4,4")`` from others. The current setup is
    always in the "setup" box, ready to copy; ``state_string()`` returns it in code.
    """

    def __init__(self, settings: PlaygroundSettings | None = None,
                 redraw_seconds: float = REDRAW_SECONDS, max_epochs: int = MAX_EPOCHS) -> None:
        settings = (settings or PlaygroundSettings()).check()
        self.redraw_seconds = redraw_seconds
        self.max_epochs = max_epochs
        self._play_until = 0  # the epoch at which Play pauses by itself
        self.run = PlaygroundRun(settings)
        self.renders = 0
        self._lock = threading.RLock()  # one thing at a time touches self.run
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._setting_controls = False  # True while code (not a person) sets the controls
        self.message = MessageLine()
        self._build_controls(settings)
        super().__init__(self._layout(), layout=widgets.Layout(width="100%"))
        self.add_class("course-playground")  # CSS classes: handles for the browser tests
        self.epoch_label.add_class("course-epoch")
        self.loss_label.add_class("course-losses")
        self._show_settings(settings)
        self.refresh()

    # --- public API ------------------------------------------------------------------------

    @classmethod
    def from_state(cls, state: str, **kwargs) -> Playground:
        """A playground set up from a string made by ``state_string()``.

        A string that cannot be read gives the default playground, with a message that says
        what was wrong, rather than an exception.
        """
        try:
            settings = PlaygroundSettings.from_string(state)
        except ValueError as error:
            playground = cls(**kwargs)
            playground.message.show(f"Could not read that setup ({error}); showing the default "
                                    f"setup instead.", error=True)
            return playground
        return cls(settings, **kwargs)

    @property
    def settings(self) -> PlaygroundSettings:
        return self.run.settings

    def state_string(self) -> str:
        """The current setup as a short string: give it to ``Playground.from_state``."""
        return self.settings.to_string()

    @property
    def is_playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @shows_errors
    def play(self) -> None:
        """Start training in the background; the picture updates a few times a second."""
        if self.is_playing:
            return
        if self.run.diverged:
            self.message.show(self.run.diverged_message, error=True)
            return
        self.message.clear()
        self._stop.clear()
        self._play_until = self.run.epoch + self.max_epochs
        self._thread = threading.Thread(target=self._play_loop, name="playground", daemon=True)
        self._thread.start()
        self._show_buttons(playing=True)

    @shows_errors
    def pause(self) -> None:
        """Stop training after the current epoch, and draw the final state."""
        self._stop.set()
        self._show_buttons(playing=False)  # at once: the last drawing may take a moment
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None
        self._show_buttons(playing=False)

    @shows_errors
    def step(self) -> None:
        """Train one epoch (one pass over the training points), then redraw."""
        if self.is_playing:
            return
        with self._lock:
            trained = self.run.train_epoch()
        if not trained:
            self.message.show(self.run.diverged_message, error=True)
        self.refresh()

    @shows_errors
    def reset(self) -> None:
        """Start again from new initial weights (the same ones for the same seed)."""
        self.pause()
        with self._lock:
            self.run = PlaygroundRun(self.run.settings)
        self.message.clear()
        self.refresh()

    @shows_errors
    def load_state(self, state: str) -> None:
        """Switch to the setup in ``state`` (a string from ``state_string()``)."""
        settings = PlaygroundSettings.from_string(state)
        self._show_settings(settings)
        self._apply(settings)
        self.message.show("Setup loaded.")

    @shows_errors
    def refresh(self) -> None:
        """Measure the losses and redraw the picture and the numbers."""
        with self._lock:
            run = self.run
            train_loss, test_loss = run.measure()
            # A coarse 40 x 40 grid: the shading is redrawn several times a second.
            png = figure_png(run.figure(new_figure(*FIGURE_SIZE), resolution=40))
        self.image.value = png
        self.epoch_label.value = (
            f"<span style='font-size:1.3em'>Epoch <b>{run.epoch}</b></span> "
            f"&nbsp;({run.steps} steps)"
        )
        self.loss_label.value = (
            f"Train loss <b>{train_loss:.3f}</b> &nbsp;·&nbsp; Test loss <b>{test_loss:.3f}</b>"
        )
        self.renders += 1

    # --- the Play loop (runs in a background thread) ------------------------------------------

    def _play_loop(self) -> None:
        last_draw = last_measure = time.monotonic()
        pause_between_draws = self.redraw_seconds
        try:
            while not self._stop.is_set():
                with self._lock:
                    trained = self.run.train_epoch()
                    epoch = self.run.epoch
                    if trained and time.monotonic() - last_measure >= MEASURE_SECONDS:
                        self.run.measure()  # a point on the loss curves
                        last_measure = time.monotonic()
                if not trained:
                    self.message.show(self.run.diverged_message, error=True)
                    break
                if epoch >= self._play_until:
                    self.message.show(f"Paused by itself at epoch {epoch}. Press Play to go on.")
                    break
                if time.monotonic() - last_draw >= pause_between_draws:
                    started = time.monotonic()
                    self.refresh()
                    last_draw = time.monotonic()
                    # Drawing is slow: spend at least twice as long training as drawing.
                    pause_between_draws = max(self.redraw_seconds, 2 * (last_draw - started))
        except Exception as error:  # noqa: BLE001 -- a thread's traceback would go unseen
            self.message.show_error(error)
        finally:
            self.refresh()
            self._show_buttons(playing=False)

    # --- controls ------------------------------------------------------------------------------

    def _build_controls(self, s: PlaygroundSettings) -> None:
        self.reset_button = widgets.Button(description="Reset", icon="refresh",
                                           tooltip="new start: initial weights, epoch 0")
        self.play_button = widgets.Button(description="Play", icon="play", button_style="success",
                                          tooltip="train until Pause")
        self.pause_button = widgets.Button(description="Pause", icon="pause", disabled=True)
        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          tooltip="train one epoch")
        for button in (self.reset_button, self.play_button, self.pause_button, self.step_button):
            button.layout = widgets.Layout(width="95px")
        self.epoch_label = widgets.HTML()
        self.loss_label = widgets.HTML()

        self.dataset = widgets.Dropdown(options=list(DATASETS), description="dataset",
                                        style=_WIDE, layout=_row())
        self.noise = widgets.FloatSlider(min=0.0, max=MAX_NOISE, step=0.05, description="noise",
                                         continuous_update=False, style=_WIDE, layout=_row())
        self.train_percent = widgets.IntSlider(min=10, max=90, step=10, description="train %",
                                               continuous_update=False, style=_WIDE, layout=_row())
        self.batch_size = widgets.IntSlider(min=1, max=MAX_BATCH, description="batch size",
                                            continuous_update=False, style=_WIDE, layout=_row())
        self.seed = widgets.IntText(description="seed", style=_WIDE, layout=_row("200px"))
        self.lr_text = widgets.Combobox(options=LR_CHOICES, description="learning rate",
                                        ensure_option=False, continuous_update=False,
                                        placeholder="e.g. 0.03", style=_WIDE, layout=_row())
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), description="activation",
                                           style=_WIDE, layout=_row())
        self.loss = widgets.Dropdown(options=[(name, key) for key, name in LOSS_NAMES.items()],
                                     description="loss", style=_WIDE, layout=_row())
        self.regularization = widgets.Dropdown(
            options=[(name, key) for key, name in REGULARIZATIONS.items()],
            description="regularization", style=_WIDE, layout=_row())
        self.rate = widgets.Dropdown(options=RATE_CHOICES, description="reg. rate", style=_WIDE,
                                     layout=_row())
        self.add_layer_button = widgets.Button(description="+ layer", layout=_row("90px"),
                                               tooltip=f"add a hidden layer (at most {MAX_LAYERS})")
        self.remove_layer_button = widgets.Button(description="− layer", layout=_row("90px"),
                                                  tooltip="remove the last hidden layer")
        self.layers_label = widgets.HTML()
        self.neuron_inputs: list[widgets.IntText] = []
        self.layers_box = widgets.HBox()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.setup_text = widgets.Text(description="setup", style={"description_width": "50px"},
                                       layout=widgets.Layout(width="calc(100% - 120px)"))
        self.load_button = widgets.Button(description="Load setup", layout=_row("110px"),
                                          tooltip="use the setup typed or pasted on the left")

        self.reset_button.on_click(lambda _: self.reset())
        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: self.pause())
        self.step_button.on_click(lambda _: self.step())
        self.add_layer_button.on_click(lambda _: self._add_layer())
        self.remove_layer_button.on_click(lambda _: self._remove_layer())
        self.load_button.on_click(lambda _: self.load_state(self.setup_text.value))
        for control in (self.dataset, self.noise, self.train_percent, self.batch_size, self.seed,
                        self.lr_text, self.activation, self.loss, self.regularization, self.rate):
            control.observe(self._on_control_change, names="value")

    def _layout(self) -> list[widgets.Widget]:
        def heading(text: str) -> widgets.HTML:
            return widgets.HTML(f"<b style='color:#555'>{text}</b>")

        toolbar = widgets.HBox(
            [self.reset_button, self.play_button, self.pause_button, self.step_button,
             self.epoch_label],
            layout=widgets.Layout(align_items="center"),
        )
        data = widgets.VBox([heading("DATA"), self.dataset, self.noise, self.train_percent,
                             self.seed])
        training = widgets.VBox([heading("TRAINING"), self.lr_text, self.batch_size, self.loss,
                                 self.regularization, self.rate])
        network = widgets.VBox([
            heading("HIDDEN LAYERS"), self.activation,
            widgets.HBox([self.add_layer_button, self.remove_layer_button, self.layers_label]),
            self.layers_box,
        ])
        for column in (data, training, network):
            column.layout = widgets.Layout(margin="0 16px 0 0")
        controls = widgets.HBox([data, training, network],
                                layout=widgets.Layout(flex_flow="row wrap"))
        setup = widgets.HBox([self.setup_text, self.load_button])
        return [toolbar, controls, self.loss_label, self.image, self.message, setup]

    def _show_buttons(self, playing: bool) -> None:
        self.play_button.disabled = playing
        self.pause_button.disabled = not playing
        self.step_button.disabled = playing

    def _show_settings(self, s: PlaygroundSettings) -> None:
        """Set every control to ``s`` without triggering a reset for each one."""
        self._setting_controls = True
        try:
            self.dataset.value = s.dataset
            self.noise.value = s.noise
            self.train_percent.value = s.train_percent
            self.batch_size.value = s.batch_size
            self.seed.value = s.seed
            self.lr_text.value = f"{s.lr:g}"
            self.activation.value = s.activation
            self.loss.value = s.loss
            self.regularization.value = s.regularization
            if s.rate not in self.rate.options:
                self.rate.options = sorted({*self.rate.options, s.rate})
            self.rate.value = s.rate
            self._show_layers(s.layers)
            self.setup_text.value = s.to_string()
        finally:
            self._setting_controls = False

    def _show_layers(self, layers: tuple[int, ...]) -> None:
        """One box per hidden layer with its number of neurons."""
        self.neuron_inputs = []
        for i, width in enumerate(layers, start=1):
            box = widgets.IntText(value=width, description=f"layer {i}",
                                  style={"description_width": "50px"},
                                  layout=widgets.Layout(width="110px"))
            box.observe(self._on_control_change, names="value")
            self.neuron_inputs.append(box)
        self.layers_box.children = self.neuron_inputs
        count = len(layers)
        self.layers_label.value = ("no hidden layer: a linear model" if count == 0
                                   else f"{count} hidden layer{'s' if count > 1 else ''}")
        self.add_layer_button.disabled = count >= MAX_LAYERS
        self.remove_layer_button.disabled = count == 0

    def _settings_from_controls(self) -> PlaygroundSettings:
        """Read the controls; a ValueError says which one holds something unusable."""
        return PlaygroundSettings(
            dataset=self.dataset.value,
            noise=round(float(self.noise.value), 4),
            train_percent=self.train_percent.value,
            batch_size=self.batch_size.value,
            lr=_number(self.lr_text.value.strip(), "learning rate"),
            activation=self.activation.value,
            loss=self.loss.value,
            regularization=self.regularization.value,
            rate=self.rate.value,
            layers=tuple(box.value for box in self.neuron_inputs),
            seed=self.seed.value,
        ).check()

    @shows_errors
    def _on_control_change(self, change: dict) -> None:
        if self._setting_controls:
            return
        try:
            settings = self._settings_from_controls()
        except ValueError as error:
            self.message.show(f"{error}. Until that is fixed, the playground keeps its last "
                              f"good settings.", error=True)
            return
        self._apply(settings)

    @shows_errors
    def _add_layer(self) -> None:
        layers = tuple(box.value for box in self.neuron_inputs)
        width = layers[-1] if layers and 1 <= layers[-1] <= MAX_NEURONS else DEFAULT_NEURONS
        self._show_layers((*layers, width))
        self._on_control_change({})

    @shows_errors
    def _remove_layer(self) -> None:
        layers = tuple(box.value for box in self.neuron_inputs)
        self._show_layers(layers[:-1])
        self._on_control_change({})

    def _apply(self, settings: PlaygroundSettings) -> None:
        """Use new settings: live ones at once, the others by starting again (like Reset)."""
        old = self.settings
        changed = {f.name for f in dataclasses.fields(settings)
                   if getattr(settings, f.name) != getattr(old, f.name)}
        self.setup_text.value = settings.to_string()
        self.message.clear()
        if not changed:
            return
        with self._lock:
            if changed <= set(LIVE_SETTINGS):
                self.run.update_live(settings)
            else:
                self.run = PlaygroundRun(settings)
        if not self.is_playing:  # while playing, the loop redraws within a moment
            self.refresh()
