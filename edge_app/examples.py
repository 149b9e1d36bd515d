"""Labelled examples in the save folder: the canvas PNG, the 28×28 input PNG and a JSON record.

One example is three files sharing a base name, `YYYYmmdd-HHMMSS-mmm_digit{label}_{model}`:
`.png` (the canvas), `_28x28.png` (the model's input) and `.json`, which holds the label, whether
the person confirmed it (tapped the right digit) or it is the answer shown at a plain Save, the
model's answer and name, the time (UTC) and the strokes with the canvas size. Files are never
overwritten (a clash gets -1, -2, ...) and an example is written whole or not at all.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from PIL import Image

from edge_app.errors import ImageError
from edge_app.files import write_new_files
from edge_app.strokes import render

INPUT_SUFFIX = "_28x28.png"
MAX_CLASHES = 1000  # names tried per base before giving up


@dataclass
class Example:
    """One labelled drawing read back from the save folder.

    Attributes:
        base: the folder and base name, without any suffix.
        label: the digit it shows.
        confirmed: True when the person tapped the digit; False for a plain Save.
        answer: what the model answered, or None.
        model: the model's name.
        time: when it was saved, ISO-8601 UTC.
        canvas_size: (width, height) of the canvas in pixels.
        strokes: polylines (n, 2) in canvas pixels; empty when the record has none.
    """

    base: Path
    label: int
    confirmed: bool
    answer: int | None
    model: str
    time: str
    canvas_size: tuple[int, int]
    strokes: list[np.ndarray] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.base.name

    @property
    def input_path(self) -> Path:
        return self.base.with_name(self.base.name + INPUT_SUFFIX)

    @property
    def canvas_path(self) -> Path:
        return self.base.with_name(self.base.name + ".png")

    def canvas_pixels(self) -> np.ndarray:
        """The saved canvas as a (height, width) uint8 grey picture.

        Raises:
            ImageError: it is missing or cannot be read as a picture.
        """
        try:
            with Image.open(self.canvas_path) as image:
                return np.asarray(image.convert("L"))
        except (OSError, ValueError) as exc:
            raise ImageError(f"{self.canvas_path.name}: cannot read the canvas") from exc

    def model_input(self) -> np.ndarray:
        """The (28, 28) float32 input in [0, 1]: rendered from the strokes as the app does, or
        read from the 28×28 PNG when there are no strokes or they no longer render.

        Raises:
            ImageError: neither source gives an input.
        """
        if self.strokes:
            try:
                return render(self.strokes, self.canvas_size)
            except ImageError:
                pass  # e.g. a stricter gate than when it was drawn: the PNG still holds it
        return read_input_png(self.input_path)


def record(label: int, *, confirmed: bool, answer: int | None, model: str,
           canvas_size: tuple[int, int], strokes: Sequence[np.ndarray],
           when: datetime | None = None) -> dict[str, Any]:
    """The JSON record of one example (see the module).

    Args:
        label: the digit, 0-9.
        confirmed: the person tapped the digit (True) or pressed plain Save (False).
        answer: the model's answer, or None.
        model: the model's name.
        canvas_size: (width, height) in pixels.
        strokes: the canvas' strokes, (n, 2) arrays of (x, y).
        when: the time (default now).

    Returns:
        The record, ready for `save`.
    """
    when = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return {"label": int(label), "confirmed": bool(confirmed),
            "answer": None if answer is None else int(answer), "model": str(model),
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "canvas_size": [int(canvas_size[0]), int(canvas_size[1])],
            "strokes": [[[round(float(x), 2), round(float(y), 2)] for x, y in s]
                        for s in strokes]}


def save(folder: str | os.PathLike, canvas_png: bytes, input_png: bytes,
         rec: dict[str, Any]) -> tuple[Path, Path, Path]:
    """Writes one example: all three files, or none.

    Args:
        folder: the save folder (created if needed).
        canvas_png: the canvas as PNG bytes.
        input_png: the 28×28 model input as PNG bytes.
        rec: the record made by `record`.

    Returns:
        The canvas PNG, the 28×28 PNG and the JSON paths.

    Raises:
        ValueError: the record is not valid.
        OSError: the folder cannot be written (e.g. the disk is full); nothing is left behind.
    """
    problem = _check(rec)
    if problem:
        raise ValueError(f"not a valid example record: {problem}")
    local = datetime.now()
    stamp = local.strftime("%Y%m%d-%H%M%S-") + f"{local.microsecond // 1000:03d}"
    base = f"{stamp}_digit{rec['label']}_{re.sub(r'[^A-Za-z0-9_.-]', '_', rec['model'])}"
    data = json.dumps(rec, separators=(",", ":")).encode("utf-8")
    # The JSON goes last: `load` looks for it, so it never finds half an example.
    paths = write_new_files(folder, base, {".png": canvas_png, INPUT_SUFFIX: input_png,
                                           ".json": data}, attempts=MAX_CLASHES)
    return paths[0], paths[1], paths[2]


def load(folder: str | os.PathLike, problems: list[str] | None = None) -> list[Example]:
    """Reads every example of a folder, oldest name first.

    Args:
        folder: the save folder.
        problems: when given, gets one line per file skipped (unreadable, invalid, no input).

    Returns:
        The examples that are whole (none for a folder that does not exist).

    Raises:
        OSError: the folder cannot be listed.
    """
    found = []
    for path in sorted(Path(folder).glob("*.json")):
        if path.name.startswith("."):  # a temporary file that a power cut left behind
            continue
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            _report(problems, f"{path}: unreadable ({_first_line(exc)})")
            continue
        if isinstance(rec, dict) and "number" in rec and "label" not in rec:
            continue  # a saved number (several digits): not one labelled digit
        problem = _check(rec)
        base = path.with_suffix("")
        if not problem and not rec["strokes"] and not base.with_name(
                base.name + INPUT_SUFFIX).is_file():
            problem = "no strokes and no 28x28 PNG"
        if problem:
            _report(problems, f"{path}: skipped, {problem}")
            continue
        found.append(Example(
            base, rec["label"], rec["confirmed"], rec.get("answer"), rec["model"], rec["time"],
            (rec["canvas_size"][0], rec["canvas_size"][1]),
            [np.asarray(s, np.float32).reshape(-1, 2) for s in rec["strokes"]]))
    return found


def read_input_png(path: str | os.PathLike) -> np.ndarray:
    """A 28×28 input PNG as float32 (28, 28) in [0, 1].

    Raises:
        ImageError: unreadable, or not 28×28.
    """
    try:
        with Image.open(io.BytesIO(Path(path).read_bytes())) as image:
            gray = np.asarray(image.convert("L"), np.float32)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError(f"{path}: unreadable ({_first_line(exc)})") from None
    if gray.shape != (28, 28):
        raise ImageError(f"{path}: {gray.shape[1]}x{gray.shape[0]} pixels, not 28x28")
    return gray / np.float32(255)


def inputs(examples: Sequence[Example], problems: list[str] | None = None
           ) -> tuple[np.ndarray, np.ndarray, list[Example]]:
    """The model inputs and labels of `examples`; one whose input cannot be made is skipped.

    Returns:
        (N, 28, 28) float32 in [0, 1], (N,) uint8 labels, and the N examples they belong to.
    """
    xs, used = [], []
    for example in examples:
        try:
            xs.append(example.model_input())
            used.append(example)
        except ImageError as exc:
            _report(problems, f"{example.name}: skipped, {exc}")
    x = np.stack(xs) if xs else np.zeros((0, 28, 28), np.float32)
    return x, np.array([e.label for e in used], np.uint8), used


def _check(rec: Any) -> str | None:
    """What is wrong with a record, or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    label, answer = rec.get("label"), rec.get("answer")
    if not _is_int(label) or not 0 <= label <= 9:
        return f"label {label!r} is not a digit 0-9"
    if not isinstance(rec.get("confirmed"), bool):
        return "'confirmed' is not true or false"
    if answer is not None and (not _is_int(answer) or not 0 <= answer <= 9):
        return f"answer {answer!r} is not a digit 0-9"
    if not isinstance(rec.get("model"), str) or not isinstance(rec.get("time"), str):
        return "'model' or 'time' missing"
    size = rec.get("canvas_size")
    if not (isinstance(size, list) and len(size) == 2 and all(_is_int(v) and v > 0
                                                               for v in size)):
        return f"canvas_size {size!r} is not [width, height]"
    strokes = rec.get("strokes")
    if not isinstance(strokes, list) or not all(
            isinstance(s, list) and s and all(_is_point(p) for p in s) for s in strokes):
        return "strokes are not lists of [x, y] points"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_point(p: Any) -> bool:
    return (isinstance(p, list) and len(p) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in p))


def _report(problems: list[str] | None, line: str) -> None:
    if problems is not None:
        problems.append(line)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
