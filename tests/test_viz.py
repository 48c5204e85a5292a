"""Graph drawings and training plots: what they show, that they are deterministic, and errors."""

import html
import math
import re
import warnings
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")  # draw to memory, no window

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import course.show  # noqa: E402
import course.single_weight  # noqa: E402
from course.engine import Value  # noqa: E402
from course.show import (  # noqa: E402
    backward_steps,
    describe_backward_step,
    draw_backward_step,
    draw_graph,
    largest_stable_lr,
    plot_decision_boundary,
    plot_loss,
    plot_lr_finder,
    plot_single_weight,
)
from course.show.figures import OFF_SCALE_TEXT  # noqa: E402
from course.show.graph import HIGHLIGHT, INPUT_FILL, NO_BACKWARD_NOTE, PARAMETER_FILL  # noqa: E402
from course.single_weight import single_weight_descent  # noqa: E402

# --- expressions used by several tests ---------------------------------------------------------


def abc():
    """d = a*b + c, with its leaves."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    return d, (a, b, c)


def reuse():
    """c = b + b with b = a + a: a node used twice, through a node used twice."""
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    return c


def neuron():
    """o = tanh(x1*w1 + x2*w2 + b), the classic single neuron."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.88, label="b")
    return (x1 * w1 + x2 * w2 + b).tanh()


def shared_input():
    """y = a*2 + a: a reaches the output along two different paths."""
    a = Value(1.5, label="a")
    return a * 2 + a


def value_nodes(source: str) -> list[str]:
    return re.findall(r"^\s*(v\d+) \[", source, flags=re.MULTILINE)


def op_nodes(source: str) -> list[str]:
    return re.findall(r"^\s*(op\d+) \[", source, flags=re.MULTILINE)


def edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\w+) -> (\w+)", source, flags=re.MULTILINE)


def node_line(source: str, name: str) -> str:
    return next(line for line in source.splitlines() if line.strip().startswith(f"{name} ["))


# --- draw_graph -------------------------------------------------------------------------------


def test_the_same_expression_draws_the_same_svg_every_time():
    first, _ = abc()
    second, _ = abc()
    first.backward()
    second.backward()
    assert draw_graph(first).pipe(format="svg") == draw_graph(second).pipe(format="svg")


def test_a_times_b_plus_c_has_five_values_two_operations_six_edges():
    d, _ = abc()
    source = draw_graph(d).source
    assert value_nodes(source) == ["v0", "v1", "v2", "v3", "v4"]
    assert op_nodes(source) == ["op2", "op4"]
    assert edges(source) == [
        ("v0", "op2"), ("v1", "op2"), ("op2", "v2"),  # a, b -> * -> e
        ("v2", "op4"), ("v3", "op4"), ("op4", "v4"),  # e, c -> + -> d
    ]


def test_a_value_used_twice_draws_two_edges():
    a = Value(3.0, label="a")
    source = draw_graph(a + a).source
    assert edges(source) == [("v0", "op1"), ("v0", "op1"), ("op1", "v1")]


def test_nodes_show_label_data_grad_and_the_operation():
    d, _ = abc()
    d.backward()
    source = draw_graph(d).source
    a_box = node_line(source, "v0")
    assert "<b>a</b>" in a_box and "data 2<" in a_box and "grad -3<" in a_box
    assert 'label="*"' in node_line(source, "op2")
    assert 'label="+"' in node_line(source, "op4")
    assert "output" in node_line(source, "v4")  # the root is marked
    assert "output" not in node_line(source, "v2")


def test_numbers_have_four_significant_digits():
    x = Value(1 / 3, label="x")
    source = draw_graph(x * 1.0).source
    assert "data 0.3333<" in source


def test_operation_names_come_from_the_engine():
    x = Value(0.5, label="x")
    source = draw_graph((x**2).tanh()).source
    assert 'label="**2"' in source and 'label=tanh' in source


def test_parameters_inputs_and_computed_values_are_coloured_differently():
    d, (a, b, c) = abc()
    d.backward()
    source = draw_graph(d, params=[a, b]).source
    assert PARAMETER_FILL in node_line(source, "v0")  # a
    assert PARAMETER_FILL in node_line(source, "v1")  # b
    assert INPUT_FILL in node_line(source, "v3")  # c
    e_box = node_line(source, "v2")
    assert PARAMETER_FILL not in e_box and INPUT_FILL not in e_box
    assert "parameter" in source and "input / constant" in source and "computed" in source


def test_without_params_the_legend_says_how_to_mark_them():
    d, _ = abc()
    assert "pass params= to mark parameters" in draw_graph(d).source


def test_the_title_appears_in_the_caption():
    d, _ = abc()
    assert "<b>d = a*b + c</b>" in draw_graph(d, title="d = a*b + c").source


def test_a_note_says_no_backward_pass_has_run_until_one_has():
    d, _ = abc()
    assert all(line in draw_graph(d).source for line in NO_BACKWARD_NOTE)
    d.backward()
    assert not any(line in draw_graph(d).source for line in NO_BACKWARD_NOTE)


def test_top_to_bottom_drawing():
    d, _ = abc()
    assert "rankdir=TB" in draw_graph(d, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(d, rankdir="sideways")


def test_too_many_nodes_raises_with_the_count_and_what_to_do():
    x = Value(1.0)
    for _ in range(100):
        x = x * 1.0  # each step adds the product and the constant 1.0: 201 Values in all
    with pytest.raises(ValueError, match="max_nodes") as error:
        draw_graph(x)
    message = str(error.value)
    assert "201 Values" in message and "max_nodes=150" in message and "max_nodes=201" in message
    assert "smaller piece" in message
    assert len(value_nodes(draw_graph(x, max_nodes=201).source)) == 201


def test_drawing_something_else_than_a_value_raises_type_error():
    with pytest.raises(TypeError, match="Expected a Value.*float.*plain number"):
        draw_graph(3.0)
    with pytest.raises(TypeError, match="pick one"):
        draw_graph([Value(1.0)])
    with pytest.raises(TypeError, match="params must hold Values"):
        draw_graph(Value(1.0), params=[1.0])


def test_graphviz_prints_no_warnings(capfd):
    d, (a, b, _) = abc()
    draw_graph(d, params=[a, b], title="t").pipe(format="svg")
    steps = backward_steps(d)
    draw_backward_step(d, steps, 1).pipe(format="svg")
    assert capfd.readouterr().err == ""


# --- backward_steps ---------------------------------------------------------------------------


@pytest.mark.parametrize("build", [lambda: abc()[0], reuse, neuron, shared_input])
def test_replayed_grads_end_equal_to_a_real_backward_pass(build):
    replayed = build()
    steps = backward_steps(replayed)
    real = build()
    real.backward()
    expected = tuple(node.grad for node in real.topological_order())
    assert steps[-1].grads == expected


def test_first_step_is_the_root_with_grad_one_and_last_is_a_leaf():
    d, _ = abc()
    steps = backward_steps(d)
    order = d.topological_order()
    assert len(steps) == len(order)
    assert steps[0].node == len(order) - 1 and steps[0].grads[-1] == 1.0
    assert steps[0].grads == (None, None, 1.0, 1.0, 1.0)  # a, b: nothing arrived yet
    assert order[steps[-1].node].children == () and steps[-1].flows == ()


def test_steps_go_in_reverse_topological_order():
    steps = backward_steps(neuron())
    assert [step.node for step in steps] == list(reversed(range(len(steps))))


def test_each_flow_is_local_grad_times_the_nodes_grad():
    d, _ = abc()
    order = d.topological_order()
    for step in backward_steps(d):
        node = order[step.node]
        assert [flow.child for flow in step.flows] == [order.index(c) for c in node.children]
        for flow in step.flows:
            assert flow.local_grad == node.local_grads[flow.slot]
            assert flow.upstream == step.grads[step.node]
            assert flow.contribution == flow.local_grad * flow.upstream


def test_a_node_used_twice_receives_two_flows_in_one_step():
    c = reuse()  # order: a, b, c
    steps = backward_steps(c)
    assert [(f.child, f.slot, f.contribution) for f in steps[0].flows] == [(1, 0, 1.0), (1, 1, 1.0)]
    assert steps[0].grads == (None, 2.0, 1.0)
    assert steps[1].grads == (4.0, 2.0, 1.0)


def test_a_grad_is_final_once_every_node_using_it_has_been_processed():
    y = shared_input()  # order: a, 2, a*2, y;  y uses a*2 and a;  a*2 uses a and 2
    steps = backward_steps(y)
    assert steps[0].grads == (1.0, None, 1.0, 1.0)
    assert steps[0].final == (False, False, True, True)  # a still waits for a*2
    assert steps[1].grads == (3.0, 1.5, 1.0, 1.0)
    assert steps[1].final == (True, True, True, True)


def test_backward_steps_leaves_the_real_grads_alone():
    d, leaves = abc()
    backward_steps(d)
    assert all(node.grad == 0.0 for node in d.topological_order())
    d.backward()
    before = [node.grad for node in d.topological_order()]
    backward_steps(d)
    assert [node.grad for node in d.topological_order()] == before


def test_a_single_leaf_has_one_step():
    x = Value(4.0)
    (step,) = backward_steps(x)
    assert step.node == 0 and step.grads == (1.0,) and step.final == (True,) and step.flows == ()


# --- draw_backward_step -----------------------------------------------------------------------


def test_the_step_drawing_highlights_the_current_node_and_its_edges():
    d, _ = abc()  # order: a, b, e, c, d
    steps = backward_steps(d)
    source = draw_backward_step(d, steps, 2).source  # step 2 processes e = a*b (grad 1)
    assert steps[2].node == 2
    assert HIGHLIGHT in node_line(source, "v2")
    assert HIGHLIGHT not in node_line(source, "v4")
    flowing = [line for line in source.splitlines() if "->" in line and HIGHLIGHT in line]
    assert len(flowing) == 3  # a -> *, b -> *, * -> e
    assert "-3 × 1 = -3" in source and "2 × 1 = 2" in source  # to a, to b
    assert "Backward pass, step 3 of 5" in source  # counted from 1 for readers


def test_grads_not_reached_yet_are_grey_question_marks_and_final_ones_bold():
    d, _ = abc()
    steps = backward_steps(d)
    first = draw_backward_step(d, steps, 0).source
    assert "grad ?" in node_line(first, "v0") and "grad ?" in node_line(first, "v1")
    assert "<b>grad 1</b>" in node_line(first, "v4")
    last = draw_backward_step(d, steps, len(steps) - 1).source
    assert "grad ?" not in "".join(node_line(last, f"v{i}") for i in range(5))
    assert "<b>grad -3</b>" in node_line(last, "v0")


def test_a_grad_still_waiting_for_contributions_is_not_bold():
    y = shared_input()
    source = draw_backward_step(y, backward_steps(y), 0).source
    assert "grad 1<" in node_line(source, "v0") and "<b>grad 1</b>" not in node_line(source, "v0")


def test_the_step_drawing_is_deterministic():
    first, second = neuron(), neuron()
    svg1 = draw_backward_step(first, backward_steps(first), 3).pipe(format="svg")
    svg2 = draw_backward_step(second, backward_steps(second), 3).pipe(format="svg")
    assert svg1 == svg2


def test_steps_of_another_graph_or_a_bad_k_are_refused():
    d, _ = abc()
    with pytest.raises(ValueError, match="backward_steps"):
        draw_backward_step(d, backward_steps(reuse()), 0)
    with pytest.raises(IndexError, match="0 to 4"):
        draw_backward_step(d, backward_steps(d), 5)


# --- plots ------------------------------------------------------------------------------------


def render_png(make_figure):
    """Call make_figure with every warning an error; check the result and save it as PNG."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make_figure()
        buffer = BytesIO()
        fig.savefig(buffer, format="png", dpi=40)  # small: fast, and draws everything the same
    assert isinstance(fig, Figure)
    assert buffer.getvalue().startswith(b"\x89PNG")
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    return fig, ax


def build(make_figure):
    """Call make_figure with every warning an error, without the cost of rendering it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make_figure()
    assert isinstance(fig, Figure)
    return fig, fig.axes[0]


def texts(ax) -> list[str]:
    return [t.get_text().strip() for t in ax.texts]


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_loss_from_lists_of_floats():
    train = [1.0 / (k + 1) for k in range(50)]
    dev = [None if k % 5 else 1.2 / (k + 1) for k in range(50)]
    fig, ax = render_png(lambda: plot_loss(train, dev))
    assert legend_labels(ax) == ["train", "dev"]
    assert ax.get_yscale() == "linear"
    assert list(ax.lines[1].get_xdata()) == list(range(0, 50, 5))  # dev joined where measured


def test_plot_loss_from_a_history_marks_lr_changes_and_the_early_stop():
    history = SimpleNamespace(
        step=list(range(10, 40)), train_loss=[1.0 / k for k in range(1, 31)],
        dev_loss=[1.1 / k for k in range(1, 31)], lr=[0.1] * 15 + [0.01] * 15,
        stopped_early=True, best_step=30,
    )
    _, ax = render_png(lambda: plot_loss(history, log=True))
    assert ax.get_yscale() == "log" and "log" in ax.get_ylabel()
    assert "lr 0.1 → 0.01" in texts(ax)
    assert "best dev loss, stopped early" in texts(ax)
    assert ax.lines[0].get_xdata()[0] == 10  # the history's own step numbers


def test_plot_loss_sums_up_a_smoothly_decaying_lr_in_the_title():
    _, ax = build(lambda: plot_loss([1.0] * 20, lr=[1.0 - 0.04 * k for k in range(20)]))
    assert "lr 1 → 0.24" in ax.get_title() and texts(ax) == []


def test_plot_loss_survives_a_diverged_run_and_marks_it():
    losses = [1.0, 0.9, 5.0, 1e6, math.inf, math.nan]
    _, ax = render_png(lambda: plot_loss(losses, lr=0.5, markers={1: "look here"}))
    assert "diverged" in texts(ax) and "look here" in texts(ax)
    assert "lr = 0.5" in ax.get_title()
    _, ax = render_png(lambda: plot_loss(losses, log=True))
    assert "diverged" in texts(ax)


def test_plot_loss_marks_a_history_that_stopped_because_it_diverged():
    history = SimpleNamespace(train_loss=[1.0, 3.0, 40.0], dev_loss=[], diverged=True)
    _, ax = build(lambda: plot_loss(history))
    assert "diverged" in texts(ax)


def test_plot_loss_refuses_mismatched_or_empty_losses():
    with pytest.raises(ValueError, match="one dev loss per step"):
        plot_loss([1.0, 0.5], dev_losses=[1.0])
    with pytest.raises(ValueError, match="no losses"):
        plot_loss([])


def test_largest_stable_lr_is_the_largest_within_a_factor_of_the_best_loss():
    lrs = [0.001, 0.01, 0.1, 1.0, 3.0, 10.0]
    losses = [0.9, 0.5, 0.1, 0.15, 0.8, math.inf]
    assert largest_stable_lr(lrs, losses) == 1.0
    assert largest_stable_lr(lrs, losses, factor=1.2) == 0.1
    assert largest_stable_lr(lrs[::-1], losses[::-1]) == 1.0  # order does not matter
    assert largest_stable_lr(lrs, [math.nan, 0.5, 0.4, math.inf, math.nan, 0.41]) == 10.0
    assert largest_stable_lr([0.1, 1.0], [math.inf, math.nan]) is None


def test_largest_stable_lr_checks_its_input():
    with pytest.raises(ValueError, match="one loss per learning rate"):
        largest_stable_lr([0.1, 1.0], [0.5])
    with pytest.raises(ValueError, match="greater than 0"):
        largest_stable_lr(np.linspace(0, 1, 5), [1.0] * 5)


def test_plot_lr_finder_marks_the_largest_stable_lr_and_diverged_runs():
    lrs = np.logspace(-3, 1, 9)
    losses = [0.7, 0.6, 0.4, 0.2, 0.15, 0.25, 0.9, math.inf, math.nan]
    fig, ax = render_png(lambda: plot_lr_finder(lrs, losses))
    best = largest_stable_lr(lrs, losses)
    assert ax.get_xscale() == "log"
    assert any(list(line.get_xdata()) == [best, best] for line in ax.lines)
    labels = legend_labels(ax)
    assert f"largest stable lr = {best:.3g}" in labels and "diverged (inf or nan)" in labels


def test_plot_lr_finder_uses_a_log_loss_axis_for_losses_that_blow_up():
    lrs = np.logspace(-2, 1, 6)
    _, ax = render_png(lambda: plot_lr_finder(lrs, [1.0, 0.5, 0.1, 5.0, 1e4, 1e9], mark_best=False))
    assert ax.get_yscale() == "log" and ax.get_legend() is not None


def two_blobs(m: int, seed: int):
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(m) < 0.5, -1, 1)
    return rng.normal(size=(m, 2)) * 0.5 + y[:, None] * 1.0, y


def test_plot_decision_boundary_shows_classes_train_and_dev():
    X, y = two_blobs(40, 0)
    X_dev, y_dev = two_blobs(20, 1)
    calls = []

    def predict(points):
        calls.append(len(points))
        return np.where(points.sum(axis=1) > 0, 1, -1)

    _, ax = render_png(lambda: plot_decision_boundary(predict, X, y, X_dev, y_dev, resolution=30))
    assert calls[0] == 30 * 30  # one call on the whole grid
    assert legend_labels(ax) == ["class -1 (train)", "class 1 (train)", "class -1 (dev)",
                                 "class 1 (dev)"]
    assert "train accuracy" in ax.get_title() and "dev accuracy" in ax.get_title()


def test_plot_decision_boundary_with_three_classes_and_one_class_predicted():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1, 2])
    render_png(lambda: plot_decision_boundary(lambda P: np.argmax(P @ np.eye(2, 3), 1), X, y))
    build(lambda: plot_decision_boundary(lambda P: np.zeros(len(P), int), X, y))


def test_plot_decision_boundary_says_when_predict_returns_scores_not_labels():
    X, y = two_blobs(10, 0)
    with pytest.raises(ValueError, match="not one of the classes"):
        plot_decision_boundary(lambda P: P.sum(axis=1), X, y, resolution=5)
    with pytest.raises(ValueError, match="one number"):
        plot_decision_boundary(lambda P: [Value(1.0)] * len(P), X, y, resolution=5)
    with pytest.raises(ValueError, match="shape"):
        plot_decision_boundary(lambda P: P, X[:, :1], y, resolution=5)


def test_plot_single_weight_draws_the_parabola_and_the_path():
    path = [1.0, 2.6, 2.92, 2.984]  # lr 0.1 from w = 1, as in the lesson
    _, ax = render_png(lambda: plot_single_weight(2.0, 6.0, path))
    labels = legend_labels(ax)
    assert "minimum: w = 3" in labels and "start: w = 1" in labels and "end: w = 2.984" in labels
    assert "0" in texts(ax) and "1" in texts(ax)  # the steps are numbered
    arrows = [t for t in ax.texts if t.arrow_patch is not None]
    assert len(arrows) == len(path) - 1


def test_plot_single_weight_without_a_path_and_with_a_diverging_one():
    build(lambda: plot_single_weight())
    _, ax = render_png(lambda: plot_single_weight(path=[1.0, 10.0, -50.0, math.inf]))
    assert "diverged" in ax.get_title()
    with pytest.raises(ValueError, match="x must not be 0"):
        plot_single_weight(x=0.0)


def test_plots_draw_into_a_given_axes():
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plot_loss([1.0, 0.5], ax=left) is fig
    assert plot_single_weight(ax=right) is fig
    assert left.get_title() and right.get_title()


def test_a_drawing_has_a_stable_text_form_for_saved_notebooks():
    d, _ = abc()
    assert repr(draw_graph(d)) == "<computation graph drawing>"
    assert "0x" not in repr(draw_backward_step(d, backward_steps(d), 0))


# --- mistakes, and runs that blow up ----------------------------------------------------------


class TinyModel:
    """Stands for a model: it has a parameters() method, as every course module does."""

    def __init__(self, *params):
        self.params = list(params)

    def parameters(self):
        return self.params


def test_draw_graph_says_to_call_model_parameters():
    d, (a, b, _) = abc()
    model = TinyModel(a, b)
    with pytest.raises(TypeError, match=r"not the TinyModel itself: pass model.parameters\(\)"):
        draw_graph(d, params=model)
    with pytest.raises(TypeError, match=r"method `parameters` itself.*model.parameters\(\)"):
        draw_graph(d, params=model.parameters)
    with pytest.raises(TypeError, match=r"model.parameters\(\)"):
        draw_graph(d, params=3)
    # what a drawing can take kindly: the list, one Value, or nothing to mark
    marked = [node_line(draw_graph(d, params=p).source, "v0") for p in ([a], a, model.parameters())]
    assert all(PARAMETER_FILL in line for line in marked)
    assert PARAMETER_FILL not in draw_graph(d, params=[]).source


def test_step_drawings_and_the_stepper_say_the_same_sentence():
    o = neuron()
    order, steps = o.topological_order(), backward_steps(o)
    for k in range(len(steps)):
        line = describe_backward_step(order, steps, k)
        prefix = f"step {k + 1}/{len(steps)}: "
        assert line.startswith(prefix)
        sentence = line[len(prefix):].replace("`", "'")
        caption = html.unescape(draw_backward_step(o, steps, k).source)
        assert sentence[:1].upper() + sentence[1:] in caption
    k = next(k for k, step in enumerate(steps)
             if any(order[flow.child].label == "x1" for flow in step.flows))
    caption = html.unescape(draw_backward_step(o, steps, k).source)
    assert "passes -3 × 0.501 = -1.503 to 'x1', 2 × 0.501 = 1.002 to 'w1'" in caption


def test_backward_steps_has_a_size_limit():
    with pytest.raises(ValueError, match=r"5 Values, more than max_nodes=2: every step keeps"):
        backward_steps(abc()[0], max_nodes=2)
    assert len(backward_steps(reuse(), max_nodes=3)) == 3


def test_plot_loss_takes_values_as_their_data():
    _, from_values = build(lambda: plot_loss([Value(1.0), Value(0.5)], [None, Value(0.7)]))
    _, from_floats = build(lambda: plot_loss([1.0, 0.5], [None, 0.7]))
    for a, b in zip(from_values.lines, from_floats.lines):
        assert list(a.get_ydata()) == list(b.get_ydata())


@pytest.mark.parametrize("losses, message", [
    (3, r"losses must be a list of numbers, one loss per step.*got int 3"),
    (Value(2.0), r"losses must be a list of numbers"),
    (["0.5", 0.4], r"losses must hold numbers; at step 0 it holds str '0.5'"),
    ([1.0, None], r"losses must hold numbers; at step 1 it holds NoneType"),
])
def test_plot_loss_says_what_it_takes(losses, message):
    with pytest.raises(TypeError, match=message):
        plot_loss(losses)
    with pytest.raises(TypeError, match=r"dev_losses must hold numbers \(or None"):
        plot_loss([1.0, 0.5], dev_losses=[None, "0.5"])


def off_scale_marks(ax) -> list[float]:
    """The steps (or learning rates) marked "off the scale" along the top of the plot."""
    [line] = [line for line in ax.lines if line.get_label() == OFF_SCALE_TEXT]
    return list(line.get_xdata())


@pytest.mark.parametrize("log", [False, True])
def test_plot_loss_marks_losses_too_large_to_draw(log):
    train = [1.0, 1e10, 1e280, 1e290, 2.0]
    dev = [1.0, None, 1e200, None, 3.0]
    _, ax = render_png(lambda: plot_loss(train, dev, log=log))
    assert OFF_SCALE_TEXT == "off the scale (> 1e100)"
    assert OFF_SCALE_TEXT in legend_labels(ax)
    assert off_scale_marks(ax) == [2, 3]
    assert np.nanmax(ax.lines[0].get_ydata()) == 1e10  # the rest of the curve is drawn
    assert "diverged" not in texts(ax)  # finite losses: off the scale, not diverged
    _, ax = render_png(lambda: plot_loss([1e280, 1e290], log=log))  # nothing on the scale
    assert off_scale_marks(ax) == [0, 1] and ax.get_ylabel() == "loss"


def test_plot_lr_finder_marks_losses_too_large_to_draw():
    lrs, losses = [0.01, 0.1, 1, 10, 100], [0.5, 0.2, 1e280, math.inf, 1e290]
    _, ax = render_png(lambda: plot_lr_finder(lrs, losses))
    assert off_scale_marks(ax) == [1, 100]
    assert "diverged (inf or nan)" in legend_labels(ax)
    assert "largest stable lr = 0.1" in legend_labels(ax)
    _, ax = render_png(lambda: plot_lr_finder([0.1, 1], [1e280, 1e290]))  # none on the scale
    assert off_scale_marks(ax) == [0.1, 1]


def test_plot_single_weight_draws_a_path_that_overflows_up_to_the_scale():
    path = single_weight_descent(1.0, 200)  # the error is multiplied by -7 at every step
    with pytest.raises(OverflowError):
        (path[-1] * 2 - 6) ** 2  # its loss is past what a float holds
    _, ax = render_png(lambda: plot_single_weight(path=path))
    # loss 16 * 49**k passes 1e100 at k = 59: steps 0 to 58 are drawn
    assert "off the scale from step 59" in ax.get_title()
    assert any("steps 59 to 200:" in t and OFF_SCALE_TEXT in t for t in texts(ax))
    assert f"last on the scale: w = {path[58]:.4g}" in legend_labels(ax)
    _, ax = render_png(lambda: plot_single_weight(path=[1.0, 10.0, -50.0, math.nan]))
    assert any(t.startswith("step 3:") and "w is nan" in t for t in texts(ax))


# --- the layout of course/show ----------------------------------------------------------------

SHOW_DIR = Path(course.show.__file__).parent


def test_colours_are_written_down_once_in_the_palette():
    for path in SHOW_DIR.glob("*.py"):
        if path.name != "palette.py":
            assert not re.findall(r"#[0-9A-Fa-f]{3,6}\b", path.read_text()), path.name


def test_every_file_of_course_show_does_one_job_in_at_most_500_lines():
    for path in SHOW_DIR.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 500, path.name


def test_the_old_import_paths_still_work():
    from course.show.graph import backward_steps as from_graph
    from course.show.widgets import classify_descent, single_weight_descent

    assert from_graph is backward_steps
    assert single_weight_descent is course.single_weight.single_weight_descent
    assert classify_descent is course.single_weight.classify_descent


# ----------------------------------------------------------------------------------------------
# Pictures built as SVG text (the widgets' live pictures) and the network diagram's data
# ----------------------------------------------------------------------------------------------

from course.nn import MLP  # noqa: E402
from course.show.descent_svg import descent_svg  # noqa: E402
from course.show.neuron_maps import (  # noqa: E402
    MAX_EDGE_WIDTH,
    MIN_EDGE_WIDTH,
    colour_image,
    describe_neuron,
    edge_styles,
    grid_points,
    neuron_grids,
)
from course.show.numpy_network import network_as_arrays  # noqa: E402
from course.show.palette import BLUE, ORANGE  # noqa: E402
from course.show.svg import Frame, nice_ticks  # noqa: E402


def rgb(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


@pytest.mark.parametrize("low, high, expected", [
    (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (0, 0.628, [0, 0.2, 0.4, 0.6]),
    (-2.3, 7.1, [-2, 0, 2, 4, 6]),
    (0, 50, [0, 10, 20, 30, 40, 50]),
])
def test_nice_ticks_are_round_numbers_inside_the_range(low, high, expected):
    assert nice_ticks(low, high, 5) == pytest.approx(expected)


def test_a_frame_maps_its_corners_to_its_rectangle():
    frame = Frame(left=10, top=20, width=100, height=50, x_low=-1, x_high=1, y_low=0, y_high=5)
    assert frame.x([-1, 0, 1]).tolist() == [10, 60, 110]
    assert frame.y([0, 5, 2.5]).tolist() == [70, 20, 45]  # larger numbers higher up
    assert "points='10.0,70.0 110.0,20.0'" in frame.polyline([-1, 0, 1], [0, np.nan, 5], BLUE)


def test_the_descent_picture_draws_one_point_per_step_and_marks_divergence():
    weights = single_weight_descent(0.05, 20)
    picture = descent_svg(weights, 0.05)
    assert picture.startswith("<svg") and "Loss at each step (lr = 0.05)" in picture
    # 21 weights: 21 points on the loss curve and 21 on the parabola, 20 arrows between them
    assert picture.count("r='2.4'") == 21 and picture.count("r='3'") == 21
    assert picture.count("marker-end=") == 20
    assert "end: w = 3" in picture
    blown_up = descent_svg(single_weight_descent(1.0, 50, x=100.0), 1.0, x=100.0)
    assert "off the scale" in blown_up and "diverged: off the scale from step" in blown_up


def test_neuron_grids_are_the_engines_neuron_outputs():
    model = MLP(2, [3, 2, 1], activation="tanh", output_activation="linear", seed=1)
    points = grid_points(np.array([-1.0, -2.0]), np.array([1.0, 2.0]), 4)
    grids = neuron_grids(network_as_arrays(model), points, 4)
    assert [g.shape for g in grids] == [(2, 4, 4), (3, 4, 4), (2, 4, 4), (1, 4, 4)]
    assert grids[0][0][0].tolist() == pytest.approx([-1, -1 / 3, 1 / 3, 1])  # x1 along the top
    assert grids[0][1][:, 0].tolist() == pytest.approx([2, 2 / 3, -2 / 3, -2])  # x2 goes down
    for row, col in [(0, 0), (1, 2), (3, 3)]:
        a = [Value(v) for v in points[row * 4 + col]]
        for number, layer in enumerate(model.layers, start=1):
            a = [neuron(a) for neuron in layer.neurons]
            for k, value in enumerate(a):
                assert grids[number][k, row, col] == pytest.approx(value.data, abs=1e-12)


def test_edges_are_coloured_by_sign_and_as_wide_as_the_weight():
    layers = [(np.array([[2.0, -1.0], [0.0, 0.5]]), np.zeros(2), "tanh"),
              (np.array([[-4.0, 1.0]]), np.zeros(1), "linear")]
    edges = edge_styles(layers)
    assert len(edges) == 6
    by_place = {(e.layer, e.source, e.target): e for e in edges}
    assert by_place[(2, 0, 0)].width == MAX_EDGE_WIDTH and by_place[(2, 0, 0)].colour == BLUE
    assert by_place[(1, 0, 1)].width == MIN_EDGE_WIDTH and by_place[(1, 0, 1)].colour == ORANGE
    assert by_place[(1, 0, 0)].width == pytest.approx(MIN_EDGE_WIDTH + 0.5 * (MAX_EDGE_WIDTH
                                                                               - MIN_EDGE_WIDTH))
    assert by_place[(1, 1, 0)].colour == BLUE and by_place[(1, 1, 0)].weight == -1.0
    text = describe_neuron(layers, 1, 0)
    assert text == "layer 1, neuron 1 (tanh): bias 0, weights [2, -1]"
    assert describe_neuron(layers, 2, 0).startswith("output (linear): bias 0, weights [-4, 1]")


def test_colour_image_orange_positive_blue_negative_white_zero():
    picture = colour_image(np.array([[2.0, -2.0, 0.0, 1.0, np.nan]]), scale=2.0)
    assert picture.dtype == np.uint8 and picture.shape == (1, 5, 3)
    assert picture[0, 0].tolist() == rgb(ORANGE)
    assert picture[0, 1].tolist() == rgb(BLUE)
    assert picture[0, 2].tolist() == [255, 255, 255]
    halfway = (np.array([255] * 3) + np.array(rgb(ORANGE))) / 2
    assert picture[0, 3].tolist() == np.round(halfway).astype(int).tolist()
    assert picture[0, 4].tolist() == [160, 160, 160]  # nan: grey
