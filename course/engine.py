"""A scalar autograd engine: `Value` remembers how it was computed, so it can backpropagate.

Every operation records two things on its result:

* ``children`` -- the Values it was computed from, in order, and
* ``local_grads`` -- the derivative of the result with respect to each child.

``backward()`` then walks the graph from the output to the leaves and applies the chain rule
one edge at a time::

    child.grad += local_grad * node.grad

(global gradient of a child = local gradient x upstream gradient). Storing the local
derivatives as numbers, rather than as little functions, keeps the code close to that
formula and keeps the graph free of reference cycles, which makes it fast to build and free.

Numbers follow IEEE floating point the way PyTorch does: an overflow gives ``inf``, an
undefined result gives ``nan``, and Python's ``OverflowError``, ``ZeroDivisionError`` and
"math domain error" never escape. A training run that diverges shows up as inf/nan in the loss.
"""

from __future__ import annotations

import math
import numbers

INF = math.inf
NAN = math.nan
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # constant of GELU's tanh approximation
GELU_CUBIC = 0.044715  # the other one


def _to_float(x: object, what: str = "Value(data)") -> float:
    """Return ``x`` as a float, or raise a TypeError that says what was wrong and what to do."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        hint = ""
        if type(x).__name__ in ("bool", "bool_"):  # Python's and NumPy's booleans
            hint = " Use 1.0 or 0.0."
        elif hasattr(x, "shape"):
            hint = " For a one-element array use x.item()."
        elif isinstance(x, (list, tuple)):
            hint = " Make one Value per number: [Value(v) for v in x]."
        raise TypeError(
            f"{what} takes a real number (int, float or a NumPy scalar), "
            f"got {type(x).__name__} {x!r}.{hint}"
        )
    try:
        return float(x)
    except OverflowError:  # an int too large for a float: as large as a float gets
        return INF if x > 0 else -INF


# ----------------------------------------------------------------------------------------------
# Safe float arithmetic: what IEEE 754 (and PyTorch) give where Python's math module raises.
# ----------------------------------------------------------------------------------------------


def _div(a: float, b: float) -> float:
    """a / b, giving +-inf or nan for a division by zero instead of raising."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:  # 0/0 and nan/0 are undefined
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _is_odd_integer(y: float) -> bool:
    return y.is_integer() and y % 2 == 1


def _pow(x: float, y: float) -> float:
    """x ** y, giving +-inf on overflow and nan for a negative base to a fractional power."""
    try:
        return math.pow(x, y)
    except OverflowError:  # the true result is too large: only its sign is left to decide
        negative = x < 0 and _is_odd_integer(y)
        return -INF if negative else INF
    except ValueError:  # 0 to a negative power, or a negative base to a fractional power
        if x == 0:
            return math.copysign(INF, x) if _is_odd_integer(y) else INF
        return NAN


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x: float) -> float:
    if x > 0:
        return math.log(x)
    if x == 0:
        return -INF
    return NAN  # a negative number, or nan


# ----------------------------------------------------------------------------------------------
# Value
# ----------------------------------------------------------------------------------------------


class Value:
    """One number in a computation, with the gradient of the final output with respect to it."""

    __slots__ = ("data", "grad", "label", "children", "local_grads", "op")

    def __init__(
        self,
        data: float,
        label: str = "",
        children: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
        op: str = "",
    ) -> None:
        if type(data) is not float:
            data = _to_float(data)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        if len(children) != len(local_grads):
            raise ValueError(
                f"give one local gradient per child: got {len(children)} children "
                f"and {len(local_grads)} local_grads."
            )
        self.data = data
        self.grad = 0.0
        self.label = label
        self.children = children  # the Values this one was computed from, in order
        self.local_grads = local_grads  # d(self)/d(child) for each child, same order
        self.op = op  # the operation's name, for drawing the graph ("" for a leaf)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # --- arithmetic ------------------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        other = _as_value(other)
        # d(a+b)/da = 1, d(a+b)/db = 1
        return Value(
            self.data + other.data, children=(self, other), local_grads=(1.0, 1.0), op="+"
        )

    def __sub__(self, other: Value | float) -> Value:
        other = _as_value(other)
        # d(a-b)/da = 1, d(a-b)/db = -1
        return Value(
            self.data - other.data, children=(self, other), local_grads=(1.0, -1.0), op="-"
        )

    def __mul__(self, other: Value | float) -> Value:
        other = _as_value(other)
        # d(a*b)/da = b, d(a*b)/db = a
        return Value(
            self.data * other.data, children=(self, other), local_grads=(other.data, self.data),
            op="*",
        )

    def __truediv__(self, other: Value | float) -> Value:
        other = _as_value(other)
        a, b = self.data, other.data
        quotient = _div(a, b)
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2, computed as -(a/b)/b: b*b alone would overflow
        # (|b| > 1e154) or round to 0 (|b| < 1e-154) long before the derivative itself does
        return Value(
            quotient,
            children=(self, other),
            local_grads=(_div(1.0, b), _div(-quotient, b)),
            op="/",
        )

    def __neg__(self) -> Value:
        # d(-a)/da = -1
        return Value(-self.data, children=(self,), local_grads=(-1.0,), op="neg")

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):
            return _pow_values(self, exponent)
        n = _to_float(exponent, "The exponent of **")
        # d(a**n)/da = n * a**(n-1); for n = 0 the result is the constant 1, so the slope is 0
        local = 0.0 if n == 0 else n * _pow(self.data, n - 1)
        return Value(_pow(self.data, n), children=(self,), local_grads=(local,), op=f"**{n:g}")

    # The same operations with a plain number on the left: 2 + v, 2 - v, 2 * v, 2 / v, 2 ** v.
    def __radd__(self, other: float) -> Value:
        return _as_value(other) + self

    def __rsub__(self, other: float) -> Value:
        return _as_value(other) - self

    def __rmul__(self, other: float) -> Value:
        return _as_value(other) * self

    def __rtruediv__(self, other: float) -> Value:
        return _as_value(other) / self

    def __rpow__(self, other: float) -> Value:
        return _pow_values(_as_value(other), self)

    # --- functions ---------------------------------------------------------------------------

    def exp(self) -> Value:
        out = _exp(self.data)
        return Value(out, children=(self,), local_grads=(out,), op="exp")  # d(e^a)/da = e^a

    def log(self) -> Value:
        # d(ln a)/da = 1/a
        local = _div(1.0, self.data)
        return Value(_log(self.data), children=(self,), local_grads=(local,), op="log")

    def tanh(self) -> Value:
        t = math.tanh(self.data)  # math.tanh saturates at +-1, it never overflows
        return Value(t, children=(self,), local_grads=(1.0 - t * t,), op="tanh")

    def sigmoid(self) -> Value:
        x = self.data
        if x >= 0:  # written so that exp() only ever sees a negative number: no overflow
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value(s, children=(self,), local_grads=(s * (1.0 - s),), op="sigmoid")

    def relu(self) -> Value:
        x = self.data
        # relu(a) = max(a, 0); its slope is 0 for a <= 0 and 1 otherwise (0 at a = 0, and a nan
        # passes its gradient through, as in PyTorch)
        out = 0.0 if x <= 0 else x  # nan stays nan
        return Value(out, children=(self,), local_grads=(0.0 if x <= 0 else 1.0,), op="relu")

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        slope = _to_float(negative_slope, "leaky_relu(negative_slope)")
        x = self.data
        out = x if x > 0 else slope * x
        return Value(out, children=(self,), local_grads=(1.0 if x > 0 else slope,), op="leaky_relu")

    def gelu(self) -> Value:
        """GELU, tanh approximation: 0.5 * a * (1 + tanh(sqrt(2/pi) * (a + 0.044715 * a**3)))."""
        x = self.data
        t = math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x))
        out = 0.5 * x * (1.0 + t)
        # product rule: 0.5*(1+t) + 0.5*a * (1-t**2) * d(inner)/da
        sech2 = 1.0 - t * t
        local = 0.5 * (1.0 + t)
        if sech2:  # once tanh has saturated the second term is exactly 0 (skip inf * 0 = nan)
            local += 0.5 * x * sech2 * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * x * x)
        return Value(out, children=(self,), local_grads=(local,), op="gelu")

    # --- Python and NumPy built-ins ---------------------------------------------------------
    # abs(v) is an operation like the others. Comparisons, bool(v), float(v), math.exp(v) and
    # np.tanh(v) would work on the bare number and quietly leave the graph behind, so they raise
    # a TypeError that says what to write instead. == and != keep Python's meaning, "is it the
    # same Value?", which sets and dicts of Values rely on. f"{v:.3f}" formats v.data.

    def __abs__(self) -> Value:  # d|a|/da = sign(a), 0 at a = 0 (as PyTorch)
        slope = 1.0 if self.data > 0 else -1.0 if self.data < 0 else 0.0
        return Value(abs(self.data), children=(self,), local_grads=(slope,), op="abs")

    def __lt__(self, other: object) -> bool:
        raise _not_comparable("<")

    def __le__(self, other: object) -> bool:
        raise _not_comparable("<=")

    def __gt__(self, other: object) -> bool:
        raise _not_comparable(">")

    def __ge__(self, other: object) -> bool:
        raise _not_comparable(">=")

    def __bool__(self) -> bool:
        raise TypeError(f"{NO_BARE_NUMBER} To test it, use v.data (e.g. `if v.data > 0:`).")

    def __float__(self) -> float:
        raise TypeError(NO_BARE_NUMBER + VALUE_FUNCTIONS)

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    def __array_ufunc__(self, ufunc, method: str, *inputs, **kwargs) -> Value:  # np.f(v), 2.0 * v
        return _numpy_call(ufunc, method, inputs, kwargs)

    # --- backpropagation ---------------------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this Value depends on, each after all of its children (leaves first).

        Walks the graph with an explicit stack rather than recursion, so a graph a million
        nodes deep needs no raised recursion limit.
        """
        order: list[Value] = []
        visited: set[Value] = set()  # only asks "seen it?": the order comes from `children`
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))  # comes back to it once its children are placed
                for child in reversed(node.children):  # reversed: first child placed first
                    if child not in visited:
                        stack.append((child, False))
        return order

    def backward(self) -> None:
        """Fill in ``grad`` of every Value this one depends on: d(self)/d(that value).

        Leaves (parameters and inputs) accumulate: a second backward() adds to their grad, as
        in PyTorch, which is why training loops zero the gradients before each pass.
        Intermediate results get this pass's gradient afresh.
        """
        order = self.topological_order()
        for node in order:
            if node.children:
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self)
        for node in reversed(order):  # from the output back towards the leaves
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * node.grad  # chain rule: local gradient x upstream gradient


def _as_value(x: Value | float) -> Value:
    """Wrap a plain number so it can take part in an operation with Values."""
    if isinstance(x, Value):
        return x
    return Value(_to_float(x, "An operation with a Value"))


# What the built-ins say instead of working on the bare number (see the section above).
NO_BARE_NUMBER = (
    "A Value is not a plain number: Python and NumPy would use its number and drop the "
    "gradient."
)
VALUE_FUNCTIONS = (
    " For the number itself use v.data; to keep the gradient use the Value's own functions: "
    "v.exp(), v.log(), v.tanh(), v.sigmoid(), v.relu(), abs(v), v ** 0.5."
)
NUMPY_ARITHMETIC = {"add": "__add__", "subtract": "__sub__", "multiply": "__mul__",
                    "divide": "__truediv__", "power": "__pow__"}
NUMPY_NAMES = {"absolute": "abs(v)", "sqrt": "v ** 0.5", "maximum": "v.relu()", "fmax": "v.relu()"}
NUMPY_COMPARISONS = {"less": "<", "less_equal": "<=", "greater": ">", "greater_equal": ">="}


def _not_comparable(op: str) -> TypeError:
    return TypeError(
        f"Values are not compared with {op}: the answer would not be part of the graph. Compare "
        f"their numbers instead, v.data {op} 0 or v.data {op} w.data. For max(v, 0) use "
        "v.relu(); to pick the larger of two Values, `v if v.data > w.data else w`."
    )


def _numpy_call(ufunc, method: str, inputs: tuple, kwargs: dict) -> Value:
    """``np.float64(2) * v`` works as ``2.0 * v``; ``np.tanh(v)`` says to use ``v.tanh()``."""
    name = ufunc.__name__
    if name in NUMPY_ARITHMETIC and method == "__call__" and not kwargs and len(inputs) == 2:
        left, right = (_as_value(x) for x in inputs)
        return getattr(left, NUMPY_ARITHMETIC[name])(right)
    if name in NUMPY_COMPARISONS:
        raise _not_comparable(NUMPY_COMPARISONS[name])
    if name in ("equal", "not_equal"):  # Python's meaning: the same Value, or not
        return (inputs[0] is inputs[1]) == (name == "equal")
    use = NUMPY_NAMES.get(name, f"v.{name}()" if hasattr(Value, name) else None)
    instead = f" Use {use} instead." if use else VALUE_FUNCTIONS
    raise TypeError(f"np.{name} cannot take a Value: NumPy works on plain numbers and would drop "
                    f"the gradient.{instead}")


def _pow_values(base: Value, exponent: Value) -> Value:
    """base ** exponent when the exponent is a Value too (so it gets a gradient as well)."""
    a, b = base.data, exponent.data
    out = _pow(a, b)
    # d(a**b)/da = b * a**(b-1)              (0 when b = 0: the result is the constant 1)
    # d(a**b)/db = a**b * ln(a)              (0 when a = 0 and b >= 0, as PyTorch defines it)
    d_base = 0.0 if b == 0 else b * _pow(a, b - 1)
    d_exponent = 0.0 if a == 0 and b >= 0 else out * _log(a)
    return Value(out, children=(base, exponent), local_grads=(d_base, d_exponent), op="**")


def weighted_sum(weights: list[Value], inputs: list[Value | float], bias: Value | float) -> Value:
    """bias + w0*x0 + w1*x1 + ...: a neuron's weighted sum as one node instead of 2n nodes.

    The maths is the same as building it from ``+`` and ``*``; only the bookkeeping differs.
    Its local derivatives are read straight off the formula:
    d/dw_i = x_i, d/dx_i = w_i and d/dbias = 1. A network built from this op records about ten
    times fewer nodes, so training runs several times faster.
    """
    if len(weights) != len(inputs):
        raise ValueError(
            f"weighted_sum needs one weight per input: got {len(weights)} weights "
            f"and {len(inputs)} inputs."
        )
    for w in weights:
        if not isinstance(w, Value):
            raise TypeError(
                f"weighted_sum's weights must be Values (they are what gets a gradient), "
                f"got {type(w).__name__} {w!r}."
            )
    inputs = [x if isinstance(x, Value) else _as_value(x) for x in inputs]
    bias = _as_value(bias)
    total = bias.data
    for w, x in zip(weights, inputs):
        total += w.data * x.data
    children = (*weights, *inputs, bias)
    local_grads = (*[x.data for x in inputs], *[w.data for w in weights], 1.0)
    return Value(total, children=children, local_grads=local_grads, op="w·x+b")
