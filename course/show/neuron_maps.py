"""What the playground's network diagram shows, as plain data: each neuron's output over the
input plane, and each weight as a coloured line.

Everything here is computed with the NumPy copy of the network (``numpy_network.py``), so a
whole grid of points goes through the network in one go; the pictures are small PNGs made
straight from the arrays (no matplotlib), cheap enough to redraw ten times a second.

One colour rule for the whole playground: orange is positive, blue is negative, white is
about zero. A positive score means class 1 (drawn orange), a negative one class 0 (blue).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from course.show.numpy_network import numpy_layer_outputs
from course.show.palette import BLUE, ORANGE, WHITE

Layers = list[tuple[np.ndarray, np.ndarray, str]]  # what network_as_arrays returns

MIN_EDGE_WIDTH = 0.5  # pixels: the smallest weight still shows as a thin line
MAX_EDGE_WIDTH = 4.0  # the largest weight of the network


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def signed_colour(value: float) -> str:
    """ORANGE for a positive number, BLUE for a negative one (zero counts as positive)."""
    return BLUE if value < 0 else ORANGE


def grid_points(low: np.ndarray, high: np.ndarray, resolution: int) -> np.ndarray:
    """resolution x resolution points covering [low, high], one row per point.

    Row 0 of the picture is the top, so the points go from the largest second input down.
    """
    xs = np.linspace(low[0], high[0], resolution)
    ys = np.linspace(high[1], low[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return np.column_stack([xx.ravel(), yy.ravel()])


def neuron_grids(layers: Layers, points: np.ndarray, resolution: int) -> list[np.ndarray]:
    """Each neuron's output over the grid: per layer a (neurons, resolution, resolution) array.

    The first entry is the inputs themselves (x1 and x2 over the plane), then one entry per
    layer of the network, the output layer last.
    """
    inputs = np.asarray(points, dtype=float)
    outputs = [inputs, *numpy_layer_outputs(layers, inputs)]
    return [a.T.reshape(a.shape[1], resolution, resolution) for a in outputs]


def colour_image(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """An RGB picture (uint8) of a 2-D array: orange where positive, blue where negative,
    the stronger the larger the value; white at 0. ``scale`` is the size shown at full
    strength (the largest |value| when not given); nan and inf show as grey."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if scale is None:
        scale = float(np.abs(values[finite]).max()) if finite.any() else 1.0
    strength = np.clip(np.abs(np.where(finite, values, 0.0)) / (scale or 1.0), 0.0, 1.0)
    colours = np.where((values < 0)[..., None], _rgb(BLUE), _rgb(ORANGE))
    white = _rgb(WHITE)
    picture = white + strength[..., None] * (colours - white)
    picture[~finite] = 160.0
    return picture.round().astype(np.uint8)


def png_data_url(picture: np.ndarray) -> str:
    """A uint8 RGB array as a ``data:image/png;base64,...`` address for an <image> tag."""
    buffer = io.BytesIO()
    Image.fromarray(picture, mode="RGB").save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass(frozen=True)
class Edge:
    """One weight as the diagram draws it: from neuron ``source`` of the layer before to
    neuron ``target`` of layer ``layer`` (1 = the first hidden layer; the inputs are 0)."""

    layer: int
    source: int
    target: int
    weight: float
    colour: str
    width: float


def edge_styles(layers: Layers) -> list[Edge]:
    """Every weight of the network as a line: coloured by its sign, as wide as its size.

    Widths go from MIN_EDGE_WIDTH (weight 0) to MAX_EDGE_WIDTH (the largest |weight| in the
    whole network), in proportion, so lines of different layers compare.
    """
    sizes = [np.abs(w[np.isfinite(w)]) for w, _, _ in layers]
    largest = max((float(s.max()) for s in sizes if s.size), default=0.0) or 1.0
    edges = []
    for number, (weights, _, _) in enumerate(layers, start=1):
        for target, row in enumerate(weights):
            for source, weight in enumerate(row):
                size = abs(weight) if np.isfinite(weight) else largest
                width = MIN_EDGE_WIDTH + (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH) * size / largest
                edges.append(Edge(number, source, target, float(weight),
                                  signed_colour(weight), round(float(width), 2)))
    return edges


def describe_neuron(layers: Layers, layer: int, neuron: int) -> str:
    """One line with a neuron's bias and weights (layer 1 is the first hidden layer)."""
    weights, biases, activation = layers[layer - 1]
    place = "output" if layer == len(layers) else f"layer {layer}, neuron {neuron + 1}"
    listed = ", ".join(f"{w:.3g}" for w in weights[neuron])
    return f"{place} ({activation}): bias {biases[neuron]:.3g}, weights [{listed}]"
