"""How the boxes of two neighbouring pieces stand: on one line, one above the other."""

from __future__ import annotations

from edge_app.segment.boxes import STACKED, Box


def rises(left: Box, right: Box, rise: float) -> bool:
    """Whether `left` ends at least `rise` × the taller one's height above `right`'s foot.

    Args:
        left, right: the pieces' boxes.
        rise: the least rise, as a fraction of the taller one's height.

    Returns:
        True when `left` stops that far short of the line `right` stands on.
    """
    return right.y1 - left.y1 >= rise * max(left.height, right.height)


def shorter(a: Box, b: Box, under: float) -> int | None:
    """Which of two boxes (0: `a`, 1: `b`) is under `under` × the other's height, if either.

    Args:
        a, b: the pieces' boxes.
        under: the fraction of the other's height.

    Returns:
        0 or 1, or None when neither is that much the shorter.
    """
    if a.height < under * b.height:
        return 0
    return 1 if b.height < under * a.height else None


def on_one_line(a: Box, b: Box, level: float) -> bool:
    """Whether two boxes' feet lie within `level` × the taller one's height of each other."""
    return abs(a.y1 - b.y1) <= level * max(a.height, b.height)


def one_above_other(a: Box, b: Box, gap: float, side: float) -> bool:
    """Whether two boxes stand one above the other: overlapping up and down by less than
    `boxes.STACKED` of the shorter one's height, at most `gap` × their joint height apart up and
    down and `side` × it sideways.

    Args:
        a, b: the pieces' boxes.
        gap: the farthest gap up and down, as a fraction of their joint height.
        side: the farthest gap sideways, as a fraction of their joint height.

    Returns:
        True for such a pair (a broken stroke, as the grouping sees it).
    """
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)  # negative: a gap between them
    if overlap >= STACKED * min(a.height, b.height):
        return False
    height = max(a.y1, b.y1) - min(a.y0, b.y0)
    apart = max(a.x0, b.x0) - min(a.x1, b.x1)  # positive: a gap between them
    return -overlap <= gap * height and apart <= side * height


def narrow_or_short(a: Box, b: Box, aspect: float, short: float) -> bool:
    """Whether two boxes together are no wider than `aspect` × their joint height, or one is
    under `short` × the other's height."""
    box = a.union(b)
    return (box.width <= aspect * box.height
            or min(a.height, b.height) < short * max(a.height, b.height))
