"""Where Save puts drawings: PNG files that are never overwritten and never half-written."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import numpy as np
import pygame

from edge_app.files import write_bytes


def default_save_dir() -> Path:
    """`$XDG_DATA_HOME/digits-edge/drawings`, i.e. ~/.local/share/digits-edge/drawings."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "digits-edge" / "drawings"


def shown_path(path: Path) -> str:
    """`path` with the home folder shown as ~, as people read it."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError):
        return str(path)


def png_bytes(surface: pygame.Surface) -> bytes:
    """The surface encoded as PNG, in memory.

    Encoding to memory and writing the bytes ourselves is what makes a full disk an error:
    pygame's `image.save` to a path can report success and leave an empty file.
    """
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "png")
    data = buffer.getvalue()
    if not data.startswith(b"\x89PNG"):
        raise OSError(f"PNG encoding failed ({len(data)} bytes)")
    return data


def gray_surface(image: np.ndarray) -> pygame.Surface:
    """A (h, w) float image in [0, 1] as a grey pygame surface."""
    pixels = np.rint(np.clip(image, 0, 1) * 255).astype(np.uint8).T
    return pygame.surfarray.make_surface(np.repeat(pixels[..., None], 3, axis=2))


class SaveStore:
    """Writes drawings as PNG files; never overwrites, never leaves a half-written file."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def save(self, drawing: pygame.Surface, model_input: np.ndarray, label: str,
             model: str) -> tuple[Path, Path]:
        """Saves the full drawing and the 28×28 model input.

        Names are `YYYYmmdd-HHMMSS-mmm_<label>_<model>.png` and `..._28x28.png`; a name that
        exists gets `-1`, `-2`, ... rather than replacing the file.

        Args:
            drawing: the canvas surface.
            model_input: (28, 28) floats in [0, 1], as the model saw it.
            label: what the drawing is, for the name, e.g. "digit7".
            model: the model's name.

        Returns:
            The two paths written.

        Raises:
            OSError: the folder cannot be created or written (e.g. the disk is full); files
                saved before are untouched and no partial file is left.
        """
        full_png, small_png = png_bytes(drawing), png_bytes(gray_surface(model_input))
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{int(now % 1 * 1000):03d}"
        base = f"{stamp}_{_safe(label)}_{_safe(model)}"
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            full_path = self.folder / f"{base}{suffix}.png"
            small_path = self.folder / f"{base}{suffix}_28x28.png"
            if small_path.exists():
                continue
            try:
                write_bytes(full_path, full_png, overwrite=False)
            except FileExistsError:
                continue
            try:
                write_bytes(small_path, small_png, overwrite=False)
            except BaseException:
                full_path.unlink(missing_ok=True)  # keep the pair whole: both or neither
                raise
            return full_path, small_path
        raise FileExistsError(f"no free file name for {base} in {self.folder}")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)
