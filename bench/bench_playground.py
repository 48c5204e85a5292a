"""How fast the playground trains: steps per second, with and without redrawing the picture.

The setup is the playground's default network, MLP 2 -> 8 -> 8 -> 1 (tanh), on 100 moons
training points with mini-batches of 10 and binary cross-entropy: one step is one mini-batch
through the scalar engine, forward, backward and update. Four numbers:

* training alone: ``PlaygroundRun.train_epoch()`` in a loop, no pictures;
* one redraw: drawing the boundary, the curves and the network
  diagram (SVG, every neuron's map included);
* playing: the widget's Play loop in its background thread, as a student sees it. The bars:
  at least 10 redraws a second, and at least 20 training steps a second between them;
* the learning-rate explorer of notebook 01: one slider move (the run and its picture).

Run it with `make bench` or `python bench/bench_playground.py [--seconds S]`. The machine is
shared and noisy: read the numbers as orders of magnitude.
"""

from __future__ import annotations

import argparse
import statistics
import time

from course.show.playground import Playground, PlaygroundRun, PlaygroundSettings
from course.show.widgets import LearningRateExplorer

SETTINGS = PlaygroundSettings(dataset="moons", layers=(8, 8), batch_size=10, lr=0.1)
TARGET_STEPS_PER_SECOND = 20
TARGET_REDRAWS_PER_SECOND = 10


def training_alone(seconds: float) -> float:
    """Steps per second of PlaygroundRun.train_epoch() with no drawing."""
    run = PlaygroundRun(SETTINGS)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        run.train_epoch()
    return run.steps / (time.perf_counter() - start)


def redraw_seconds(repeats: int = 5) -> float:
    """Median time of one Playground.refresh() once the losses are measured: the boundary,
    the curves and the diagram."""
    playground = Playground(SETTINGS)
    times = []
    for _ in range(repeats):
        playground.step()  # a new epoch, so refresh measures the losses again
        start = time.perf_counter()
        playground.refresh()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def playing(seconds: float) -> tuple[float, int]:
    """Steps per second while the Play loop runs (with its redraws), and how many redraws."""
    playground = Playground(SETTINGS)
    renders_before = playground.renders
    start = time.perf_counter()
    playground.play()
    time.sleep(seconds)
    playground.pause()
    elapsed = time.perf_counter() - start
    return playground.run.steps / elapsed, playground.renders - renders_before


def slider_move_seconds(repeats: int = 21) -> float:
    """Median time of one move of the lr explorer's slider: descent, regime, picture."""
    explorer = LearningRateExplorer(steps=50)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        explorer.lr_slider.value = 0.001 * 1.4 ** (i % 20)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each timed run")
    args = parser.parse_args()

    print(f"setup: {SETTINGS.to_string()}")
    alone = training_alone(args.seconds)
    print(f"training alone:        {alone:7.0f} steps/s")
    redraw = redraw_seconds()
    print(f"one redraw:            {redraw * 1000:7.0f} ms (median of 5)")
    rate, renders = playing(args.seconds)
    redraws = renders / args.seconds
    fast_enough = rate >= TARGET_STEPS_PER_SECOND and redraws >= TARGET_REDRAWS_PER_SECOND
    print(f"playing (with redraws): {rate:6.0f} steps/s, {redraws:.1f} redraws/s "
          f"[targets >= {TARGET_STEPS_PER_SECOND} steps/s and >= {TARGET_REDRAWS_PER_SECOND} "
          f"redraws/s: {'ok' if fast_enough else 'BELOW TARGET'}]")
    print(f"lr slider, one move:   {slider_move_seconds() * 1000:7.1f} ms (median of 21, in the "
          f"kernel; the browser adds its round trip)")


if __name__ == "__main__":
    main()
