"""Helpers shared by the tests: paths of the shipped files and small data makers."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
TEST_SPLIT = MODELS / "mnist_test.npz"


def write_idx(path: Path, array: np.ndarray, gz: bool = False) -> None:
    """Writes a uint8 array in the IDX format MNIST was distributed in."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


def drawn_digit(label: int, test_split, side: int = 300, index: int = 1) -> np.ndarray:
    """A shipped test digit of class `label`, upscaled dark-on-light like a canvas drawing.

    By default the class's second example: the first "3" (#18) is ambiguous enough that the
    CNN reads it as a 5 even in its original MNIST form.
    """
    from PIL import Image

    x, y = test_split
    i = int(np.flatnonzero(y == label)[index])
    big = Image.fromarray(x[i]).resize((side, side), Image.Resampling.BICUBIC)
    return 255 - np.asarray(big)


def fake_stats(p50: float) -> dict[str, float]:
    """Latency statistics (ms) as `edge_app.bench.stats.summarize` gives them, around `p50`."""
    return {"p50": p50, "p90": p50 * 1.2, "p99": p50 * 1.5, "mean": p50, "std": 0.01,
            "min": p50 * 0.9, "max": p50 * 2, "per_s": 1000 / p50}


def ink_box(x: np.ndarray, level: float = 0.3) -> tuple[int, int]:
    """(height, width) of the pixels of a model input above `level`."""
    ys, xs = np.nonzero(x > level)
    return int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1


def flagged_one() -> tuple[list[np.ndarray], np.ndarray]:
    """A hand-built European 1 (flag, no foot), posed as the stroke evaluation poses digits,
    whose strokes the shipped CNN reads as an unsure 7 and whose picture as a 1: its strokes
    and the pixels of the 456-pixel canvas it was drawn on."""
    from edge_app import strokeset, styles

    rng = np.random.default_rng((99, 1216))
    index = 1216 % len(styles.STYLES)
    assert styles.STYLES[index][1] == "flagged 1"
    canvas = strokeset.CANVASES[0]
    posed = strokeset.pose(styles.styled(index, rng), rng, canvas[0], strokeset.brush_of(canvas),
                           float(rng.uniform(0.3, 0.8)))
    return strokeset.draw(posed, canvas)
