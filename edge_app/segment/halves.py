"""The halves of a 0 or an 8 drawn as two strokes bowing away from each other, "(" and ")"."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from edge_app.segment.strokes import StrokeBoxes

# Two neighbouring one-stroke pieces that bow away from each other, "(" and ")" (or a mirrored 3
# and a 3), each running once from top to foot, with their tops and their feet meeting, are a 0
# (or an 8) drawn in two halves; `segment.joins.rejoin` offers them as a join as it does a
# hanging piece, alone or in a row. Drawn alone with the halves 0-5 / 5-10 / 10-15 % of the
# height apart (100 each, int8 CNN), such 0s were read as one 0 58 / 53 / 41 % of the time (the
# rest "62"), now 100 / 100 / 77 %; such 8s 30 / 11 / 13 % (the rest "83"), now 100 %; in "10",
# "60", "101" and "2026" (100 each) 70-79 % of the numbers were read right, now 96-100 %. The
# stroke evaluation and 26,400 stroke-drawn numbers of 2-6 digits read exactly as before; none
# of 12,000 touching and overlapping ones has such a pair. Without HALF_TRAVEL, a 9 drawn in one
# stroke overlapping a 3 passed 9 times in 8,000 touching and overlapping 2-digit numbers and 5
# of them were read as one digit. (Joining any pair alone whose whole closes a loop that neither
# piece has read 0s in halves as well but merged a tenth of touching 2-digit numbers.)
HALF_MEET = 0.2  # × the taller piece's height: top within this of top, foot of foot
HALF_SPAN = 0.6  # × that height: each piece's ends at least this far apart, up and down
HALF_BOW = 0.1  # × that height: each piece bows outward at least this far beyond its ends
HALF_TRAVEL = 1.3  # × a piece's height: the most it goes up and down in all (a 9 goes 1.5+)


def halves(groups: Sequence[Sequence[np.ndarray]], boxes: StrokeBoxes | None = None) -> bool:
    """Whether two neighbouring pieces are the halves of a 0 or an 8: one stroke each, left
    to right, each running once from top to foot (HALF_SPAN, HALF_TRAVEL), bowing away from
    each other (HALF_BOW), the tops and the feet meeting (HALF_MEET).

    Args:
        groups: two groups of strokes, left to right (`group_strokes`).
        boxes: the strokes' boxes, if already measured.

    Returns:
        True for exactly two such pieces.
    """
    if len(groups) != 2 or any(len(g) != 1 or len(g[0]) < 3 for g in groups):
        return False
    box_of = (boxes or StrokeBoxes()).stroke
    (left,), (right,) = groups
    a, b = box_of(left), box_of(right)
    height = max(a.height, b.height)
    # Cheapest first: in a number, neighbours' ends are far apart.
    ends = [sorted((p[0].tolist(), p[-1].tolist()), key=lambda e: e[1]) for p in (left, right)]
    (left_top, left_foot), (right_top, right_foot) = ends
    if max(math.dist(left_top, right_top), math.dist(left_foot, right_foot)) > (
            HALF_MEET * height):
        return False
    bow = HALF_BOW * height
    if (min(left_top[0], left_foot[0]) - a.x0 < bow
            or b.x1 - max(right_top[0], right_foot[0]) < bow):
        return False
    for (top, foot), p, box in zip(ends, (left, right), (a, b)):
        ys = np.asarray(p, np.float32).reshape(-1, 2)[:, 1]
        if (foot[1] - top[1] < HALF_SPAN * height
                or float(np.abs(np.diff(ys)).sum()) > HALF_TRAVEL * box.height):
            return False
    return True
