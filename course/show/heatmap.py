"""Heatmaps of 27 x 27 bigram tables: rows are a character, columns the character after it.

``plot_bigram_tables`` draws one table or several side by side on one colour scale, with the
characters on both axes and the largest cells of the first table written in (in every panel,
at the same places), so that a count table and the probabilities a network learned can be
compared at a glance. The colour follows the square root of the value, so that rare pairs
still show next to the commonest ones. It returns the Figure; end the
notebook cell with ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure

from course.show.palette import BLACK, WHITE


def plot_bigram_tables(
    tables: Sequence[Sequence[Sequence[float]]],
    titles: Sequence[str],
    chars: str,
    *,
    annotate: int = 12,
    number_format: str = "{:.0f}",
    panel_size: float = 6.0,
    gamma: float = 0.5,
) -> Figure:
    """One heatmap per square table, side by side, sharing one colour scale.

    ``chars`` labels the rows ("this character") and columns ("the next one"). The
    ``annotate`` largest cells of the first table show their pair and value
    (``number_format``) in every panel, so the commonest pairs can be read off and compared
    without a colour bar. The colour is value ** ``gamma`` (1 for a linear scale).
    """
    arrays = [np.asarray(t, dtype=float) for t in tables]
    if len(arrays) != len(titles):
        raise ValueError(f"give one title per table: got {len(arrays)} tables and "
                         f"{len(titles)} titles")
    for a in arrays:
        if a.shape != (len(chars), len(chars)):
            raise ValueError(f"each table must be {len(chars)} x {len(chars)} (one row and "
                             f"column per character), got shape {a.shape}")
    top = max(a.max() for a in arrays)
    fig, axes = plt.subplots(1, len(arrays), figsize=(panel_size * len(arrays), panel_size),
                             squeeze=False)
    norm = PowerNorm(gamma, vmin=0.0, vmax=top)
    largest = np.argsort(arrays[0], axis=None)[::-1][:annotate]
    cells = list(zip(*np.unravel_index(largest, arrays[0].shape)))
    for ax, table, title in zip(axes[0], arrays, titles):
        ax.imshow(table, cmap="Blues", norm=norm)
        ticks = range(len(chars))
        ax.set_xticks(ticks, list(chars), fontsize=8)
        ax.set_yticks(ticks, list(chars), fontsize=8)
        ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False, length=0)
        ax.set_xlabel("next character")
        ax.set_ylabel("this character")
        ax.set_title(title)
        for row, col in cells:
            value = table[row, col]
            colour = WHITE if norm(value) > 0.6 else BLACK
            ax.text(col, row - 0.2, chars[row] + chars[col], ha="center", va="center",
                    fontsize=7, color=colour)
            ax.text(col, row + 0.22, number_format.format(value), ha="center", va="center",
                    fontsize=6, color=colour)
    fig.tight_layout()
    return fig
