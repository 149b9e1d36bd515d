"""Find the digits of a picture from its pixels: connected ink, joined and split into digits."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median  # not np.median: see segment.strokes.row_extent

import numpy as np
from PIL import Image

from edge_app.errors import ImageError, NothingDrawnError
from edge_app.page import MIN_CONTRAST, background
from edge_app.pen import stroke_width
from edge_app.picture import to_gray
from edge_app.preprocess import INK_FLOOR, _ink, flatten_page
from edge_app.segment.boxes import Box, group_boxes, hanging_pairs
from edge_app.segment.components import label
from edge_app.segment.halves import HALF_BOW, HALF_MEET, HALF_SPAN
from edge_app.segment.joins import (
    HANG_RISE,
    HANG_TOP,
    JOINED_SURE,
    OPEN_RISE,
    REFUSED_NEAR,
    RISE_NEAR,
    ROW_HANG_SHORTER,
    ell_factor,
)
from edge_app.segment.pairs import rises

WORK_SIDE = 1024  # pixels: digits are found on a copy reduced to at most this side
CRUMB = 0.01  # a piece with less ink than this fraction of the largest is dropped at once
SPECK = 0.03  # a digit with less ink than this fraction of the largest one is noise
MAX_PIECES = 200  # beyond this many pieces of ink (noise, a texture) only the largest count
# Digits touching each other make one piece of ink that is wider than a digit. Wider than
# SURE_SPLIT × its height it is split without asking; from MAY_SPLIT on it is split when the
# classifier is surer of the two halves than of the whole (see `find_digits`).
MAY_SPLIT = 1.0  # width / height
SURE_SPLIT = 1.8
SPLIT_WINDOW = (0.25, 0.75)  # fraction of the width in which the cut is sought
MIN_PIECE = 0.15  # of the height: narrower pieces are not cut off
# Both halves of touching digits are tall: this fraction of the piece's height at least; and a
# piece lower than SHORT × the row's median height is a bar, not digits side by side.
TALL_HALF = 0.65
SHORT = 0.6
# The classifier is overconfident on two squashed digits, so halves must each look like a
# digit to it this surely, besides beating the whole (measured: cuts 0.08 % of MNIST test
# digits and a third of the touching pairs that are wider than tall).
SURE_HALF = 0.9


@dataclass(frozen=True)
class InkDigit:
    """One digit found in a picture.

    Attributes:
        box: (x0, y0, x1, y1) in the picture's pixels, ends exclusive.
        ink: (h, w) uint8 ink of this digit alone, light on black (0 = paper), with a margin;
            `edge_app.preprocess.preprocess_cut` takes it as it is.
    """

    box: tuple[int, int, int, int]
    ink: np.ndarray


# Reads candidate digit images (as InkDigit.ink): the classifier's confidence in each, 0-1,
# and the digit it reads (0 and -1 for one it cannot read), as `judge.top_predictions`.
Judge = Callable[[Sequence[np.ndarray]], tuple[np.ndarray, np.ndarray]]


def find_digits(image: np.ndarray | Image.Image, judge: Judge | None = None) -> list[InkDigit]:
    """Finds the digits in a picture of a row of digits, left to right.

    Ink pieces that overlap horizontally or lie close together (a 5's detached flag, a broken
    or dotted stroke) join into one digit; a piece much wider than tall (touching digits) is
    cut where its outline is narrowest from top to bottom.

    Args:
        image: the picture, any size and polarity; see `edge_app.picture.to_gray`.
        judge: reads candidate digits; with it, pieces only a little wider than tall are cut
            when the halves look more like digits than the whole does, and pieces of one
            digit kept apart are joined when the whole reads better (`_rejoin`).

    Returns:
        The digits, left to right; at least one.

    Raises:
        NothingDrawnError: the picture holds no ink.
        ImageError: the picture has no pixels or an unusable shape or type.
    """
    gray = to_gray(image)
    if gray.size == 0:
        raise ImageError("image has no pixels")
    factor = -(-max(gray.shape) // WORK_SIDE)
    small = np.asarray(Image.fromarray(gray).reduce(factor)) if factor > 1 else gray
    flat = flatten_page(small)  # a photographed page: even light, no ruled lines
    paper = background(gray) if flat is small else background(flat)
    ink = _ink(flat, paper)
    peak = int(ink.max())
    if peak < MIN_CONTRAST:
        raise NothingDrawnError("nothing drawn")
    labels, stats = label(ink > peak * INK_FLOOR)
    ids = np.flatnonzero(stats[:, 4] >= CRUMB * stats[1:, 4].max())
    ids = ids[np.argsort(-stats[ids, 4], kind="stable")][:MAX_PIECES]
    boxes = [Box(*map(float, stats[i, :4])) for i in ids]
    pieces = []
    for group in group_boxes(boxes, join_near=True, weights=[float(stats[i, 4]) for i in ids]):
        members = ids[group]
        x0, y0 = stats[members, 0].min(), stats[members, 1].min()
        x1, y1 = stats[members, 2].max(), stats[members, 3].max()
        mask = np.isin(labels[y0:y1, x0:x1], members)
        pieces.append((int(x0), int(y0), mask))
    masses = [int(m.sum()) for _, _, m in pieces]
    pieces = [p for p, m in zip(pieces, masses) if m >= SPECK * max(masses)]
    if judge is not None:
        pieces = _rejoin(ink, labels, pieces, judge)
    row = float(median([m.shape[0] for _, _, m in pieces]))
    cut = [part for piece in pieces for part in _split(ink, labels, piece, judge, row)]
    return [_digit(ink, labels, piece, factor, gray.shape) for piece in cut]


def _rejoin(ink: np.ndarray, labels: np.ndarray, pieces: list[tuple[int, int, np.ndarray]],
            judge: Judge) -> list[tuple[int, int, np.ndarray]]:
    """Joins neighbouring pieces of which one stops short of the line the other stands on (an
    open 4 whose bar misses its upright, a 9's loop apart from its stem), that are the halves
    of a 0 (`_halves`), or whose left one ends above the foot of a 1 (an L apart from its
    upright), as the stroke path does (`segment.joins`: HANG_RISE, HANG_TOP, ROW_HANG_SHORTER,
    REFUSED_NEAR, `segment.halves`, OPEN_RISE, RISE_NEAR, `ell_factor`), when the judge is
    sure of the whole (JOINED_SURE) and at least as sure of it as of both pieces.

    Args:
        ink: the picture's ink (`find_digits`' working copy).
        labels: its connected pieces' labels.
        pieces: (x0, y0, mask) of each piece, left to right.
        judge: scores candidate digits.

    Returns:
        The pieces, some joined, left to right.
    """
    if len(pieces) < 2:
        return pieces
    # The rule is the stroke path's, on centrelines: boxes less half the pen on every side
    # (with the pen, a 4 drawn with a thick brush rose 0.29-0.35 of its height instead of 0.4).
    half = median(stroke_width(m) for _, _, m in pieces) / 2
    found = [Box(x + half, y + half, max(x + m.shape[1] - half, x + half),
                 max(y + m.shape[0] - half, y + half)) for x, y, m in pieces]
    shorter = 1.0 if len(pieces) == 2 else ROW_HANG_SHORTER
    pairs = [i for i in hanging_pairs(found, HANG_RISE, HANG_TOP, shorter)
             if found[i + 1].x0 - found[i].x1
             <= REFUSED_NEAR * max(found[i].height, found[i + 1].height)]
    pairs = set(pairs) | {i for i in range(len(pieces) - 1)
                          if _halves(pieces[i:i + 2], found[i:i + 2], 2 * half)}
    risen = {i for i, (a, b) in enumerate(zip(found, found[1:]))
             if b.x0 - a.x1 <= RISE_NEAR * max(a.height, b.height) and rises(a, b, OPEN_RISE)}
    offered = sorted(pairs | risen)
    if not offered:
        return pieces
    # One batched judgement and one pass, the surest joins first: a picture of noise may have
    # a hundred pieces, and judging again after each join would grow with their square.
    joined = {i: _union(pieces[i], pieces[i + 1]) for i in offered}
    singles = sorted({j for i in offered for j in (i, i + 1)})
    scores, digits = judge([_crop(ink, labels, pieces[j]) for j in singles]
                           + [_crop(ink, labels, joined[i]) for i in offered])
    one = dict(zip(singles, scores.tolist()))
    read = dict(zip(singles, digits.tolist()))
    chosen: set[int] = set()
    for whole, i in sorted(zip(scores[len(singles):].tolist(), offered), reverse=True):
        ell = (ell_factor((read[i], read[i + 1]), one[i], found[i], pieces[i][2])
               if i in risen else None)
        if ell is None and i not in pairs:
            continue
        if (whole >= JOINED_SURE and whole >= one[i] * (ell or 1.0) * one[i + 1]
                and not {i - 1, i + 1} & chosen):
            chosen.add(i)
    out, i = [], 0
    while i < len(pieces):
        out.append(joined[i] if i in chosen else pieces[i])
        i += 2 if i in chosen else 1
    return out


def _halves(pieces: Sequence[tuple[int, int, np.ndarray]], found: Sequence[Box],
            pen: float) -> bool:
    """Whether two neighbouring pieces are the halves of a 0, "(" and ")", as
    `segment.halves.halves` asks of strokes: each about as tall as the other and crossed once
    by every row (it runs once from top to foot), bowing away from the other, the ends of
    their ink at the top and at the foot meeting."""
    a, b = found
    height = max(a.height, b.height)
    meet = HALF_MEET * height + pen  # the ink's ends are measured over a band the pen deep
    if (min(a.height, b.height) < HALF_SPAN * height or b.x0 - a.x1 > meet + pen
            or abs(a.y0 - b.y0) > meet or abs(a.y1 - b.y1) > meet):
        return False  # cheapest first: most neighbours in a number stop here
    ends = []
    for x0, _, mask in pieces:
        rows = mask.shape[0]
        band = max(1, round(pen))
        crossings = np.count_nonzero(mask[:, 1:] & ~mask[:, :-1], axis=1) + mask[:, 0]
        if np.count_nonzero(crossings > 1) > 0.1 * rows:
            return False
        columns = np.arange(mask.shape[1])
        ends.append([x0 + float(columns @ mask[part].sum(axis=0)) / max(int(mask[part].sum()), 1)
                     for part in (slice(0, band), slice(rows - band, rows))])
    (left_top, left_foot), (right_top, right_foot) = ends
    bow = HALF_BOW * height
    return (math.dist((left_top, a.y0), (right_top, b.y0)) <= meet
            and math.dist((left_foot, a.y1), (right_foot, b.y1)) <= meet
            and min(left_top, left_foot) - a.x0 >= bow
            and b.x1 - max(right_top, right_foot) >= bow)


def _union(a: tuple[int, int, np.ndarray], b: tuple[int, int, np.ndarray]
           ) -> tuple[int, int, np.ndarray]:
    """One piece of two: their masks on the box that holds both."""
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1 = max(a[0] + a[2].shape[1], b[0] + b[2].shape[1])
    y1 = max(a[1] + a[2].shape[0], b[1] + b[2].shape[0])
    mask = np.zeros((y1 - y0, x1 - x0), bool)
    for x, y, m in (a, b):
        mask[y - y0:y - y0 + m.shape[0], x - x0:x - x0 + m.shape[1]] |= m
    return x0, y0, mask


def _split(ink: np.ndarray, labels: np.ndarray, piece: tuple[int, int, np.ndarray],
           judge: Judge | None, row: float) -> list[tuple[int, int, np.ndarray]]:
    """Cuts a piece that looks like touching digits at its thinnest column, recursively."""
    x0, y0, mask = piece
    h, w = mask.shape
    if w <= MAY_SPLIT * h or (judge is None and w <= SURE_SPLIT * h) or h < SHORT * row:
        return [piece]
    lo, hi = max(int(w * SPLIT_WINDOW[0]), 1), min(int(w * SPLIT_WINDOW[1]), w - 1)
    if hi <= lo:
        return [piece]
    c = lo + int(np.argmin(_cut_cost(mask)[lo:hi]))
    halves = [_trim(x0, y0, mask[:, :c]), _trim(x0 + c, y0, mask[:, c:])]
    if any(m.shape[1] < MIN_PIECE * h or m.shape[0] < TALL_HALF * h for _, _, m in halves):
        return [piece]
    if w <= SURE_SPLIT * h:
        whole, left, right = judge([_crop(ink, labels, p) for p in (piece, *halves)])[0]
        if min(left, right) < SURE_HALF or left * right <= whole:
            return [piece]
    return [part for half in halves for part in _split(ink, labels, half, judge, row)]


def _cut_cost(mask: np.ndarray) -> np.ndarray:
    """How bad a cut through each column is: where two digits touch, the ink is short from
    top to bottom (the outline's waist) and thin; inside a digit it spans the digit's height.
    Ties go to the middle."""
    h, w = mask.shape
    present = mask.any(axis=0)
    top = np.where(present, mask.argmax(axis=0), h)
    bottom = np.where(present, h - mask[::-1].argmax(axis=0), 0)
    extent = np.maximum(bottom - top, 0)
    return extent + 0.5 * mask.sum(axis=0) + np.abs(np.arange(w) - w / 2) / w


def _trim(x0: int, y0: int, mask: np.ndarray) -> tuple[int, int, np.ndarray]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return x0, y0, mask
    return (x0 + int(cols[0]), y0 + int(rows[0]),
            mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1])


def _crop(ink: np.ndarray, labels: np.ndarray, piece: tuple[int, int, np.ndarray],
          margin: int = 2) -> np.ndarray:
    """The ink of one piece alone: its pixels, plus the soft edge around them that no other
    piece claims, on a black margin."""
    x0, y0, mask = piece
    h, w = mask.shape
    H, W = ink.shape
    a0, b0 = max(y0 - 1, 0), max(x0 - 1, 0)
    a1, b1 = min(y0 + h + 1, H), min(x0 + w + 1, W)
    grown = np.zeros((a1 - a0, b1 - b0), bool)
    grown[y0 - a0:y0 - a0 + h, x0 - b0:x0 - b0 + w] = mask
    near = grown.copy()  # one pixel of dilation: the anti-aliased rim belongs to the digit
    near[1:] |= grown[:-1]
    near[:-1] |= grown[1:]
    near[:, 1:] |= grown[:, :-1]
    near[:, :-1] |= grown[:, 1:]
    near &= (labels[a0:a1, b0:b1] == 0) | grown
    out = np.zeros((a1 - a0 + 2 * margin, b1 - b0 + 2 * margin), np.uint8)
    out[margin:-margin, margin:-margin] = np.where(near, ink[a0:a1, b0:b1], 0)
    return out


def _digit(ink: np.ndarray, labels: np.ndarray, piece: tuple[int, int, np.ndarray],
           factor: int, shape: tuple[int, int]) -> InkDigit:
    x0, y0, mask = piece
    h, w = mask.shape
    box = (x0 * factor, y0 * factor, min((x0 + w) * factor, shape[1]),
           min((y0 + h) * factor, shape[0]))
    return InkDigit(box, _crop(ink, labels, piece))
