"""Photographs of paper: the paper's grey, how evenly it is lit, and the page cleaned."""

from __future__ import annotations

import numpy as np
from PIL import Image

from edge_app.segment import components

MIN_CONTRAST = 40  # grey levels (of 255) between paper and ink; less is no ink at all
# A photo of paper, not a screen: its border varies by more than this many grey levels
# (10th to 90th percentile; a canvas's border is one level, a scan's a few), or the ink found
# runs across nearly all of it (PAGE_SPAN of a side: uneven light or ruled lines read as ink).
PAPER_SPREAD = 24
PAGE_SPAN = 0.95
PAPER_BLOCKS = 12  # the paper's brightness is estimated on about this many blocks a side
RULE_COVER = 0.85  # a row (column) inked across this much of the page is a ruled line...
RULE_THICK = 0.03  # ... when no thicker than this share of the page (plus a pixel)
PAGE_SIDE = 1024  # pixels: a photo is cleaned on a copy reduced to at most this side
# A block whose brightest pixel is under this share of the paper's (the blocks' upper
# quartile) holds no paper: where such blocks reach the picture's edge they are a table or
# another object beside the page. Shading and vignetting leave the paper at 60 % or more.
OFF_PAGE = 0.5
# A sheet photographed on a desk (`lift_sheet`) covers at least this share of the picture,
# fills at least SHEET_FILL of the span of each row and column it crosses, and, its ink
# included, at least SHEET_SOLID of its convex hull. Measured on 40 blocks a side: sheets
# turned up to 8° fill 0.94 or more of their hull; of the 10,000 MNIST test digits drawn
# light on dark and cut to their box, the 36 that pass the rest fill 0.90 at most.
SHEET_AREA = 0.4
SHEET_FILL = 0.9
SHEET_SOLID = 0.92
SHEET_BLOCKS = 40  # blocks a side: finer than PAPER_BLOCKS, for a narrow strip of desk


def reduced(gray: np.ndarray, side: int) -> np.ndarray:
    """`gray` box-reduced by a whole factor to at most `side` pixels a side."""
    factor = -(-max(gray.shape) // side)
    return np.asarray(Image.fromarray(gray).reduce(factor)) if factor > 1 else gray


def border(gray: np.ndarray) -> np.ndarray:
    """The outermost pixels, mostly paper on a canvas and on a photo of paper alike."""
    return np.concatenate((gray[0], gray[-1], gray[:, 0], gray[:, -1]))


def background(gray: np.ndarray) -> np.uint8:
    """The paper's grey level: the median of the border."""
    return median(border(gray))


def median(values: np.ndarray) -> np.uint8:
    """The median of uint8 values."""
    return values[np.argpartition(values, values.size // 2)[values.size // 2]]


def spread(values: np.ndarray) -> int:
    """10th to 90th percentile of uint8 values, in grey levels."""
    if int(values.max()) - int(values.min()) <= PAPER_SPREAD:  # a canvas: no need to sort
        return 0
    low, high = values.size // 10, values.size - 1 - values.size // 10
    part = np.partition(values, (low, high))
    return int(part[high]) - int(part[low])


def clean_page(gray: np.ndarray, dark: bool, flatten: bool = True) -> np.ndarray:
    """A photographed page made flat: even light, ruled or squared lines erased.

    The paper's brightness is the brightest pixel of each of about PAPER_BLOCKS × PAPER_BLOCKS
    blocks (a digit's stroke is narrower than a block), spread to the neighbouring blocks so a
    block that ink fills takes its neighbours' paper, and smoothed; dividing by it turns
    shadow and vignetting into white paper. Then rows (columns) inked across RULE_COVER of the
    page and at most RULE_THICK thick are a ruled line when there are at least two of them;
    each is replaced by the lighter of the pixels just above and below it, which keeps a
    stroke that crosses it. A table or another dark object beside the page (blocks with no
    paper in them, OFF_PAGE, reaching the picture's edge) is painted out as paper, with the
    dark pixels joined to it.

    Args:
        gray: (H, W) uint8, at least 2 × PAPER_BLOCKS pixels a side (a smaller one comes back
            as it is).
        dark: whether the ink is darker than the paper.
        flatten: divide out the paper's brightness when it varies by more than
            PAPER_SPREAD; without (or when it does not), only ruled lines are erased, and a
            picture without them (a digit cropped to its ink) comes back as it is.

    Returns:
        (H, W) uint8, dark ink on paper of 255 (or `gray` itself, as above).
    """
    page = gray if dark else 255 - gray
    h, w = page.shape
    block = min(h, w) // PAPER_BLOCKS
    if block < 2:  # too small to be a photo of a page
        return gray
    near = None
    if flatten:
        hb, wb = h // block, w // block
        coarse = page[:hb * block, :wb * block].reshape(hb, block, wb, block).max(axis=(1, 3))
        near = _max_around(coarse, mode="edge")
    if near is None or int(near.max()) - int(near.min()) <= PAPER_SPREAD:
        # Even paper after all (a digit cropped to its ink has ink on its border): lines only.
        flat, rows = _erase_rules(page.astype(np.float32))
        flat, cols = _erase_rules(flat.T)
        return np.rint(flat.T).astype(np.uint8) if rows + cols else gray
    off = _off_page(coarse)
    if off.any():
        # The paper's brightness from the page's blocks only; a block off the page is
        # divided by its own, so that it comes out light.
        near = _max_around(np.where(off, 0, coarse), mode="edge")
        near = np.where(off | (near == 0), coarse, near)
    paper = np.asarray(Image.fromarray(near.astype(np.float32), "F").resize(
        (w, h), Image.Resampling.BILINEAR), np.float32)
    flat = np.minimum(page * (255.0 / np.maximum(paper, 1.0)), 255.0)
    if off.any():
        flat = _erase_off_page(flat, off, block)
    flat, _ = _erase_rules(flat)
    flat, _ = _erase_rules(flat.T)
    return np.rint(flat.T).astype(np.uint8)


def _off_page(coarse: np.ndarray) -> np.ndarray:
    """Which blocks lie off the page: no paper in them (OFF_PAGE), reaching the picture's edge.

    Args:
        coarse: each block's brightest pixel, paper bright.
    """
    level = np.partition(coarse.ravel(), (3 * coarse.size) // 4)[(3 * coarse.size) // 4]
    return _reaching_edge(coarse < OFF_PAGE * float(level))


def _erase_off_page(flat: np.ndarray, off: np.ndarray, block: int) -> np.ndarray:
    """`flat` (dark ink on 255) with what lies off the page painted as paper: the blocks of
    `off`, and the dark pixels joined to them (the object's edge inside the page's blocks).

    A stroke that runs onto the object goes with it; one that keeps clear of it stays.
    """
    gone = _joined(off, block, flat < 255 - MIN_CONTRAST, flat.shape)
    return np.where(gone, np.float32(255), flat)


def lift_sheet(gray: np.ndarray) -> np.ndarray | None:
    """A sheet of paper photographed on a darker surface (a desk all round it), the surface
    painted as the paper, so that the picture reads as dark ink on paper; None when the
    picture is no such thing.

    The sheet: blocks whose mean is at least OFF_PAGE of the brightest blocks' (its ink is
    thin, so a block of paper with ink is still light), together at least SHEET_AREA of the
    picture and, row by row and column by column, filling SHEET_FILL of the span from the
    first to the last of them; the surface: the darker blocks that reach the picture's edge,
    most of each of its four sides; and what is not surface fills SHEET_SOLID of its convex
    hull. A sheet at any angle passes; a bold light digit on a dark ground, even cut to its
    box, has holes or bays. The surface's pixels and the dark pixels joined to them become
    paper.

    Args:
        gray: (H, W) uint8 whose border is darker than its middle.
    """
    h, w = gray.shape
    block = min(h, w) // SHEET_BLOCKS
    if block < 2:
        return None
    hb, wb = h // block, w // block
    # Made once: a copy whenever the picture is not a whole number of blocks.
    grid = gray[:hb * block, :wb * block].reshape(hb, block, wb, block)
    means = grid.mean(axis=(1, 3))
    level = float(np.partition(means.ravel(), (9 * means.size) // 10)[(9 * means.size) // 10])
    light = means >= OFF_PAGE * level
    if light.sum() < SHEET_AREA * light.size or min(_fill(light), _fill(light.T)) < SHEET_FILL:
        return None
    off = _reaching_edge(~light)
    if min(off[0].mean(), off[-1].mean(), off[:, 0].mean(), off[:, -1].mean()) < 0.5:
        return None
    if _solidity(~off) < SHEET_SOLID:
        return None
    # Paint the surface with the paper's brightness nearby (the brightest pixel of the sheet's
    # blocks clear of its edge), so that shading across the sheet carries on over it and
    # `clean_page` flattens both alike.
    inner = light & ~_max_around(~light, constant_values=True)
    known = _spread(grid.max(axis=(1, 3)).astype(np.float64), inner if inner.any() else light)
    paper = np.asarray(Image.fromarray(known.astype(np.float32), "F").resize(
        (w, h), Image.Resampling.BILINEAR), np.float32)
    gone = _joined(off, block, gray < OFF_PAGE * paper, (h, w))
    return np.where(gone, np.rint(paper).astype(np.uint8), gray)


def _max_around(values: np.ndarray, **edge) -> np.ndarray:
    """Each element's maximum over itself and its eight neighbours; `edge`: how `np.pad`
    extends `values` beyond its border."""
    h, w = values.shape
    padded = np.pad(values, 1, **edge)
    return np.max([padded[i:i + h, j:j + w] for i in range(3) for j in range(3)], axis=0)


def _spread(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """`values` where `known`, elsewhere the mean of the nearest known ones, block by block."""
    out = np.where(known, values, 0.0)
    known = known.copy()
    h, w = out.shape
    while not known.all():
        total, count = np.pad(out, 1), np.pad(known, 1).astype(np.float64)
        near = sum(total[i:i + h, j:j + w] for i in range(3) for j in range(3))
        seen = sum(count[i:i + h, j:j + w] for i in range(3) for j in range(3))
        grow = ~known & (seen > 0)
        out[grow] = near[grow] / seen[grow]
        known |= grow
    return out


def _row_ends(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows holding True blocks, and in each the first True block and one past the last."""
    rows = np.flatnonzero(blocks.any(axis=1))
    first = np.argmax(blocks[rows], axis=1)
    last = blocks.shape[1] - np.argmax(blocks[rows, ::-1], axis=1)
    return rows, first, last


def _fill(blocks: np.ndarray) -> float:
    """The share of True blocks between the first and the last True block of each row: about 1
    for a sheet at any angle, less for the strokes of a digit round its holes."""
    _, first, last = _row_ends(blocks)
    return float(blocks.sum()) / max(int((last - first).sum()), 1)


def _solidity(blocks: np.ndarray) -> float:
    """The True blocks' share of their convex hull (blocks as unit squares): about 1 for a
    sheet at any angle, less for a digit, whose outline has bays."""
    rows, first, last = _row_ends(blocks)
    # Each row's outermost block corners: the hull's corners are among them.
    corners = sorted({(int(x), int(y)) for xs, y in ((first, rows), (last, rows))
                      for x, y0 in zip(xs, y) for y in (y0, y0 + 1)})
    hull = _half_hull(corners)[:-1] + _half_hull(corners[::-1])[:-1]
    xs, ys = np.array(hull, float).T
    area = 0.5 * abs(float(xs @ np.roll(ys, 1) - ys @ np.roll(xs, 1)))
    return float(blocks.sum()) / max(area, 1.0)


def _half_hull(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One half of the convex hull of points sorted along x (Andrew's monotone chain)."""
    out: list[tuple[int, int]] = []
    for p in points:
        while len(out) >= 2 and ((out[-1][0] - out[-2][0]) * (p[1] - out[-2][1])
                                 - (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0])) <= 0:
            out.pop()
        out.append(p)
    return out


def _reaching_edge(blocks: np.ndarray) -> np.ndarray:
    """The True blocks of `blocks` (bool) that are joined to the picture's edge."""
    if not blocks.any():
        return blocks
    labels, _ = components.label(blocks)
    edge = np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1]))
    return np.isin(labels, edge[edge > 0])


def _joined(off: np.ndarray, block: int, dark: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The pixels of the blocks `off`, and the `dark` pixels joined to them."""
    h, w = shape
    seed = np.zeros((h, w), bool)
    grid = np.repeat(np.repeat(off, block, axis=0), block, axis=1)
    seed[:grid.shape[0], :grid.shape[1]] = grid
    # The last partial row and column of blocks go with their neighbours.
    seed[grid.shape[0]:, :grid.shape[1]] = grid[-1]
    seed[:, grid.shape[1]:] = seed[:, grid.shape[1] - 1:grid.shape[1]]
    labels, _ = components.label(seed | dark)
    touched = np.unique(labels[seed])
    return np.isin(labels, touched[touched > 0])


def _erase_rules(flat: np.ndarray) -> tuple[np.ndarray, int]:
    """`flat` (float, dark ink on 255) with its ruled lines (rows) erased, if it has two or
    more (see `clean_page`), and how many it erased."""
    h = flat.shape[0]
    ink = 255.0 - flat
    strong = ink > MIN_CONTRAST
    rule = strong.mean(axis=1) >= RULE_COVER
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rule.astype(np.int8), [0]))))
    bands = [(a, b) for a, b in zip(edges[0::2], edges[1::2]) if b - a <= RULE_THICK * h + 1]
    if len(bands) < 2:
        return flat, 0
    out = flat.copy()
    for a, b in bands:
        above, below = flat[max(a - 1, 0)], flat[min(b, h - 1)]
        out[a:b] = np.maximum(above, below)
    return out, len(bands)
