"""Why notebook 11 computes its loss the way it does: one training step, three ways.

The model is the bigram network of notebook 11: one-hot characters into Layer(27, 27,
"linear"), cross-entropy over the 27 next characters, mini-batches of 512 training pairs.
One step (forward, zero, backward, update) is timed and its graph counted, three ways:

* layer: each pair's one-hot vector through the layer (27 weighted sums of 27 inputs each),
  then ``course.losses.cross_entropy`` on the batch;
* lookup: the same logits read as ``w[i] + b`` (a one-hot input picks weight i), then the same
  cross-entropy, one softmax per pair;
* shared rows: the log-softmax of each character's logits computed once per batch and looked
  up by every pair that starts with that character (the notebook's ``batch_loss``).

All three give the same loss and gradients. Run it with ``python bench/bench_names.py
[--steps N]``. The machine is shared and noisy: read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from course.engine import Value
from course.losses import cross_entropy, log_softmax
from course.names import bigrams, load_names, split_names
from course.nn import Layer

BATCH = 512


def _one_hot(i: int) -> list[float]:
    return [1.0 if k == i else 0.0 for k in range(27)]


def through_layer(layer: Layer, batch: list[tuple[int, int]]) -> Value:
    return cross_entropy([layer(_one_hot(i)) for i, _ in batch], [j for _, j in batch])


def by_lookup(layer: Layer, batch: list[tuple[int, int]]) -> Value:
    rows = [[n.w[i] + n.b for n in layer.neurons] for i, _ in batch]
    return cross_entropy(rows, [j for _, j in batch])


def shared_rows(layer: Layer, batch: list[tuple[int, int]]) -> Value:
    rows: dict[int, list[Value]] = {}
    total = Value(0.0)
    for i, j in batch:
        if i not in rows:
            rows[i] = log_softmax([n.w[i] + n.b for n in layer.neurons])
        total = total - rows[i][j]
    return total * (1.0 / len(batch))


def time_steps(loss_of: Callable, pairs: list, steps: int) -> tuple[float, int, float]:
    """Median seconds a step, graph nodes of a step, and the last loss."""
    layer, rng = Layer(27, 27, "linear", seed=0), random.Random(0)
    params, times = layer.parameters(), []
    for _ in range(steps):
        start = time.perf_counter()
        loss = loss_of(layer, rng.sample(pairs, BATCH))
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 1.0 * p.grad
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(loss.topological_order()), loss.data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    train = split_names(load_names())[0]
    pairs = [pair for name in train for pair in bigrams(name)]
    results = {name: time_steps(f, pairs, args.steps) for name, f in
               [("layer", through_layer), ("lookup", by_lookup), ("shared rows", shared_rows)]}
    slowest = results["layer"][0]
    print(f"one step on {BATCH} pairs (median of {args.steps}):")
    for name, (seconds, nodes, loss) in results.items():
        print(f"  {name:12} {seconds * 1000:7.1f} ms  {nodes:7,} nodes  "
              f"{slowest / seconds:5.1f}x  loss after the steps {loss:.4f}")


if __name__ == "__main__":
    main()
