"""Speed of the tensor engine against the scalar engine and hand-written NumPy, in one process.

The workload is micrograd's demo step (as in bench_engine.py): 100 moons points, an MLP
2 -> 16 -> 16 -> 1 (ReLU hidden, linear output), hinge loss + 1e-4 * L2, full batch, SGD with
lr = 1.0 - 0.9 * k / 100. All three start from the same weights, so they also print the same
final loss. The tensor engine's inputs and targets are data, made with requires_grad=False, so
its backward pass computes no gradient for them, as the NumPy program computes none. Targets: the
tensor engine at least 100x faster than the scalar engine, and at most 3x slower than NumPy with
the backward pass written by hand.

Run it with `make bench` or `python bench/bench_tensor.py [--steps N]`. Machines are noisy:
read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from bench_engine import demo_step_times

from course.data import make_moons
from course.engine import Value
from course.nn import MLP
from course.tensor import MLP as TensorMLP
from course.tensor import Tensor

ALPHA = 1e-4  # weight of the L2 term


def tensor_step_times(model: TensorMLP, X: np.ndarray, y: np.ndarray, steps: int):
    """Run `steps` demo steps with the tensor engine; return each step's seconds and last loss."""
    params = model.parameters()
    X, y = Tensor(X, requires_grad=False), Tensor(y.reshape(-1, 1), requires_grad=False)
    times, loss = [], None
    for k in range(steps):
        start = time.perf_counter()
        scores = model(X)
        data_loss = (1.0 - y * scores).relu().mean()
        loss = data_loss + ALPHA * sum((p * p).sum() for p in params)
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        times.append(time.perf_counter() - start)
    return times, loss.item()


def numpy_step_times(layers: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, y: np.ndarray,
                     steps: int):
    """The same steps in plain NumPy, the backward pass written out by hand for this network."""
    (W1, b1), (W2, b2), (W3, b3) = [(W.copy(), b.copy()) for W, b in layers]
    y = y.reshape(-1, 1).astype(float)
    n = len(X)
    times, loss = [], None
    for k in range(steps):
        start = time.perf_counter()
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0.0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0.0)
        scores = h2 @ W3 + b3
        margins = 1.0 - y * scores
        params = (W1, b1, W2, b2, W3, b3)
        loss = np.maximum(margins, 0.0).mean() + ALPHA * sum((p * p).sum() for p in params)
        d_scores = -y * (margins > 0) / n
        d_W3, d_b3 = h2.T @ d_scores, d_scores.sum(axis=0)
        d_z2 = (d_scores @ W3.T) * (z2 > 0)
        d_W2, d_b2 = h1.T @ d_z2, d_z2.sum(axis=0)
        d_z1 = (d_z2 @ W2.T) * (z1 > 0)
        d_W1, d_b1 = X.T @ d_z1, d_z1.sum(axis=0)
        lr = 1.0 - 0.9 * k / 100
        for p, g in zip(params, (d_W1, d_b1, d_W2, d_b2, d_W3, d_b3)):
            p -= lr * (g + 2 * ALPHA * p)
        times.append(time.perf_counter() - start)
    return times, float(loss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="demo steps per array engine")
    parser.add_argument("--repeats", type=int, default=20, help="runs of the array engines")
    parser.add_argument("--scalar-steps", type=int, default=20, help="the scalar engine is slow")
    parser.add_argument("--large", type=int, default=10_000, help="points of the larger batch")
    args = parser.parse_args()
    demo_step(args)
    large_batch(args.large)


def interleaved_medians(X: np.ndarray, y: np.ndarray, make_model, steps: int, repeats: int):
    """Median seconds per step and last loss of the tensor engine and NumPy, from one model."""
    tensor, numpy_times = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine load
        times, tensor_loss = tensor_step_times(TensorMLP.from_scalar(make_model()), X, y, steps)
        tensor += times
        layers = [(W.data, b.data) for W, b in TensorMLP.from_scalar(make_model()).layers]
        times, numpy_loss = numpy_step_times(layers, X, y, steps)
        numpy_times += times
    return (statistics.median(tensor), tensor_loss), (statistics.median(numpy_times), numpy_loss)


def fresh_scalar_model() -> MLP:
    return MLP(2, [16, 16, 1], activation="relu", seed=1337)


def demo_step(args: argparse.Namespace) -> None:
    """The demo step: the scalar engine, the tensor engine and NumPy by hand."""

    X, labels = make_moons(n=100, noise=0.1, seed=0)
    y = 2.0 * labels - 1.0  # hinge loss wants labels -1 / +1

    scalar, scalar_loss = demo_step_times(fresh_scalar_model(), Value, X, y, args.scalar_steps)
    (tensor, tensor_loss), (numpy_time, numpy_loss) = interleaved_medians(
        X, y, fresh_scalar_model, args.steps, args.repeats)
    scalar = statistics.median(scalar)
    print(f"demo step, 100 points (median ms per step; loss after {args.steps} steps)")
    print(f"  scalar engine : {1e3 * scalar:8.3f} ms  (loss after {args.scalar_steps} steps "
          f"{scalar_loss.data:.4f})")
    print(f"  tensor engine : {1e3 * tensor:8.3f} ms  loss {tensor_loss:.4f}")
    print(f"  NumPy by hand : {1e3 * numpy_time:8.3f} ms  loss {numpy_loss:.4f}")
    print(f"  ratio: the tensor engine is {scalar / tensor:.0f}x faster than the scalar engine "
          f"(target >= 100x)")
    print(f"  ratio: the tensor engine takes {tensor / numpy_time:.1f}x the time of NumPy by hand "
          f"(target <= 3x)")


def large_batch(n: int) -> None:
    """The same step on n points: NumPy's own work grows, the engine's bookkeeping does not."""
    X, labels = make_moons(n=n, noise=0.1, seed=0)
    (tensor, _), (numpy_time, _) = interleaved_medians(
        X, 2.0 * labels - 1.0, fresh_scalar_model, steps=20, repeats=5)
    print(f"the same step on {n:,} points: tensor engine {1e3 * tensor:.2f} ms, NumPy by hand "
          f"{1e3 * numpy_time:.2f} ms: {tensor / numpy_time:.1f}x the time")


if __name__ == "__main__":
    main()
