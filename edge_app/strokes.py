"""The model's input drawn from recorded strokes, in MNIST's proportions at any drawing size."""

from __future__ import annotations

import itertools
import threading
from typing import Sequence

import numpy as np
from PIL import Image

from edge_app import gate
from edge_app.errors import NothingDrawnError
from edge_app.loops import holes_apart
from edge_app.slash import unstruck
from edge_app.turns import CALM, CALM_GAP, NOISY, sharp_turns, spaced, without_wiggles

SIDE = 28  # pixels: the model's input is SIDE × SIDE
BOX = 20  # pixels: MNIST scaled each digit's longer side (ink included) to this
CENTRE = 14.0  # pixel index of MNIST's centre of mass
WIDTH = 2.3  # pixels of the 28-pixel field: MNIST's typical pen, after its 20-pixel scaling
SUPER = 4  # drawn at 4× and box-reduced: anti-aliased edges like MNIST's
STEP = 2.0  # pixels of the field: closer points add time, not shape
SHARP = 1.0  # |cross| / dot of a turn beyond 45°: a dab there fills the polyline's notch
LINE_LENGTH = 1.6  # centreline length / box: above it a mark cannot be a straight line...
# ... unless a slow finger on a noisy panel drew it: motion events a pixel or two apart, each a
# pixel off, make a line's path up to 2.6 times as long as the line, and a slow dash passed as a
# digit. A single stroke up to SHAKY_LINE times its box whose points all lie within LINE_OFF of
# the box's size from the line between its ends is measured as a line too (a 7 or a 2 is not:
# its corner lies far off that line, and a two-stroke digit is not asked).
SHAKY_LINE = 3.0
LINE_OFF = 0.12


def render(strokes: Sequence[np.ndarray], canvas_size: tuple[int, int], *,
           width: float = WIDTH, judge: bool = True, row: float | None = None) -> np.ndarray:
    """Draws recorded strokes as one MNIST-like digit.

    The centreline is scaled so that the digit's box, pen included, spans 20 pixels along its
    longer side; the pen is a fixed 2.3 of the 28 pixels, i.e. relative to the digit's own box
    as in MNIST, so a small digit and a large one look alike to the model; the ink's centre of
    mass lands on (14, 14).

    Args:
        strokes: polylines in drawing order, each an (n, 2) array of (x, y) canvas pixels,
            n ≥ 1 (n = 1 is a tap).
        canvas_size: the canvas's (width, height) in pixels; marks small against it are refused.
        width: the pen in pixels of the 28-pixel field (training varies it).
        judge: refuse marks that are not digits, and draw a 0 struck through as its ring
            (`slash.unstruck`); training data skips both.
        row: the median extent in canvas pixels of the digits of the number these strokes
            are one digit of; small digits are then judged against the row (`gate.ROW_SHARE`;
            a speck beside them, `gate.ROW_SPECK`, is no digit).

    Returns:
        float32 (28, 28) in [0, 1], white on black.

    Raises:
        NothingDrawnError: no strokes.
        NotADigitError: a dot, a dash, a scribble, or ink too small to be a digit.
    """
    g = _Geometry(strokes, width)
    if judge:
        gate.check(g.shape(canvas_size, row))  # as drawn: a 0 struck through, slash and all
        if len(ring := unstruck(strokes)) < len(strokes):
            g = _Geometry(ring, width)
    return g.draw()


def measure(strokes: Sequence[np.ndarray], canvas_size: tuple[int, int]) -> gate.Shape:
    """The gate's measures of recorded strokes (see `gate.Shape`); NothingDrawnError if none."""
    return _Geometry(strokes, WIDTH).shape(canvas_size)


class _Geometry:
    """A drawing's points as complex numbers (x + iy: a length or a turn is one operation),
    measured and thinned once for the gate and the drawing alike."""

    def __init__(self, strokes: Sequence[np.ndarray], width: float) -> None:
        lines = [np.asarray(s, np.float32).reshape(-1, 2) for s in strokes]
        counts = [len(s) for s in lines]
        if 0 in counts:  # an empty stroke draws nothing
            lines = [s for s in lines if len(s)]
            counts = [len(s) for s in lines]
        if not counts:
            raise NothingDrawnError("nothing drawn")
        points = np.concatenate(lines) if len(lines) > 1 else np.ascontiguousarray(lines[0])
        z = points.view(np.complex64).ravel()
        # x and y as contiguous rows: reducing along them costs a third of reducing (n, 2)
        # along its first axis or of four reductions of a column each.
        xy = np.ascontiguousarray(points.T)
        self.left, self.top = np.minimum.reduce(xy, axis=1).tolist()
        right, bottom = np.maximum.reduce(xy, axis=1).tolist()
        self.box_w, self.box_h = right - self.left, bottom - self.top
        self.extent = max(self.box_w, self.box_h)
        ends = list(itertools.accumulate(counts))  # one past each stroke's last point

        # Segments, with the pen lifts between strokes given no length; the lengths weigh
        # the centre of mass and the moments, as ink does.
        self.d = d = z[1:] - z[:-1]
        self.seg = seg = np.abs(d)
        if len(ends) > 1:
            seg[[e - 1 for e in ends[:-1]]] = 0
        # np.cumsum, less its wrapper; read a few entries at a time (a list of all of them
        # costs more than the sum)
        travelled = np.add.accumulate(seg)
        self.length = length = float(travelled[-1]) if len(travelled) else 0.0
        # Centre of mass of uniform segments: their midpoints weighed by their lengths (the
        # weights cast once: the same dot products as `seg @ z`, which casts them each time).
        if length > 0:
            weights = seg.astype(np.complex64)
            self.mean = complex(np.dot(weights, z[:-1]) + np.dot(weights, z[1:])) / (2 * length)
        else:
            self.mean = complex(z.mean())
        self.z = z
        self.drawn: np.ndarray | None = None
        self.width = width
        self.scale = scale = (BOX - width) / max(self.extent, 1e-6)

        # Thin out dense touch samples (the cost grows with points, the shape does not): a
        # stride per stroke that leaves about STEP field pixels between kept points, and both
        # ends.
        keep, runs, start = [], [], 0
        for end in ends:
            n = end - start
            if n > 1:
                travel = (float(travelled[end - 2])
                          - (float(travelled[start - 1]) if start else 0.0)) * scale
                run = list(range(start, end - 1, max(1, int(STEP * (n - 1) / (travel + 1e-6)))))
                run.append(end - 1)
            else:
                run = [start]
            runs.append((len(keep), len(keep) + len(run)))
            keep += run
            start = end
        self.runs = runs
        self.kept = kept = z[keep]
        u = kept[1:] - kept[:-1]
        self.turn = u[1:] * u[:-1].conj()  # real: dot product, imaginary: cross product

    def shape(self, canvas_size: tuple[int, int], row: float | None = None) -> gate.Shape:
        spread = angle = 0.0
        if 0 < self.length < LINE_LENGTH * self.extent or self._shaky_line():
            mid = self.z[:-1] + self.d * 0.5
            spread, angle = _axes(mid - self.mean, self.d, self.seg / self.length)
        turns = np.arctan2(self.turn.imag, self.turn.real)  # np.angle, less its wrapper
        for _, b in self.runs[:-1]:  # the jumps between strokes are no turns
            turns[max(b - 2, 0):b] = 0
        turning = float(np.abs(turns).sum()) / (2 * np.pi)
        rings = None
        if (len(self.runs) == 1 and turning > gate.JOINED_RINGS_TURNING
                and self.box_w >= gate.RINGS_WIDE * self.box_h):  # an 8 is narrower
            rings = holes_apart(self.draw() >= 0.5)  # ink: half the pen's grey or more
        length, steps = self.length, None
        if turning > gate.BENDY_TURNING or length > gate.BENDY_LENGTH * self.extent:
            coarse = without_wiggles(self.kept, self.runs, 0.5 * self.width / self.scale)
            if coarse[0] < NOISY * turning:
                turning, length, turns, steps = coarse
            elif coarse[1] < NOISY * length:
                # Loops drawn slowly wiggle along 1.4 times as far while their turning hardly
                # grows: measured by the longer path they looked like a digit gone over again.
                length = coarse[1]
            if turning > gate.BENDY_TURNING:  # a pen resting as it lands or lifts?
                pen = self.width / self.scale  # in canvas pixels
                calm = without_wiggles(*spaced(self.kept, self.runs, CALM_GAP * pen), 0.5 * pen)
                if calm[0] < CALM * turning:
                    turning, length, turns, steps = calm
        ink, sharp = None, 0
        if (gate.BENDY_TURNING < turning <= gate.OVERDRAWN_TURNING
                and length > gate.BENDY_LENGTH * self.extent):  # counted only for these
            if steps is None:
                steps = np.abs(self.kept[1:] - self.kept[:-1])
                for _, b in self.runs[:-1]:
                    steps[b - 1] = 0
            sharp = sharp_turns(turns, steps, STEP / self.scale, gate.RETRACE_SHARP)
            if sharp <= gate.OVERDRAWN_SHARP:
                # The ink's area over the pen's width: a second round on the first adds little.
                ink = float(self.draw().sum()) / (self.width * self.scale)
        return gate.Shape(self.extent, length, spread, angle, float(min(canvas_size)),
                          turning, row, aspect=self.box_w / max(self.box_h, 1e-6),
                          ink_length=ink, sharp_turns=sharp, strokes=len(self.runs),
                          rings=rings)

    def _shaky_line(self) -> bool:
        """A single stroke that wiggles along a straight line (see SHAKY_LINE)."""
        if len(self.runs) > 1 or not self.length < SHAKY_LINE * self.extent:
            return False
        start = self.kept[0]
        chord = complex(self.kept[-1] - start)
        if abs(chord) < 0.5 * self.extent:  # ends close together: no line
            return False
        off = float(np.abs(((self.kept - start) * chord.conjugate()).imag).max())
        return off < LINE_OFF * self.extent * abs(chord)

    def draw(self) -> np.ndarray:
        """The (28, 28) model input, drawn once."""
        if self.drawn is None:
            self.drawn = self._draw()
        return self.drawn

    def _draw(self) -> np.ndarray:
        scale, width = self.scale, self.width
        # Field coordinates (pixel k covers [k, k + 1)) with the centre of mass on pixel
        # CENTRE, moved back inside when the mass sits far off-centre (e.g. a "7").
        pad = width / 2
        sx = _inside(CENTRE + 0.5 - self.mean.real * scale, self.left * scale,
                     self.box_w * scale, pad)
        sy = _inside(CENTRE + 0.5 - self.mean.imag * scale, self.top * scale,
                     self.box_h * scale, pad)
        q = self.kept * (scale * SUPER) + complex(sx * SUPER - 0.5, sy * SUPER - 0.5)
        # Round dabs at stroke ends and at sharp turns, where a wide polyline leaves notches.
        turn = self.turn
        dabs = [i + 1 for i in (np.abs(turn.imag) > SHARP * turn.real).nonzero()[0].tolist()]
        sheet = _pad()
        pen = max(1, round(width * SUPER))
        r = pen / 2
        xy = q.view(np.float32).tolist()  # flat: x0, y0, x1, y1, ... (half the cost of pairs)
        for a, b in self.runs:
            if b - a > 1:
                sheet.line(xy[2 * a:2 * b], pen)
            dabs += (a, b - 1)
        for i in dabs:
            cx, cy = xy[2 * i], xy[2 * i + 1]
            sheet.dab((cx - r, cy - r, cx + r, cy + r))
        return np.frombuffer(sheet.reduced(), np.uint8).reshape(SIDE, SIDE) * _UNIT


class _Pad:
    """The supersampled image a drawing is made on, and the few Pillow calls made on it.

    The calls go to Pillow's core objects (`Image.im`, `Image.core.draw`): on a 112-pixel
    image the public wrappers' checks cost more than the work (reducing the image and handing
    its bytes over: 17 µs through them, 5 µs without, Intel Xeon). `tests/test_strokes.py`
    checks that both draw the same.
    """

    def __init__(self) -> None:
        self.size = (SIDE * SUPER, SIDE * SUPER)
        self.image = Image.new("L", self.size)
        self._core = self.image.im
        self._draw = Image.core.draw(self._core, 0)
        self._ink = self._draw.draw_ink(255)

    def clear(self) -> None:
        self._core.paste(0, (0, 0, *self.size))

    def line(self, xy: list[float], width: int) -> None:
        """A polyline of `width` pixels through x0, y0, x1, y1, ... (as `ImageDraw.line`)."""
        self._draw.draw_lines(xy, self._ink, width)

    def dab(self, box: tuple[float, float, float, float]) -> None:
        """A filled disc in `box` (as `ImageDraw.ellipse`)."""
        self._draw.draw_ellipse(box, self._ink, 1)

    def reduced(self) -> bytes:
        """The image box-reduced SUPER×, as SIDE × SIDE bytes (as `reduce` and `tobytes`)."""
        small = self._core.reduce((SUPER, SUPER), (0, 0, *self.size))
        encoder = Image.core.raw_encoder("L", "L")
        encoder.setimage(small, (0, 0, SIDE, SIDE))
        chunks, status = [], 0
        while status == 0:  # one call does it: the buffer holds the whole image
            _, status, data = encoder.encode(2 * SIDE * SIDE)
            chunks.append(data)
        if status < 0:
            raise RuntimeError(f"Pillow's raw encoder failed ({status})")
        return b"".join(chunks)


_local = threading.local()
_UNIT = np.array(1 / 255, np.float32)  # grey level to [0, 1]; 0-d: no scalar to convert per call


def _pad() -> _Pad:
    """A cleared supersampled image to draw on, made once per thread (making one per drawing
    costs as much as the drawing)."""
    made = getattr(_local, "pad", None)
    if made is None or made.size != (SIDE * SUPER, SIDE * SUPER):
        made = _local.pad = _Pad()
    else:
        made.clear()
    return made


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
