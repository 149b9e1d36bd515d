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
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # same order as the starts: row-major
    n = len(rows)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Each run joins the runs of the row above that touch it, diagonals included.
    first_of_row = np.searchsorted(rows, np.arange(h + 1))
    for r in range(1, h):
        above = range(first_of_row[r - 1], first_of_row[r])
        if not len(above):
            continue
        j = above.start
        for i in range(first_of_row[r], first_of_row[r + 1]):
            while j < above.stop and ends[j] < starts[i]:
                j += 1  # ends before this run's left diagonal
            k = j
            while k < above.stop and starts[k] <= ends[i]:
                a, b = find(i), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                k += 1
    roots = np.array([find(i) for i in range(n)], np.int64)
    _, run_label = np.unique(roots, return_inverse=True)
    run_label = run_label.astype(np.int32) + 1
    count = int(run_label.max()) if n else 0

    labels = np.zeros((h, w), np.int32)
    for r, s, e, lab in zip(rows, starts, ends, run_label):
        labels[r, s:e] = lab
    boxes = np.zeros((count + 1, 5), np.int64)
    boxes[:, 0:2] = np.iinfo(np.int64).max
    np.minimum.at(boxes[:, 0], run_label, starts)
    np.minimum.at(boxes[:, 1], run_label, rows)
    np.maximum.at(boxes[:, 2], run_label, ends)
    np.maximum.at(boxes[:, 3], run_label, rows + 1)
    np.add.at(boxes[:, 4], run_label, ends - starts)
    boxes[0] = 0
    return labels, boxes
