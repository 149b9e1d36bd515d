"""Digits drawn as strokes, in the styles people use, for evaluating number reading."""

from __future__ import annotations

import numpy as np

STROKE_SHIFT = 0.025  # of the height: how far each stroke of a multi-stroke digit is off (σ)

# Each style: strokes as polylines in a box 1 high (y down), about 0.6 wide. Arcs are
# (cx, cy, rx, ry, start°, end°) with angles clockwise from +x, as y grows downward.


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float) -> np.ndarray:
    t = np.radians(np.linspace(a0, a1, max(8, int(abs(a1 - a0) / 10))))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.asarray(points, np.float64)


def _join(*pieces: np.ndarray) -> np.ndarray:
    return np.concatenate(pieces)


def _eight() -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 60)
    return np.stack([0.3 + 0.27 * np.sin(2 * t) * (1 + 0.15 * np.cos(t)), 0.5 - 0.5 * np.cos(t)],
                    axis=1)


STYLES: dict[int, list[list[np.ndarray]]] = {
    0: [[_arc(0.3, 0.5, 0.3, 0.5, -90, 275)]],
    1: [[_line((0.3, 0), (0.3, 1))],
        [_line((0.08, 0.22), (0.3, 0), (0.3, 1))],
        [_line((0.08, 0.22), (0.3, 0), (0.3, 1)), _line((0.05, 1), (0.55, 1))]],
    2: [[_join(_arc(0.3, 0.3, 0.3, 0.3, -160, 40), _line((0.0, 1.0), (0.62, 1.0)))]],
    3: [[_join(_arc(0.3, 0.26, 0.27, 0.26, -150, 90), _arc(0.3, 0.74, 0.3, 0.26, -90, 150))]],
    4: [[_line((0.42, 0), (0.0, 0.65), (0.62, 0.65)), _line((0.45, 0.3), (0.45, 1))],
        [_line((0.08, 0), (0.05, 0.6), (0.62, 0.6)), _line((0.47, 0), (0.47, 1))],
        [_line((0.45, 1), (0.45, 0), (0.0, 0.65), (0.62, 0.65))]],
    5: [[_join(_line((0.06, 0), (0.03, 0.45)), _arc(0.3, 0.7, 0.3, 0.3, -150, 150)),
         _line((0.06, 0), (0.58, 0))],
        [_join(_line((0.58, 0), (0.06, 0), (0.03, 0.45)), _arc(0.3, 0.7, 0.3, 0.3, -150, 150))]],
    6: [[_join(_line((0.52, 0.0), (0.2, 0.3)), _arc(0.32, 0.72, 0.28, 0.28, 200, 560))]],
    7: [[_line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0))],
        [_line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0)), _line((0.12, 0.52), (0.56, 0.5))],
        [_line((0.0, 0.0), (0.6, 0.0)), _line((0.6, 0.0), (0.2, 1.0))]],
    8: [[_eight()]],
    9: [[_join(_arc(0.32, 0.28, 0.27, 0.28, 0, 365), _line((0.59, 0.3), (0.52, 1.0)))],
        [_join(_arc(0.32, 0.28, 0.27, 0.28, -10, 360), _line((0.58, 0.28), (0.58, 1.0)))]],
}


def draw(digit: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One digit as strokes in a box about 1 high, in a random style with a random hand.

    The hand: slant, width, rotation, a smooth wobble along each stroke, and each stroke of a
    multi-stroke digit placed a little off (a 5's flag that misses, a 4's upright that
    crosses further).

    Returns:
        The strokes in drawing order, (n, 2) float64 arrays of (x, y), y down, top at 0.
    """
    style = STYLES[digit][int(rng.integers(len(STYLES[digit])))]
    slant = rng.uniform(-0.15, 0.3)  # x shift per unit of height; most hands lean right
    stretch = rng.uniform(0.8, 1.2)
    turn = np.radians(rng.uniform(-6, 6))
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    strokes = []
    for stroke in style:
        points = _resample(stroke, 0.02)
        points = points + rng.normal(0, STROKE_SHIFT, 2) * (len(style) > 1)
        n = len(points)
        phase, freq = rng.uniform(0, 2 * np.pi, 2), rng.uniform(1, 3, 2)
        along = np.linspace(0, 1, n)[:, None]
        points = points + 0.02 * np.sin(2 * np.pi * freq * along + phase)
        x = (points[:, 0] + slant * (1.0 - points[:, 1])) * stretch
        strokes.append(np.stack([x, points[:, 1]], axis=1) @ rotation.T)
    return strokes


def _resample(points: np.ndarray, step: float) -> np.ndarray:
    """Points along a polyline about `step` apart, as a pointer reports a steady stroke."""
    seg = np.hypot(*np.diff(points, axis=0).T)
    at = np.concatenate(([0.0], np.cumsum(seg)))
    if at[-1] == 0:
        return points[:1]
    s = np.linspace(0, at[-1], max(2, int(at[-1] / step) + 1))
    return np.stack([np.interp(s, at, points[:, 0]), np.interp(s, at, points[:, 1])], axis=1)
