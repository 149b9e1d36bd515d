"""The model's input drawn from recorded strokes, in MNIST's proportions whatever the drawing size."""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw

from edge_app import gate
from edge_app.errors import NothingDrawnError

SIDE = 28  # pixels: the model's input is SIDE × SIDE
BOX = 20  # pixels: MNIST scaled each digit's longer side (ink included) to this
CENTRE = 14.0  # pixel index of MNIST's centre of mass
WIDTH = 2.3  # pixels of the 28-pixel field: MNIST's typical pen, after its 20-pixel scaling
SUPER = 4  # drawn at 4× and box-reduced: anti-aliased edges like MNIST's
STEP = 1.0  # pixels of the field: closer points add time, not shape
SHARP = 1.0  # |cross| / dot of a turn beyond 45°: a dab there fills the polyline's notch
LINE_LENGTH = 1.6  # centreline length / box: above it a mark cannot be a straight line


def render(strokes: Sequence[np.ndarray], canvas_size: tuple[int, int]) -> np.ndarray:
    """Draws recorded strokes as one MNIST-like digit.

    The centreline is scaled so that the digit's box, pen included, spans 20 pixels along its
    longer side; the pen is a fixed 2.3 of the 28 pixels, i.e. relative to the digit's own box
    as in MNIST, so a small digit and a large one look alike to the model; the ink's centre of
    mass lands on (14, 14).

    Args:
        strokes: polylines in drawing order, each an (n, 2) array of (x, y) canvas pixels,
            n ≥ 1 (n = 1 is a tap).
        canvas_size: (width, height) of the canvas in pixels; marks small against it are
            refused.

    Returns:
        float32 (28, 28) in [0, 1], white on black.

    Raises:
        NothingDrawnError: no strokes.
        NotADigitError: a dot, a dash, a scribble, or ink too small to be a digit.
    """
    lines = [np.asarray(s, np.float32).reshape(-1, 2) for s in strokes]
    counts = [len(s) for s in lines]
    if not any(counts):
        raise NothingDrawnError("nothing drawn")
    points = np.concatenate(lines) if len(lines) > 1 else np.ascontiguousarray(lines[0])
    z = points.view(np.complex64).ravel()  # x + iy: a turn or a length is one operation
    x, y = points[:, 0], points[:, 1]
    left, top = float(x.min()), float(y.min())
    width, height = float(x.max()) - left, float(y.max()) - top
    extent = max(width, height)
    ends = list(itertools.accumulate(counts))  # one past each stroke's last point

    # Segments, with the pen lifts between strokes given no length; the lengths weigh the
    # centre of mass and the moments, as ink does.
    d = z[1:] - z[:-1]
    seg = np.abs(d)
    if len(ends) > 1:
        seg[[e - 1 for e in ends[:-1]]] = 0
    length = float(seg.sum())
    mid = z[:-1] + d * 0.5
    mean = complex(seg @ mid) / length if length > 0 else complex(z.mean())
    spread = angle = 0.0
    if 0 < length < LINE_LENGTH * extent:  # could be a straight line: which way does it lie?
        spread, angle = _axes(mid - mean, d, seg / length)
    gate.check(gate.Shape(extent, length, spread, angle, float(min(canvas_size))))

    scale = (BOX - WIDTH) / extent
    # Field coordinates (pixel k covers [k, k + 1)) with the centre of mass on pixel CENTRE,
    # moved back inside when the mass sits far off-centre (e.g. a "7").
    pad = WIDTH / 2
    shift_x = _inside(CENTRE + 0.5 - mean.real * scale, left * scale, width * scale, pad)
    shift_y = _inside(CENTRE + 0.5 - mean.imag * scale, top * scale, height * scale, pad)

    # Thin out dense touch samples (the cost grows with points, the shape does not): a stride
    # per stroke that leaves about STEP field pixels between kept points, and both ends.
    keep, runs, start = [], [], 0
    for end in ends:
        n = end - start
        if n > 1:
            travel = float(seg[start:end - 1].sum()) * scale
            run = list(range(start, end - 1, max(1, int(STEP * (n - 1) / (travel + 1e-6)))))
            run.append(end - 1)
        else:
            run = [start]
        runs.append((len(keep), len(keep) + len(run)))
        keep += run
        start = end
    q = z[keep] * (scale * SUPER) + complex(shift_x * SUPER - 0.5, shift_y * SUPER - 0.5)
    # Round dabs at stroke ends and at sharp turns, where a wide polyline leaves notches.
    u = q[1:] - q[:-1]
    turn = u[1:] * u[:-1].conj()  # real: dot product, imaginary: cross product
    dabs = (np.flatnonzero(np.abs(turn.imag) > SHARP * turn.real) + 1).tolist()

    image = Image.new("L", (SIDE * SUPER, SIDE * SUPER))
    draw = ImageDraw.Draw(image)
    pen = round(WIDTH * SUPER)
    r = pen / 2
    xy = q.view(np.float32).reshape(-1, 2).tolist()
    for a, b in runs:
        if b - a > 1:
            draw.line(xy[a:b], fill=255, width=pen)
        dabs += (a, b - 1)
    for i in dabs:
        cx, cy = xy[i]
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    small = image.reduce(SUPER)
    return np.frombuffer(small.tobytes(), np.uint8).reshape(SIDE, SIDE) * np.float32(1 / 255)


def _inside(shift: float, low: float, size: float, pad: float) -> float:
    """`shift` moved as little as needed to keep [low, low + size] ± pad within the field."""
    shift = max(shift, pad - low)
    return min(shift, SIDE - pad - low - size)


def _axes(centred: np.ndarray, d: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """The gate's spread and angle from the exact second moments of the segments."""
    # A uniform segment's moments: its midpoint's plus d d^T / 12 (here as complex sums:
    # |z|^2 gives the trace, z^2 the rest).
    trace = float(weight @ (np.abs(centred) ** 2 + np.abs(d) ** 2 / 12))
    rest = complex(weight @ (centred ** 2 + d ** 2 / 12))  # (sxx - syy) + 2i sxy
    sxx, syy = (trace + rest.real) / 2, (trace - rest.real) / 2
    return gate.axes(sxx, syy, rest.imag / 2)
