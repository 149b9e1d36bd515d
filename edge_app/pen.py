"""The pen in a picture of a digit: its width, the gate's measures, and MNIST's width."""

from __future__ import annotations

import numpy as np

from edge_app import gate
from edge_app.segment.components import label

TARGET_WIDTH = 2.2  # pixels of the 20-pixel box: MNIST's pen, measured the same way
WIDTH_SLACK = 0.6  # pixels: the models learnt pens this much thinner or thicker; beyond, the
# pen is brought back to the edge of that range
WIDTH_GRID = 1.18  # grid-measured boundaries run longer than true ones (calibrated on strokes)
# A straight bar fills the rectangle its second moments describe (area = 12·√(major·minor)
# for a rectangle). Ink that fills at least BAR_FILL of it and is at least 1 / BAR_SPREAD
# times as long as wide is a straight line, whatever its pen: a short dash drawn with a thick
# brush has round ends that make up much of its boundary, so its pen measured from the
# boundary came out a fifth too narrow and the line seemed to bend (spread 0.12-0.22, above
# the gate's 0.12). Measured through `preprocess`: the stroke evaluation's dashes that passed
# all fill 0.94 or more with spreads of 0.18-0.32; none of its 11,500 digits is such a bar
# lying over 42° from the vertical, and 4 of MNIST's 70,000 pictures are (1s leaning further
# than that).
BAR_FILL = 0.88
BAR_SPREAD = 0.4
# Ink short for its box (centreline under DOTS_LENGTH times its extent: a "1", a "7", or a
# few separate dots) that is in several pieces is looked at piece by piece: pieces that are
# each no longer than DOT_SIDE pen widths are taps. A tap's side is about 2.2 of its pen width
# measured from area and boundary (2.2-2.6 for the stroke evaluation's taps); the pieces of
# MNIST's 70,000 digits broken in two or more are 3.6 pen widths long or more.
DOTS_LENGTH = 2.0
DOT_SIDE = 3.0


def measure(crop: np.ndarray, canvas: float) -> tuple[float, gate.Shape]:
    """The stroke's width and the gate's measures of the cropped ink (same pixels).

    Width from area and perimeter: a stroke of length L and width w covers L·w pixels and
    has a boundary of about 2·L (measured along the pixel grid, WIDTH_GRID times longer).

    Args:
        crop: uint8 ink strength (0 = paper) cropped to the ink's box.
        canvas: the picture's shorter side, in the crop's pixels.

    Returns:
        (pen width in the crop's pixels, the gate's measures).
    """
    framed = _framed(crop, (int(crop.max()) + 1) // 2)
    area = int(np.count_nonzero(framed))
    width = _width(framed, area)
    length = area / width
    extent = max(max(crop.shape) - width, 1.0)
    spread = angle = 0.0
    if length < 2.2 * extent and area > 1:  # could be a straight line (grid lengths run long)
        sxx, syy, sxy = _moments(framed)
        spread, angle = gate.axes(sxx, syy, sxy)
        major = (sxx + syy) / (1 + spread * spread)
        if spread < BAR_SPREAD and area >= BAR_FILL * 12 * major * spread:
            spread = 0.0  # a straight bar (see BAR_FILL)
        else:
            # The pen's own width (variance w²/12 across a line) is no spread of the line.
            minor = max(major * spread * spread - width * width / 12, 0.0)
            spread = (minor / major) ** 0.5 if major > 0 else 0.0
    h, w = crop.shape
    crossings = _crossings(framed)
    # An Euler number of 1 or more: no loop, for ink in one piece. Measured only for ink
    # crossed that often, which few digits are.
    loopless = _euler(framed) >= 1 if crossings >= gate.ZIGZAG_CROSSINGS else None
    return width, gate.Shape(extent, length, spread, angle, canvas, crossings=crossings,
                             aspect=w / h, fill=area / (h * w),
                             dots=length < DOTS_LENGTH * extent and _dots(framed, width),
                             loopless=loopless)


def share(digit: np.ndarray) -> float:
    """The pen's width over the ink's extent (its box's longer side) in a picture of a digit.

    Args:
        digit: float ink, 0 = paper.

    Returns:
        0 for no ink; about 0.1 for MNIST's digits, towards 1 for a filled blob.
    """
    top = float(digit.max()) if digit.size else 0.0
    if top <= 0:
        return 0.0
    framed = _framed(digit, 0.5 * top)
    mask = framed[1:-1, 1:-1]
    area = int(np.count_nonzero(framed))
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return _width(framed, area) / max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)


def stroke_width(mask: np.ndarray) -> float:
    """The width in pixels of the strokes whose ink is `mask` (bool, 2-D): its area over
    half its boundary (`_width`)."""
    return _width(_framed(mask.view(np.uint8), 1), int(np.count_nonzero(mask)))


def _framed(values: np.ndarray, level: float) -> np.ndarray:
    """Where `values` reach `level`, as a bool mask inside a frame of one False pixel."""
    h, w = values.shape
    framed = np.zeros((h + 2, w + 2), bool)
    np.greater_equal(values, level, out=framed[1:-1, 1:-1])
    return framed


def _width(framed: np.ndarray, area: int) -> float:
    """A stroke's width from its area and boundary: a stroke of length L and width w covers
    L·w pixels and has a boundary of about 2·L (along the pixel grid, WIDTH_GRID longer).

    Args:
        framed: the stroke's mask in a frame of False (`_framed`).
        area: its pixels.
    """
    # Row after row, the frame makes one line of it with no edge where rows meet: the edges
    # across are the changes between neighbours of the flat mask, those down between pixels
    # a row apart.
    flat = framed.ravel()
    row = framed.shape[1]
    edges = np.count_nonzero(flat[1:] != flat[:-1]) + np.count_nonzero(flat[row:] != flat[:-row])
    return max(1.0, WIDTH_GRID * 2 * area / max(edges, 1))


def _euler(framed: np.ndarray) -> int:
    """Pieces less holes of 8-connected ink (its Euler number), from the counts of its 2×2
    patterns: a few array operations, where labelling the pieces costs several times more."""
    m = framed.view(np.uint8)
    a, b, c, d = m[:-1, :-1], m[:-1, 1:], m[1:, :-1], m[1:, 1:]
    corners = a + b + c + d
    diagonal = np.count_nonzero((corners == 2) & (a == d))
    return int(np.count_nonzero(corners == 1) - np.count_nonzero(corners == 3)
               - 2 * diagonal) // 4


def _dots(framed: np.ndarray, width: float) -> bool:
    """Whether the ink is two or more pieces, each no longer than DOT_SIDE pen widths."""
    # Only a broken digit or dots have more pieces than holes: the pieces are labelled then.
    if _euler(framed) < 2:
        return False
    _, boxes = label(framed[1:-1, 1:-1])
    sides = np.maximum(boxes[1:, 2] - boxes[1:, 0], boxes[1:, 3] - boxes[1:, 1])
    return len(sides) > 1 and float(sides.max()) <= DOT_SIDE * width


def _crossings(framed: np.ndarray) -> int:
    """The third-largest number of ink runs along a row or a column of a framed mask."""
    # A run starts where False turns True; summed with add.reduce (np.count_nonzero along an
    # axis costs twice as much on a mask this small).
    across = np.add.reduce(framed[:, 1:] > framed[:, :-1], axis=1)
    down = np.add.reduce(framed[1:] > framed[:-1], axis=0)
    both = np.concatenate((across, down))
    both.sort()
    return int(both[-3])


def _moments(framed: np.ndarray) -> tuple[float, float, float]:
    """Variances of x and y and their covariance over the pixels of a framed mask (as
    `np.cov(..., bias=True)` computes them, to the bit, without its wrapper's cost)."""
    # The pixels' places from the flat mask (np.nonzero of the framed part, a view, costs more),
    # less the frame.
    ys, xs = np.divmod(np.flatnonzero(framed), framed.shape[1])
    points = np.array((xs, ys), np.float64)
    points -= 1.0
    points -= points.mean(axis=1)[:, None]
    cov = np.dot(points, points.T.conj())  # a copy, as np.cov has it: gemm, not syrk
    cov *= np.true_divide(1, points.shape[1])
    return float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1])


def normalise(digit: np.ndarray, width: float) -> np.ndarray:
    """Thins or thickens a 20-pixel digit's stroke of `width` pixels into MNIST's range.

    A 3×3 grey-level erosion (dilation) takes about a pixel off (adds one to) each side; a
    blend with the weight that is needed gives every width in between.

    Args:
        digit: float32 ink in [0, 1], longer side 20 pixels.
        width: its pen width in those pixels (from `measure`).

    Returns:
        The digit with its pen within TARGET_WIDTH ± WIDTH_SLACK, normalised to a peak of 1.
    """
    excess = abs(width - TARGET_WIDTH) - WIDTH_SLACK
    if excess <= 0:
        return digit
    change = np.copysign(excess / 2, width - TARGET_WIDTH)  # pixels per side
    out = digit
    h, w = digit.shape
    pick = np.minimum if change > 0 else np.maximum
    for step in range(min(int(np.ceil(abs(change))), 2)):
        # 3×3 min (max) as a 3-row then a 3-column pass over a zero border.
        padded = np.zeros((h + 2, w + 2), np.float32)
        padded[1:-1, 1:-1] = out
        rows = pick(pick(padded[:-2], padded[1:-1]), padded[2:])
        target = pick(pick(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
        weight = min(abs(change) - step, 1.0)
        out = out + weight * (target - out)
    top = out.max()
    return out * (1.0 / top) if top > 0 else digit
