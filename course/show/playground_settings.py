"""The playground's settings: every choice its controls offer, checked, and written to or read
from a short setup string such as ``"dataset=xor; layers=8,8; lr=0.1"`` that a lecturer can
hand to a class.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course.checks import non_negative, one_of, positive, real_number, whole_number
from course.data import make_circles, make_gaussians, make_moons, make_spiral, make_xor
from course.nn import ACTIVATIONS


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
MAX_NOISE = 0.5
MAX_BATCH = 30

# Each setting's key in the setup string (short, so the string fits on one line).
KEYS = {
    "dataset": "dataset", "noise": "noise", "train_percent": "train", "batch_size": "batch",
    "lr": "lr", "activation": "activation", "loss": "loss", "regularization": "reg",
    "rate": "rate", "layers": "layers", "seed": "seed",
}
FIELDS = {key: name for name, key in KEYS.items()}


def number_from_text(text: str, what: str) -> float:
    """A number typed in a text box or a setup string; a ValueError names the box."""
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
        """Return the settings if they are usable; otherwise raise a TypeError (a setting of
        the wrong type) or a ValueError (a value out of range) that says which and why."""
        one_of(self.dataset, "dataset", list(DATASETS))
        one_of(self.activation, "activation", list(ACTIVATIONS))
        one_of(self.loss, "loss", list(LOSS_NAMES))
        one_of(self.regularization, "regularization", list(REGULARIZATIONS))
        real_number(self.noise, "noise", low=0, high=MAX_NOISE)
        whole_number(self.train_percent, "train %", low=10, high=90)
        whole_number(self.batch_size, "batch size", low=1, high=MAX_BATCH)
        positive(self.lr, "learning rate")
        non_negative(self.rate, "regularization rate")
        self._check_layers()
        whole_number(self.seed, "seed", low=0, high=2**31 - 1)
        return self

    def _check_layers(self) -> None:
        if not isinstance(self.layers, tuple):
            raise TypeError(f"layers must be the neuron counts of the hidden layers, e.g. "
                            f"(8, 8); got {self.layers!r}")
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers; got {len(self.layers)}")
        for i, width in enumerate(self.layers, start=1):
            if isinstance(width, numbers.Integral) and width < 1:
                raise ValueError(
                    f"hidden layer {i} has {width} neurons: a layer needs at least 1 "
                    f"(remove the layer instead)"
                )
            whole_number(width, f"neurons in hidden layer {i}", low=1, high=MAX_NEURONS)

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
        return number_from_text(raw, KEYS[field])
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


def checked_settings(settings: object) -> PlaygroundSettings:
    """``settings`` checked (the defaults for None), or a TypeError that names the way in."""
    if settings is None:
        return PlaygroundSettings()
    if isinstance(settings, str):
        raise TypeError("a setup string is read with Playground.from_state(text) or "
                        "PlaygroundSettings.from_string(text)")
    if not isinstance(settings, PlaygroundSettings):
        raise TypeError(f"settings must be PlaygroundSettings, e.g. PlaygroundSettings("
                        f"dataset='xor'); got {type(settings).__name__} {settings!r}")
    return settings.check()
