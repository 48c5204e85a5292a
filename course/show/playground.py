"""A playground for small classifiers in the spirit of TensorFlow Playground, on our engine.

Pick a dataset, a network and the training settings, press Play, and watch the decision
boundary form while the train and test losses fall. Every number is computed by the scalar
engine of ``course.engine``, through ``course.nn.MLP`` and ``course.training.fit``.

Four files, from plain data to widgets:

* ``playground_settings.py``: :class:`PlaygroundSettings`, every choice the controls offer,
  checked, and written to or read from a short setup string such as
  ``"dataset=xor; layers=8,8; lr=0.1"`` that a lecturer can hand to a class.
* ``numpy_network.py``: the network's output on a whole grid at once, for the picture only.
* ``playground_run.py``: :class:`PlaygroundRun`, the data, the network and the training so
  far, with no widgets. Notebooks and tests use it directly.
* ``neuron_maps.py`` and ``playground_svg.py``: the live pictures (boundary, loss curves, and
  the network diagram with every neuron's output over the plane), as SVG built from NumPy.
* this file: :class:`Playground`, the controls, the pictures and the Play loop. Play trains in
  a background thread, so the notebook stays responsive and Pause is answered at once.

Everything the others define is importable from here too.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import ipywidgets as widgets

from course.nn import ACTIVATIONS
from course.show.numpy_network import NUMPY_ACTIVATIONS, network_as_arrays, numpy_scores
from course.show.palette import INFO_COLOUR
from course.show.playground_run import FIGURE_SIZE, LIVE_SETTINGS, PlaygroundRun
from course.show.playground_settings import (
    DATASETS,
    LOSS_NAMES,
    MAX_BATCH,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_NOISE,
    REGULARIZATIONS,
    PlaygroundSettings,
    checked_settings,
    number_from_text,
)
from course.show.playground_svg import (
    COLUMN_PITCH,
    LEGEND,
    NEURON_SIZE,
    boundary_svg,
    diagram_svg,
    loss_svg,
)
from course.show.widget_parts import MessageLine, shows_errors

__all__ = [
    "DATASETS", "FIGURE_SIZE", "NUMPY_ACTIVATIONS", "Playground", "PlaygroundRun",
    "PlaygroundSettings", "network_as_arrays", "numpy_scores",
]

LR_CHOICES = ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]
RATE_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
DEFAULT_NEURONS = 4  # the size of a newly added layer
REDRAW_SECONDS = 0.08  # while playing, redraw this often: above ten pictures a second
EPOCH_ALLOWANCE = 0.02  # redraw this much early: the epoch under way ends after the due time
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
        settings = checked_settings(settings)
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
        except (TypeError, ValueError) as error:
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
        self._show_buttons(playing=True)  # before the thread starts: it may end at once
        self._thread.start()

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
        """Measure the losses and redraw the pictures and the numbers."""
        with self._lock:
            run = self.run
            train_loss, test_loss = run.measure()
            layers = network_as_arrays(run.model)  # a snapshot: training may go on meanwhile
        pictures = boundary_svg(run, layers) + loss_svg(run, LOSS_NAMES[run.settings.loss])
        diagram = diagram_svg(run, layers)
        self.image.value = f"<div style='display:flex;flex-wrap:wrap;gap:8px'>{pictures}</div>"
        self.diagram.value = diagram
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
        last_draw = time.monotonic()  # each redraw also measures: a point on the loss curves
        pause_between_draws = self.redraw_seconds
        try:
            while not self._stop.is_set():
                with self._lock:
                    trained = self.run.train_epoch()
                    epoch = self.run.epoch
                if not trained:
                    self.message.show(self.run.diverged_message, error=True)
                    break
                if epoch >= self._play_until:
                    self.message.show(f"Paused by itself at epoch {epoch}. Press Play to go on.")
                    break
                if time.monotonic() - last_draw >= pause_between_draws - EPOCH_ALLOWANCE:
                    started = time.monotonic()
                    self.refresh()
                    # Spend at least twice as long training as drawing (a slow machine).
                    pause_between_draws = max(self.redraw_seconds,
                                              2 * (time.monotonic() - started))
                    last_draw = started
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
        self.image = widgets.HTML()  # the boundary and the loss curves (SVG)
        self.diagram = widgets.HTML()  # the network, every neuron as a map (SVG)
        self.neuron_buttons = widgets.HBox()  # + and − above each hidden layer of the diagram
        self.legend = widgets.HTML(f"<div style='max-width:560px;font-size:12px;"
                                   f"line-height:1.35;color:{INFO_COLOUR}'>{LEGEND}</div>")
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
            return widgets.HTML(f"<b style='color:{INFO_COLOUR}'>{text}</b>")

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
        self.image.add_class("course-pictures")
        self.diagram.add_class("course-network")
        network_view = widgets.VBox([self.neuron_buttons, self.diagram, self.legend],
                                    layout=widgets.Layout(margin="0 12px 0 0"))
        pictures = widgets.HBox([network_view, self.image],
                                layout=widgets.Layout(flex_flow="row wrap"))
        return [toolbar, controls, self.loss_label, pictures, self.message, setup]

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
        self._show_neuron_buttons(layers)
        count = len(layers)
        self.layers_label.value = ("no hidden layer: a linear model" if count == 0
                                   else f"{count} hidden layer{'s' if count > 1 else ''}")
        self.add_layer_button.disabled = count >= MAX_LAYERS
        self.remove_layer_button.disabled = count == 0

    def _settings_from_controls(self) -> PlaygroundSettings:
        """Read the controls; a TypeError or ValueError says which one holds something unusable."""
        return PlaygroundSettings(
            dataset=self.dataset.value,
            noise=round(float(self.noise.value), 4),
            train_percent=self.train_percent.value,
            batch_size=self.batch_size.value,
            lr=number_from_text(self.lr_text.value.strip(), "learning rate"),
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
        except (TypeError, ValueError) as error:
            self.message.show(f"{error}. Until that is fixed, the playground keeps its last "
                              f"good settings.", error=True)
            return
        self._apply(settings)

    def _show_neuron_buttons(self, layers: tuple[int, ...]) -> None:
        """A + and a − button above each hidden layer's column of the diagram."""
        groups: list[widgets.Widget] = [widgets.Box(layout=widgets.Layout(
            width=f"{20 + COLUMN_PITCH + NEURON_SIZE // 2 - COLUMN_PITCH // 2}px"))]
        for i, width in enumerate(layers):
            more = widgets.Button(description="+", tooltip=f"one more neuron in layer {i + 1}",
                                  disabled=width >= MAX_NEURONS,
                                  layout=widgets.Layout(width="32px", padding="0"))
            fewer = widgets.Button(description="−", tooltip=f"one neuron less in layer {i + 1}",
                                   disabled=width <= 1,
                                   layout=widgets.Layout(width="32px", padding="0"))
            more.on_click(lambda _, i=i: self._change_neurons(i, +1))
            fewer.on_click(lambda _, i=i: self._change_neurons(i, -1))
            more.add_class("course-more-neurons")
            fewer.add_class("course-fewer-neurons")
            groups.append(widgets.HBox([fewer, more], layout=widgets.Layout(
                width=f"{COLUMN_PITCH}px", justify_content="center")))
        self.neuron_buttons.children = groups

    @shows_errors
    def _change_neurons(self, layer: int, change: int) -> None:
        """Add (+1) or remove (−1) a neuron in hidden layer ``layer`` (0 = the first)."""
        box = self.neuron_inputs[layer]
        box.value = min(max(box.value + change, 1), MAX_NEURONS)  # resets, as typing would
        self._show_neuron_buttons(tuple(b.value for b in self.neuron_inputs))

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
