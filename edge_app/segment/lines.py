"""How close two strokes come: their lines sampled at an even step, and the closest pair."""

from __future__ import annotations

import math

import numpy as np

# Pairs of points above which `closest` first keeps only the points that can be in the
# closest pair. The cut costs about what 12,000 pairs do (counted with valgrind): two strokes
# the size of the benchmark's 4, drawn at a finger's usual speed, make 10,000 and are not
# cut; drawn slowly (a motion event every 2 pixels) they make 48,000, and the cut saves two
# thirds.
PRUNE_PAIRS = 15000
COARSE = 12  # points of each line that find an upper bound for the cut


def closest(a: np.ndarray, b: np.ndarray) -> float:
    """The smallest distance between a point of `a` and one of `b`, both (2, n): x, y rows."""
    if a.shape[1] * b.shape[1] > PRUNE_PAIRS:
        # The distance of some pair is a bound: the closest pair lies within it of each
        # line's box. The cut keeps a superset of the points that can make the closest pair
        # (the margin covers rounding), so the answer is the same float as without it.
        bound = math.sqrt(_nearest(a[:, ::-(-a.shape[1] // COARSE)],
                                   b[:, ::-(-b.shape[1] // COARSE)]))
        bound = bound * (1 + 1e-9) + 1e-9
        a = _within(a, b, bound)
        b = _within(b, a, bound)
    return math.sqrt(_nearest(a, b))


def _nearest(a: np.ndarray, b: np.ndarray) -> float:
    """The smallest squared distance between a point of `a` and one of `b` ((2, n) each)."""
    # x and y apart, squared and summed in place: one array of all the pairs' distances, where
    # summing a trailing axis of 2 costs numpy 9 times as much.
    dx = np.subtract.outer(a[0], b[0])
    dy = np.subtract.outer(a[1], b[1])
    dx *= dx
    dy *= dy
    dx += dy
    return float(dx.min())


def _within(a: np.ndarray, b: np.ndarray, reach: float) -> np.ndarray:
    """The points of `a` ((2, n)) no farther than `reach` from the box of `b`'s points."""
    low = np.minimum.reduce(b, axis=1, keepdims=True) - reach
    high = np.maximum.reduce(b, axis=1, keepdims=True) + reach
    inside = (a >= low) & (a <= high)
    return a[:, inside[0] & inside[1]]


def sampled(stroke: np.ndarray, step: float) -> np.ndarray:
    """The polyline's points with extra ones so that none are more than `step` apart.

    Args:
        stroke: (n, 2) points (x, y).
        step: the longest distance between neighbouring points, in pixels.

    Returns:
        (2, m) float64: the x and the y of each point, along the line.
    """
    # Rows of x and of y, contiguous: what the arithmetic below and `np.interp` read.
    points = np.asarray(stroke)
    if points.ndim != 2:
        points = points.reshape(-1, 2)
    points = np.array(points.T, np.float64)
    n = points.shape[1]
    if n < 2:
        return points
    d = points[:, 1:] - points[:, :-1]
    at = np.empty(n)
    at[0] = 0.0
    np.add.accumulate(np.hypot(d[0], d[1]), out=at[1:])
    # Evenly spaced distances along the line, as np.linspace makes them (a multiple of the
    # spacing, the last one the length), and the points' own; sorted, not deduplicated: a
    # point twice changes no distance, and union1d costs 3× more.
    total = float(at[-1])
    count = max(2, int(total / step) + 1)
    s = np.empty(count + n)
    np.multiply(np.arange(count), total / (count - 1), out=s[:count])
    s[count - 1] = total
    s[count:] = at
    s.sort()
    return np.array((np.interp(s, at, points[0]), np.interp(s, at, points[1])))
