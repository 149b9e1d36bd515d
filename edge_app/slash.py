"""A 0 struck through (Ø): the ring is the digit, the slash only marks it as not an O."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RING_GAP = 0.65  # a ring's ends lie at most this fraction of its box's longer side apart
RING_FILL = 0.45  # the ring's path, closed, encloses at least this share of its box
STRAIGHT = 0.12  # a slash's points lie within this fraction of its length of its chord
THROUGH = 0.2  # the slash's line passes within this fraction of the ring's shorter side of
# its centre, and each of its ends lies REACH of the ring's extent along it out from the centre
REACH = 0.4


def unstruck(strokes: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The strokes of a digit, without the slash when they are a 0 struck through.

    People who must tell a 0 from an O (programmers, engineers; writers at several of UNIPEN's
    sites) strike it through with a straight line, at any angle and often well past the ring,
    and the models, which learnt few such lines, read the ring and line as a 4, 6 or 8. A
    drawing of exactly one ring (one stroke whose ends come back near each other and which
    encloses most of its box) and one straight stroke that runs through the ring's middle, both
    its ends outside the ring, is such a 0: no digit is written as a ring with a line through
    its centre (a 9's or 6's stem touches its ring at the side; a 4's stem runs along its
    closed triangle's edge).

    Args:
        strokes: one digit's strokes, each an (n, 2) array of (x, y).

    Returns:
        The ring's stroke alone for a 0 struck through; otherwise `strokes` as a list.
    """
    strokes = list(strokes)
    if len(strokes) != 2:
        return strokes
    # As `strokes.render` takes them: any (x, y) points, a tap as one point.
    strokes = [s if getattr(s, "ndim", 0) == 2 else np.asarray(s, float).reshape(-1, 2)
               for s in strokes]
    for ring, line in (strokes, strokes[::-1]):
        if _is_ring(ring) and _strikes(line, ring):
            return [ring]
    return strokes


def _is_ring(stroke: np.ndarray) -> bool:
    """One stroke whose ends meet and whose closed path encloses most of its box."""
    if len(stroke) < 8:
        return False
    # First, cheaply: a ring's ends lie closer to each other than to the point halfway along
    # its points, across the ring (a line's, an L's or an S's do not).
    (x0, y0), (xm, ym), (x1, y1) = (stroke[i].tolist() for i in (0, len(stroke) // 2, -1))
    if (x1 - x0) ** 2 + (y1 - y0) ** 2 >= min((xm - x0) ** 2 + (ym - y0) ** 2,
                                             (xm - x1) ** 2 + (ym - y1) ** 2):
        return False
    size = stroke.max(axis=0) - stroke.min(axis=0)
    gap = stroke[-1] - stroke[0]
    return (float(gap @ gap) <= (RING_GAP * float(size.max())) ** 2
            and _area(stroke) >= RING_FILL * float(size[0]) * float(size[1]) > 0)


def _strikes(line: np.ndarray, ring: np.ndarray) -> bool:
    """A straight stroke through the ring's middle whose two ends lie outside the ring."""
    if len(line) < 2:
        return False
    chord = line[-1] - line[0]
    length = float(np.hypot(*chord))
    if length <= 0:
        return False
    # Straight by how far its points stray from the chord, not by its path's length: a
    # panel's noise lengthens the path of a slow, straight stroke by half.
    if float(np.abs(_across(line - line[0], chord)).max()) > STRAIGHT * length:
        return False
    centre = (ring.min(axis=0) + ring.max(axis=0)) / 2
    if abs(float(_across(centre - line[0], chord))) > THROUGH * float(np.ptp(ring, axis=0).min()):
        return False
    # Along the slash: its ends on either side of the ring's centre, each well out from it
    # (a 9's stem, in line with the centre too, starts at the ring).
    along = (ring - centre) @ chord / length
    reach = REACH * float(np.ptp(along))
    start, end = (float((p - centre) @ chord) / length for p in (line[0], line[-1]))
    return (start <= -reach and end >= reach
            and not _inside(line[0], ring) and not _inside(line[-1], ring))


def _across(points: np.ndarray, chord: np.ndarray) -> np.ndarray:
    """Signed distances of points (relative to the chord's start) from the chord's line."""
    return (points[..., 1] * chord[0] - points[..., 0] * chord[1]) / float(np.hypot(*chord))


def _area(polygon: np.ndarray) -> float:
    """The area a path encloses once closed (shoelace; a path that crosses itself counts
    its lobes against each other, so a figure of eight is no ring)."""
    x, y = _closed(polygon).T
    return 0.5 * abs(float(x[:-1] @ y[1:] - y[:-1] @ x[1:]))


def _inside(point: np.ndarray, polygon: np.ndarray) -> bool:
    """Whether a point lies inside a path closed into a polygon (even-odd rule)."""
    x, y = float(point[0]), float(point[1])
    closed = _closed(polygon)
    a, b = closed[:-1], closed[1:]
    crosses = (a[:, 1] > y) != (b[:, 1] > y)
    a, b = a[crosses], b[crosses]  # edges that span y: none of them level
    at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
    return bool(np.count_nonzero(x < at) % 2)


def _closed(path: np.ndarray) -> np.ndarray:
    """The path with its first point again at the end, as float64."""
    return np.concatenate([path, path[:1]]).astype(np.float64)
