"""Numbers of 2-6 handwritten digits, composed for evaluation from MNIST test digits or strokes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from edge_app.strokedigits import draw

# The space between neighbouring digits, as a fraction of their mean width; negative overlaps.
GAPS = {
    "overlapping": (-0.3, -0.1),
    "touching": (-0.1, 0.05),
    "close": (0.05, 0.3),
    "wide": (0.3, 1.0),  # "well separated"
}
SIZE_JITTER = (0.8, 1.2)  # each digit's height relative to the number's
BASELINE_JITTER = 0.12  # of the height: how far a digit sits above or below its neighbours
MARGIN = 0.3  # of the height: paper around the number


@dataclass(frozen=True)
class ImageNumber:
    """A number as a picture, with what each pixel's ink belongs to."""

    image: np.ndarray  # (H, W) uint8, dark ink on white paper
    labels: tuple[int, ...]
    layers: np.ndarray  # (k, H, W) uint8 ink of each digit alone, white on black


@dataclass(frozen=True)
class StrokeNumber:
    """A number as strokes in drawing order, with the digit each stroke belongs to."""

    strokes: tuple[np.ndarray, ...]  # (n, 2) float (x, y) canvas pixels
    owners: tuple[int, ...]  # index of the digit each stroke is part of
    labels: tuple[int, ...]
    canvas_size: tuple[int, int]


def _offsets(widths: list[float], heights: list[float], gap: str,
             rng: np.random.Generator) -> tuple[list[float], list[float]]:
    """Left edges and tops of the digits' boxes, from 0, before the margin."""
    lo, hi = GAPS[gap]
    height = max(heights)
    lefts, tops, x = [], [], 0.0
    for i, (w, h) in enumerate(zip(widths, heights)):
        if i:
            x += rng.uniform(lo, hi) * (widths[i - 1] + w) / 2
        lefts.append(x)
        x += w
        # Bottoms line up, give or take the baseline jitter.
        tops.append(height - h + rng.uniform(-BASELINE_JITTER, BASELINE_JITTER) * height)
    shift = min(lefts)
    top = min(tops)
    return [v - shift for v in lefts], [v - top for v in tops]


def mnist_number(x: np.ndarray, y: np.ndarray, k: int, gap: str,
                 rng: np.random.Generator) -> ImageNumber:
    """A picture of `k` random MNIST digits in a row, at random sizes, baselines and gaps.

    Args:
        x: (N, 28, 28) uint8 MNIST digits, white on black.
        y: (N,) labels.
        k: how many digits.
        gap: a key of GAPS.
        rng: the random source.
    """
    picks = rng.integers(len(x), size=k)
    height = rng.uniform(28, 90)  # pixels
    crops, widths, heights = [], [], []
    for i in picks:
        ink = x[i] > 0
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        crop = x[i][rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        h = height * rng.uniform(*SIZE_JITTER)
        w = max(2.0, crop.shape[1] * h / crop.shape[0])
        crops.append(np.asarray(Image.fromarray(crop).resize(
            (round(w), round(h)), Image.Resampling.BICUBIC)))
        widths.append(float(round(w)))
        heights.append(float(round(h)))
    lefts, tops = _offsets(widths, heights, gap, rng)
    margin = int(MARGIN * height)
    side_w = int(max(l + w for l, w in zip(lefts, widths))) + 2 * margin + 1
    side_h = int(max(t + h for t, h in zip(tops, heights))) + 2 * margin + 1
    layers = np.zeros((k, side_h, side_w), np.uint8)
    for layer, crop, left, top in zip(layers, crops, lefts, tops):
        r, c = round(top) + margin, round(left) + margin
        layer[r:r + crop.shape[0], c:c + crop.shape[1]] = crop
    return ImageNumber(255 - layers.max(axis=0), tuple(int(y[i]) for i in picks), layers)


def stroke_number(k: int, gap: str, rng: np.random.Generator,
                  canvas_side: int | None = None) -> StrokeNumber:
    """`k` random stroke-drawn digits in a row that fits a square canvas, as drawn on it.

    Args:
        k: how many digits.
        gap: a key of GAPS.
        rng: the random source.
        canvas_side: pixels; random between the app's smallest and largest canvas if None.
    """
    side = int(canvas_side or rng.integers(300, 700))
    labels = tuple(int(d) for d in rng.integers(10, size=k))
    drawn = [draw(d, rng) for d in labels]
    scales = [rng.uniform(*SIZE_JITTER) for _ in labels]
    boxes = []
    for strokes, s in zip(drawn, scales):
        points = np.concatenate(strokes) * s
        boxes.append((points.min(axis=0), points.max(axis=0)))
    widths = [float(hi[0] - lo[0]) for lo, hi in boxes]
    heights = [float(hi[1] - lo[1]) for lo, hi in boxes]
    lefts, tops = _offsets(widths, heights, gap, rng)
    span_w = max(l + w for l, w in zip(lefts, widths))
    span_h = max(t + h for t, h in zip(tops, heights))
    # Largest that fits with a margin, a digit at most half the canvas high; then a bit less.
    unit = min(0.85 * side / span_w, 0.5 * side / span_h) * rng.uniform(0.6, 1.0)
    x_off = rng.uniform(0.05 * side, side - 0.05 * side - span_w * unit)
    y_off = rng.uniform(0.1 * side, side - 0.1 * side - span_h * unit)
    out, owners = [], []
    for i, (strokes, s, (lo, _), left, top) in enumerate(zip(drawn, scales, boxes, lefts, tops)):
        for stroke in strokes:
            points = (stroke * s - lo + (left, top)) * unit + (x_off, y_off)
            out.append(points.astype(np.float32))
            owners.append(i)
    return StrokeNumber(tuple(out), tuple(owners), labels, (side, side))
