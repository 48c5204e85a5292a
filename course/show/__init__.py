"""How the course shows what the learner builds, importable from one place.

* Computation graphs, drawn with Graphviz: ``draw_graph``, and a backward pass step by step
  with ``backward_steps`` and ``draw_backward_step`` (``graph.py`` draws, ``backward.py``
  replays the pass and says what each step does).
* Training plots, drawn with matplotlib: loss curves, a learning-rate sweep and the
  single-weight parabola (``plots.py``), and a classifier's decision boundary
  (``boundary.py``).
* Widgets (``course.show.widgets``) and the playground (``course.show.playground``) are
  imported from their own modules: they need ipywidgets. Their live pictures are SVG built
  as text, fast enough to follow a slider (``svg.py``, ``descent_svg.py``,
  ``playground_svg.py``, and ``neuron_maps.py`` for the network diagram's data).

The colours of every picture are in ``palette.py``; figure plumbing in ``figures.py``.

``from course.show import draw_graph`` loads Graphviz or matplotlib only when a name is first
asked for (the ``__getattr__`` below), so ``course.show.palette`` and ``course.show.backward``
stay light enough for any module to import.
"""

import importlib

_MODULE_OF = {
    "BackwardStep": "backward",
    "GradientFlow": "backward",
    "backward_steps": "backward",
    "describe_backward_step": "backward",
    "node_name": "backward",
    "draw_backward_step": "graph",
    "draw_graph": "graph",
    "plot_decision_boundary": "boundary",
    "largest_stable_lr": "plots",
    "plot_loss": "plots",
    "plot_lr_finder": "plots",
    "plot_single_weight": "plots",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    """``course.show.draw_graph`` and friends, imported from their module on first use."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'course.show' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"course.show.{_MODULE_OF[name]}"), name)
    globals()[name] = value  # found directly next time
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
