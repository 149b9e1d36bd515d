"""Where Save puts drawings: PNG files that are never overwritten and never half-written."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

from edge_app.files import atomic_path  # noqa: E402


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
