"""A scalar autograd engine and a small neural network library, built step by step.

The modules the notebooks build, in the order they build them: ``engine`` (Value), ``nn``
(Neuron, Layer, MLP), ``losses``, ``optim``, ``data`` and ``training``; ``seeding`` holds the
one random generator they share. How the course shows things (graph drawings, plots, widgets,
the playground) lives in ``course.show``; the exercises and their checks in
``course.exercises``.
"""

from course.seeding import manual_seed

__all__ = ["manual_seed"]
__version__ = "0.1.0"
