"""Styles MNIST rarely has, added to a traced digit's strokes: flag, crossbar, slash, hook."""

from __future__ import annotations

import numpy as np

# The slash of a struck-through 0 (Ø, as programmers and engineers write it): degrees above the
# horizontal, rising to the right, and how far it reaches past the 0's own ink along its line.
SLASH_ANGLE = (45.0, 75.0)
SLASH_REACH = (0.9, 1.35)
# A narrow 0 is struck through more steeply (UNIPEN's writers: 75-85°, read as 4 or 1).
STEEP_SLASH_ANGLE = (75.0, 88.0)
# The tail of a 9 that curls to the left at its foot, as a g's does (UNIPEN's writers: read as 3,
# 8 or 7): how far it turns, degrees, and how long it is, fraction of the digit's height.
HOOK_TURN = (90.0, 170.0)
HOOK_LENGTH = (0.15, 0.4)

def add_flag(lines: list[np.ndarray], rng: np.random.Generator,
             foot: bool = False) -> list[np.ndarray]:
    """A 1 with the long flag of the European 1: a stroke from the top down to the left."""
    points = np.concatenate(lines)
    top, bottom = points[points[:, 1].argmin()], points[points[:, 1].argmax()]
    height = float(bottom[1] - top[1])
    # Steeper than a 7's bar: a flag that is long and flat is a 7, and is left to 7s.
    length = rng.uniform(0.2, 0.5) * height
    angle = np.radians(rng.uniform(25, 60))  # below the horizontal
    tip = top + length * np.array([-np.cos(angle), np.sin(angle)])
    out = [np.stack([tip, top]).astype(np.float32), *lines]
    if foot:
        half = rng.uniform(0.2, 0.35) * height
        out.append(np.array([[bottom[0] - half, bottom[1]], [bottom[0] + half, bottom[1]]],
                            np.float32))
    return out


def add_crossbar(lines: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A 7 with a short bar across its stem at mid-height."""
    points = np.concatenate(lines)
    low, high = points[:, 1].min(), points[:, 1].max()
    y = low + rng.uniform(0.45, 0.6) * (high - low)
    crossings = []
    for line in lines:
        a, b = line[:-1], line[1:]
        hit = (a[:, 1] - y) * (b[:, 1] - y) <= 0
        for p, q in zip(a[hit], b[hit]):
            t = 0.5 if q[1] == p[1] else (y - p[1]) / (q[1] - p[1])
            crossings.append(p[0] + t * (q[0] - p[0]))
    if not crossings:
        return lines
    x = float(np.median(crossings))
    half = rng.uniform(0.15, 0.3) * (high - low)
    tilt = rng.uniform(-0.05, 0.05) * (high - low)
    return [*lines, np.array([[x - half, y + tilt], [x + half, y - tilt]], np.float32)]


def add_slash(lines: list[np.ndarray], rng: np.random.Generator,
              steep: bool = False) -> list[np.ndarray]:
    """A 0 struck through (Ø): a straight slash through its middle, rising to the right.

    People who write a slashed 0 cross it from below left to above right and mostly past the
    ink, so the slash reaches SLASH_REACH times as far as the 0 does along its line.

    Args:
        lines: the 0's strokes, y down.
        rng: the random source (angle, reach, a small offset from the middle).
        steep: rise STEEP_SLASH_ANGLE, not SLASH_ANGLE.

    Returns:
        The strokes with the slash added as a last stroke.
    """
    points = np.concatenate(lines)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2 + rng.normal(0, 0.04, 2) * float((high - low).max())
    angle = np.radians(rng.uniform(*(STEEP_SLASH_ANGLE if steep else SLASH_ANGLE)))
    along = np.array([np.cos(angle), -np.sin(angle)])  # y grows downwards
    half = float(np.abs((points - centre) @ along).max()) * rng.uniform(*SLASH_REACH)
    return [*lines, np.stack([centre - half * along, centre + half * along]).astype(np.float32)]


def add_hook(lines: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A 9 whose stem ends in a tail curling to the left, as a g's does.

    Args:
        lines: the 9's strokes, y down.
        rng: the random source (how far the tail turns, its length).

    Returns:
        The strokes with the tail drawn on from the stem's foot; as they were when no stroke
        ends at the bottom heading down (a 9 whose foot already curls, or a traced blot).
    """
    points = np.concatenate(lines)
    height = float(np.ptp(points[:, 1]))
    # The stem's foot: the lowest end of any stroke, the stroke turned to end there.
    k, first = max(((k, first) for k, line in enumerate(lines) if len(line) > 1
                    for first in (True, False)),
                   key=lambda end: lines[end[0]][0 if end[1] else -1][1], default=(None, False))
    if k is None:
        return lines
    line = lines[k][::-1] if first else lines[k]
    foot = line[-1]
    before = line[np.hypot(*(line - foot).T) >= 0.1 * height]
    if foot[1] < points[:, 1].max() - 0.05 * height or not len(before):
        return lines
    heading = (foot - before[-1]) / np.hypot(*(foot - before[-1]))
    if heading[1] < 0.7:  # not heading down
        return lines
    # Turned a little further at every step; a positive turn takes "down" to "left" (y down).
    turn = np.radians(rng.uniform(*HOOK_TURN)) * (np.arange(8) + 0.5) / 8
    step = rng.uniform(*HOOK_LENGTH) * height / 8
    cos, sin = np.cos(turn), np.sin(turn)
    tail = foot + np.cumsum(step * np.stack([heading[0] * cos - heading[1] * sin,
                                             heading[0] * sin + heading[1] * cos], 1), axis=0)
    out = list(lines)
    out[k] = np.vstack([line, tail]).astype(np.float32)
    return out
