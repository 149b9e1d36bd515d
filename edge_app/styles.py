"""Hand-built digit styles that MNIST rarely has, and marks that are not digits, as strokes.

Coordinates are unit-free (x right, y down, a digit about 1 tall); only the evaluation set
(`edge_app.strokeset`) uses them, never training.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Strokes = list[np.ndarray]


def spline(points: list[tuple[float, float]], n: int = 24) -> np.ndarray:
    """A Catmull-Rom curve through `points`, n samples per span."""
    p = np.asarray(points, np.float64)
    p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    t = np.linspace(0, 1, n, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        a, b, c, d = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t ** 2
                          + (-a + 3 * b - 3 * c + d) * t ** 3))
    out.append(p[-2:-1])
    return np.vstack(out)


def arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float,
        n: int = 40) -> np.ndarray:
    """An elliptical arc; angles in degrees, 0 = right, 90 = down (screen coordinates)."""
    a = np.radians(np.linspace(start, stop, n))
    return np.stack([cx + rx * np.cos(a), cy + ry * np.sin(a)], axis=1)


def line(*points: tuple[float, float]) -> np.ndarray:
    return np.asarray(points, np.float64)


def _one_flag(r: np.random.Generator) -> Strokes:
    flag = r.uniform(0.2, 0.45)
    drop = flag * np.tan(np.radians(r.uniform(25, 55)))  # steeper than a 7's bar
    return [line((0.5 - flag, drop), (0.5, 0.0), (0.5 + r.uniform(-.05, .05), 1))]


def _one_foot(r: np.random.Generator) -> Strokes:
    stem = _one_flag(r)[0]
    foot = r.uniform(0.2, 0.35)
    x = stem[-1, 0]
    return [stem, line((x - foot, 1.0), (x + foot, 1.0))]


def _one_plain(r: np.random.Generator) -> Strokes:
    bow = r.uniform(-0.06, 0.06)
    return [spline([(0.5, 0.0), (0.5 + bow, 0.5), (0.5, 1.0)], 12)]


def _seven_crossed(r: np.random.Generator) -> Strokes:
    foot = r.uniform(0.2, 0.5)
    body = spline([(0.0, r.uniform(0, .08)), (0.9, 0.0), (0.92, 0.02)], 8)
    stem = spline([(0.92, 0.02), (0.5 + foot / 2, 0.5), (foot, 1.0)], 12)
    y = r.uniform(0.45, 0.6)
    x = 0.92 + (foot - 0.92) * (y - 0.02) / 0.98
    half = r.uniform(0.2, 0.3)
    return [np.vstack([body, stem[1:]]), line((x - half, y), (x + half, y - 0.02))]


def _seven_two(r: np.random.Generator) -> Strokes:
    foot = r.uniform(0.25, 0.55)
    return [line((0.0, 0.02), (0.95, 0.0)), spline([(0.95, 0.0), (0.6, 0.5), (foot, 1.0)], 12)]


def _four_open(r: np.random.Generator) -> Strokes:
    bar = r.uniform(0.5, 0.7)
    x = r.uniform(0.6, 0.75)
    return [line((0.08, 0.0), (0.0, bar), (0.95, bar)), line((x, r.uniform(0, .1)), (x, 1.0))]


def _four_closed(r: np.random.Generator) -> Strokes:
    bar = r.uniform(0.55, 0.72)
    x = r.uniform(0.55, 0.75)
    return [line((x, 0.0), (0.0, bar), (0.95, bar)), line((x, 0.0), (x + .02, 1.0))]


def _five_two(r: np.random.Generator) -> Strokes:
    top = r.uniform(0.38, 0.5)
    belly = arc(0.42, top + (1 - top) / 2, 0.42, (1 - top) / 2, -140, 150, 30)
    body = np.vstack([line((0.12, 0.0)), line((0.08, top)), belly])
    return [body, line((0.12, 0.0), (0.85, r.uniform(-0.03, 0.03)))]


def _nine_straight(r: np.random.Generator) -> Strokes:
    rad = r.uniform(0.22, 0.3)
    loop = arc(0.5 - rad * 0.1, rad, rad, rad, 10, -350, 40)
    x = loop[0, 0]
    return [np.vstack([loop, line((x, 1.0))])]


def _nine_round(r: np.random.Generator) -> Strokes:
    rad = r.uniform(0.25, 0.32)
    loop = arc(0.45, rad, rad, rad, 0, -360, 40)
    tail = spline([(0.45 + rad, rad), (0.45 + rad, 0.6), (0.6, 0.95), (0.25, 1.0)], 10)
    return [np.vstack([loop, tail[1:]])]


def _six_round(r: np.random.Generator) -> Strokes:
    rad = r.uniform(0.22, 0.3)
    cy = 1 - rad
    return [np.vstack([spline([(0.8, 0.0), (0.4, 0.12), (0.12, 0.5), (0.12, cy)], 10),
                       arc(0.12 + rad, cy, rad, rad, 180, -180 + r.uniform(-20, 20), 36)])]


def _zero_round(r: np.random.Generator) -> Strokes:
    start = r.uniform(-120, -60)
    return [arc(0.4, 0.5, r.uniform(0.28, 0.4), 0.5, start, start - 370, 48)]


def _zero_slashed(r: np.random.Generator) -> Strokes:
    # Ø, as programmers write it: the 0, then a slash from below left to above right, mostly
    # reaching past the ring.
    start = r.uniform(-120, -60)
    ring = arc(0.5, 0.5, r.uniform(0.25, 0.36), 0.45, start, start - 360, 40)
    rise = np.radians(r.uniform(50, 75))
    reach = 0.5 * r.uniform(1.0, 1.3) / np.sin(rise)
    along = np.array([np.cos(rise), -np.sin(rise)]) * reach
    return [ring, line(tuple(0.5 - along), tuple(0.5 + along))]


def _eight(r: np.random.Generator) -> Strokes:
    return [spline([(0.75, 0.1), (0.45, 0.0), (0.2, 0.15), (0.35, 0.4), (0.7, 0.65), (0.65, 0.95),
                    (0.35, 0.98), (0.25, 0.75), (0.5, 0.5), (0.72, 0.3), (0.75, 0.1)], 8)]


def _two(r: np.random.Generator) -> Strokes:
    return [spline([(0.1, 0.2), (0.45, 0.0), (0.8, 0.2), (0.6, 0.55), (0.05, 1.0),
                    (0.95, r.uniform(0.95, 1.0))], 10)]


def _three(r: np.random.Generator) -> Strokes:
    return [spline([(0.1, 0.1), (0.5, 0.0), (0.8, 0.2), (0.4, 0.47), (0.85, 0.7), (0.55, 1.0),
                    (0.1, 0.9)], 10)]


# (label, style name, maker): every maker returns strokes in drawing order.
STYLES: list[tuple[int, str, Callable[[np.random.Generator], Strokes]]] = [
    (1, "flagged 1", _one_flag), (1, "1 with foot", _one_foot), (1, "plain 1", _one_plain),
    (7, "crossed 7", _seven_crossed), (7, "two-stroke 7", _seven_two),
    (4, "open 4", _four_open), (4, "closed 4", _four_closed), (5, "two-stroke 5", _five_two),
    (9, "9 straight stem", _nine_straight), (9, "round 9", _nine_round),
    (6, "round 6", _six_round), (0, "round 0", _zero_round), (0, "slashed 0", _zero_slashed),
    (8, "8", _eight),
    (2, "2", _two), (3, "3", _three),
]


def styled(index: int, rng: np.random.Generator, wobble: float = 0.03) -> Strokes:
    """One drawing of style `index` of STYLES, each point moved a little (smoothly)."""
    strokes = STYLES[index][2](rng)
    # A small random linear warp of the whole shape: proportions vary, strokes stay joined.
    warp = rng.normal(0, wobble, (2, 2))
    return [s + (s - 0.5) @ warp for s in strokes]


def mark(kind: str, rng: np.random.Generator, side: float) -> Strokes:
    """A mark that is not a digit, in canvas pixels of a `side`-pixel canvas.

    Kinds: "tap", "taps", "dot", "dash", "long stroke", "zigzag", "loops".
    """
    centre = rng.uniform(0.25, 0.75, 2) * side
    if kind == "tap":
        return [centre[None, :]]
    if kind == "taps":
        return [rng.uniform(0.1, 0.9, (1, 2)) * side for _ in range(int(rng.integers(2, 4)))]
    if kind == "dot":
        r = rng.uniform(0.005, 0.03) * side
        return [arc(centre[0], centre[1], r, r, 0, rng.uniform(200, 720), 16)]
    if kind in ("dash", "long stroke"):
        length = rng.uniform(0.1, 0.45) if kind == "dash" else rng.uniform(0.5, 0.95)
        angle = np.radians(rng.uniform(-35, 35) if kind == "dash" else rng.uniform(-40, 40))
        half = 0.5 * length * side * np.array([np.cos(angle), np.sin(angle)])
        bow = rng.uniform(-0.05, 0.05) * length * side * np.array([-np.sin(angle), np.cos(angle)])
        return [spline([tuple(centre - half), tuple(centre + bow), tuple(centre + half)], 10)]
    size = rng.uniform(0.15, 0.6) * side
    if kind == "zigzag":
        n = int(rng.integers(8, 20))
        ys = np.linspace(-0.5, 0.5, n) * size * rng.uniform(0.4, 1.0)
        xs = np.where(np.arange(n) % 2, 0.5, -0.5) * size + rng.normal(0, 0.05 * size, n)
        return [np.stack([xs, ys], axis=1) + centre]
    if kind == "loops":
        turns = rng.uniform(3, 8)
        t = np.linspace(0, 2 * np.pi * turns, int(40 * turns))
        drift = np.linspace(-0.3, 0.3, len(t)) * size
        pts = np.stack([0.3 * size * np.cos(t) + drift, 0.3 * size * np.sin(t)], axis=1)
        return [pts + centre]
    raise ValueError(f"unknown mark {kind!r}")


MARKS = ("tap", "taps", "dot", "dash", "long stroke", "zigzag", "loops")
