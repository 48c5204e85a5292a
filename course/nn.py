"""Neural network building blocks on top of the scalar engine: neurons, layers and an MLP.

Everything here is a :class:`Module`: it holds some parameters (leaf Values), can list them with
``parameters()`` and can be called on an input to build part of a computation graph.

One convention for the shape of inputs and outputs runs through the whole file:

* ``module(x)`` runs **one example**. ``x`` is a row of numbers: a list, a NumPy row, or a list
  of Values (a module with a single input also takes a bare number).
* ``module.forward_batch(rows)`` runs a list of examples and returns one output per example.
  For every module except :class:`BatchNorm` this is just ``[module(x) for x in rows]``;
  BatchNorm needs the whole batch at once in training mode, to compute its statistics.
* A module that produces one number returns a single Value; wider outputs are lists of Values.

Parameters are labelled (``"L1.n3.w0"`` = layer 1, neuron 3, weight 0, all counted from 0) so
that graph drawings can show which number is which.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from course import checks
from course.engine import Value, weighted_sum
from course.seeding import make_rng

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,  # negative slope 0.01
    "gelu": Value.gelu,
    "sigmoid": Value.sigmoid,
    "linear": lambda v: v,  # no squashing: the weighted sum itself
}


# ----------------------------------------------------------------------------------------------
# Small helpers shared by the modules
# ----------------------------------------------------------------------------------------------


def activation_function(name: str) -> Callable[[Value], Value]:
    """The function a neuron applies to its weighted sum, looked up by name."""
    return ACTIVATIONS[checks.one_of(name, "activation", list(ACTIVATIONS))]


def as_inputs(x: object, expected: int | None, owner: str) -> list[Value]:
    """One example as a list of Values, checking that it has ``expected`` numbers.

    Numbers become new (constant) Values; Values are kept, so gradients can flow into them.
    ``expected=None`` accepts any length.
    """
    if isinstance(x, (Value, numbers.Real)):
        items: list = [x]
    elif isinstance(x, np.ndarray):
        if x.ndim > 1:
            raise ValueError(f"{owner} takes one example at a time, got an array of shape "
                             f"{x.shape}; {BATCH_HINT}")
        items = x.reshape(-1).tolist()  # plain Python floats are the fastest to wrap
    elif isinstance(x, (list, tuple)) or (isinstance(x, Iterable) and not isinstance(x, str)):
        items = list(x)
        if items and isinstance(items[0], (list, tuple, np.ndarray)):  # a batch of rows
            raise ValueError(f"{owner} takes one example at a time, got a list of rows; "
                             + BATCH_HINT)
    else:
        raise TypeError(f"{owner} takes one example: a list of numbers (or Values), got "
                        f"{checks.describe(x)}")
    if expected is not None and len(items) != expected:
        plural = "input" if expected == 1 else "inputs"
        raise ValueError(f"{owner} expects {expected} {plural}, got {len(items)}")
    return [v if isinstance(v, Value) else Value(v) for v in items]


def _unwrap(values: list[Value]) -> Value | list[Value]:
    """A single Value for one output, the list otherwise (so a 1-output model returns a Value)."""
    return values[0] if len(values) == 1 else values


def _as_list(output: Value | list[Value]) -> list[Value]:
    return [output] if isinstance(output, Value) else list(output)


BATCH_HINT = "for a batch use forward_batch(rows) or [model(x) for x in rows]"


def _check_size(n: object, what: str) -> int:
    return checks.whole_number(n, what, low=1)


def _check_parameter_count(count: int, what: str) -> None:
    """Refuse at once a module too big for a scalar engine, before building any of it."""
    if count > checks.MAX_PARAMETERS:
        raise ValueError(
            f"{what} would have {count:,} parameters, more than the {checks.MAX_PARAMETERS:,} "
            f"allowed ({checks.SIZE_REASON}). Use smaller layers."
        )


def _prefix_labels(module: Module, prefix: str) -> None:
    for p in module.parameters():
        p.label = prefix + p.label


# ----------------------------------------------------------------------------------------------
# Module: what every building block has in common
# ----------------------------------------------------------------------------------------------


class Module:
    """Base class of every building block: parameters, gradients and the train/eval switch.

    ``training`` is True by default. ``eval()`` switches a module and all its submodules to
    evaluation mode, where Dropout does nothing and BatchNorm uses its running statistics;
    ``train()`` switches back.
    """

    training: bool = True

    def __call__(self, x: object) -> Value | list[Value]:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")

    def forward_batch(self, rows: Sequence) -> list:
        """Run every example of a batch; returns one output per row."""
        return [self(x) for x in rows]

    def submodules(self) -> list[Module]:
        """The modules directly inside this one (none for a Neuron)."""
        return []

    def parameters(self) -> list[Value]:
        """Every trainable Value of this module, in a fixed order."""
        return [p for m in self.submodules() for p in m.parameters()]

    def num_parameters(self) -> int:
        return len(self.parameters())

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (backward() adds to it, it doesn't overwrite)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Switch this module and everything inside it to training mode (or eval if False)."""
        self.training = mode
        for m in self.submodules():
            m.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode: what you want when measuring or using the model."""
        return self.train(False)


# ----------------------------------------------------------------------------------------------
# Neuron, Layer, Sequential, MLP
# ----------------------------------------------------------------------------------------------


class Neuron(Module):
    """activation(w0*x0 + w1*x1 + ... + b): a weighted sum of the inputs, then a squashing.

    Weights start uniform in [-1, 1] and the bias at 0, as in micrograd, so the learning rates
    of its demos carry over. For the small layers of this course (up to a few dozen inputs)
    that scale is fine; in much wider layers the sum grows like sqrt(nin) and would saturate
    tanh, which is why larger libraries scale the initial weights by 1/sqrt(nin).

    The weighted sum is one engine node (``weighted_sum``) rather than a chain of ``*`` and
    ``+``: the same numbers and gradients, about ten times fewer nodes to build and walk.

    ``seed`` or ``rng`` (a ``random.Random``) fixes the initial weights; with neither they come
    from the course's shared generator (``course.seeding.manual_seed`` restarts it).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.nin = _check_size(nin, "nin (the number of inputs)")
        _check_parameter_count(self.nin + 1, f"Neuron({self.nin})")
        self.activation = activation
        self._activate = activation_function(activation)
        rng = make_rng(seed, rng)
        self.w = [Value(rng.uniform(-1.0, 1.0), label=f"w{i}") for i in range(self.nin)]
        self.b = Value(0.0, label="b")

    def __call__(self, x: object) -> Value:
        return self.forward(as_inputs(x, self.nin, "Neuron"))

    def forward(self, x: list[Value]) -> Value:
        """The neuron on inputs that are already a checked list of Values."""
        return self._activate(weighted_sum(self.w, x, self.b))

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.nin} inputs, {self.activation})"


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs; one output per neuron."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.nin = _check_size(nin, "nin (the number of inputs)")
        self.nout = _check_size(nout, "nout (the number of neurons)")
        _check_parameter_count((self.nin + 1) * self.nout, f"Layer({self.nin}, {self.nout})")
        activation_function(activation)  # fail early on a bad name
        self.activation = activation
        rng = make_rng(seed, rng)  # one generator for all neurons, so they start different
        self.neurons = [Neuron(self.nin, activation, rng=rng) for _ in range(self.nout)]
        for j, neuron in enumerate(self.neurons):
            _prefix_labels(neuron, f"n{j}.")

    def __call__(self, x: object) -> Value | list[Value]:
        inputs = as_inputs(x, self.nin, "Layer")  # converted once, shared by all neurons
        return _unwrap([neuron.forward(inputs) for neuron in self.neurons])

    def submodules(self) -> list[Module]:
        return list(self.neurons)

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {self.activation})"


class Sequential(Module):
    """Modules applied one after the other: the output of each is the input of the next."""

    def __init__(self, *modules: Module) -> None:
        if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
            raise TypeError("Sequential takes the modules one by one, not a list: "
                            "Sequential(*modules) or Sequential(layer1, layer2)")
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for m in modules:
            if not isinstance(m, Module):
                raise TypeError(f"Sequential takes Modules, got {checks.describe(m)}")
        self.modules = list(modules)

    def __call__(self, x: object) -> Value | list[Value]:
        for module in self.modules:
            x = module(x)
        return x

    def forward_batch(self, rows: Sequence) -> list:
        for module in self.modules:
            rows = module.forward_batch(rows)
        return rows

    def submodules(self) -> list[Module]:
        return list(self.modules)

    def __repr__(self) -> str:
        inside = "".join(f"\n  {m!r}," for m in self.modules)
        return f"{type(self).__name__}({inside}\n)"


class MLP(Sequential):
    """A multi-layer perceptron: fully connected layers, one after the other.

    ``MLP(3, [4, 4, 1])`` takes 3 inputs, has two hidden layers of 4 neurons and 1 output.

    Hidden layers use ``activation``. The last layer uses ``output_activation``, which by
    default is tanh when ``activation`` is tanh and linear otherwise. So ``MLP(3, [4, 4, 1])``
    is tanh everywhere (outputs in [-1, 1], right for targets of +-1) and
    ``MLP(2, [16, 16, 1], activation="relu")`` ends in a plain weighted sum, a score that can
    be any number (a ReLU output could never be negative).

    ``seed`` or ``rng`` fixes the initial weights (default: the course's shared generator).
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        *,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.nin = _check_size(nin, "nin (the number of inputs)")
        if isinstance(nouts, str) or not isinstance(nouts, (Sequence, np.ndarray)):
            raise TypeError(
                f"nouts is a list of layer sizes, the last one the number of outputs, e.g. "
                f"MLP({self.nin}, [16, 16, 1]); got {checks.describe(nouts)}"
            )
        if len(nouts) == 0:
            raise ValueError(f"nouts needs at least one layer size, e.g. MLP({self.nin}, [1])")
        nouts = [_check_size(n, f"nouts[{i}] (a layer size)") for i, n in enumerate(nouts)]
        sizes = [self.nin, *nouts]
        count = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))
        _check_parameter_count(count, f"MLP({self.nin}, {nouts})")
        activation_function(activation)  # fail early on a bad name
        if output_activation is None:
            output_activation = "tanh" if activation == "tanh" else "linear"
        activation_function(output_activation)

        rng = make_rng(seed, rng)
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            is_last = i == len(nouts) - 1
            layer = Layer(n_in, n_out, output_activation if is_last else activation, rng=rng)
            _prefix_labels(layer, f"L{i}.")
            layers.append(layer)
        super().__init__(*layers)
        self.activation = activation
        self.output_activation = output_activation

    @property
    def layers(self) -> list[Layer]:
        return self.modules

    def __call__(self, x: object) -> Value | list[Value]:
        return super().__call__(as_inputs(x, self.nin, "MLP"))

    def forward_batch(self, rows: Sequence) -> list:
        return [self(x) for x in rows]  # layers work per example, so this is all it takes

    def __repr__(self) -> str:
        sizes = [layer.nout for layer in self.layers]
        if self.output_activation == self.activation:
            acts = self.activation
        else:
            acts = f"{self.activation} hidden, {self.output_activation} output"
        return f"MLP({self.nin} -> {sizes}, {acts}; {self.num_parameters()} parameters)"


# ----------------------------------------------------------------------------------------------
# Regularisation and deeper-network helpers: Dropout, BatchNorm, Residual
# ----------------------------------------------------------------------------------------------


class Dropout(Module):
    """During training, zero each input with probability ``p`` and scale the rest by 1/(1-p).

    Zeroing random units keeps the network from relying on any single one of them. The
    scaling ("inverted dropout") keeps the expected value of every output equal to its input,
    so in evaluation mode, where Dropout passes its input through untouched, the next layer
    sees numbers of the same size.
    """

    def __init__(
        self, p: float = 0.5, *, seed: int | None = None, rng: random.Random | None = None
    ) -> None:
        self.p = checks.fraction(p, "Dropout probability p")
        self.rng = make_rng(seed, rng)

    def __call__(self, x: object) -> Value | list[Value]:
        if not self.training or self.p == 0.0:
            return x
        keep_scale = 1.0 / (1.0 - self.p)
        inputs = as_inputs(x, None, "Dropout")
        masks = [0.0 if self.rng.random() < self.p else keep_scale for _ in inputs]
        return _unwrap([v * mask for v, mask in zip(inputs, masks)])

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"


class BatchNorm(Module):
    """Normalise each feature over a batch to mean 0 and variance 1, then scale and shift.

    For feature j: ``gamma_j * (x_j - mean_j) / sqrt(var_j + eps) + beta_j``, where gamma and
    beta are learned (starting at 1 and 0). Keeping every layer's inputs at a steady scale
    makes deeper networks easier to train.

    In training mode the mean and variance come from the batch itself, so BatchNorm must see
    the whole batch: use ``forward_batch(rows)``. It also keeps running averages of them
    (``running = (1 - momentum) * running + momentum * batch``), which evaluation mode uses
    instead; there ``bn(x)`` on a single example works too. The running variance uses the
    unbiased batch variance (divided by n - 1), as PyTorch does.
    """

    def __init__(self, num_features: int, momentum: float = 0.1, eps: float = 1e-5) -> None:
        self.num_features = _check_size(num_features, "num_features")
        _check_parameter_count(2 * self.num_features, f"BatchNorm({self.num_features})")
        self.momentum = checks.fraction(momentum, "momentum", include_one=True)
        self.eps = checks.positive(eps, "eps")
        self.gamma = [Value(1.0, label=f"gamma{j}") for j in range(self.num_features)]
        self.beta = [Value(0.0, label=f"beta{j}") for j in range(self.num_features)]
        self.running_mean = [0.0] * self.num_features
        self.running_var = [1.0] * self.num_features

    def __call__(self, x: object) -> Value | list[Value]:
        if self.training:
            raise ValueError(
                "BatchNorm needs the whole batch in training mode: call forward_batch(rows), "
                "or switch to evaluation mode with .eval() to normalise single examples"
            )
        inputs = as_inputs(x, self.num_features, "BatchNorm")
        out = []
        for j, v in enumerate(inputs):
            inv_std = 1.0 / math.sqrt(self.running_var[j] + self.eps)
            out.append(self.gamma[j] * ((v - self.running_mean[j]) * inv_std) + self.beta[j])
        return _unwrap(out)

    def forward_batch(self, rows: Sequence) -> list:
        if not self.training:
            return [self(x) for x in rows]
        batch = [as_inputs(x, self.num_features, "BatchNorm") for x in rows]
        n = len(batch)
        if n < 2:
            raise ValueError(f"BatchNorm needs at least 2 examples in training mode, got {n}")

        columns_out = []
        for j in range(self.num_features):
            column = [row[j] for row in batch]
            mean = _sum(column) * (1.0 / n)
            centred = [v - mean for v in column]
            var = _sum([c * c for c in centred]) * (1.0 / n)
            inv_std = (var + self.eps) ** -0.5
            columns_out.append([self.gamma[j] * (c * inv_std) + self.beta[j] for c in centred])

            m = self.momentum
            self.running_mean[j] = (1 - m) * self.running_mean[j] + m * mean.data
            unbiased_var = var.data * n / (n - 1)
            self.running_var[j] = (1 - m) * self.running_var[j] + m * unbiased_var

        return [_unwrap(list(row)) for row in zip(*columns_out)]

    def parameters(self) -> list[Value]:
        return [*self.gamma, *self.beta]

    def __repr__(self) -> str:
        return f"BatchNorm({self.num_features} features)"


class Residual(Module):
    """``x + block(x)``: the block learns a correction to its input instead of a new value.

    The added path lets gradients reach early layers directly, which keeps deep stacks
    trainable. The block must return as many numbers as it takes.
    """

    def __init__(self, block: Module) -> None:
        if not isinstance(block, Module):
            raise TypeError(f"Residual wraps a Module, got {checks.describe(block)}")
        self.block = block

    def __call__(self, x: object) -> Value | list[Value]:
        inputs = as_inputs(x, None, "Residual")
        return self._add(inputs, self.block(_unwrap(inputs)))

    def forward_batch(self, rows: Sequence) -> list:
        batch = [as_inputs(x, None, "Residual") for x in rows]
        outputs = self.block.forward_batch([_unwrap(row) for row in batch])
        return [self._add(row, out) for row, out in zip(batch, outputs)]

    @staticmethod
    def _add(inputs: list[Value], block_output: Value | list[Value]) -> Value | list[Value]:
        outputs = _as_list(block_output)
        if len(outputs) != len(inputs):
            raise ValueError(
                "Residual needs a block that returns as many numbers as it takes: "
                f"got {len(inputs)} in and {len(outputs)} out"
            )
        return _unwrap([a + b for a, b in zip(inputs, outputs)])

    def submodules(self) -> list[Module]:
        return [self.block]

    def __repr__(self) -> str:
        return f"Residual({self.block!r})"


def _sum(values: list[Value]) -> Value:
    """Add up Values without the extra constant node that ``sum()``'s starting 0 would add."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total
