"""The answer shown for the drawing: computed from the canvas, interim until the person pauses."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from edge_app.app.canvas import Canvas
from edge_app.classifier import DigitClassifier, Prediction
from edge_app.errors import ImageError, NotADigitError
from edge_app.strokes import render

# After the last stroke, the answer stays muted this long: a 4, a 5 or a crossed 7 is drawn in
# two strokes, and the first one alone often looks like another digit.
SETTLE_SECONDS = 0.6
CLOSE_CALL = 0.5  # top two probabilities nearer than this: "1 or 7?" rather than a guess


def model_input(canvas: Canvas) -> np.ndarray:
    """The 28×28 model input for what is on the canvas, rendered from its recorded strokes.

    The strokes, not the screen's pixels: the model then sees MNIST's proportions whatever
    size the person drew at, and no full-canvas copy is made.

    Raises:
        NothingDrawnError, NotADigitError: nothing, or nothing like a digit, is drawn.
    """
    return render(canvas.strokes, canvas.size)


def close_call(prediction: Prediction) -> int | None:
    """The runner-up digit when it is too close to the best one to call, else None."""
    (_, p1), (second, p2) = prediction.top(2)
    return second if p1 - p2 < CLOSE_CALL else None


@dataclass
class Answer:
    """What the model made of one version of the drawing.

    Attributes:
        prediction: the answer, or None when there is none (see `refusal`).
        model_input: the 28×28 image the model saw.
        latency_ms: canvas to probabilities, in milliseconds.
        version: the canvas version it belongs to.
        settled: False while more strokes may come; the panel then mutes it.
        refusal: why there is no answer ("Not a digit", ...), or None.
    """

    prediction: Prediction | None = None
    model_input: np.ndarray | None = None
    latency_ms: float | None = None
    version: int = -1
    settled: bool = True
    refusal: str | None = None

    def current_for(self, canvas: Canvas) -> bool:
        """True when this is the answer for the drawing as it is now."""
        return self.version == canvas.version

    def describe(self) -> str:
        """The status line for this answer."""
        p = self.prediction
        if p is None:
            return self.refusal or "Draw a digit"
        if not self.settled:
            return f"{p.digit}? Add a stroke, or wait"
        second = close_call(p)
        if second is not None:
            return f"{p.digit} or {second}? Redraw it more clearly"
        return f"{p.digit} with {p.confidence:.0%} confidence"


def answer(canvas: Canvas, classifier: DigitClassifier, settled: bool) -> Answer:
    """Classifies the drawing on `canvas`.

    Returns:
        The answer; a drawing that is not a digit gets one with a `refusal` and no prediction.
    """
    started = time.perf_counter()
    try:
        x = model_input(canvas)
    except NotADigitError as exc:
        return Answer(version=canvas.version, refusal=str(exc))
    except ImageError:
        return Answer(version=canvas.version, refusal="Nothing drawn")
    prediction = classifier.predict(x)
    return Answer(prediction, x, (time.perf_counter() - started) * 1000, canvas.version, settled)
