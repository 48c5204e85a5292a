"""Pictures for the course, importable from one place.

* Computation graphs, drawn with Graphviz: ``draw_graph``, and a backward pass step by step with
  ``backward_steps`` and ``draw_backward_step`` (they live in ``course/show/graph.py``).
* Training plots, drawn with matplotlib: loss curves, a learning-rate sweep, decision boundaries
  and the single-weight parabola (they live in ``course/show/plots.py``).
"""

from course.show.graph import (
    BackwardStep,
    GradientFlow,
    backward_steps,
    draw_backward_step,
    draw_graph,
    node_name,
)
from course.show.plots import (
    largest_stable_lr,
    plot_decision_boundary,
    plot_loss,
    plot_lr_finder,
    plot_single_weight,
)

__all__ = [
    "BackwardStep",
    "GradientFlow",
    "backward_steps",
    "draw_backward_step",
    "draw_graph",
    "largest_stable_lr",
    "node_name",
    "plot_decision_boundary",
    "plot_loss",
    "plot_lr_finder",
    "plot_single_weight",
]
