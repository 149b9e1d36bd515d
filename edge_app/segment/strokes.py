"""Group a drawing's strokes into digits, the way people draw them: left to right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import median  # not np.median: see row_extent

import numpy as np

from edge_app.segment.boxes import MAX_ASPECT, NEAR, Box, group_boxes, hanging_pairs
from edge_app.segment.lines import closest, sampled


def group_strokes(strokes: Sequence[np.ndarray]) -> list[list[np.ndarray]]:
    """Groups the strokes of a drawing into digits, ordered left to right.

    A digit drawn in several strokes (a 4, a 5 with its flag, a crossed 7, a 1 with a foot)
    stays one group; digits that touch or overlap a little are told apart by how much of
    each one's width the other covers, by drawing order and by size.

    Args:
        strokes: the strokes in drawing order, each an (n, 2) array of (x, y) pixels, n ≥ 1;
            empty strokes are left out.

    Returns:
        The strokes of each digit, in drawing order within a digit, digits left to right.
    """
    kept = [np.asarray(s) for s in strokes if len(s)]
    # The pen's width is left out: boxes of the centrelines tell touching digits apart better
    # (measured with a canvas brush of 1/22 of the side: twice the merges).
    boxes = [stroke_box(s) for s in kept]
    groups = group_boxes(boxes, ordered=True, join_near=True, distance=_distance(kept, boxes))
    return [[kept[i] for i in indices] for indices in groups]


# A stroke whose centreline spans under this fraction of the drawing's largest stroke is a tap
# (a finger that touched by mistake, a decimal point): no digit has a dot, and one drawn beside
# a digit stretched the digit's box, or was joined to it (a flagged 1 with a tap beside it read
# as 7). One within TAP_INSIDE × that span of another stroke's box is a bit of that stroke.
TAP = 0.06
TAP_INSIDE = 0.02


def without_taps(strokes: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The strokes of a drawing less its taps (TAP; not within another stroke's box,
    TAP_INSIDE) and empty strokes, in drawing order. Taps are judged against the largest
    stroke, so a drawing of taps alone keeps its largest, for the gate to call too small.

    Args:
        strokes: each an (n, 2) array of (x, y) pixels.
    """
    drawn = [s for s in strokes if len(s)]
    if len(drawn) < 2:
        return drawn
    boxes = [stroke_box(s) for s in drawn]
    sizes = [max(b.width, b.height) for b in boxes]
    least, near = TAP * max(sizes), TAP_INSIDE * max(sizes)
    big = [b for b, size in zip(boxes, sizes) if size >= least]

    def within(b: Box) -> bool:  # a bit of a stroke's own ink: it adds ink where it is
        return any(b.x0 >= c.x0 - near and b.x1 <= c.x1 + near and b.y0 >= c.y0 - near
                   and b.y1 <= c.y1 + near for c in big)

    return [s for s, b, size in zip(drawn, boxes, sizes) if size >= least or within(b)]


# Neighbouring groups whose ink comes this close (× the taller one's height) may be pieces of
# one digit that the boxes kept apart: the two strokes of a slanted 4 meeting at the crossbar,
# a 2 whose loop was drawn apart. Measured on traced MNIST digits in numbers of 2-6 digits,
# such pieces came within 0.06 of the height of each other, and the shorter piece was at most
# 0.71 of the taller one's height in 90 % of cases, where neighbouring digits that touch were
# at least 0.76 in 90 % of cases. A judge decides among what is left (`joinable`).
MAY_JOIN = 0.08
SHORTER = 0.8


def joinable(groups: Sequence[Sequence[np.ndarray]],
             boxes: StrokeBoxes | None = None) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right groups may be pieces of one digit: their
    ink touches, one is clearly shorter than the other, and together they are no wider than a
    digit may be.

    Args:
        groups: strokes grouped into digits, left to right (`group_strokes`).
        boxes: the strokes' boxes, if already measured.

    Returns:
        Each i whose group and the next may be joined.
    """
    box_of = (boxes or StrokeBoxes()).group
    out = []
    for i in range(len(groups) - 1):
        a, b = box_of(groups[i]), box_of(groups[i + 1])
        tall = max(a.height, b.height, 1e-6)
        if min(a.height, b.height) >= SHORTER * tall:
            continue
        merged = a.union(b)
        if merged.width > MAX_ASPECT * max(merged.height, 1e-6):
            continue
        if _box_gap(a, b) > MAY_JOIN * tall:
            continue
        step = max(1.0, tall / 40)
        left = np.concatenate([sampled(s, step) for s in groups[i]], axis=1)
        right = np.concatenate([sampled(s, step) for s in groups[i + 1]], axis=1)
        if closest(left, right) <= MAY_JOIN * tall:
            out.append(i)
    return out


def neighbours(groups: Sequence[Sequence[np.ndarray]], within: float = NEAR,
               boxes: StrokeBoxes | None = None) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right groups have boxes no farther apart than
    `within` × the taller one's height.

    Args:
        groups: strokes grouped into digits, left to right (`group_strokes`).
        within: the farthest gap, as a fraction of the taller group's height.
        boxes: the strokes' boxes, if already measured.

    Returns:
        Each i whose group and the next are that close.
    """
    box_of = (boxes or StrokeBoxes()).group
    found = [box_of(g) for g in groups]
    return [i for i, (a, b) in enumerate(zip(found, found[1:]))
            if _box_gap(a, b) <= within * max(a.height, b.height, 1e-6)]


def crowded(groups: Sequence[Sequence[np.ndarray]], spacing: float,
            shorter: float, boxes: StrokeBoxes | None = None) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right groups have boxes that touch or overlap
    where the drawing otherwise keeps its digits apart: the median gap between the other
    neighbours is at least `spacing` × their taller one's height; with no other neighbours to
    go by, where one of the two is under `shorter` × the other's height.

    Args:
        groups: strokes grouped into digits, left to right (`group_strokes`).
        spacing: the median gap of the rest of the row, as a fraction of height.
        shorter: the height ratio for a pair alone.
        boxes: the strokes' boxes, if already measured.

    Returns:
        Each i whose group and the next touch in a row that is otherwise spaced.
    """
    box_of = (boxes or StrokeBoxes()).group
    found = [box_of(g) for g in groups]
    gaps = [_box_gap(a, b) / max(a.height, b.height, 1e-6) for a, b in zip(found, found[1:])]
    out = []
    for i, gap in enumerate(gaps):
        if gap > 0:
            continue
        others = gaps[:i] + gaps[i + 1:]
        if others:
            spaced = float(median(others)) >= spacing
        else:
            a, b = found[i], found[i + 1]
            spaced = min(a.height, b.height) < shorter * max(a.height, b.height)
        if spaced:
            out.append(i)
    return out


def hanging(groups: Sequence[Sequence[np.ndarray]], rise: float, top: float,
            boxes: StrokeBoxes | None = None, shorter: float = 1.0) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right groups are a piece hanging beside the
    other (`boxes.hanging_pairs`: the L of an open 4 whose bar stops short of the upright, a
    9's loop drawn apart from its stem).

    Args:
        groups: strokes grouped into digits, left to right (`group_strokes`).
        rise, top, shorter: as for `boxes.hanging_pairs`.
        boxes: the strokes' boxes, if already measured.

    Returns:
        Each i whose group and the next are such a pair.
    """
    box_of = (boxes or StrokeBoxes()).group
    return hanging_pairs([box_of(g) for g in groups], rise, top, shorter)


def ends_on(groups: Sequence[Sequence[np.ndarray]], low: float, contact: float,
            boxes: StrokeBoxes | None = None) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right groups meet as the bar of a 4 meets its
    upright: a stroke of the left group ends on a line of the right one, within the lowest
    `low` of the right group's height.

    Args:
        groups: strokes grouped into digits, left to right (`group_strokes`).
        low: how high above the right group's foot the stroke may end, as a fraction of
            the right group's height.
        contact: how far from the right group's line the stroke may end, as a fraction of
            the right group's height.
        boxes: the strokes' boxes, if already measured.

    Returns:
        Each i whose group ends so on the next.
    """
    box_of = (boxes or StrokeBoxes()).group
    out = []
    for i in range(len(groups) - 1):
        box = box_of(groups[i + 1])
        height = max(box.height, 1e-6)
        reach = contact * height
        # The box first: most pairs have no stroke end near the other's foot, and sampling
        # the lines costs ten times as much.
        ends = [(x, y) for s in groups[i] for x, y in (s[0].tolist(), s[-1].tolist())
                if 0.0 <= box.y1 - y <= low * height and box.x0 - reach <= x <= box.x1 + reach]
        if not ends:
            continue
        line = np.concatenate([sampled(s, max(1.0, height / 40)) for s in groups[i + 1]], axis=1)
        if closest(np.array(ends, np.float64).T, line) <= reach:
            out.append(i)
    return out


def stroke_box(stroke: np.ndarray, pen: float = 0.0) -> Box:
    """The box of one stroke's points, grown by half the pen's width on every side."""
    points = np.asarray(stroke)
    if points.ndim != 2:
        points = points.reshape(-1, 2)
    # Reduced in the stroke's own type: its extremes widen to the same floats, one copy fewer.
    x0, y0 = np.minimum.reduce(points).tolist()
    x1, y1 = np.maximum.reduce(points).tolist()
    r = pen / 2
    return Box(x0 - r, y0 - r, x1 + r, y1 + r)


def group_box(group: Sequence[np.ndarray], pen: float = 0.0) -> Box:
    """The box of a group of strokes (see `stroke_box`)."""
    return StrokeBoxes().group(group, pen)


class StrokeBoxes:
    """Each stroke's box, measured once: reading a number asks for the boxes of the same
    strokes dozens of times (42 times for the 5 strokes of the benchmark's "4712"), as pieces
    are weighed, joined and sized."""

    def __init__(self) -> None:
        # By identity; the stroke is kept with its box so that its id is not reused.
        self._known: dict[int, tuple[np.ndarray, Box]] = {}

    def stroke(self, stroke: np.ndarray) -> Box:
        """`stroke_box(stroke)`."""
        hit = self._known.get(id(stroke))
        if hit is None or hit[0] is not stroke:
            hit = self._known[id(stroke)] = (stroke, stroke_box(stroke))
        return hit[1]

    def group(self, group: Sequence[np.ndarray], pen: float = 0.0) -> Box:
        """`group_box(group, pen)`: the strokes' boxes joined, grown by half the pen."""
        box = self.stroke(group[0])
        for stroke in group[1:]:
            box = box.union(self.stroke(stroke))
        if pen:
            r = pen / 2
            box = Box(box.x0 - r, box.y0 - r, box.x1 + r, box.y1 + r)
        return box


def _distance(strokes: Sequence[np.ndarray],
              boxes: Sequence[Box]) -> Callable[[int, int], float]:
    """The closest approach of strokes i < j along their lines, in pixels, measured when first
    asked for (most joins are decided by the boxes alone: the two strokes of a 4 are).

    Measured only where it can matter, i.e. for boxes closer than the farthest a part may be
    and still join (NEAR × the taller one's height); farther pairs get their boxes' distance,
    which is less than the lines' and already too far.
    """
    # Motion events can be far apart on a fast stroke: sample the lines at a fortieth of the
    # drawing's height, fine enough to tell touching (CONTACT) from near.
    height = max(b.y1 for b in boxes) - min(b.y0 for b in boxes) if boxes else 0.0
    step = max(1.0, height / 40)
    lines: dict[int, np.ndarray] = {}
    known: dict[tuple[int, int], float] = {}

    def line(k: int) -> np.ndarray:
        if k not in lines:
            lines[k] = sampled(strokes[k], step)
        return lines[k]

    def distance(i: int, j: int) -> float:
        if (i, j) not in known:
            a, b = boxes[i], boxes[j]
            gap = _box_gap(a, b)
            if gap <= NEAR * max(a.height, b.height):
                gap = closest(line(i), line(j))
            known[i, j] = gap
        return known[i, j]

    return distance


def _box_gap(a: Box, b: Box) -> float:
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    if dx == 0.0 or dy == 0.0:  # side by side or one above the other: no root to take
        return dx + dy
    return float(np.hypot(dx, dy))


def row_extent(groups: Sequence[Sequence[np.ndarray]], boxes: StrokeBoxes) -> float | None:
    """The median extent of the groups of a number; None for one group alone."""
    # statistics.median, not numpy's: the first np.median imports numpy.ma (about 20 ms, paid
    # by a person's first number in the app), and each call costs more than the handful of
    # values is worth.
    return float(median([extent(g, boxes) for g in groups])) if len(groups) > 1 else None


def extent(group: Sequence[np.ndarray], boxes: StrokeBoxes) -> float:
    """The longer side of a group's box."""
    box = boxes.group(group)
    return max(box.width, box.height)
