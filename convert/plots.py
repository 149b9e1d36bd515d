"""Accuracy against model size for every converted variant, as a PNG."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MARKERS = {"float32": "o", "float16": "s", "dynamic": "^", "int8": "D"}
COLOURS = {"mlp": "tab:blue", "cnn": "tab:orange"}


def plot_accuracy_vs_size(rows: list[dict], path: Path) -> None:
    """Two panels (MNIST test split, stroke evaluation): accuracy against file size.

    Args:
        rows: one dict per variant with network, quantization, bytes, mnist_accuracy and
            strokes (`convert.evaluate.score_strokes`, None where not measured).
        path: the PNG to write.
    """
    rows = [dict(r, stroke_accuracy=r["strokes"]["stroke"]["accuracy"] if r.get("strokes")
                 else None) for r in rows]
    panels = [("mnist_accuracy", "MNIST test split")]
    if all(r["stroke_accuracy"] is not None for r in rows):
        panels.append(("stroke_accuracy", "digits drawn as strokes on the app's canvas"))
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, (key, title) in zip(axes[0], panels):
        for r in rows:
            ax.scatter(r["bytes"] / 1024, 100 * r[key], marker=MARKERS[r["quantization"]],
                       color=COLOURS[r["network"]], s=60,
                       label=f"{r['network']} {r['quantization']}")
        ax.set_xscale("log")
        ax.set_xlabel("file size (KiB, log scale)")
        ax.set_ylabel("accuracy (%)")
        ax.set_title(title)
        ax.grid(alpha=0.3, which="both")
    axes[0][-1].legend(fontsize=8, loc="lower right")
    fig.suptitle("TFLite variants: accuracy against size (through the interpreter)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
