"""A scalar autograd engine and a small neural network library, built step by step.

The modules the notebooks build, in the order they build them: ``engine`` (Value), ``nn``
(Neuron, Layer, MLP), ``losses``, ``optim``, ``data`` and ``training``; ``single_weight`` is
notebook 01's gradient descent on one weight, ``seeding`` holds the one random generator the
modules share and ``checks`` the argument checks they all use. How the course shows things
(graph drawings, plots, widgets, the playground) lives in ``course.show``; the exercises and
their checks in ``course.exercises``.
"""

from course.seeding import manual_seed

__all__ = ["manual_seed"]
__version__ = "0.1.0"
