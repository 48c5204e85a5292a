"""The playground's live pictures as SVG: the decision boundary, the loss curves and the
network diagram, each a few kilobytes of text the browser draws.

Why SVG and not matplotlib here: a matplotlib redraw of the boundary and the curves took
about 0.14 s (mostly laying out tick labels and legends), too slow for ten redraws a second
next to training. These strings are built in a few milliseconds from NumPy arrays, and the
browser draws them at once; they are saved with the notebook like any widget value, so the
offline slide decks show them too. ``PlaygroundRun.figure()`` still draws the matplotlib
version for a notebook cell.

Colours: orange is positive (class 1), blue negative (class 0), white about zero.
"""

from __future__ import annotations

import html

import numpy as np

from course.show.boundary import area_around
from course.show.neuron_maps import (
    Layers,
    colour_image,
    describe_neuron,
    edge_styles,
    grid_points,
    neuron_grids,
    png_data_url,
)
from course.show.numpy_network import network_as_arrays, numpy_scores
from course.show.palette import BLACK, BLUE, GREY, ORANGE, WARNING_COLOUR, WHITE
from course.show.svg import Frame, nice_ticks, svg, text

BOUNDARY_RESOLUTION = 40  # grid points a side for the shading of the boundary
NEURON_RESOLUTION = 20  # and for each neuron's small map
PLOT_SIZE = 280  # pixels: the boundary's square, and the height of the loss plot
NEURON_SIZE = 34  # pixels: a neuron's square in the diagram (smaller for wide layers)
COLUMN_PITCH = 96  # pixels between the diagram's columns (the layer buttons line up with it)
DIAGRAM_HEIGHT = 330
SCORE_SCALE = 3.0  # an output score this large (either sign) is shaded at full strength

LEGEND = (
    f"<b style='color:{ORANGE}'>orange</b> = positive, <b style='color:{BLUE}'>blue</b> = "
    "negative, white ≈ 0. Each small square is one neuron's output over the same plane as the "
    "boundary; the output's sign is the predicted class (orange: class 1, blue: class 0). "
    "Lines are weights: orange positive, blue negative, thicker = larger. Hover over a neuron "
    "or a line (or click it) to read its numbers; − and + above a layer remove or add a neuron."
)


# ----------------------------------------------------------------------------------------------
# The decision boundary
# ----------------------------------------------------------------------------------------------


def _points_svg(X: np.ndarray, y: np.ndarray, to_pixels, filled: bool) -> str:
    """Class 0 as circles, class 1 as squares; train points filled, test points hollow."""
    shapes = []
    for (px, py), label in zip(to_pixels(X), y):
        colour = ORANGE if label == 1 else BLUE
        fill, stroke, width = (colour, BLACK, 0.6) if filled else (WHITE, colour, 1.6)
        style = f"fill='{fill}' stroke='{stroke}' stroke-width='{width}'"
        if label == 1:
            shapes.append(f"<rect x='{px - 3.5:.1f}' y='{py - 3.5:.1f}' width='7' height='7' "
                          f"{style}/>")
        else:
            shapes.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='3.8' {style}/>")
    return "".join(shapes)


def boundary_svg(run, layers: Layers | None = None) -> str:
    """The output score shaded over the plane, with the train (filled) and test (hollow)
    points and both accuracies in the title."""
    layers = network_as_arrays(run.model) if layers is None else layers
    low, high = area_around(np.vstack([run.X_train, run.X_test]))
    left, top, size = 34, 34, PLOT_SIZE

    def to_pixels(X: np.ndarray) -> np.ndarray:
        fraction = (np.asarray(X) - low) / (high - low)
        return np.column_stack([left + fraction[:, 0] * size, top + (1 - fraction[:, 1]) * size])

    grid = grid_points(low, high, BOUNDARY_RESOLUTION)
    scores = neuron_grids(layers, grid, BOUNDARY_RESOLUTION)[-1][0]
    shading = png_data_url(colour_image(scores, scale=SCORE_SCALE))
    accuracies = []
    for X, y in ((run.X_train, run.y_train), (run.X_test, run.y_test)):
        predicted = numpy_scores(layers, X) > 0
        accuracies.append(float(np.mean(predicted == (np.asarray(y) == 1))))
    body = [
        text(left + size / 2, 14, "Decision boundary (shading: the output's sign and size)",
              weight="bold"),
        text(left + size / 2, 28, f"train accuracy {accuracies[0]:.0%}, "
              f"test accuracy {accuracies[1]:.0%}", colour=GREY),
        f"<image x='{left}' y='{top}' width='{size}' height='{size}' opacity='0.75' "
        f"preserveAspectRatio='none' href='{shading}'/>",
        f"<rect x='{left}' y='{top}' width='{size}' height='{size}' fill='none' stroke='{GREY}'/>",
        _points_svg(run.X_train, run.y_train, to_pixels, filled=True),
        _points_svg(run.X_test, run.y_test, to_pixels, filled=False),
        text(left + size / 2, top + size + 16, f"first input x1: {low[0]:.2g} to {high[0]:.2g}",
              colour=GREY),
        f"<g transform='translate(14 {top + size / 2:.0f}) rotate(-90)'>"
        + text(0, 0, f"second input x2: {low[1]:.2g} to {high[1]:.2g}", colour=GREY) + "</g>",
    ]
    return svg(left + size + 8, top + size + 24, body, "course-boundary")


# ----------------------------------------------------------------------------------------------
# The loss curves
# ----------------------------------------------------------------------------------------------


def loss_svg(run, loss_name: str) -> str:
    """Train loss (solid blue) and test loss (dashed orange) against the epoch."""
    epochs = np.asarray(run.curve_epochs, dtype=float)
    train, test = (np.asarray(c, dtype=float) for c in (run.train_losses, run.test_losses))
    finite = np.concatenate([train[np.isfinite(train)], test[np.isfinite(test)]])
    highest = float(finite.max()) * 1.05 if finite.size and finite.max() > 0 else 1.0
    last_epoch = max(float(epochs.max()) if epochs.size else 0.0, 1.0)
    frame = Frame(56, 34, 290, PLOT_SIZE - 10, 0.0, last_epoch, 0.0, highest)
    body = [text(frame.left + frame.width / 2, 14, f"{loss_name} loss, epoch {run.epoch}",
                 weight="bold")]
    whole_epochs = [tick for tick in nice_ticks(0, last_epoch, 5) if tick == int(tick)]
    body += frame.box(whole_epochs, nice_ticks(0, highest, 5), "epoch", "loss")
    body.append(frame.polyline(epochs, np.clip(train, 0, highest), BLUE))
    body.append(frame.polyline(epochs, np.clip(test, 0, highest), ORANGE, dash="5 3"))
    right, legend_y = frame.left + frame.width, frame.top + 14
    body += [
        f"<line x1='{right - 110}' x2='{right - 90}' y1='{legend_y}' y2='{legend_y}' "
        f"stroke='{BLUE}' stroke-width='2'/>",
        text(right - 86, legend_y + 4, "train", anchor="start"),
        f"<line x1='{right - 55}' x2='{right - 35}' y1='{legend_y}' y2='{legend_y}' "
        f"stroke='{ORANGE}' stroke-width='2' stroke-dasharray='5 3'/>",
        text(right - 31, legend_y + 4, "test", anchor="start"),
    ]
    if run.diverged:
        body.append(text(frame.left + frame.width / 2, frame.top + frame.height / 2,
                         "diverged: lower the learning rate and press Reset",
                         colour=WARNING_COLOUR, weight="bold"))
    return svg(right + 10, frame.top + frame.height + 34, body, "course-loss-curves")


# ----------------------------------------------------------------------------------------------
# The network diagram
# ----------------------------------------------------------------------------------------------


def neuron_positions(widths: list[int]) -> list[list[tuple[float, float, float]]]:
    """(x, y, size) of the top-left corner of each neuron's square, column by column."""
    columns = []
    for column, count in enumerate(widths):
        pitch = min(NEURON_SIZE + 8, (DIAGRAM_HEIGHT - 40) / count)
        size = min(NEURON_SIZE, pitch - 4)
        first = 28 + (DIAGRAM_HEIGHT - 40 - count * pitch) / 2
        x = 20 + column * COLUMN_PITCH + (NEURON_SIZE - size) / 2
        columns.append([(x, first + i * pitch + (pitch - size) / 2, size) for i in range(count)])
    return columns


READOUT_LINES = 4  # lines of text under the diagram for the neuron or weight pointed at
MIN_DIAGRAM_WIDTH = 420  # pixels: room for those lines even when the network is small
# Each neuron and line carries its numbers as a readout, shown under the diagram while the
# pointer is over it, or after a click (which focuses it) until a click elsewhere.
READOUT_STYLE = ("<style>.course-readout{display:none}"
                 ".course-item:hover .course-readout,.course-item:focus .course-readout"
                 "{display:inline}.course-item{outline:none;cursor:pointer}</style>")


def _readout(lines: list[str], width: float) -> str:
    """The hidden lines of text of one neuron or weight, on a white band under the diagram."""
    top = DIAGRAM_HEIGHT + 2
    parts = [f"<g class='course-readout'><rect x='0' y='{top}' width='{width:.0f}' "
             f"height='{READOUT_LINES * 14 + 4}' fill='{WHITE}'/>"]
    parts += [text(8, top + 13 + 14 * i, line, anchor="start") for i, line in
              enumerate(lines[:READOUT_LINES])]
    return "".join(parts) + "</g>"


def _neuron_lines(layers: Layers, column: int, neuron: int) -> list[str]:
    """A neuron's numbers for the readout: its name and bias, then its weights, six a line."""
    if column == 0:
        which = "first" if neuron == 0 else "second"
        return [f"{_name(len(layers), 0, neuron)}: the point's {which} coordinate, shaded over "
                f"the plane"]
    name_and_bias, weights = describe_neuron(layers, column, neuron).split(", weights ")
    numbers = weights.strip("[]").split(", ")
    chunks = [", ".join(numbers[i:i + 6]) for i in range(0, len(numbers), 6)]
    return [name_and_bias, *(f"{'weights' if i == 0 else '       '} {chunk}"
                             for i, chunk in enumerate(chunks))]


def diagram_svg(run, layers: Layers | None = None) -> str:
    """Inputs, every neuron as a small map of its own output over the input plane, the
    output; weights as lines coloured by sign and as wide as their size. Each neuron and
    line carries its numbers in a <title> (a tooltip) and in a readout under the diagram,
    shown while the pointer is over it or after a click."""
    layers = network_as_arrays(run.model) if layers is None else layers
    low, high = area_around(np.vstack([run.X_train, run.X_test]))
    grids = neuron_grids(layers, grid_points(low, high, NEURON_RESOLUTION), NEURON_RESOLUTION)
    positions = neuron_positions([len(g) for g in grids])
    width = max(20 + (len(grids) - 1) * COLUMN_PITCH + NEURON_SIZE + 20, MIN_DIAGRAM_WIDTH)
    body = [READOUT_STYLE, text(8, DIAGRAM_HEIGHT + 15, "Point at a neuron or a line, or click "
                                "it, to read its numbers here.", anchor="start", colour=GREY)]
    for edge in edge_styles(layers):
        x0, y0, s0 = positions[edge.layer - 1][edge.source]
        x1, y1, s1 = positions[edge.layer][edge.target]
        tip = (f"weight {edge.weight:.3g}: from {_name(len(layers), edge.layer - 1, edge.source)}"
               f" to {_name(len(layers), edge.layer, edge.target)}")
        ends = f"x1='{x0 + s0:.1f}' y1='{y0 + s0 / 2:.1f}' x2='{x1:.1f}' y2='{y1 + s1 / 2:.1f}'"
        body.append(f"<g class='course-edge course-item' tabindex='0'>"
                    f"<title>{html.escape(tip)}</title>"
                    f"<line {ends} stroke='{edge.colour}' stroke-width='{edge.width}' "
                    f"stroke-opacity='0.7'/>"
                    f"<line {ends} stroke='{WHITE}' stroke-opacity='0' stroke-width='6'/>"
                    f"{_readout([tip], width)}</g>")
    for column, (grid, places) in enumerate(zip(grids, positions)):
        for neuron, (values, (x, y, size)) in enumerate(zip(grid, places)):
            scale = SCORE_SCALE if column == len(grids) - 1 else None
            tip = (_name(len(layers), 0, neuron) if column == 0
                   else describe_neuron(layers, column, neuron))
            body.append(f"<g class='course-neuron course-item' tabindex='0'>"
                        f"<title>{html.escape(tip)}</title>"
                        f"<image x='{x:.1f}' y='{y:.1f}' width='{size:.1f}' "
                        f"height='{size:.1f}' preserveAspectRatio='none' "
                        f"href='{png_data_url(colour_image(values, scale))}'/>"
                        f"<rect x='{x:.1f}' y='{y:.1f}' width='{size:.1f}' height='{size:.1f}' "
                        f"fill='none' stroke='{GREY}' stroke-width='0.8'/>"
                        f"{_readout(_neuron_lines(layers, column, neuron), width)}</g>")
        label = ("inputs" if column == 0 else "output" if column == len(grids) - 1
                 else f"layer {column}")
        body.append(text(20 + column * COLUMN_PITCH + NEURON_SIZE / 2, 16, label, weight="bold"))
    return svg(width, DIAGRAM_HEIGHT + READOUT_LINES * 14 + 8, body, "course-diagram")


def _name(layer_count: int, column: int, neuron: int) -> str:
    if column == 0:
        return f"input x{neuron + 1}"
    if column == layer_count:
        return "the output"
    return f"layer {column}, neuron {neuron + 1}"
