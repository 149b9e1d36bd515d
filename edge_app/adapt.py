"""On-device adaptation: the person's corrected drawings pull the answers for drawings like them.

No training happens on the device. The adapter keeps the person's labelled model inputs and
describes each by the network's own features: the activation that enters its first
fully-connected layer from below (the CNN's 288 convolutional features, the MLP's 512 hidden
units), read from the same `.tflite` through an interpreter that keeps intermediate tensors. A
new drawing gets a kernel-weighted vote of the stored examples near it in that space, added to
the network's probabilities; an input far from all of them keeps its answer exactly.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from edge_app.classifier import DigitClassifier, Prediction
from edge_app.features import FeatureReader, blend, vote
from edge_app.files import write_bytes
from edge_app.manifest import resolve_model

FILE_NAME = "adaptation.npz"
FORMAT = 1  # version of adaptation.npz
MAX_EXAMPLES = 2000  # the oldest go first beyond this: the vote stays ~0.1 ms, the file ~2 MB
# Cosine distance (1 - cos) between feature vectors beyond which an example has no say, so an
# input unlike every stored example keeps the network's answer. Chosen on writer sets and
# MNIST training digits (not the sets reported): wider moves MNIST answers, narrower needs
# more corrections. The Dense 128 layer of the CNN was tried first: it already maps a flagged
# 1 onto the 7s, and adapting there cost MNIST 0.7-4 points.
RADIUS = 0.18
WEIGHT = 4.0  # one example at distance 0 adds 4 to a probability vector that sums to 1


class Adapter:
    """The person's corrections, kept in their save folder, applied to every answer.

    Args:
        model: the classifier in use, or its manifest name or `.tflite` path.
        folder: where `adaptation.npz` lives (the save folder); None keeps it in memory only.
        runtime: TFLite runtime for reading features (default: the classifier's).
        models_dir: where a manifest name is looked up.

    Raises:
        ModelError, RuntimeUnavailableError: the model cannot be read.
    """

    def __init__(self, model: DigitClassifier | str | os.PathLike,
                 folder: str | os.PathLike | None = None, *, runtime: str | None = None,
                 models_dir: str | os.PathLike | None = None) -> None:
        if isinstance(model, DigitClassifier):
            path, runtime = model.path, runtime or model.runtime
        else:
            path = resolve_model(model, models_dir)
        self.path = Path(folder) / FILE_NAME if folder is not None else None
        self._reader = FeatureReader(path, runtime)
        self.problem: str | None = None  # one line when a stored file could not be read
        self._enabled = True
        self._inputs = np.zeros((0, 28, 28), np.uint8)
        self._labels = np.zeros(0, np.uint8)
        self._stored = np.zeros((0, self._reader.size), np.float32)
        self._seen: tuple[int, int, int] | None = None  # the file as last read or written
        self._read()

    @classmethod
    def load(cls, folder: str | os.PathLike, model: DigitClassifier | str | os.PathLike,
             **options: Any) -> Adapter:
        """The adapter for `model` with the corrections stored in `folder` (see the class)."""
        return cls(model, folder, **options)

    @property
    def count(self) -> int:
        """How many examples the adapter holds."""
        return len(self._labels)

    @property
    def enabled(self) -> bool:
        """Whether answers are adjusted; setting it is stored at once."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._sync()
        self._write(self._inputs, self._labels, bool(value))
        self._enabled = bool(value)

    def describe(self) -> str:
        """The panel's line, e.g. "adapted: 12 examples"."""
        if not self._enabled:
            return "adaptation off"
        return f"adapted: {self.count} example{'s' if self.count != 1 else ''}"

    def add(self, model_input: np.ndarray, label: int) -> None:
        """Learns that `model_input` shows `label`, and stores it at once.

        Raises:
            ValueError: `label` is not a digit 0-9.
            OSError: the folder cannot be written; the adapter is then as it was.
        """
        if not 0 <= int(label) <= 9:
            raise ValueError(f"label must be a digit 0-9, got {label}")
        x = np.rint(np.clip(np.asarray(model_input, np.float32).reshape(1, 28, 28), 0, 1) * 255)
        self._sync()
        inputs = np.concatenate([self._inputs, x.astype(np.uint8)])[-MAX_EXAMPLES:]
        labels = np.append(self._labels, np.uint8(label))[-MAX_EXAMPLES:]
        stored = np.concatenate([self._stored, self._reader.many(x / 255)])[-MAX_EXAMPLES:]
        self._write(inputs, labels, self._enabled)
        self._inputs, self._labels, self._stored = inputs, labels, stored

    def reset(self) -> None:
        """Forgets every example (the saved drawings stay); stored at once.

        Raises:
            OSError: the folder cannot be written; the adapter is then as it was.
        """
        self._sync()
        self._write(self._inputs[:0], self._labels[:0], self._enabled)
        self._inputs, self._labels, self._stored = (
            self._inputs[:0], self._labels[:0], self._stored[:0])

    def adjust(self, model_input: np.ndarray, prediction: Prediction) -> Prediction:
        """The network's `prediction` for `model_input`, with the person's examples' say.

        Returns `prediction` itself when adaptation is off, empty, or nothing stored is near.
        """
        if not self._enabled or not self.count:
            return prediction
        return self._adjusted(prediction, self._reader.features(model_input))

    def predict(self, model_input: np.ndarray) -> Prediction:
        """The network's answer for `model_input`, adjusted, from one invoke: the app's cheaper
        path when the adapter's model is the classifier's."""
        p, f = self._reader.run(model_input)
        digit = int(p.argmax())
        prediction = Prediction(digit, float(p[digit]), p)
        return self._adjusted(prediction, f) if self._enabled and self.count else prediction

    # --- internals --------------------------------------------------------------------------

    def _adjusted(self, prediction: Prediction, features: np.ndarray) -> Prediction:
        votes = vote(features, self._stored, self._labels, RADIUS)
        if not votes.any():
            return prediction
        p = blend(prediction.probabilities, votes, WEIGHT)
        digit = int(p.argmax())
        return Prediction(digit, float(p[digit]), p)

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size  # a replace makes a new inode

    def _sync(self) -> None:
        """Takes in what another adapter (another model's, say) stored since, before a change."""
        if self.path is not None and self._stat() != self._seen:
            self._read()

    def _read(self) -> None:
        if self.path is None:
            return
        self._seen = self._stat()
        try:
            with np.load(self.path, allow_pickle=False) as data:
                inputs, labels = data["inputs"], data["labels"]
                enabled = bool(data["enabled"])
            if inputs.dtype != np.uint8 or inputs.shape[1:] != (28, 28) or \
                    labels.shape != (len(inputs),) or not np.isin(labels, range(10)).all():
                raise ValueError("unexpected contents")
        except FileNotFoundError:
            return
        except Exception as exc:  # zip, key and value errors all mean "not ours"
            self._set_aside(exc)
            return
        self._inputs, self._labels, self._enabled = inputs, labels.astype(np.uint8), enabled
        self._stored = self._reader.many(inputs / np.float32(255))

    def _set_aside(self, exc: Exception) -> None:
        """Moves an unreadable file out of the way: it is kept, and a fresh one can start."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):  # never onto a file kept before
            kept = self.path.with_name(f"adaptation-unreadable-{stamp}{f'-{n}' if n else ''}.npz")
            if not kept.exists():
                break
        try:
            os.replace(self.path, kept)
            where = f"kept as {kept.name}"
        except OSError:
            where = "left in place"
        reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        self.problem = f"{self.path.name}: unreadable ({reason}); {where}, starting afresh"

    def _write(self, inputs: np.ndarray, labels: np.ndarray, enabled: bool) -> None:
        """Stores a new state atomically; callers take it on only once this returned."""
        if self.path is None:
            return
        buffer = io.BytesIO()
        np.savez(buffer, format=np.int32(FORMAT), inputs=inputs, labels=labels,
                 enabled=np.bool_(enabled))
        write_bytes(self.path, buffer.getvalue())
        self._seen = self._stat()
