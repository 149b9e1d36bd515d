"""Where Save and Correct put drawings: files never overwritten and never half-written."""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pygame

from edge_app import examples
from edge_app.app.answer import Answer
from edge_app.app.canvas import Canvas
from edge_app.files import write_new_files


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


def save_answer(folder: Path, canvas: Canvas, answer: Answer, model: str,
                label: int | None = None) -> list[Path]:
    """Saves the drawing with its answer.

    A single digit becomes a labelled example (`edge_app.examples`): the canvas PNG, the 28×28
    input and a JSON record with the strokes; `label` is the digit the person confirmed, or
    None for plain Save (labelled by the answer, marked unconfirmed). A number becomes
    `<time>_number2026_<model>.png`, `..._28x28.png` (the digits' inputs side by side) and a
    JSON record with the digits and strokes.

    Returns:
        The paths written.

    Raises:
        OSError: nothing could be written (e.g. the disk is full); nothing is left behind.
    """
    canvas_png = png_bytes(canvas.surface)
    if answer.number is None:
        digit = answer.prediction.digit
        record = examples.record(digit if label is None else label, confirmed=label is not None,
                                 answer=digit, model=model, canvas_size=canvas.size,
                                 strokes=canvas.strokes)
        return list(examples.save(folder, canvas_png, png_bytes(gray_surface(
            answer.model_input)), record))
    inputs = np.concatenate([d.model_input for d in answer.digits], axis=1)
    record = {"number": answer.number, "model": model,
              "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "digits": [{"digit": d.prediction.digit, "box": list(d.box),
                          "confidence": round(d.prediction.confidence, 6)}
                         for d in answer.digits],
              "canvas_size": list(canvas.size),
              "strokes": [[[round(float(x), 2), round(float(y), 2)] for x, y in s]
                          for s in canvas.strokes]}
    now = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{int(now % 1 * 1000):03d}"
    base = f"{stamp}_number{answer.number}_{re.sub(r'[^A-Za-z0-9_.-]', '_', model)}"
    return write_new_files(folder, base, {
        ".png": canvas_png, "_28x28.png": png_bytes(gray_surface(inputs)),
        ".json": json.dumps(record, separators=(",", ":")).encode("utf-8")})
