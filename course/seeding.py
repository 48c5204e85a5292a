"""One random number generator for the whole course, seeded the way frameworks do it.

Every module that needs randomness (a neuron's first weights, Dropout's masks) draws from
this one generator unless it is given its own ``seed`` or ``rng``. So two layers built one
after the other start with different weights, as they must (equal neurons would stay equal
for ever), while a notebook that calls ``manual_seed(0)`` at the top and then runs top to
bottom gets the same numbers every time, like ``torch.manual_seed``.
"""

from __future__ import annotations

import numbers
import random

DEFAULT_SEED = 0  # the course's generator starts from this seed when Python imports it

_generator = random.Random(DEFAULT_SEED)


def manual_seed(seed: int) -> None:
    """Restart the course's generator from ``seed``: what follows is then reproducible."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"manual_seed takes a whole number, e.g. manual_seed(0); got {seed!r}")
    _generator.seed(int(seed))


def generator() -> random.Random:
    """The course's shared generator (``random.Random``), for modules given no seed of their own."""
    return _generator


def make_rng(seed: int | None = None, rng: random.Random | None = None) -> random.Random:
    """The generator a module should use: its own ``rng``, a fresh one from ``seed``, or the
    course's shared one when given neither."""
    if seed is not None and rng is not None:
        raise ValueError("give either seed or rng, not both")
    if rng is not None:
        if not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random, got {type(rng).__name__} {rng!r}")
        return rng
    if seed is None:
        return _generator
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number, e.g. seed=0; got {seed!r}")
    return random.Random(int(seed))
