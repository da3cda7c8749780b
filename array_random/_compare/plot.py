"""``--plot FILE``: one panel per distribution, every target's histogram over the exact law."""
from __future__ import annotations

import math

import numpy as np

COLUMNS = 6


def plot(result: dict, path: str) -> None:
    """Write the figure (format from the file name: png, pdf, svg) with matplotlib's Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    rows = [r for r in result["distributions"]
            if any(c.get("_hist") is not None for c in r["cells"])]
    labels = [t["label"] for t in result["targets"]]
    colors = {label: f"C{i % 10}" for i, label in enumerate(labels)}
    ncols = min(COLUMNS, max(1, len(rows)))
    nrows = max(1, math.ceil(len(rows) / ncols))
    fig = Figure(figsize=(3.3 * ncols, 2.5 * nrows + 1.1), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[len(rows):]:
        ax.set_visible(False)
    for ax, row in zip(axes.flat, rows):
        _panel(ax, row, colors)
    handles = [Line2D([], [], color="0.55", lw=5, alpha=0.45, label="exact (scipy.stats)")]
    handles += [Line2D([], [], color=colors[l], lw=1.6, label=l) for l in labels]
    height = fig.get_figheight()
    n = result["size"]
    missing = result["summary"]["missing_methods"]
    title = f"array-random compare: {n:,} draws per target, seed {result['seed']}"
    odd = {t["backend"]: t["size"] for t in result["targets"] if t["size"] != n}
    if odd:
        title += " (" + ", ".join(f"{b}: {s:,}" for b, s in odd.items()) + ")"
    if missing:
        title += f"  (not in the Generator yet: {', '.join(missing)})"
    fig.suptitle(title, fontsize=13, y=1 - 0.12 / height, va="top")
    fig.legend(handles=handles, loc="upper center", ncol=min(len(handles), 6),
               frameon=False, fontsize=10, bbox_to_anchor=(0.5, 1 - 0.45 / height))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.85 / height), h_pad=1.2, w_pad=0.6)
    fig.savefig(path)


def _panel(ax, row, colors) -> None:
    law = row["_law"]
    grid = np.asarray(row["_grid"])
    cells = [c for c in row["cells"] if c.get("_hist") is not None]
    if row["kind"] == "continuous":
        xs = np.linspace(grid[0], grid[-1], 400)
        ax.fill_between(xs, law.pdf(xs), color="0.55", alpha=0.45, lw=0)
        for c in cells:
            ax.stairs(c["_hist"], grid, color=colors[c["target"]], lw=1.1)
    else:
        ax.bar(grid, law.pmf(grid), width=0.8, color="0.55", alpha=0.45, lw=0)
        width = 0.8 / max(1, len(cells))
        for i, c in enumerate(cells):
            ax.plot(grid - 0.4 + width * (i + 0.5), c["_hist"], ls="none", marker="o", ms=2.6,
                    color=colors[c["target"]])
    fails = sum(c["status"] in ("fail", "error") for c in row["cells"])
    ok = fails == 0
    name = row["call"] if len(row["call"]) <= 34 else row["method"] + "(…)"
    ax.set_title(f"{'✓' if ok else '✗'} {name}", fontsize=9.5,
                 color="darkgreen" if ok else "firebrick", loc="left")
    ax.tick_params(labelsize=7.5)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
