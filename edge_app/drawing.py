"""The app's drawing canvas and the store that saves drawings; pygame only, no window needed."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout at import
import pygame  # noqa: E402

from edge_app.files import atomic_path

PAPER = (255, 255, 255)
INK = (20, 20, 20)
# Stroke width as a fraction of the canvas side: a digit that fills ~70 % of the canvas then
# has strokes of ~2.5 px once scaled to MNIST's 20-pixel box, as in MNIST itself.
STROKE_FRACTION = 1 / 14


class Canvas:
    """A white surface that records finger and mouse strokes as thick, continuous ink.

    Motion events arrive tens of pixels apart on fast strokes; each gap is filled with a
    straight band with round caps, so the stroke stays continuous and smooth.
    """

    def __init__(self, size: tuple[int, int]) -> None:
        self.surface = pygame.Surface(size)
        self.width = max(4, round(min(size) * STROKE_FRACTION))
        self._last: tuple[int, int] | None = None
        self._dirty: list[pygame.Rect] = []
        self.strokes = 0
        self.version = 0  # goes up with every change, so a result can tell if it is stale
        self.clear()

    @property
    def drawing(self) -> bool:
        """True while a stroke is in progress."""
        return self._last is not None

    @property
    def blank(self) -> bool:
        """True when nothing has been drawn since the last clear."""
        return self.strokes == 0

    def clear(self) -> None:
        self.surface.fill(PAPER)
        self._last = None
        self.strokes = 0
        self.version += 1
        self._dirty = [self.surface.get_rect()]

    def begin(self, pos: tuple[float, float]) -> None:
        """Starts a stroke at `pos` (canvas coordinates); a tap leaves a dot."""
        point = (round(pos[0]), round(pos[1]))
        self._last = point
        self.strokes += 1
        self._dab(point)

    def extend(self, pos: tuple[float, float]) -> None:
        """Continues the stroke in progress to `pos`, filling the gap since the last event."""
        if self._last is None:
            return
        point = (round(pos[0]), round(pos[1]))
        if point == self._last:
            return
        (x0, y0), (x1, y1) = self._last, point
        # The segment's body as a quad exactly one stroke wide, then a round cap: straight
        # clean edges and round joints wherever the direction changes.
        r = self.width / 2
        length = float(np.hypot(x1 - x0, y1 - y0))
        nx, ny = -(y1 - y0) / length * r, (x1 - x0) / length * r
        pygame.draw.polygon(self.surface, INK, [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny),
                                                (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)])
        self._dab(point)
        self._dirty.append(_segment_rect(self._last, point, self.width))
        self._last = point

    def resume(self, last: tuple[float, float], pos: tuple[float, float]) -> None:
        """Continues a stroke that was lifted at `last` by joining it to `pos`.

        For touch panels that report only touches and lifts, never motion: each sample
        arrives as a tap, and joining taps that follow each other closely draws the stroke.
        """
        self._last = (round(last[0]), round(last[1]))
        self.extend(pos)

    def end(self, pos: tuple[float, float] | None = None) -> None:
        """Ends the stroke (optionally after extending it to `pos`)."""
        if pos is not None:
            self.extend(pos)
        self._last = None

    def _dab(self, point: tuple[int, int]) -> None:
        pygame.draw.circle(self.surface, INK, point, self.width / 2)
        self.version += 1
        self._dirty.append(_segment_rect(point, point, self.width))

    def take_dirty(self) -> list[pygame.Rect]:
        """The canvas areas changed since the last call (canvas coordinates)."""
        dirty, self._dirty = self._dirty, []
        return dirty

    def pixels(self) -> np.ndarray:
        """The drawing as a (height, width) uint8 grayscale array."""
        # The canvas is grey (r == g == b), so one channel is the whole picture; surfarray
        # is column-major, and a contiguous copy keeps preprocessing on its fast path.
        return np.ascontiguousarray(pygame.surfarray.pixels_red(self.surface).T)


def _segment_rect(a: tuple[int, int], b: tuple[int, int], width: int) -> pygame.Rect:
    pad = width // 2 + 2
    left, top = min(a[0], b[0]) - pad, min(a[1], b[1]) - pad
    return pygame.Rect(left, top, abs(a[0] - b[0]) + 2 * pad, abs(a[1] - b[1]) + 2 * pad)


def default_save_dir() -> Path:
    """`$XDG_DATA_HOME/digits-edge/drawings`, i.e. ~/.local/share/digits-edge/drawings."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "digits-edge" / "drawings"


class SaveStore:
    """Writes drawings as PNG files; never overwrites, never leaves a half-written file."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def save(self, drawing: pygame.Surface, model_input: np.ndarray, digit: int | None,
             model: str) -> tuple[Path, Path]:
        """Saves the full drawing and the 28×28 model input.

        Names are `YYYYmmdd-HHMMSS-mmm_digit7_cnn_int8.png` and `..._28x28.png`; a name that
        exists gets `-1`, `-2`, ... rather than replacing the file.

        Args:
            drawing: the canvas surface.
            model_input: (28, 28) floats in [0, 1], as the model saw it.
            digit: the predicted digit, or None.
            model: the model's name.

        Returns:
            The two paths written.

        Raises:
            OSError: the folder cannot be created or written (e.g. the disk is full); files
                saved before are untouched and no partial file is left.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{int(now % 1 * 1000):03d}"
        label = "unknown" if digit is None else f"digit{digit}"
        base = f"{stamp}_{label}_{re.sub(r'[^A-Za-z0-9_.-]', '_', model)}"
        small = pygame.surfarray.make_surface(
            np.repeat(np.rint(model_input * 255).astype(np.uint8).T[..., None], 3, axis=2))
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            full_path = self.folder / f"{base}{suffix}.png"
            small_path = self.folder / f"{base}{suffix}_28x28.png"
            if full_path.exists() or small_path.exists():
                continue
            try:
                self._write(drawing, full_path)
            except FileExistsError:
                continue
            try:
                self._write(small, small_path)
            except BaseException:
                full_path.unlink(missing_ok=True)  # keep the pair whole: both or neither
                raise
            return full_path, small_path
        raise FileExistsError(f"no free file name for {base} in {self.folder}")

    @staticmethod
    def _write(surface: pygame.Surface, path: Path) -> None:
        with atomic_path(path, overwrite=False) as tmp:
            pygame.image.save(surface, str(tmp))
