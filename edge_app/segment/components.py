"""Connected ink: 8-connected components of a binary image, found run by run."""

from __future__ import annotations

import numpy as np


def label(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels the 8-connected components of a binary image.

    Args:
        mask: (H, W) bool, True where there is ink.

    Returns:
        (labels, boxes): labels (H, W) int32 with 0 for background and 1..n for the
        components; boxes (n + 1, 5) int64 rows of (x0, y0, x1, y1, pixels), ends exclusive,
        row 0 unused.
    """
    h, w = mask.shape
    span = w + 2
    padded = np.zeros((h, span), np.int8)
    padded[:, 1:-1] = mask
    # Row after row in one flat line: the blank column either side keeps every run in its
    # row, and a flat search is several times faster than np.nonzero on two axes.
    step = np.diff(padded.ravel())
    at = np.flatnonzero(step == 1) + 1  # first pixel of each run, in the padded line
    rows, starts = np.divmod(at, span)
    starts -= 1
    ends = np.flatnonzero(step == -1) % span  # one past the last pixel, same order
    n = len(rows)
    # Run i of row r touches the runs k of row r - 1 that end at or after its start and start
    # at or before its end (diagonals included): a contiguous range of them, found for all
    # runs at once by searching keys that order runs row by row.
    lo = np.searchsorted(rows * span + ends, (rows - 1) * span + starts, "left")
    hi = np.searchsorted(rows * span + starts, (rows - 1) * span + ends, "right")
    counts = np.maximum(hi - lo, 0)
    first = np.cumsum(counts) - counts
    below = np.repeat(np.arange(n), counts)
    above = np.repeat(lo - first, counts) + np.arange(int(counts.sum()))
    roots = _components(n, below, above)
    _, run_label = np.unique(roots, return_inverse=True)
    run_label = run_label.astype(np.int32) + 1
    count = int(run_label.max()) if n else 0

    # Every run's pixels get its label: the runs laid end to end, then put in place.
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths
    places = np.repeat(rows * w + starts - offsets, lengths) + np.arange(int(lengths.sum()))
    labels = np.zeros(h * w, np.int32)
    labels[places] = np.repeat(run_label, lengths)
    labels = labels.reshape(h, w)
    boxes = np.zeros((count + 1, 5), np.int64)
    boxes[:, 0:2] = np.iinfo(np.int64).max
    np.minimum.at(boxes[:, 0], run_label, starts)
    np.minimum.at(boxes[:, 1], run_label, rows)
    np.maximum.at(boxes[:, 2], run_label, ends)
    np.maximum.at(boxes[:, 3], run_label, rows + 1)
    np.add.at(boxes[:, 4], run_label, ends - starts)
    boxes[0] = 0
    return labels, boxes


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest node of each node's connected component, for edges (a[j], b[j]).

    Each round hooks the larger root of every edge under the smaller one, then points every
    node at its root; a few numpy calls a round, where a union-find in Python cost a few
    milliseconds for the runs of a 456-pixel picture of a number.
    """
    root = np.arange(n)
    while True:
        ra, rb = root[a], root[b]
        apart = ra != rb
        if not apart.any():
            return root
        ra, rb = ra[apart], rb[apart]
        # The smallest node of a component only ever points at itself, so it ends as the
        # root of all of it.
        np.minimum.at(root, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:
            jumped = root[root]
            if np.array_equal(jumped, root):
                break
            root = jumped
