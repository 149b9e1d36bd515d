"""The benchmark's drawing: a digit drawn through the app's own canvas, as strokes and pixels."""

from __future__ import annotations

import numpy as np

CANVAS_SIDE = 456  # pixels: the app's canvas on the official 800×480 display
# A "4" in two strokes, as most people draw it, in fractions of the canvas side.
FOUR = (
    ((0.52, 0.14), (0.40, 0.34), (0.28, 0.54), (0.26, 0.60), (0.46, 0.60), (0.74, 0.59)),
    ((0.62, 0.30), (0.62, 0.50), (0.61, 0.70), (0.61, 0.88)),
)
# "4712" written across the canvas, digit by digit in the strokes people use (a 4 in two), each
# in a cell 0.17 of the side wide and 0.3 high: what the number stages time.
_CELLS = (0.06, 0.29, 0.52, 0.75)  # left edges, fractions of the side
_GLYPHS = (
    (((0.60, 0.0), (0.0, 0.62), (0.9, 0.62)), ((0.62, 0.25), (0.62, 1.0))),  # 4
    (((0.0, 0.0), (0.85, 0.0), (0.3, 1.0)),),  # 7
    (((0.5, 0.0), (0.5, 1.0)),),  # 1
    (((0.05, 0.25), (0.4, 0.0), (0.8, 0.2), (0.7, 0.5), (0.0, 1.0), (0.9, 1.0)),),  # 2
)
NUMBER = tuple(tuple((left + 0.17 * x, 0.35 + 0.3 * y) for x, y in stroke)
               for left, glyph in zip(_CELLS, _GLYPHS) for stroke in glyph)
NUMBER_TEXT = "4712"

# Motion samples every this fraction of the side: ~6 px on the 456 px canvas, what a 125 Hz
# mouse or touch panel reports for a finger moving at ~750 px/s.
STEP = 1 / 75


def pointer_path(stroke: tuple[tuple[float, float], ...], side: int) -> np.ndarray:
    """The pointer positions a person's finger reports along one stroke.

    Args:
        stroke: corner points as fractions of the canvas side.
        side: the canvas side in pixels.

    Returns:
        (n, 2) float32 canvas pixels, the corners included, about `STEP * side` apart.
    """
    corners = np.asarray(stroke, np.float64) * (side - 1)
    points = [corners[0]]
    for a, b in zip(corners, corners[1:]):
        steps = max(1, int(np.ceil(np.hypot(*(b - a)) / (STEP * side))))
        points.extend(a + (b - a) * k / steps for k in range(1, steps + 1))
    return np.asarray(points, np.float32)


def pointer_paths(side: int, digit=FOUR) -> list[np.ndarray]:
    """`pointer_path` of every stroke of `digit` on a canvas of `side` pixels."""
    return [pointer_path(stroke, side) for stroke in digit]


def draw(side: int = CANVAS_SIDE, digit=FOUR) -> tuple[list[np.ndarray], np.ndarray]:
    """Draws `digit` on the app's canvas, point by point as the pointer events would.

    Args:
        side: the canvas side in pixels.
        digit: strokes of corner points as fractions of the side.

    Returns:
        The canvas's recorded strokes ((n, 2) float32 each) and its pixels ((side, side)
        uint8), so that the stroke path and the image path classify the same drawing.
    """
    from edge_app.app.canvas import Canvas  # pygame: imported when a drawing is wanted

    canvas = Canvas((side, side))
    for path in pointer_paths(side, digit):
        canvas.begin(tuple(path[0]))
        for point in path[1:]:
            canvas.extend(tuple(point))
        canvas.end()
    return canvas.strokes, canvas.pixels()
