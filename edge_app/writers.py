"""Writer sets: one person's consistent styles, drawn on the app's canvas (measured by
`python -m edge_app.writereval`).

A writer always draws each digit in one style of `edge_app.styles` (a flagged 1, a crossed 7,
...), at their own size range, with their own slant and proportions. Corrections and test digits
come from separate random streams, so the digits measured are never the ones adapted on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edge_app import styles
from edge_app.errors import NotADigitError
from edge_app.strokes import render
from edge_app.strokeset import brush_of, draw

JITTER = 0.4  # pixels: the touch panel's noise on every sample
STEP = (3.0, 10.0)  # pixels between motion events (slow to fast strokes)
TEST_SEED, CORRECTION_SEED = 101, 202  # separate streams: corrections never meet test digits


@dataclass(frozen=True)
class Writer:
    """One person's handwriting.

    Attributes:
        name: short name for tables.
        styles: the style (a name of `edge_app.styles.STYLES`) they use for each digit 0-9.
        lean: degrees from upright (top to the right is positive), low and high.
        size: the ink's longer side as a fraction of the canvas side, low and high.
        aspect: width over height relative to the style's own shape.
        canvas: canvas (width, height) in pixels.
        about: one line for reports.
    """

    name: str
    styles: tuple[str, ...]
    lean: tuple[float, float]
    size: tuple[float, float]
    aspect: float
    canvas: tuple[int, int]
    about: str


WRITERS = (
    Writer("continental",
           ("round 0", "flagged 1", "2", "3", "open 4", "two-stroke 5", "round 6", "crossed 7",
            "8", "9 straight stem"),
           lean=(18.0, 26.0), size=(0.2, 0.32), aspect=0.9, canvas=(456, 456),
           about="flagged 1, crossed 7, open 4, straight-stemmed 9; small, slanted right"),
    Writer("backhand",
           ("round 0", "1 with foot", "2", "3", "closed 4", "two-stroke 5", "round 6",
            "two-stroke 7", "8", "round 9"),
           lean=(-34.0, -26.0), size=(0.55, 0.85), aspect=1.4, canvas=(700, 700),
           about="1 with a foot, two-stroke 7, round 9; large, wide, leaning left"),
)


def writer(name: str) -> Writer:
    """The writer called `name` (KeyError when there is none)."""
    for w in WRITERS:
        if w.name == name:
            return w
    raise KeyError(f"no writer {name!r}; writers: {', '.join(w.name for w in WRITERS)}")


def _style_index(style: str) -> int:
    return next(i for i, (_, name, _) in enumerate(styles.STYLES) if name == style)


def place(lines: list[np.ndarray], w: Writer, rng: np.random.Generator) -> list[np.ndarray]:
    """Puts a style's unit-free strokes on the writer's canvas, as their hand would.

    Returns:
        Strokes in canvas pixels, sampled like touch motion events.
    """
    points = np.concatenate(lines)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    lean = np.tan(np.radians(rng.uniform(*w.lean)))
    # Row vectors: stretch x by the aspect, then shear (x moves right as y goes up).
    shape = np.array([[w.aspect, 0.0], [0.0, 1.0]]) @ np.array([[1.0, 0.0], [-lean, 1.0]])
    shaped = [(ln - centre) @ shape for ln in lines]
    points = np.concatenate(shaped)
    low, high = points.min(axis=0), points.max(axis=0)
    side = min(w.canvas)
    brush = brush_of(w.canvas)
    scale = max(rng.uniform(*w.size) * side - brush, 2.0) / max(float((high - low).max()), 1e-6)
    margin = brush / 2 + 2
    span = (high - low) * scale
    origin = np.array([rng.uniform(margin, max(margin, w.canvas[i] - margin - span[i]))
                       for i in (0, 1)])
    return [_sample((ln - low) * scale + origin, rng) for ln in shaped]


def _sample(line: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A polyline resampled at motion-event spacing, with the panel's noise."""
    if len(line) == 1:
        return line + rng.normal(0, JITTER, line.shape)
    seg = np.sqrt((np.diff(line, axis=0) ** 2).sum(axis=1))
    s = np.concatenate(([0.0], np.cumsum(seg)))
    step = rng.uniform(*STEP)
    at = np.append(np.arange(0.0, s[-1], step), s[-1])
    points = np.stack([np.interp(at, s, line[:, 0]), np.interp(at, s, line[:, 1])], axis=1)
    return points + rng.normal(0, JITTER, points.shape)


def drawings(w: Writer, per_digit: int, seed: int) -> list[tuple[list[np.ndarray], int]]:
    """The writer draws each digit `per_digit` times on the app's canvas.

    Args:
        w: the writer.
        per_digit: drawings of each digit.
        seed: the random source's seed.

    Returns:
        (strokes as the canvas recorded them, label), digit by digit in turn (0-9, 0-9, ...).
    """
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(per_digit):
        for digit, style in enumerate(w.styles):
            lines = styles.styled(_style_index(style), rng)
            strokes, _ = draw(place(lines, w, rng), w.canvas)
            out.append((strokes, digit))
    return out


def inputs(w: Writer, per_digit: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The model inputs (rendered from the strokes, as the app does) of `drawings`.

    Returns:
        (N, 28, 28) float32 inputs and (N,) labels; drawings the gate refuses are left out.
    """
    xs, ys = [], []
    for strokes, label in drawings(w, per_digit, seed):
        try:
            xs.append(render(strokes, w.canvas))
        except NotADigitError:
            continue
        ys.append(label)
    return np.stack(xs), np.array(ys)
