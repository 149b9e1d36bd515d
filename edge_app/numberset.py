"""Numbers of 2-6 handwritten digits, composed for evaluation from MNIST test digits or strokes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

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
CANVASES = (456, 700)  # pixels: the square canvases of the 800×480 and 720×1280 layouts


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
    side_w = int(max(x + w for x, w in zip(lefts, widths))) + 2 * margin + 1
    side_h = int(max(t + h for t, h in zip(tops, heights))) + 2 * margin + 1
    layers = np.zeros((k, side_h, side_w), np.uint8)
    for layer, crop, left, top in zip(layers, crops, lefts, tops):
        r, c = round(top) + margin, round(left) + margin
        layer[r:r + crop.shape[0], c:c + crop.shape[1]] = crop
    return ImageNumber(255 - layers.max(axis=0), tuple(int(y[i]) for i in picks), layers)


class StrokeDigits:
    """Digits as strokes, unit-free (y down, about 1 tall), half of them people's styles and
    half real handwriting.

    The styles are `edge_app.styles` (a flagged 1, a 1 with a foot, crossed and two-stroke
    7s, open and closed 4s, a two-stroke 5, ...): drawn in the strokes people use, each
    stroke a little off where it should join. The handwriting is MNIST test digits traced into
    strokes (`edge_app.trace`) and chained into the strokes a pen would make: real shapes, in
    the tracer's order.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, traced: int, rng: np.random.Generator):
        from edge_app import trace

        pick = rng.choice(len(x), size=min(traced, len(x)), replace=False)
        lines = trace.digit_strokes(x[pick])
        self.traced = [(int(y[i]), trace.deslant(trace.pen_strokes(ln)))
                       for i, ln in zip(pick, lines) if ln]

    def draw(self, rng: np.random.Generator, source: str | None = None,
             which: int | None = None) -> tuple[int, list]:
        """One digit: (label, strokes). `source`: "styles", "traced", or None for either;
        `which`: this traced digit (an index of `traced`) instead of a random one."""
        from edge_app import styles

        if which is not None:
            source = "traced"
        source = source or ("styles" if rng.random() < 0.5 else "traced")
        if source == "traced":
            label, lines = self.traced[int(rng.integers(len(self.traced)))
                                       if which is None else which]
            return label, _unit(lines, rng, 1.0)
        index = int(rng.integers(len(styles.STYLES)))
        strokes = styles.styled(index, rng)
        if len(strokes) > 1:  # strokes meant to join miss a little, as a finger's do
            strokes = [s + rng.normal(0, STROKE_MISS, 2) for s in strokes]
        return styles.STYLES[index][0], _unit(strokes, rng, rng.uniform(*NARROW))


STROKE_MISS = 0.025  # of the height (σ): how far a stroke of a multi-stroke digit is off
SLANT = (-0.1, 0.35)  # x shift per unit of height going up: most hands lean right
NARROW = (0.55, 0.85)  # width scale: the styles are drawn about as wide as tall


def _unit(strokes: list[np.ndarray], rng: np.random.Generator,
          narrow: float) -> list[np.ndarray]:
    """Strokes scaled to 1 tall from y = 0, slanted at random, and `narrow` times as wide."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = 1.0 / max(float(high[1] - low[1]), 1e-6)
    slant = rng.uniform(*SLANT)
    out = []
    for s in strokes:
        p = (np.asarray(s, np.float64) - low) * scale
        out.append(np.stack([(p[:, 0] + slant * (1.0 - p[:, 1])) * narrow, p[:, 1]], axis=1))
    return out


def stroke_number(digits: StrokeDigits, k: int, gap: str, rng: np.random.Generator,
                  source: str | None = None, which: int | None = None) -> StrokeNumber:
    """`k` stroke-drawn digits in a row that fits a square canvas of the app's.

    Args:
        digits: where the digits come from.
        k: how many digits.
        gap: a key of GAPS.
        rng: the random source.
        source, which: see `StrokeDigits.draw`.
    """
    side = CANVASES[int(rng.integers(len(CANVASES)))]
    drawn = [digits.draw(rng, source, which) for _ in range(k)]
    labels = tuple(label for label, _ in drawn)
    scales = [rng.uniform(*SIZE_JITTER) for _ in labels]
    boxes = []
    for (_, strokes), s in zip(drawn, scales):
        points = np.concatenate(strokes) * s
        boxes.append((points.min(axis=0), points.max(axis=0)))
    widths = [float(hi[0] - lo[0]) for lo, hi in boxes]
    heights = [float(hi[1] - lo[1]) for lo, hi in boxes]
    lefts, tops = _offsets(widths, heights, gap, rng)
    span_w = max(x + w for x, w in zip(lefts, widths))
    span_h = max(t + h for t, h in zip(tops, heights))
    # Largest that fits with a margin, a digit at most half the canvas high; then up to a
    # third smaller.
    unit = min(0.85 * side / span_w, 0.5 * side / span_h) * rng.uniform(0.67, 1.0)
    x_off = rng.uniform(0.05 * side, side - 0.05 * side - span_w * unit)
    y_off = rng.uniform(0.1 * side, side - 0.1 * side - span_h * unit)
    out, owners = [], []
    for i, ((_, strokes), s, (lo, _), left, top) in enumerate(
            zip(drawn, scales, boxes, lefts, tops)):
        for stroke in strokes:
            points = (stroke * s - lo + (left, top)) * unit + (x_off, y_off)
            out.append(_sampled(points, rng, side))
            owners.append(i)
    return StrokeNumber(tuple(out), tuple(owners), labels, (side, side))


def _sampled(points: np.ndarray, rng: np.random.Generator, side: int) -> np.ndarray:
    """The polyline as motion events: 2-14 pixels apart on a 456-pixel canvas, with noise."""
    if len(points) < 2:
        return points.astype(np.float32)
    seg = np.hypot(*np.diff(points, axis=0).T)
    at = np.concatenate(([0.0], np.cumsum(seg)))
    step = rng.uniform(2.0, 14.0) * side / 456
    s = np.append(np.arange(0.0, at[-1], step), at[-1])
    out = np.stack([np.interp(s, at, points[:, 0]), np.interp(s, at, points[:, 1])], axis=1)
    return (out + rng.normal(0, 0.4, out.shape)).astype(np.float32)
