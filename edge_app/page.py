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
    stroke that crosses it.

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
        padded = np.pad(coarse, 1, mode="edge")
        near = np.max([padded[i:i + hb, j:j + wb] for i in range(3) for j in range(3)], axis=0)
    if near is None or int(near.max()) - int(near.min()) <= PAPER_SPREAD:
        # Even paper after all (a digit cropped to its ink has ink on its border): lines only.
        flat, rows = _erase_rules(page.astype(np.float32))
        flat, cols = _erase_rules(flat.T)
        return np.rint(flat.T).astype(np.uint8) if rows + cols else gray
    off = _off_page(coarse)
    if off.any():
        # The paper's brightness from the page's blocks only; a block off the page is
        # divided by its own, so that it comes out light.
        padded = np.pad(np.where(off, 0, coarse), 1, mode="edge")
        near = np.max([padded[i:i + hb, j:j + wb] for i in range(3) for j in range(3)], axis=0)
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
    dark = coarse < OFF_PAGE * float(level)
    if not dark.any():
        return dark
    labels, _ = components.label(dark)
    edge = np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1]))
    return np.isin(labels, edge[edge > 0])


def _erase_off_page(flat: np.ndarray, off: np.ndarray, block: int) -> np.ndarray:
    """`flat` (dark ink on 255) with what lies off the page painted as paper: the blocks of
    `off`, and the dark pixels joined to them (the object's edge inside the page's blocks).

    A stroke that runs onto the object goes with it; one that keeps clear of it stays.
    """
    h, w = flat.shape
    seed = np.zeros((h, w), bool)
    grid = np.repeat(np.repeat(off, block, axis=0), block, axis=1)
    seed[:grid.shape[0], :grid.shape[1]] = grid
    # The last partial row and column of blocks go with their neighbours.
    seed[grid.shape[0]:, :grid.shape[1]] = grid[-1]
    seed[:, grid.shape[1]:] = seed[:, grid.shape[1] - 1:grid.shape[1]]
    labels, _ = components.label(seed | (flat < 255 - MIN_CONTRAST))
    touched = np.unique(labels[seed])
    return np.where(np.isin(labels, touched[touched > 0]), np.float32(255), flat)


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
