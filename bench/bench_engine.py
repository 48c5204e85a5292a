"""Speed of the course's engine, side by side with micrograd 0.1.0 in one process.

The workload is micrograd's classic demo step: 100 moons points (noise 0.1), an MLP
2 -> 16 -> 16 -> 1 (ReLU hidden, linear output), hinge loss + 1e-4 * L2, full batch, SGD with
lr = 1.0 - 0.9 * k / 100. Both engines run the very same loop code; only the model differs.
It also times backward() on long chains, to show the time growing linearly with their length.

Run it with `make bench` (which installs micrograd==0.1.0 into the environment first) or
`python bench/bench_engine.py [--steps N]`. It installs nothing itself; without micrograd it
times the course's engine alone. Machines are noisy: read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from course.data import make_moons
from course.engine import Value
from course.nn import MLP


def demo_step_times(model, value_cls, X, y, steps: int) -> tuple[list[float], object]:
    """Run `steps` demo training steps; return each step's seconds and the last loss node."""
    params = model.parameters()
    times = []
    loss = None
    for k in range(steps):
        start = time.perf_counter()
        inputs = [[value_cls(float(v)) for v in row] for row in X]
        scores = [model(row) for row in inputs]
        margins = [(1 + -float(label) * score).relu() for label, score in zip(y, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        loss = data_loss + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        times.append(time.perf_counter() - start)
    return times, loss


def chain_backward_seconds(length: int) -> float:
    """Seconds for backward() through a chain of `length` additions."""
    x, step = Value(0.0), Value(1.0)
    node = x
    for _ in range(length):
        node = node + step
    start = time.perf_counter()
    node.backward()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="demo steps per engine")
    parser.add_argument("--micrograd-steps", type=int, default=20, help="micrograd is slow")
    args = parser.parse_args()

    X, labels = make_moons(n=100, noise=0.1, seed=0)
    y = 2 * labels - 1  # hinge loss wants labels -1 / +1

    model = MLP(2, [16, 16, 1], activation="relu", seed=1337)
    ours, our_loss = demo_step_times(model, Value, X, y, args.steps)
    print(f"course.engine : median {1e3 * statistics.median(ours):7.1f} ms/step over "
          f"{len(ours)} steps, final loss {our_loss.data:.4f}, "
          f"{len(our_loss.topological_order()):,} graph nodes a step")

    try:
        from micrograd.engine import Value as MicrogradValue
        from micrograd.nn import MLP as MicrogradMLP
    except ImportError:
        print("micrograd       : not installed (`make bench` installs micrograd==0.1.0)")
    else:
        random.seed(1337)
        theirs, their_loss = demo_step_times(
            MicrogradMLP(2, [16, 16, 1]), MicrogradValue, X, y, args.micrograd_steps
        )
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"micrograd 0.1.0: median {1e3 * statistics.median(theirs):7.1f} ms/step over "
              f"{len(theirs)} steps, final loss {their_loss.data:.4f}")
        print(f"ratio          : course.engine is {ratio:.1f}x faster per demo step")

    short, long = 10**5, 10**6
    t_short, t_long = chain_backward_seconds(short), chain_backward_seconds(long)
    print(f"chain backward : {short:>9,} nodes {t_short:6.2f} s | {long:>9,} nodes {t_long:6.2f} s"
          f" | 10x the nodes took {t_long / t_short:.1f}x the time")


if __name__ == "__main__":
    main()
