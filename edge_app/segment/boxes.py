"""Join the boxes of strokes or ink pieces into digits: the rule both segmenters share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

# A part narrower than this fraction of the taller part's height (a "1", a 4's upright) counts
# as this wide when overlaps are compared, so that two nearby uprights are not one digit just
# because one of them has no width.
MIN_WIDTH = 0.2
# Two parts whose ink touches (closer than CONTACT × the taller one's height) are one digit
# when their horizontal overlap is at least SAME_DIGIT_TOUCHING of the narrower one's width;
# parts that do not touch need SAME_DIGIT_APART. Measured on pairs of strokes in stroke-drawn
# 4-digit numbers (strokes meant to join missing by 5 % of the height, σ): the strokes of one
# digit touched and overlapped by 0.52 or more in 99 % of cases, while strokes of neighbouring
# digits that touch overlapped by 0.17 (median), 0.39 (99 %, digits 10 % apart to 5 % into each
# other) and 0.84 (99 %, digits 10-30 % of a width into each other).
CONTACT = 0.06
SAME_DIGIT_TOUCHING = 0.45
SAME_DIGIT_APART = 0.6
# A part much lower than the other (a crossbar, a 5's flag, a broken-off piece) joins on less,
# touching or not: a flag often misses its upright by a tenth of the height.
SMALL_PART = 0.45  # of the taller part's height
SMALL_TOUCHING = 0.3
SMALL_APART = 0.4
# A part with less ink than this fraction of the other's counts as small as well: the
# faint sliver of a broken stroke beside its digit.
LIGHT = 0.15
# A thin part with less than a quarter of the other's ink right beside it is a sliver of its stroke
# (faint double lines of scanned digits), not a "1": a 1 beside a digit stands further off.
SLIVER_MASS = 0.25
SLIVER_WIDTH = 0.25  # of the taller part's height
SLIVER_GAP = 0.1  # of the taller part's height
# A small part this close to another, in units of the taller one's height, joins it even
# without overlap, after all other joins: the pieces of a dotted or broken stroke.
NEAR = 0.25
# Digits of a number stand side by side; parts that stand one above the other (overlapping
# vertically by less than STACKED of the shorter one's height) are pieces of one digit, e.g. a
# broken upright, as soon as they overlap horizontally by SAME_DIGIT_STACKED.
STACKED = 0.3
SAME_DIGIT_STACKED = 0.1
# A part drawn after strokes of another digit came in between needs this much more overlap:
# people finish a digit before the next, and go back only for a crossbar or a flag. (The
# opposite, less overlap for strokes drawn one right after the other, was measured and merged
# more touching digits: 8 % of overlapping ones instead of 5.5 %.)
GONE_BACK = 0.1
# No digit is much wider than tall: a join that would make one is refused.
MAX_ASPECT = 1.35  # width / height
MAX_ASPECT_SMALL = 1.8  # ... joining a small part: a 5's flag may stick out far


class Box(NamedTuple):
    """An axis-aligned box, (x0, y0) inclusive to (x1, y1) exclusive, in pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))


def group_boxes(boxes: Sequence[Box], ordered: bool = False, join_near: bool = False,
                distance: Callable[[int, int], float] | None = None,
                weights: Sequence[float] | None = None) -> list[list[int]]:
    """Joins boxes that look like parts of one digit, repeatedly, the likeliest pair first.

    Args:
        boxes: one box per stroke or ink piece.
        ordered: the boxes are in drawing order (strokes): parts not drawn one right after
            the other need more overlap.
        join_near: small parts join a close neighbour without overlapping it.
        distance: the closest distance between the ink of two boxes' items (i < j), if it can
            be measured; box gaps stand in for it otherwise. It is asked only for the pairs
            whose join depends on it (for strokes it is the costly part).
        weights: how much ink each box holds, if known (see LIGHT).

    Returns:
        The indices of each digit's boxes (ascending), digits ordered left to right.
    """
    n = len(boxes)
    parts: list[tuple[list[int], Box] | None] = [([i], box) for i, box in enumerate(boxes)]
    # Plain lists: a drawing has a handful of parts, where numpy's per-call cost outweighs
    # the work.
    mass = None if weights is None else [float(w) for w in weights]

    def gap(a: int, b: int) -> float:
        # Two parts are as close as their closest items.
        return min(distance(i, j) if i < j else distance(j, i)
                   for i in parts[a][0] for j in parts[b][0])

    def score(a: int, b: int) -> float:
        return _affinity(parts[a], parts[b], ordered, join_near,
                         None if distance is None else lambda: gap(a, b),
                         None if mass is None else (mass[a], mass[b]))

    # Every pair's score once (a < b), then only the merged part's again after each join.
    scores = [[0.0] * n for _ in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            scores[a][b] = score(a, b)
    while True:
        # The best pair, the first in row order among equals.
        best, a, b = 0.0, -1, -1
        for i, row in enumerate(scores):
            top = max(row, default=0.0)
            if top > best:
                best, a, b = top, i, row.index(top)
        if best <= 0:
            break
        parts[a] = (sorted(parts[a][0] + parts[b][0]), parts[a][1].union(parts[b][1]))
        parts[b] = None
        scores[b] = [0.0] * n
        for row in scores:
            row[b] = 0.0
        if mass is not None:
            mass[a] += mass[b]
        for c in range(n):
            if c != a and parts[c] is not None:
                scores[min(a, c)][max(a, c)] = score(min(a, c), max(a, c))
    kept = sorted((p for p in parts if p is not None), key=lambda p: p[1].x0 + p[1].x1)
    return [indices for indices, _ in kept]


def _affinity(a: tuple[list[int], Box], b: tuple[list[int], Box], ordered: bool,
              join_near: bool, gap: Callable[[], float] | None,
              mass: tuple[float, float] | None = None) -> float:
    """How much two parts look like one digit: 0 keeps them apart, higher joins first.

    `gap` measures how close the parts' ink comes; it is called only when the answer
    depends on it.
    """
    (ia, ba), (ib, bb) = a, b
    tall = max(ba.height, bb.height, 1e-6)
    light = sliver = False
    if mass is not None:
        lighter = ba if mass[0] < mass[1] else bb
        light = min(mass) < LIGHT * max(mass)
        sliver = min(mass) < SLIVER_MASS * max(mass) and lighter.width < SLIVER_WIDTH * tall
    small = light or min(ba.height, bb.height) < SMALL_PART * tall
    merged = ba.union(bb)
    if merged.width > (MAX_ASPECT_SMALL if small else MAX_ASPECT) * max(merged.height, 1e-6):
        return 0.0
    floor = MIN_WIDTH * tall
    # Widen narrow parts about their centre, so uprights compare by position, not by width.
    ax0, ax1 = _widened(ba, floor)
    bx0, bx1 = _widened(bb, floor)
    overlap = min(ax1, bx1) - max(ax0, bx0)
    ratio = overlap / max(min(ax1 - ax0, bx1 - bx0), 1e-6)
    # Parts whose ink touches join on less overlap than parts apart.
    near, apart = (SMALL_TOUCHING, SMALL_APART) if small else (SAME_DIGIT_TOUCHING,
                                                               SAME_DIGIT_APART)
    if ordered and not any(abs(i - j) == 1 for i in ia for j in ib):
        near, apart = near + GONE_BACK, apart + GONE_BACK
    if ratio >= apart or (ratio >= near and gap is not None and gap() <= CONTACT * tall):
        return ratio
    rise = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
    if rise < STACKED * min(ba.height, bb.height) and ratio >= SAME_DIGIT_STACKED:
        return ratio
    if sliver and _gap(ba, bb) <= SLIVER_GAP * tall:
        return 0.02  # after every join on overlap
    if join_near and small and (_gap(ba, bb) if gap is None else gap()) <= NEAR * tall:
        return 0.01  # after every join on overlap
    return 0.0


def _widened(box: Box, floor: float) -> tuple[float, float]:
    if box.width >= floor:
        return box.x0, box.x1
    centre = (box.x0 + box.x1) / 2
    return centre - floor / 2, centre + floor / 2


def hanging_pairs(found: Sequence[Box], rise: float, top: float,
                  shorter: float = 1.0) -> list[int]:
    """Which neighbours (i, i + 1) of left-to-right boxes are a piece hanging beside the other:
    the shorter one ends at least `rise` × the taller one's height above the taller one's
    bottom, its top is no more than `top` × that height below the taller one's top, and it is
    at most `shorter` × as tall. The digits of a number stand on one line; a piece that stops
    short of it is a piece of the digit beside it.

    Args:
        found: the pieces' boxes, left to right.
        rise: how far above the taller one's bottom the shorter one ends, as a fraction of the
            taller one's height.
        top: how far below the taller one's top the shorter one may start, as a fraction of
            the taller one's height.
        shorter: the hanging piece's height may be at most this fraction of the other's.

    Returns:
        Each i whose box and the next are such a pair.
    """
    out = []
    for i, (a, b) in enumerate(zip(found, found[1:])):
        small, big = (a, b) if a.height < b.height else (b, a)
        if (big.y1 - small.y1 >= rise * big.height
                and small.y0 - big.y0 <= top * big.height
                and small.height <= shorter * big.height):
            out.append(i)
    return out


def _gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return (dx * dx + dy * dy) ** 0.5
