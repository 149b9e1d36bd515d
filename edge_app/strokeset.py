"""The stroke evaluation: digits and non-digits drawn through the app's own canvas, as people do.

MNIST test digits are traced into the strokes a pen would make (`edge_app.trace`), hand-built
styles MNIST rarely
has are added (`edge_app.styles`), and marks that are not digits; each is posed at 20-90 % of a
456- or 700-pixel canvas, leaning up to ±20°, with tremor and touch-like sampling, and drawn
with `edge_app.app.canvas.Canvas`. Both model inputs are then made the app's ways: from the
recorded strokes (`strokes.render`) and from the screen's pixels (`preprocess`). A digit of
several strokes is also grouped as the app groups a number's strokes: one the app would read as
several digits is wrong on the stroke path. Never train on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from edge_app import styles, trace
from edge_app.errors import NotADigitError
from edge_app.preprocess import preprocess
from edge_app.segment.strokes import group_strokes, without_taps
from edge_app.strokes import render

CANVASES = ((456, 456), (700, 700))  # pixels: the 800×480 and the 720×1280 layouts' canvases
SIZES = (0.2, 0.9)  # the ink's longer side as a fraction of the canvas side
BANDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MAX_LEAN = 20.0  # degrees, either way
MAX_TURN = 5.0  # degrees of rotation on top of the lean
TREMOR = (0.003, 0.012)  # amplitude of the slow wobble, fraction of the digit's size
JITTER = 0.4  # pixels: the touch panel's own noise on every sample
STEP = (2.0, 14.0)  # pixels between motion events on a 456-pixel canvas (slow to fast strokes)
# A fast finger: a panel that reports 60 times a second sees a stroke that takes a tenth to a
# sixth of a second at 4-10 points (people take about as long for a small digit as for a big
# one), so the points lie this far apart, as a fraction of the digit's size.
FAST_STEP = (0.1, 0.25)
# A slow, careful finger: moving 60-120 pixels a second on a panel that reports 60 times a
# second, it leaves a motion event every 1-2 pixels, and each report is about a pixel off (a
# capacitive panel's precision): many small wiggles that the pen covers on the screen.
SLOW_STEP = (1.0, 2.0)  # pixels between motion events on a 456-pixel canvas
SLOW_JITTER = 1.0  # pixels (σ) of the panel's noise on every sample
SEED = 0


@dataclass
class Drawing:
    """One thing drawn on the canvas, as the app records it."""

    strokes: list[np.ndarray]
    pixels: np.ndarray
    canvas: tuple[int, int]
    label: int  # -1: not a digit
    kind: str  # "mnist", a style's name, or a mark's kind
    size: float  # the ink's longer side over the canvas side (digits)


@dataclass
class Inputs:
    """The set's model inputs on both paths, and what each drawing was."""

    stroke: np.ndarray  # (N, 28, 28) from the recorded strokes
    stroke_refused: np.ndarray  # (N,) bool: the gate said "not a digit"
    image: np.ndarray  # (N, 28, 28) from the screen's pixels
    image_refused: np.ndarray
    labels: np.ndarray  # (N,), -1 for marks
    kinds: np.ndarray  # (N,) str
    sizes: np.ndarray  # (N,) float
    canvases: np.ndarray  # (N,) int, the canvas side
    first: np.ndarray = field(default_factory=lambda: np.zeros((0, 28, 28), np.float32))
    first_refused: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    first_index: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # Digits the app's grouping cuts into several (`group_strokes`): index → the groups, for
    # each model to judge whether they join again (`segment.number.rejoin`).
    split: dict[int, list[list[np.ndarray]]] = field(default_factory=dict)
    # (N,) bool: taps were left out of the drawing's strokes, so its picture holds ink that
    # its strokes' reading does not (the app then takes no second look at the picture).
    tapped: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


def pose(lines: list[np.ndarray], rng: np.random.Generator, side: int, brush: int,
         size: float, fast: bool = False, slow: bool = False) -> list[np.ndarray]:
    """Places unit-free strokes on a canvas as a person would draw them.

    Args:
        lines: the digit's strokes, any scale, y down.
        rng: the random source.
        side: the canvas side in pixels.
        brush: the canvas brush in pixels (the ink's box is the centreline's plus the brush).
        size: the ink's longer side as a fraction of `side`.
        fast: sample as a fast finger leaves the strokes (`FAST_STEP`), not as `STEP`.
        slow: sample as a slow finger on a noisy panel leaves them (`SLOW_STEP`,
            `SLOW_JITTER`).

    Returns:
        Strokes in canvas pixels, sampled like motion events, with tremor.
    """
    points = np.concatenate(lines)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    lean = np.tan(np.radians(rng.uniform(-MAX_LEAN, MAX_LEAN)))
    turn = np.radians(rng.uniform(-MAX_TURN, MAX_TURN))
    c, s = np.cos(turn), np.sin(turn)
    # Lean: the top goes right for a positive angle (y grows downwards).
    shaped = [(ln - centre) @ np.array([[1.0, 0.0], [-lean, 1.0]]) @ np.array([[c, s], [-s, c]])
              for ln in lines]
    points = np.concatenate(shaped)
    low = points.min(axis=0)
    scale, origin = placement(points, rng, side, brush, size)
    digit = float(np.ptp(points, axis=0).max()) * scale
    out = []
    for ln in shaped:
        placed = (ln - low) * scale + origin
        out.append(_sample(placed, rng, digit, side, fast, slow))
    return out


def placement(points: np.ndarray, rng: np.random.Generator, side: int, brush: int,
              size: float) -> tuple[float, np.ndarray]:
    """Where a drawing goes on a canvas: its ink's longer side `size` of the canvas side, at a
    random place with the brush inside.

    Args:
        points: all of the drawing's points, any unit.
        rng: the random source (two draws: x, then y).
        side: the canvas side in pixels.
        brush: the canvas brush in pixels (the ink's box is the centreline's plus the brush).
        size: the ink's longer side as a fraction of `side`.

    Returns:
        The scale (pixels per unit) and the canvas position of the points' lowest x and y.
    """
    low, high = points.min(axis=0), points.max(axis=0)
    scale = max(size * side - brush, 2.0) / max(float((high - low).max()), 1e-6)
    span = (high - low) * scale
    margin = brush / 2 + 2
    origin = np.array([rng.uniform(margin, max(margin, side - margin - span[i])) for i in (0, 1)])
    return scale, origin


def _sample(line: np.ndarray, rng: np.random.Generator, digit: float, side: int,
            fast: bool = False, slow: bool = False) -> np.ndarray:
    """Resamples a polyline at motion-event spacing, with a slow wobble and panel noise."""
    jitter = SLOW_JITTER if slow else JITTER
    if len(line) == 1:
        return line + rng.normal(0, jitter, line.shape)
    seg = np.sqrt((np.diff(line, axis=0) ** 2).sum(axis=1))
    s = np.concatenate(([0.0], np.cumsum(seg)))
    speed = (rng.uniform(*FAST_STEP) * digit if fast
             else rng.uniform(*(SLOW_STEP if slow else STEP)) * side / CANVASES[0][0])
    steps = np.maximum(rng.normal(speed, speed * 0.3, int(s[-1] / max(speed * 0.4, 1)) + 2), 1.0)
    at = np.concatenate(([0.0], np.cumsum(steps)))
    at = np.append(at[at < s[-1]], s[-1])
    points = np.stack([np.interp(at, s, line[:, 0]), np.interp(at, s, line[:, 1])], axis=1)
    amplitude = rng.uniform(*TREMOR) * digit
    for _ in range(2):
        wave = rng.uniform(0.3, 1.0) * digit
        phase = rng.uniform(0, 2 * np.pi, 2)
        points += amplitude * np.sin(2 * np.pi * at[:, None] / wave + phase)
    return points + rng.normal(0, jitter, points.shape)


def draw(strokes: list[np.ndarray], size: tuple[int, int]) -> tuple[list[np.ndarray], np.ndarray]:
    """Draws strokes through the app's canvas, one motion event per point.

    Returns:
        The strokes as the canvas recorded them, and its (h, w) uint8 pixels.
    """
    from edge_app.app.canvas import Canvas  # pygame: only where drawings are made

    canvas = Canvas(size)
    for stroke in strokes:
        canvas.begin(tuple(stroke[0]))
        for point in stroke[1:]:
            canvas.extend(tuple(point))
        canvas.end()
    return canvas.strokes, canvas.pixels()


def brush_of(size: tuple[int, int]) -> int:
    """The canvas brush for a canvas size, without making a canvas."""
    from edge_app.app.canvas import BRUSH_FRACTION, MIN_BRUSH

    return max(MIN_BRUSH, round(min(size) * BRUSH_FRACTION))


def build(x_test: np.ndarray, y_test: np.ndarray, digits: int = 10000, styled: int = 1500,
          marks: int = 1000, seed: int = SEED, fast: bool = False,
          slow: bool = False) -> list[Drawing]:
    """Draws the evaluation set.

    Args:
        x_test, y_test: MNIST test images (uint8 (N, 28, 28)) and labels.
        digits: MNIST test digits to trace and draw (a seeded random choice; all by default).
        styled: hand-built style drawings (spread evenly over the styles).
        marks: non-digit marks (spread evenly over the kinds).
        seed: the random source's seed.
        fast: motion events as a fast finger leaves them (`FAST_STEP`): the same drawings,
            posed alike, with far fewer points.
        slow: motion events as a slow finger on a noisy panel leaves them (`SLOW_STEP`,
            `SLOW_JITTER`): the same drawings, posed alike, with many points a pixel off.

    Returns:
        The drawings, digits first.
    """
    pick = np.sort(np.random.default_rng(seed).choice(len(x_test), size=min(digits, len(x_test)),
                                                      replace=False))
    # Every drawing has a random source of its own, keyed by what it is (the MNIST digit's
    # index, the style's or the mark's number): a change to how one digit is traced or drawn
    # leaves the others as they were, so two versions of the code are compared drawing for
    # drawing.
    jobs: list[tuple[list[np.ndarray], int, str, np.random.Generator]] = [
        (trace.deslant(trace.pen_strokes(lines)), int(y_test[i]), "mnist",
         np.random.default_rng((seed, 0, int(i))))
        for i, lines in zip(pick, trace.digit_strokes(x_test[pick])) if lines]
    for k in range(styled):
        rng = np.random.default_rng((seed, 1, k))
        index = k % len(styles.STYLES)
        label, name, _ = styles.STYLES[index]
        jobs.append((styles.styled(index, rng), label, name, rng))
    drawings = []
    for lines, label, kind, rng in jobs:
        canvas = CANVASES[int(rng.integers(len(CANVASES)))]
        size = float(rng.uniform(*SIZES))
        posed = pose(lines, rng, canvas[0], brush_of(canvas), size, fast, slow)
        drawings.append(Drawing(*draw(posed, canvas), canvas, label, kind, size))
    for k in range(marks):
        rng = np.random.default_rng((seed, 2, k))
        kind = styles.MARKS[k % len(styles.MARKS)]
        canvas = CANVASES[int(rng.integers(len(CANVASES)))]
        made = [_sample(m, rng, 100.0, canvas[0], fast, slow)
                for m in styles.mark(kind, rng, canvas[0])]
        drawings.append(Drawing(*draw(made, canvas), canvas, -1, kind, 0.0))
    return drawings


def _input(make, *args) -> tuple[np.ndarray, bool]:
    try:
        return make(*args), False
    except NotADigitError:
        return np.zeros((28, 28), np.float32), True


def model_inputs(drawings: list[Drawing]) -> Inputs:
    """Both paths' model inputs for every drawing, and the first stroke's for multi-stroke
    digits (what a live answer would see before the person finishes)."""
    stroke, image, first, first_index, split, tapped = [], [], [], [], {}, []
    for i, d in enumerate(drawings):
        drawn = without_taps(d.strokes)  # as the app reads a drawing
        tapped.append(len(drawn) < len(d.strokes))
        stroke.append(_input(render, drawn, d.canvas))
        if d.label >= 0 and len(drawn) > 1:
            groups = group_strokes(drawn)
            if len(groups) > 1:
                split[i] = groups
        image.append(_input(preprocess, d.pixels))
        if d.label >= 0 and d.kind != "mnist" and len(d.strokes) > 1:
            first.append(_input(render, d.strokes[:1], d.canvas))
            first_index.append(i)
    return Inputs(
        stroke=np.stack([s[0] for s in stroke]), stroke_refused=np.array([s[1] for s in stroke]),
        image=np.stack([s[0] for s in image]), image_refused=np.array([s[1] for s in image]),
        labels=np.array([d.label for d in drawings]), kinds=np.array([d.kind for d in drawings]),
        sizes=np.array([d.size for d in drawings]),
        canvases=np.array([d.canvas[0] for d in drawings]),
        first=np.stack([f[0] for f in first]) if first else np.zeros((0, 28, 28), np.float32),
        first_refused=np.array([f[1] for f in first], bool),
        first_index=np.array(first_index, int), split=split, tapped=np.array(tapped, bool))
