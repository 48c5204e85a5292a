"""Tensor: the engine of `engine.py` on NumPy arrays, so a whole batch is one node.

Every operation records two things on its result, as `Value` does:

* ``children`` -- the Tensors it was computed from, in order, and
* ``backward_fns`` -- for each child, its local backward: a function that takes the gradient
  of the result and returns that child's share of it.

``backward()`` walks one topological order from the output back to the leaves and applies the
chain rule one edge at a time::

    child.grad += backward_fn(node.grad)

For a scalar, the local backward is ``local_grad * node.grad``. For arrays the local
derivative is a whole Jacobian matrix that nobody builds: each operation writes down what
multiplying by it comes to (for a matrix product, another matrix product). The functions refer
to the children's numbers, never to the result, so the graph has no reference cycles.

Broadcasting (``X @ W + b`` with ``b`` of shape (n,)) uses one number in many places, so its
gradient is the sum over those places: ``unbroadcast`` adds the gradient up over the broadcast
axes. Data is float64 throughout, as in the scalar engine.

Two things the scalar engine does not need, both as in PyTorch. ``grad`` is None until a
gradient arrives: the first one is stored, later ones are added (leaves keep adding across
passes; ``zero_grad()`` sets None again). And a leaf made with ``requires_grad=False`` (data,
and the numbers an operation wraps, as in ``1.0 - t``) gets no gradient: ``backward()`` skips
it, and so never computes a gradient nobody uses (for the input batch, a matrix product).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

from course.engine import Value

Backward = Callable[[np.ndarray], np.ndarray]
Axis = int | tuple[int, ...] | None


def _as_array(data: object, what: str = "Tensor(data)") -> np.ndarray:
    """``data`` as a fresh float64 array, or a TypeError that says what was wrong."""
    if isinstance(data, Tensor):
        raise TypeError(f"{what} takes numbers, got a Tensor: use the Tensor itself, or t.data.")
    array = np.asarray(data)
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(
            f"{what} takes real numbers (floats, or ints, which become floats), got "
            f"{type(data).__name__} of dtype {array.dtype}. Values or strings are not numbers: "
            f"use v.data or float(s)."
        )
    return np.array(array, dtype=np.float64)


def _as_tensor(x: Tensor | float | np.ndarray) -> Tensor:
    """Wrap a constant (number or array) so it can take part in an operation with Tensors."""
    return x if isinstance(x, Tensor) else Tensor(x, requires_grad=False)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` back down to ``shape``: over the axes broadcasting added or stretched."""
    if grad.shape == shape:
        return grad
    if grad.ndim > len(shape):
        grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))  # axes added on the left
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad  # size-1 axes stretched


def _broadcast(op: str, combine: Callable, a: Tensor, b: Tensor) -> np.ndarray:
    """``combine(a.data, b.data)``; if the shapes cannot broadcast, a ValueError naming both."""
    try:  # NumPy checks the shapes as it goes: nothing to check before
        return combine(a.data, b.data)
    except ValueError:
        raise ValueError(
            f"{op} cannot combine shapes {a.shape} and {b.shape}: broadcasting lines the shapes "
            f"up from the right, and each pair of sizes must be equal or 1. Check which axis is "
            f"the batch (rows) and which the features (columns)."
        ) from None


def _axes(axis: Axis, ndim: int, op: str) -> tuple[int, ...]:
    """``axis`` as a tuple of non-negative axes (all of them for None), checked against ndim."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    for a in axes:
        if not isinstance(a, numbers.Integral) or not -ndim <= a < ndim:
            raise ValueError(f"{op}(axis={axis!r}) on a tensor with {ndim} axes: "
                             f"axis must be a whole number from {-ndim} to {ndim - 1}.")
    return tuple(sorted(int(a) % ndim for a in axes))


def _spread(grad: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """The gradient of a reduction over ``axes`` copied back to every element it read."""
    if len(axes) == len(shape):  # a reduction to one number: every element gets it
        return np.full(shape, grad)
    kept = tuple(1 if i in axes else size for i, size in enumerate(shape))  # as keepdims=True
    return np.broadcast_to(np.reshape(grad, kept), shape)


class Tensor:
    """An array in a computation, with the gradient of the final output with respect to it."""

    __slots__ = ("data", "grad", "label", "children", "backward_fns", "op", "requires_grad")
    __array_ufunc__ = None  # np.tanh(t) raises, 2.0 * t uses Tensor.__rmul__

    def __init__(
        self,
        data: object,
        label: str = "",
        children: tuple[Tensor, ...] = (),
        backward_fns: tuple[Backward, ...] = (),
        op: str = "",
        requires_grad: bool = True,
    ) -> None:
        if children:  # an operation's result: already a new float64 array, or a NumPy number
            data = data if type(data) is np.ndarray else np.asarray(data, dtype=np.float64)
        else:  # a leaf: a copy, so updating it never changes the caller's array
            data = _as_array(data)
        if requires_grad is not True and requires_grad is not False:
            raise TypeError(f"requires_grad is True or False, got {requires_grad!r}: "
                            f"Tensor(X, requires_grad=False) for data that needs no gradient.")
        if len(children) != len(backward_fns):
            raise ValueError(f"give one backward function per child: got {len(children)} "
                             f"children and {len(backward_fns)} backward_fns.")
        self.data = data
        self.grad = None  # no gradient yet: backward() sets it
        self.label = label
        self.children = children  # the Tensors this one was computed from, in order
        self.backward_fns = backward_fns  # grad of self -> grad of each child, same order
        self.op = op  # the operation's name ("" for a leaf)
        self.requires_grad = requires_grad  # False for data and constants: backward skips them

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def item(self) -> float:
        """The number of a one-element tensor (a loss), as a Python float."""
        return self.data.item()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Tensor(shape={self.shape}{label})\n{np.array2string(self.data, precision=4)}"

    # --- arithmetic, with broadcasting -------------------------------------------------------

    def __add__(self, other: Tensor | float) -> Tensor:
        other = _as_tensor(other)
        a, b = self.data, other.data
        # d(a+b)/da = 1, d(a+b)/db = 1: the gradient passes through, summed where broadcast
        return Tensor(_broadcast("+", np.add, self, other), children=(self, other), op="+",
                      backward_fns=(lambda g: unbroadcast(g, a.shape),
                                    lambda g: unbroadcast(g, b.shape)))

    def __sub__(self, other: Tensor | float) -> Tensor:
        other = _as_tensor(other)
        a, b = self.data, other.data
        # d(a-b)/da = 1, d(a-b)/db = -1
        return Tensor(_broadcast("-", np.subtract, self, other), children=(self, other), op="-",
                      backward_fns=(lambda g: unbroadcast(g, a.shape),
                                    lambda g: unbroadcast(-g, b.shape)))

    def __mul__(self, other: Tensor | float) -> Tensor:
        other = _as_tensor(other)
        a, b = self.data, other.data
        # d(a*b)/da = b, d(a*b)/db = a, element by element
        return Tensor(_broadcast("*", np.multiply, self, other), children=(self, other), op="*",
                      backward_fns=(lambda g: unbroadcast(g * b, a.shape),
                                    lambda g: unbroadcast(g * a, b.shape)))

    def __truediv__(self, other: Tensor | float) -> Tensor:
        other = _as_tensor(other)
        a, b = self.data, other.data
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 gives inf or nan, as Value
            quotient = _broadcast("/", np.divide, self, other)
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2 = -(a/b)/b
        return Tensor(quotient, children=(self, other), op="/", backward_fns=(
            lambda g: unbroadcast(g / b, a.shape),
            lambda g: unbroadcast(-g * quotient / b, b.shape)))

    def __neg__(self) -> Tensor:
        # d(-a)/da = -1
        return Tensor(-self.data, children=(self,), backward_fns=(lambda g: -g,), op="neg")

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"** takes a plain number as the exponent (t ** 2), "
                            f"got {type(exponent).__name__}.")
        n, a = float(exponent), self.data
        # d(a**n)/da = n * a**(n-1); 0 for n = 0 (the result is the constant 1)
        return Tensor(a**n, children=(self,), op=f"**{n:g}", backward_fns=(
            lambda g: g * (n * a ** (n - 1) if n != 0 else 0.0),))

    # The same operations with a plain number or array on the left: 1 - t, 2 * t, 1 / t.
    def __radd__(self, other: float) -> Tensor:
        return _as_tensor(other) + self

    def __rsub__(self, other: float) -> Tensor:
        return _as_tensor(other) - self

    def __rmul__(self, other: float) -> Tensor:
        return _as_tensor(other) * self

    def __rtruediv__(self, other: float) -> Tensor:
        return _as_tensor(other) / self

    # --- the matrix product -----------------------------------------------------------------

    def __matmul__(self, other: Tensor | np.ndarray) -> Tensor:
        other = _as_tensor(other)
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"@ takes two matrices (2-D), got shapes {self.shape} and "
                             f"{other.shape}: reshape a row to (1, n), a column to (n, 1).")
        if self.shape[1] != other.shape[0]:
            raise ValueError(
                f"@ cannot multiply shapes {self.shape} and {other.shape}: the inner sizes "
                f"{self.shape[1]} and {other.shape[0]} must be equal (columns of the left = "
                f"rows of the right). Transpose one of them?")
        A, B = self.data, other.data
        # C = A @ B, C[i,j] = sum_k A[i,k] B[k,j], so dL/dA[i,k] = sum_j G[i,j] B[k,j] and
        # dL/dB[k,j] = sum_i A[i,k] G[i,j]: dL/dA = G @ B.T and dL/dB = A.T @ G
        return Tensor(A @ B, children=(self, other), op="@", backward_fns=(
            lambda g: g @ B.T, lambda g: A.T @ g))

    # --- functions, element by element -------------------------------------------------------

    def exp(self) -> Tensor:
        with np.errstate(over="ignore"):  # too large gives inf, as Value
            out = np.exp(self.data)
        # d(e^a)/da = e^a
        return Tensor(out, children=(self,), backward_fns=(lambda g: g * out,), op="exp")

    def log(self) -> Tensor:
        a = self.data
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, log(-1) = nan
            out = np.log(a)
        # d(ln a)/da = 1/a
        return Tensor(out, children=(self,), backward_fns=(lambda g: g / a,), op="log")

    def tanh(self) -> Tensor:
        t = np.tanh(self.data)
        # d(tanh a)/da = 1 - tanh(a)**2
        return Tensor(t, children=(self,), backward_fns=(lambda g: g * (1.0 - t * t),), op="tanh")

    def sigmoid(self) -> Tensor:
        s = 0.5 * (1.0 + np.tanh(0.5 * self.data))  # = 1/(1 + e^-a), and never overflows
        # d(sigmoid a)/da = s * (1 - s)
        return Tensor(s, children=(self,), backward_fns=(lambda g: g * s * (1.0 - s),),
                      op="sigmoid")

    def relu(self) -> Tensor:
        positive = self.data > 0
        # relu(a) = max(a, 0); slope 1 where a > 0, else 0 (0 at a = 0, as Value and PyTorch)
        return Tensor(np.maximum(self.data, 0.0), children=(self,), op="relu",  # nan stays nan
                      backward_fns=(lambda g: g * positive,))

    # --- reductions --------------------------------------------------------------------------

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        axes, shape = _axes(axis, self.ndim, "sum"), self.shape
        out = self.data.sum(axis=axes, keepdims=keepdims)
        # every element read adds 1 x its value: each gets the gradient of the sum it went into
        return Tensor(out, children=(self,), op="sum", backward_fns=(
            lambda g: _spread(g, shape, axes),))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        axes, shape = _axes(axis, self.ndim, "mean"), self.shape
        count = math.prod(shape[a] for a in axes)  # how many numbers each mean reads
        out = self.data.mean(axis=axes, keepdims=keepdims)
        # mean = sum / count: each element read gets the gradient of its mean, divided by count
        return Tensor(out, children=(self,), op="mean", backward_fns=(
            lambda g: _spread(g / count, shape, axes),))

    # --- shapes and indexing -------------------------------------------------------------------

    def reshape(self, *shape: int) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            out = self.data.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape cannot turn shape {self.shape} ({self.data.size} numbers) "
                             f"into {shape}: the sizes must multiply to the same count.") from None
        old = self.shape
        # the same numbers in a new arrangement: the gradient goes back to the old one
        return Tensor(out, children=(self,), backward_fns=(lambda g: g.reshape(old),),
                      op="reshape")

    def transpose(self, axes: Sequence[int] | None = None) -> Tensor:
        order = tuple(reversed(range(self.ndim))) if axes is None else tuple(axes)
        if sorted(order) != list(range(self.ndim)):
            raise ValueError(f"transpose(axes={axes!r}) on shape {self.shape}: give each of "
                             f"the axes 0..{self.ndim - 1} once.")
        back = tuple(np.argsort(order))
        # the same numbers, axes swapped: the gradient is swapped back
        return Tensor(self.data.transpose(order), children=(self,), op="transpose",
                      backward_fns=(lambda g: g.transpose(back),))

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def __getitem__(self, index: object) -> Tensor:
        if isinstance(index, Tensor):
            raise TypeError("index with ints, slices or an int array (e.g. labels), not a Tensor")
        out = self.data[index]
        shape = self.shape

        def backward_fn(g: np.ndarray) -> np.ndarray:
            # each element picked gets its gradient; a row picked twice gets both (add.at)
            full = np.zeros(shape)
            np.add.at(full, index, g)
            return full

        return Tensor(np.array(out), children=(self,), backward_fns=(backward_fn,), op="[]")

    # --- classification ------------------------------------------------------------------------

    def log_softmax(self, axis: int = -1) -> Tensor:
        z = self.data
        shifted = z - z.max(axis=axis, keepdims=True)  # the largest score becomes 0: no overflow
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        probs = np.exp(out)
        # out_i = z_i - log(sum_j e^z_j), so d out_i / d z_k = [i = k] - p_k and
        # dL/dz_k = g_k - p_k * sum_i g_i
        return Tensor(out, children=(self,), op="log_softmax", backward_fns=(
            lambda g: g - probs * g.sum(axis=axis, keepdims=True),))

    # --- backpropagation -----------------------------------------------------------------------

    # Every node this one depends on, each after its children: the very walk of Value's, which
    # reads nothing but ``children``.
    topological_order = Value.topological_order

    def backward(self, grad: object = None) -> None:
        """Fill in ``grad`` of every Tensor this one depends on: d(self)/d(that tensor)."""
        # A one-number output (a loss) seeds itself with 1; any other needs ``grad``, of its own
        # shape. Leaves accumulate, as in Value; results get this pass's gradient afresh. No
        # gradient is ever changed in place, so sharing an array between results is safe.
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a one-number output (a loss), but "
                    f"this tensor has shape {self.shape}. Reduce it first (t.sum(), t.mean()) "
                    f"or pass the gradient: t.backward(np.ones({self.shape})).")
            grad = np.ones_like(self.data)
        else:
            grad = _as_array(grad, "backward(grad)")
            if grad.shape != self.shape:
                raise ValueError(f"backward(grad) needs grad of the tensor's shape {self.shape}, "
                                 f"got {grad.shape}.")
        order = self.topological_order()
        for node in order:
            if node.children:
                node.grad = None
        self.grad = grad if self.grad is None else self.grad + grad  # d(self)/d(self), or the seed
        for node in reversed(order):  # from the output back towards the leaves
            for child, backward_fn in zip(node.children, node.backward_fns):
                if not child.requires_grad:
                    continue  # data or a constant: nobody asks for its gradient
                grad = backward_fn(node.grad)
                if getattr(grad, "shape", ()) != child.data.shape:  # () for a plain float
                    raise _wrong_gradient_shape(node, child, grad)
                if child.grad is None:  # the first gradient to reach it (a leaf keeps a copy)
                    child.grad = grad if child.children else np.array(grad, dtype=np.float64)
                else:  # chain rule, one edge at a time: every later path adds its share
                    child.grad = child.grad + grad


def _wrong_gradient_shape(node: Tensor, child: Tensor, grad: object) -> ValueError:
    return ValueError(
        f"the backward function of {node.op or 'an operation'} returned a gradient of shape "
        f"{np.shape(grad)} for an input of shape {child.shape}: a gradient has the shape of "
        f"what it is the gradient of. Sum over broadcast axes, or spread a reduction back.")


def cross_entropy(logits: Tensor, labels: Sequence[int] | np.ndarray) -> Tensor:
    """The mean over the rows of -log(softmax(row)[label]): logits (n, k), labels n class ids."""
    labels = np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy takes logits of shape (n, classes), got {logits.shape}")
    if labels.dtype.kind not in "iu" or labels.shape != (logits.shape[0],):
        raise ValueError(f"cross_entropy needs one int class id per row of logits "
                         f"{logits.shape}, got labels of shape {labels.shape}, dtype "
                         f"{labels.dtype}. Pass ints, e.g. y.astype(int).")
    if labels.min() < 0 or labels.max() >= logits.shape[1]:
        raise ValueError(f"cross_entropy labels must be class ids 0..{logits.shape[1] - 1} "
                         f"for logits {logits.shape}, got {labels.min()}..{labels.max()}")
    picked = logits.log_softmax(axis=1)[np.arange(len(labels)), labels]
    return -picked.mean()


# ----------------------------------------------------------------------------------------------
# The MLP of course.nn, one matrix per layer
# ----------------------------------------------------------------------------------------------

ACTIVATIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "tanh": Tensor.tanh, "relu": Tensor.relu, "sigmoid": Tensor.sigmoid, "linear": lambda t: t,
}


class MLP:
    """``act(X @ W + b)`` layer after layer: course.nn.MLP's network on a whole batch at once."""

    # Layer i: W of shape (nin, nout), one column per neuron, and b of shape (nout,).
    # MLP.from_scalar(model) copies a scalar model's weights: the same outputs and gradients.

    def __init__(self, layers: Sequence[tuple[np.ndarray, np.ndarray]],
                 activations: Sequence[str]) -> None:
        if len(layers) != len(activations):
            raise ValueError(f"give one activation per layer: {len(layers)} layers, "
                             f"{len(activations)} activations")
        for name in activations:
            if name not in ACTIVATIONS:
                raise ValueError(f"activation {name!r}: the tensor MLP knows {list(ACTIVATIONS)}")
        self.layers = [(Tensor(W, label=f"W{i}"), Tensor(b, label=f"b{i}"))
                       for i, (W, b) in enumerate(layers)]
        for i, (W, b) in enumerate(self.layers):
            if W.ndim != 2 or b.shape != (W.shape[1],):
                raise ValueError(f"layer {i}: W must be (nin, nout) and b (nout,), got "
                                 f"{W.shape} and {b.shape}")
        self.activations = list(activations)

    @classmethod
    def from_scalar(cls, model: object) -> MLP:
        """The same network as a ``course.nn.MLP``: its weights copied into matrices."""
        layers = [(np.array([[w.data for w in n.w] for n in layer.neurons]).T,
                   np.array([n.b.data for n in layer.neurons])) for layer in model.layers]
        return cls(layers, [layer.activation for layer in model.layers])

    def __call__(self, X: Tensor | np.ndarray) -> Tensor:
        out = _as_tensor(X)
        for (W, b), name in zip(self.layers, self.activations):
            out = ACTIVATIONS[name](out @ W + b)
        return out

    def parameters(self) -> list[Tensor]:
        """The weight matrices and bias vectors, layer by layer: W0, b0, W1, b1, ..."""
        return [t for layer in self.layers for t in layer]

    def zero_grad(self) -> None:
        """Forget the gradients (None: the next backward() sets them), as PyTorch does."""
        for p in self.parameters():
            p.grad = None

    def __repr__(self) -> str:
        sizes = " -> ".join([str(self.layers[0][0].shape[0])]
                            + [str(W.shape[1]) for W, _ in self.layers])
        return f"MLP({sizes}, {', '.join(self.activations)}; tensors)"
