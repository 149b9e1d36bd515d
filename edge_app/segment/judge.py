"""The classifier's judgement of candidate pieces of a number: each read, or refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from edge_app.classifier import DigitClassifier
from edge_app.errors import ImageError


def refusal(model_input: Callable[[object], np.ndarray], item: object) -> str | None:
    """Why `model_input` refuses `item` (the gate's reason, e.g. `gate.JOINED`: two digits
    drawn without lifting the pen), or None when it does not."""
    try:
        model_input(item)
    except ImageError as exc:
        return str(exc)
    return None


def input_or_none(model_input: Callable[[object], np.ndarray], item: object) -> np.ndarray | None:
    """`model_input(item)`, or None when it is refused (ImageError)."""
    try:
        return model_input(item)
    except ImageError:
        return None


def top_predictions(classifier: DigitClassifier,
                    inputs: Sequence[np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
    """The classifier's top probability for each model input and the digit it is for, in one
    batched invoke; 0 and -1 for None (a refused item).

    Args:
        classifier: the loaded model.
        inputs: (28, 28) model inputs, None for a refused item.

    Returns:
        (top probabilities float32 (N,), digits int (N,)).
    """
    usable = np.array([x is not None for x in inputs], bool)
    scores = np.zeros(len(inputs), np.float32)
    digits = np.full(len(inputs), -1)
    if usable.any():
        probs = classifier.predict_batch(np.stack([x for x in inputs if x is not None]))
        scores[usable] = probs.max(axis=1)
        digits[usable] = probs.argmax(axis=1)
    return scores, digits
