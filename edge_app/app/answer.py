"""The answer for the drawing: a digit or a number, adjusted by the person's corrections."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app.adapt import Adapter
from edge_app.app.canvas import Canvas
from edge_app.app.models import ModelCycle
from edge_app.classifier import Prediction
from edge_app.errors import DigitsError, ImageError, NotADigitError
from edge_app.second_look import look_again
from edge_app.segment.joins import rejoin
from edge_app.segment.number import ReadDigit, read_groups
from edge_app.segment.strokes import group_strokes, without_taps
from edge_app.strokes import render

# After the last stroke, the answer stays muted this long: a 4, a 5 or a crossed 7 is drawn in
# two strokes, and the first one alone often looks like another digit.
SETTLE_SECONDS = 0.6


def model_input(strokes: Sequence[np.ndarray], canvas_size: tuple[int, int],
                row: float | None = None) -> np.ndarray:
    """The 28×28 model input for strokes, rendered from them rather than from the screen.

    The model then sees MNIST's proportions whatever size the person drew at, and no
    full-canvas copy is made. `row`: the median extent in pixels of the digits of the number
    these strokes are one digit of, if they are.

    Raises:
        NothingDrawnError, NotADigitError: nothing, or nothing like a digit, is drawn.
    """
    return render(strokes, canvas_size, row=row)


@dataclass
class Answer:
    """What the model made of one version of the drawing.

    Attributes:
        digits: the digits read, left to right (one for a single digit).
        latency_ms: strokes to probabilities, in milliseconds.
        version: the canvas version it belongs to.
        settled: False while more strokes may come; the panel then mutes it.
        refusal: why there is no answer ("Not a digit", ...), or None.
    """

    digits: tuple[ReadDigit, ...] = ()
    latency_ms: float | None = None
    version: int = -1
    settled: bool = True
    refusal: str | None = None

    @property
    def prediction(self) -> Prediction | None:
        """The answer when one digit is drawn."""
        return self.digits[0].prediction if len(self.digits) == 1 else None

    @property
    def model_input(self) -> np.ndarray | None:
        """What the model saw when one digit is drawn."""
        return self.digits[0].model_input if len(self.digits) == 1 else None

    @property
    def number(self) -> str | None:
        """The number read when several digits are drawn, e.g. "2026"."""
        if len(self.digits) < 2:
            return None
        return "".join(str(d.prediction.digit) for d in self.digits)

    def current_for(self, canvas: Canvas) -> bool:
        """True when this is the answer for the drawing as it is now."""
        return self.version == canvas.version

    def describe(self) -> str:
        """The status line for this answer."""
        if not self.digits:
            return self.refusal or "Draw a digit"
        if not self.settled:
            return f"{self.number or self.prediction.digit}? Add a stroke, or wait"
        unsure = [(k, d.prediction.close_call()) for k, d in enumerate(self.digits)]
        unsure = [(k, pair) for k, pair in unsure if pair is not None]
        if self.number is None:
            if unsure:
                return f"{unsure[0][1][0]} or {unsure[0][1][1]}? Redraw it more clearly"
            p = self.prediction
            return f"{p.digit} with {p.confidence:.1%} confidence"  # as the panel shows it
        if unsure:
            k, (a, b) = unsure[0]
            return f"{self.number}: is digit {k + 1} a {a} or a {b}?"
        return f"The number {self.number}"


class Recognizer:
    """The models, the person's adaptation, and how strokes become an answer.

    Args:
        models: the model cycle; its current model answers.
        folder: the person's save folder, where the adaptation is stored.
    """

    def __init__(self, models: ModelCycle, folder: Path) -> None:
        self.models, self.folder = models, folder
        self.adapter: Adapter | None = None
        self.problem: str | None = None  # why adaptation is unavailable, for the screen
        self._load_adapter()

    def _load_adapter(self) -> None:
        self.adapter, self.problem = None, None
        if self.models.classifier is None:
            return
        try:
            self.adapter = Adapter.load(self.folder, self.models.classifier)
            self.problem = self.adapter.problem
        except (DigitsError, OSError) as exc:
            self.problem = f"adaptation unavailable: {exc}"

    def next_model(self) -> list[str]:
        """Switches to the next model (the adaptation follows); returns what was skipped."""
        skipped = self.models.next()
        self._load_adapter()
        return skipped

    def answer(self, canvas: Canvas, settled: bool, whole: bool = False) -> Answer:
        """Reads the drawing on `canvas`: one digit, or several as a number.

        Args:
            canvas: the drawing.
            settled: False while more strokes may come (the answer is shown muted).
            whole: read every stroke as one digit, whatever the grouping says (the person
                said it is one).

        Returns:
            The answer; a drawing that is not a digit gets a `refusal` and no digits.
        """
        classifier = self.models.classifier
        started = time.perf_counter()
        strokes = without_taps(canvas.strokes)
        try:
            # One stroke is one digit; only several may be a number (grouping costs ~0.3 ms).
            groups = group_strokes(strokes) if len(strokes) > 1 and not whole else [strokes]

            def render(group: Sequence[np.ndarray], row: float | None) -> np.ndarray:
                return model_input(group, canvas.size, row)

            if len(groups) > 1:
                groups = rejoin(classifier, groups, render)
            if len(groups) > 1:
                read = read_groups(classifier, groups, render, pen=canvas.brush)
                digits = tuple(ReadDigit(d.box, self._adjust(d.model_input, d.prediction),
                                         d.model_input) for d in read.digits)
            else:
                x = model_input(strokes, canvas.size)
                # An unsure reading of one digit gets a second look, at the screen's pixels,
                # unless they hold taps that the strokes' reading left out.
                pixels = canvas.pixels if len(strokes) == len(canvas.strokes) else None
                prediction = look_again(classifier, self._predict(x), pixels)
                digits = (ReadDigit((0, 0, *canvas.size), prediction, x),)
        except NotADigitError as exc:
            return Answer(version=canvas.version, refusal=str(exc))
        except ImageError:
            return Answer(version=canvas.version, refusal="Nothing drawn")
        latency_ms = (time.perf_counter() - started) * 1000
        return Answer(digits, latency_ms, canvas.version, settled)

    def _predict(self, x: np.ndarray) -> Prediction:
        adapter = self.adapter
        if adapter is not None and adapter.enabled and adapter.count:
            return adapter.predict(x)  # answer and adjustment from one invoke
        return self.models.classifier.predict(x)

    def _adjust(self, x: np.ndarray, prediction: Prediction) -> Prediction:
        return self.adapter.adjust(x, prediction) if self.adapter is not None else prediction

    def learn(self, x: np.ndarray, label: int) -> None:
        """Adds a corrected example to the adaptation (stored at once).

        Raises:
            OSError: the adaptation cannot be stored.
        """
        if self.adapter is not None:
            self.adapter.add(x, label)

    def describe_adaptation(self) -> str:
        """e.g. "adapted: 12 examples", "adaptation off", or "" when there is none."""
        return self.adapter.describe() if self.adapter is not None else ""
