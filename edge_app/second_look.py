"""A second look at an unsure answer: the drawing read from the screen's pixels as well."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from edge_app.classifier import DigitClassifier, Prediction
from edge_app.errors import ImageError
from edge_app.preprocess import preprocess

# Under this confidence in the strokes' reading, the screen's picture of the drawing is read
# too and the two averaged. The two inputs are drawn differently (the strokes re-rendered with
# MNIST's pen, the screen's brush thinned to it), so where one is unsure the other often is
# not; a sure reading is left alone, which spares about 99 % of drawings the picture's 0.4 ms.
UNSURE = 0.65


def combine(stroke: np.ndarray, image: np.ndarray, usable: np.ndarray | bool = True) -> np.ndarray:
    """The strokes' probabilities, averaged with the picture's where they are unsure.

    Args:
        stroke: (..., 10) probabilities read from the strokes.
        image: (..., 10) probabilities read from the same drawings' pictures.
        usable: whether each picture was read (False where it was refused).

    Returns:
        (..., 10): `stroke` where its top probability is at least UNSURE or the picture is not
        usable, else the mean of the two.
    """
    unsure = (np.max(stroke, axis=-1) < UNSURE) & usable
    return np.where(np.asarray(unsure)[..., None], (stroke + image) / 2, stroke)


def look_again(classifier: DigitClassifier, prediction: Prediction,
               pixels: Callable[[], np.ndarray] | None) -> Prediction:
    """`prediction` (from the strokes), or, when it is unsure, it and the picture's together.

    Args:
        classifier: the model that made `prediction`.
        prediction: the answer read from the drawing's strokes.
        pixels: returns the screen's picture of the drawing (asked only when unsure); None
            when the picture holds more than the strokes read (taps left out of them).

    Returns:
        The answer to show; `prediction` itself when it is sure, or the picture is missing or
        refused.
    """
    if prediction.confidence >= UNSURE or pixels is None:
        return prediction
    try:
        image = classifier.predict(preprocess(pixels())).probabilities
    except ImageError:  # the picture judged no digit: the strokes' reading stands
        return prediction
    p = combine(prediction.probabilities, image)
    digit = int(p.argmax())
    return Prediction(digit, float(p[digit]), p)
