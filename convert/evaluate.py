"""Evaluate `.tflite` files through the TFLite interpreter, on MNIST and on drawn digits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app import ClassifierOptions, DigitClassifier, NothingDrawnError, preprocess
from edge_app.strokeset import BANDS, Inputs


@dataclass(frozen=True)
class Evaluation:
    """What one model file measured."""

    path: Path
    runtime: str
    input_spec: dict
    output_spec: dict
    mnist_accuracy: float
    drawn_accuracy: float | None
    predictions: np.ndarray  # MNIST test predictions, to compare variants


def preprocess_drawn(canvases: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Runs the app's preprocessing on each canvas.

    Returns:
        The (N, 28, 28) model inputs and a mask of the canvases that had ink at all (a canvas
        the preprocessing rejects counts as a wrong answer, never as a skipped one).
    """
    inputs = np.zeros((len(canvases), 28, 28), np.float32)
    ok = np.ones(len(canvases), bool)
    for i, canvas in enumerate(canvases):
        try:
            inputs[i] = preprocess(canvas)
        except NothingDrawnError:
            ok[i] = False
    return inputs, ok


def evaluate(path: Path, x_test: np.ndarray, y_test: np.ndarray,
             drawn: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
             runtime: str | None = None) -> Evaluation:
    """Measures one model file.

    Args:
        path: the `.tflite` file.
        x_test: (N, 28, 28) uint8 MNIST test images; y_test their labels.
        drawn: (inputs, ok-mask, labels) from `preprocess_drawn`, or None to skip.
        runtime: force a TFLite runtime.
    """
    classifier = DigitClassifier(ClassifierOptions(model=path, runtime=runtime, verify=False))
    predictions = classifier.predict_batch(x_test.astype(np.float32) / 255.0).argmax(axis=1)
    drawn_accuracy = None
    if drawn is not None:
        inputs, ok, labels = drawn
        drawn_pred = classifier.predict_batch(inputs).argmax(axis=1)
        drawn_accuracy = float(((drawn_pred == labels) & ok).mean())
    return Evaluation(path, classifier.runtime, classifier.input_spec.as_dict(),
                      classifier.output_spec.as_dict(),
                      float((predictions == y_test).mean()), drawn_accuracy, predictions)


def score_strokes(inputs: Inputs, stroke_probs: np.ndarray, image_probs: np.ndarray) -> dict:
    """The stroke evaluation's figures for one model.

    A digit counts as right only when it is not refused and its top answer is its label;
    a mark counts as refused when the gate refuses it.

    Args:
        inputs: from `edge_app.strokeset.model_inputs`.
        stroke_probs, image_probs: (N, 10) probabilities on the stroke and image paths.

    Returns:
        Per path: digit accuracy, false refusals, marks refused, accuracy per size band and
        per style; plus the set's counts.
    """
    digits = inputs.labels >= 0
    out = {"digits": int(digits.sum()), "marks": int((~digits).sum())}
    for path, probs, refused in (("stroke", stroke_probs, inputs.stroke_refused),
                                 ("image", image_probs, inputs.image_refused)):
        right = (probs.argmax(axis=1) == inputs.labels) & ~refused
        bands = {}
        for low, high in zip(BANDS, BANDS[1:]):
            band = digits & (inputs.sizes >= low) & (inputs.sizes < high)
            bands[f"{round(100 * low)}-{round(100 * high)} %"] = _share(right[band])
        out[path] = {
            "accuracy": _share(right[digits]),
            "false_refusals": _share(refused[digits]),
            "marks_refused": _share(refused[~digits]),
            "bands": bands,
            "styles": {kind: _share(right[digits & (inputs.kinds == kind)])
                       for kind in sorted(set(inputs.kinds[digits]))},
            "marks": {kind: _share(refused[~digits & (inputs.kinds == kind)])
                      for kind in sorted(set(inputs.kinds[~digits]))},
        }
    return out


def _share(mask: np.ndarray) -> float | None:
    return round(float(mask.mean()), 6) if mask.size else None
