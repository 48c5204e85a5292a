"""Optimizers (how to turn gradients into a parameter update) and learning-rate schedules.

An optimizer holds the list of parameters it updates. Each training step:

    optimizer.zero_grad()   # forget the previous step's gradients
    loss.backward()         # fill in p.grad for every parameter
    optimizer.step()        # move every parameter a little downhill

A schedule is just a function from the step number (0, 1, 2, ...) to a learning rate:

    schedule = linear_decay(1.0, 0.1, total_steps=100)
    for k in range(100):
        optimizer.lr = schedule(k)
        ...
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from course import checks
from course.engine import Value

Schedule = Callable[[int], float]


# ----------------------------------------------------------------------------------------------
# The learning rate check (the others come from course.checks)
# ----------------------------------------------------------------------------------------------


def check_lr(lr: object, name: str = "lr") -> float:
    """Return ``lr`` as a float if it is a usable learning rate: a positive, finite number."""
    return checks.positive(lr, name)


# ----------------------------------------------------------------------------------------------
# Optimizers
# ----------------------------------------------------------------------------------------------


class Optimizer:
    """What SGD and Adam share: the parameter list, ``zero_grad()`` and a checked ``lr``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = checks.parameters(params, type(self).__name__)
        self.lr = lr  # goes through the setter below, so it is checked
        self.steps_taken = 0

    @property
    def lr(self) -> float:
        """The learning rate: how far each step moves. Set it to change it between steps."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_lr(value)

    def zero_grad(self) -> None:
        """Reset every gradient to 0 before the next backward(), which adds to them."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent: ``p -= lr * grad``, optionally with momentum.

    With ``momentum`` m, each parameter keeps a velocity ``v = m * v + grad`` and moves by
    ``lr * v``: steps build up along directions the gradient keeps pointing to and cancel
    out where it keeps flipping. ``weight_decay`` adds ``weight_decay * p`` to the gradient,
    which is the same as adding ``weight_decay / 2 * l2(params)`` to the loss. Both follow
    PyTorch's ``torch.optim.SGD``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = checks.fraction(momentum, "momentum")
        self.weight_decay = checks.non_negative(weight_decay, "weight_decay")
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter against its gradient."""
        for i, p in enumerate(self.params):
            grad = p.grad + self.weight_decay * p.data
            if self.momentum:
                self.velocity[i] = self.momentum * self.velocity[i] + grad
                grad = self.velocity[i]
            p.data -= self.lr * grad
        self.steps_taken += 1

    def __repr__(self) -> str:
        return (
            f"SGD({len(self.params)} parameters, lr={self.lr:g}, momentum={self.momentum:g}, "
            f"weight_decay={self.weight_decay:g})"
        )


class Adam(Optimizer):
    """Adam: a step size for each parameter, from running averages of its gradients.

    For each parameter it keeps ``m``, an average of recent gradients (which way to go), and
    ``v``, an average of their squares (how big they usually are), and moves by
    ``lr * m_hat / (sqrt(v_hat) + eps)``. Dividing by sqrt(v) makes the step about ``lr`` in
    size whether the gradient is tiny or huge. ``m_hat`` and ``v_hat`` correct the
    averages for starting at 0 (otherwise the first steps would be too small).

    ``weight_decay`` is decoupled, as in AdamW: each step also shrinks the parameter by
    ``lr * weight_decay * p``, separately from the gradient, so the decay is not rescaled by
    sqrt(v).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas is a pair (beta1, beta2), e.g. betas=(0.9, 0.999); got "
                            f"{checks.describe(betas)}")
        self.beta1 = checks.fraction(betas[0], "betas[0]")
        self.beta2 = checks.fraction(betas[1], "betas[1]")
        self.eps = checks.positive(eps, "eps")
        self.weight_decay = checks.non_negative(weight_decay, "weight_decay")
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter by its own adapted step."""
        self.steps_taken += 1
        t = self.steps_taken
        for i, p in enumerate(self.params):
            p.data -= self.lr * self.weight_decay * p.data  # decoupled weight decay
            g = p.grad
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / (1 - self.beta1**t)
            v_hat = self.v[i] / (1 - self.beta2**t)
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)

    def __repr__(self) -> str:
        return (
            f"Adam({len(self.params)} parameters, lr={self.lr:g}, "
            f"betas=({self.beta1:g}, {self.beta2:g}), weight_decay={self.weight_decay:g})"
        )


# ----------------------------------------------------------------------------------------------
# Learning-rate schedules: functions step -> lr
# ----------------------------------------------------------------------------------------------


def _check_step(step: object) -> int:
    return checks.whole_number(step, "a schedule's step number (0, 1, 2, ...)", low=0)


def constant(lr: float) -> Schedule:
    """The same learning rate at every step."""
    lr = check_lr(lr)

    def schedule(step: int) -> float:
        _check_step(step)
        return lr

    return schedule


def linear_decay(lr0: float, lr_end: float, total_steps: int) -> Schedule:
    """A straight line from ``lr0`` at step 0 down to ``lr_end`` at ``total_steps``, then flat.

    ``linear_decay(1.0, 0.1, 100)`` gives micrograd's demo schedule, 1.0 - 0.9 * k / 100.
    """
    lr0, lr_end = check_lr(lr0, "lr0"), check_lr(lr_end, "lr_end")
    total_steps = checks.whole_number(total_steps, "total_steps", low=1)

    def schedule(step: int) -> float:
        k = min(_check_step(step), total_steps)
        return lr0 - (lr0 - lr_end) * k / total_steps

    return schedule


def step_decay(lr0: float, factor: float, every: int) -> Schedule:
    """Multiply the learning rate by ``factor`` every ``every`` steps: lr0 * factor**(k//every)."""
    lr0 = check_lr(lr0, "lr0")
    factor = check_lr(factor, "factor")
    every = checks.whole_number(every, "every", low=1)

    def schedule(step: int) -> float:
        return lr0 * factor ** (_check_step(step) // every)

    return schedule


def exponential(lr0: float, gamma: float) -> Schedule:
    """Multiply the learning rate by ``gamma`` at every step: lr0 * gamma**k."""
    lr0 = check_lr(lr0, "lr0")
    gamma = check_lr(gamma, "gamma")

    def schedule(step: int) -> float:
        return lr0 * gamma ** _check_step(step)

    return schedule


def cosine(lr0: float, total_steps: int, lr_min: float = 0.0) -> Schedule:
    """Half a cosine wave from ``lr0`` at step 0 to ``lr_min`` at ``total_steps``, then flat.

    It stays near ``lr0`` at first, falls fastest in the middle and flattens out at the end.
    With the default ``lr_min=0`` the learning rate reaches 0 at step ``total_steps``, which
    an optimizer refuses: run steps 0 .. total_steps - 1, or give a small positive ``lr_min``.
    """
    lr0 = check_lr(lr0, "lr0")
    total_steps = checks.whole_number(total_steps, "total_steps", low=1)
    lr_min = checks.non_negative(lr_min, "lr_min")

    def schedule(step: int) -> float:
        k = min(_check_step(step), total_steps)
        return lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * k / total_steps))

    return schedule
