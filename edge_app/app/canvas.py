"""The drawing canvas: thick ink on screen, and every stroke recorded as a polyline."""

from __future__ import annotations

import math
import os

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout at import
import pygame  # noqa: E402

PAPER = (255, 255, 255)
INK = (20, 20, 20)
# The on-screen brush as a fraction of the canvas side. It only has to look good: the model's
# input is rendered from the recorded strokes at a width relative to the digit's own size.
BRUSH_FRACTION = 1 / 22
MIN_BRUSH = 4  # pixels


class Canvas:
    """A white surface that shows finger and mouse strokes and records them as polylines.

    Motion events arrive tens of pixels apart on fast strokes; each gap is filled with a
    straight band with round caps, so the ink stays continuous. Coordinates are canvas pixels;
    points outside the canvas are clamped to its edge, and non-finite ones are ignored.
    """

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = (int(size[0]), int(size[1]))
        self.surface = pygame.Surface(self.size)
        self.brush = max(MIN_BRUSH, round(min(self.size) * BRUSH_FRACTION))
        self._strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self._dirty: list[pygame.Rect] = []
        self.version = 0  # goes up with every change, so a result can tell if it is stale
        self.clear()

    # --- state ------------------------------------------------------------------------------

    @property
    def drawing(self) -> bool:
        """True while a stroke is in progress."""
        return self._drawing

    @property
    def blank(self) -> bool:
        """True when nothing is drawn."""
        return not self._strokes

    @property
    def strokes(self) -> list[np.ndarray]:
        """Every stroke in drawing order as an (n, 2) float32 array of (x, y), n ≥ 1."""
        return [np.asarray(s, np.float32) for s in self._strokes]

    def restore(self, strokes: list[np.ndarray]) -> None:
        """Replaces the drawing with `strokes` (as `strokes` returns them), e.g. for undo."""
        self._strokes = [[(float(x), float(y)) for x, y in s] for s in strokes if len(s)]
        self._drawing = False
        self._repaint()

    # --- drawing ----------------------------------------------------------------------------

    def clear(self) -> None:
        self._strokes = []
        self._drawing = False
        self._repaint()

    def begin(self, pos: tuple[float, float]) -> None:
        """Starts a stroke at `pos`; a tap leaves a dot."""
        point = self._clamp(pos)
        if point is None:
            return
        self._strokes.append([point])
        self._drawing = True
        self._dab(point)

    def extend(self, pos: tuple[float, float]) -> None:
        """Continues the stroke in progress to `pos`, filling the gap since the last point."""
        point = self._clamp(pos)
        if not self._drawing or point is None:
            return
        stroke = self._strokes[-1]
        if _rounded(point) == _rounded(stroke[-1]):
            return
        self._band(stroke[-1], point)
        stroke.append(point)

    def resume(self, pos: tuple[float, float]) -> None:
        """Continues the last stroke, lifted a moment ago, by joining it to `pos`.

        For touch panels that report only touches and lifts, never motion: each sample
        arrives as a tap, and joining taps that follow each other closely draws the stroke.
        """
        if not self._strokes:
            self.begin(pos)
            return
        self._drawing = True
        self.extend(pos)

    def end(self, pos: tuple[float, float] | None = None) -> None:
        """Ends the stroke (after extending it to `pos`, if given)."""
        if pos is not None:
            self.extend(pos)
        self._drawing = False

    def undo(self) -> bool:
        """Removes the last stroke; returns False when there was none."""
        if not self._strokes:
            return False
        self._strokes.pop()
        self._drawing = False
        self._repaint()
        return True

    def take_dirty(self) -> list[pygame.Rect]:
        """The canvas areas changed since the last call (canvas coordinates, clipped)."""
        bounds = self.surface.get_rect()
        dirty, self._dirty = self._dirty, []
        return [r.clip(bounds) for r in dirty if r.colliderect(bounds)]

    def pixels(self) -> np.ndarray:
        """The drawing as a (height, width) uint8 grayscale array (a copy)."""
        # The canvas is grey (r == g == b), so one channel is the whole picture; surfarray
        # is column-major, and a contiguous copy keeps preprocessing on its fast path.
        return np.ascontiguousarray(pygame.surfarray.pixels_red(self.surface).T)

    # --- internals --------------------------------------------------------------------------

    def _clamp(self, pos: tuple[float, float]) -> tuple[float, float] | None:
        x, y = float(pos[0]), float(pos[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        w, h = self.size
        return min(max(x, 0.0), w - 1.0), min(max(y, 0.0), h - 1.0)

    def _repaint(self) -> None:
        self.surface.fill(PAPER)
        for stroke in self._strokes:
            self._dab(stroke[0])
            for a, b in zip(stroke, stroke[1:]):
                self._band(a, b)
        self.version += 1
        self._dirty = [self.surface.get_rect()]

    def _band(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = _rounded(a), _rounded(b)
        # The segment's body as a quad exactly one brush wide, then a round cap: straight
        # clean edges and round joints wherever the direction changes.
        r = self.brush / 2
        length = math.hypot(x1 - x0, y1 - y0)
        if length:
            nx, ny = -(y1 - y0) / length * r, (x1 - x0) / length * r
            pygame.draw.polygon(self.surface, INK, [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny),
                                                    (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)])
        self._dab(b)
        self._dirty.append(_segment_rect((x0, y0), (x1, y1), self.brush))

    def _dab(self, point: tuple[float, float]) -> None:
        p = _rounded(point)
        pygame.draw.circle(self.surface, INK, p, self.brush / 2)
        self.version += 1
        self._dirty.append(_segment_rect(p, p, self.brush))


def _rounded(point: tuple[float, float]) -> tuple[int, int]:
    return round(point[0]), round(point[1])


def _segment_rect(a: tuple[int, int], b: tuple[int, int], width: int) -> pygame.Rect:
    pad = width // 2 + 2
    left, top = min(a[0], b[0]) - pad, min(a[1], b[1]) - pad
    return pygame.Rect(left, top, abs(a[0] - b[0]) + 2 * pad, abs(a[1] - b[1]) + 2 * pad)
