"""Folders of people's labelled drawings (`digits-app` corrections) folded into training data."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from edge_app import examples

# Copies of each extra drawing per epoch: 50 drawings then weigh like 500 of MNIST's 54000. On
# the writer sets (edge_app.writers) 10 and 20 both taught the CNN the style (100 % of the
# writer's unseen digits); 20 cost more MNIST accuracy (-0.18 against -0.11 points).
DEFAULT_OVERSAMPLE = 10


class ExtraError(Exception):
    """An extra folder cannot be used (missing, unreadable, or without labelled drawings)."""


@dataclass(frozen=True)
class ExtraSet:
    """The labelled drawings of one folder, as training images.

    Attributes:
        folder: where they came from.
        images: (N, 28, 28) uint8, white on black: MNIST's layout.
        labels: (N,) uint8.
        sha256: hash of the files used (names and bytes), the same wherever the folder lives.
        skipped: one line per file left out.
    """

    folder: Path
    images: np.ndarray
    labels: np.ndarray
    sha256: str
    skipped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.labels)

    def manifest_entry(self, oversample: int) -> dict[str, Any]:
        """What the manifest records about this folder's part in a training run."""
        return {"folder": str(self.folder), "examples": self.count, "sha256": self.sha256,
                "oversample": oversample}


def load_extra(folder: str | os.PathLike, *, unconfirmed: bool = False) -> ExtraSet:
    """Reads one folder of labelled drawings for training.

    Args:
        folder: a folder written by `edge_app.examples.save` (the app's save folder).
        unconfirmed: also take plain Saves, labelled only by the answer the model showed
            (default: only the digits the person tapped).

    Returns:
        The drawings rendered from their strokes as the app renders them (the 28×28 PNG
        when there are none).

    Raises:
        ExtraError: no such folder, or not one usable labelled drawing in it.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ExtraError(f"{folder}: no such folder")
    skipped: list[str] = []
    try:
        found = examples.load(folder, skipped)
    except OSError as exc:
        raise ExtraError(f"{folder}: cannot read ({exc.strerror or exc})") from None
    chosen = [e for e in found if e.confirmed or unconfirmed]
    x, labels, used = examples.inputs(chosen, skipped)
    if not used:
        left = len(found) - len(chosen)
        hint = f" ({left} unconfirmed plain Saves left out)" if left else ""
        raise ExtraError(f"{folder}: no labelled drawings{hint}")
    return ExtraSet(folder, np.rint(x * 255).astype(np.uint8), labels, digest(used), skipped)


def digest(chosen: Sequence[examples.Example]) -> str:
    """SHA-256 over the examples' names and file bytes (record and 28×28 PNG), by name."""
    h = hashlib.sha256()
    for example in sorted(chosen, key=lambda e: e.name):
        h.update(example.name.encode("utf-8") + b"\0")
        for path in (example.base.with_name(example.name + ".json"), example.input_path):
            data = path.read_bytes() if path.is_file() else b""
            h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def fold_in(images: np.ndarray, labels: np.ndarray, extras: Sequence[ExtraSet],
            oversample: int = DEFAULT_OVERSAMPLE,
            seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Training images and labels with every extra drawing added `oversample` times.

    Call it on the training part only, after the validation split, so that no copy of a
    drawing is both trained and validated on.

    Args:
        images: (N, 28, 28) uint8 training images.
        labels: (N,) their labels.
        extras: the folders' drawings.
        oversample: copies of each extra drawing (1: once, like any MNIST digit).
        seed: seeds the shuffle that spreads the copies over the batches.

    Returns:
        The images and labels, shuffled together.
    """
    if oversample < 1:
        raise ValueError(f"oversample must be at least 1, got {oversample}")
    x = [images] + [np.repeat(e.images, oversample, axis=0) for e in extras]
    y = [labels] + [np.repeat(e.labels, oversample) for e in extras]
    x_all, y_all = np.concatenate(x), np.concatenate(y).astype(labels.dtype)
    order = np.random.default_rng(seed).permutation(len(y_all))
    return x_all[order], y_all[order]
