"""Read a number: segment, preprocess every digit, classify them all in one batched invoke."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median  # not np.median: see segment.strokes.row_extent

import numpy as np
from PIL import Image

from edge_app.classifier import DigitClassifier, Prediction
from edge_app.errors import ImageError, NothingDrawnError
from edge_app.gate import JOINED, NOT_A_DIGIT, TOO_SMALL
from edge_app.preprocess import preprocess_cut
from edge_app.segment.boxes import MAX_ASPECT, Box
from edge_app.segment.joins import Renderer, rejoin
from edge_app.segment.judge import input_or_none, top_predictions
from edge_app.segment.pixels import Judge, find_digits
from edge_app.segment.strokes import (
    StrokeBoxes,
    extent,
    group_strokes,
    row_extent,
    without_taps,
)

STRAY = 0.4  # a refused mark smaller than this fraction of the digits' median size is noise


@dataclass(frozen=True)
class ReadDigit:
    """One digit of a number: where it is, what it is, and the model input it was read from."""

    box: tuple[int, int, int, int]  # (x0, y0, x1, y1) pixels, ends exclusive
    prediction: Prediction
    model_input: np.ndarray  # (28, 28) float32
    strokes: tuple[np.ndarray, ...] = ()  # the digit's strokes, when read from strokes


@dataclass(frozen=True)
class ReadNumber:
    """The digits of a number, left to right."""

    digits: tuple[ReadDigit, ...]

    @property
    def text(self) -> str:
        """The number as a string of digits, e.g. "2026" (leading zeros kept)."""
        return "".join(str(d.prediction.digit) for d in self.digits)


def classify_all(classifier: DigitClassifier, inputs: Sequence[np.ndarray],
                 boxes: Sequence[tuple[int, int, int, int]],
                 strokes: Sequence[Sequence[np.ndarray]] | None = None) -> ReadNumber:
    """Classifies the model inputs of a number's digits in one batched invoke.

    Args:
        classifier: the loaded model.
        inputs: one (28, 28) model input per digit, left to right.
        boxes: each digit's box.
        strokes: each digit's strokes, if it was drawn.

    Raises:
        NothingDrawnError: there are no digits.
    """
    if not len(inputs):
        raise NothingDrawnError("no digit found")
    batch = np.stack([np.asarray(x, np.float32).reshape(28, 28) for x in inputs])
    probabilities = classifier.predict_batch(batch)
    digits = []
    for i, (box, x, p) in enumerate(zip(boxes, batch, probabilities)):
        d = int(p.argmax())
        drawn = tuple(strokes[i]) if strokes is not None else ()
        digits.append(ReadDigit(box, Prediction(d, float(p[d]), p), x, drawn))
    return ReadNumber(tuple(digits))


def read_pixels(classifier: DigitClassifier, image: np.ndarray | Image.Image) -> ReadNumber:
    """Reads the number in a picture (any size and polarity).

    Raises:
        NothingDrawnError: no digit in the picture.
        ImageError: the picture is unusable.
    """
    found = find_digits(image, judge=reading_judge(classifier))
    inputs, boxes = [], []
    for digit in found:
        try:
            inputs.append(preprocess_cut(digit.ink))
        except ImageError:  # a piece too faint to be a digit
            continue
        boxes.append(digit.box)
    return classify_all(classifier, inputs, boxes)


def read_strokes(classifier: DigitClassifier, strokes: Sequence[np.ndarray],
                 render: Renderer, pen: float = 0.0) -> ReadNumber:
    """Reads the number drawn as `strokes` (canvas pixels, in drawing order).

    A group of strokes that `render` refuses is left out when it is a stray mark, much smaller
    than the digits beside it (a tap, a dot); any other refusal is raised, so that a digit is
    never dropped from a number without a word, unless the other groups hold at most one
    digit and the whole drawing is no wider than a digit may be (`boxes.MAX_ASPECT`): then
    it is read as one digit, as a drawing was before numbers were read (a 5 whose flag
    landed far to the right, the flag alone a dash), and raised only when the whole is
    refused too. A group refused as two digits in one stroke (`gate.JOINED`) is always
    raised: it is neither a stray mark nor a piece of one digit.

    Args:
        classifier: the loaded model.
        strokes: each an (n, 2) array of (x, y).
        render: draws one digit's strokes as its (28, 28) model input, small ones judged
            against the median extent of the digits it is given.
        pen: the ink's width in canvas pixels: the digits' boxes include it.

    Raises:
        NothingDrawnError: no strokes.
        ImageError: what `render` raised for a group that is not a stray mark.
    """
    return read_groups(classifier, rejoin(classifier, group_strokes(without_taps(strokes)),
                                          render), render, pen)


def read_groups(classifier: DigitClassifier, groups: Sequence[Sequence[np.ndarray]],
                render: Renderer, pen: float = 0.0) -> ReadNumber:
    """`read_strokes` for strokes already grouped into digits (`group_strokes`), left to right."""
    kept, inputs, refused = [], [], []
    boxes = StrokeBoxes()
    row = row_extent(groups, boxes)
    for group in groups:
        try:
            inputs.append(render(group, row))
            kept.append(group)
        except ImageError as exc:
            refused.append((group, _own_reason(exc, group, render)))
    sizes = [extent(group, boxes) for group in kept]
    for group, exc in refused:
        if str(exc) == JOINED:  # two digits in one stroke: no stray mark, no piece of one
            raise exc
        if not sizes or extent(group, boxes) >= STRAY * float(median(sizes)):
            if len(kept) > 1 or len(groups) < 2:
                raise exc
            whole = [stroke for g in groups for stroke in g]
            box = boxes.group(whole)
            if box.width > MAX_ASPECT * box.height:
                raise exc
            # No number to lose, and shaped like one digit: judged whole, as one digit (a
            # refusal of the whole raises this piece's, which says what was wrong with it).
            try:
                inputs, kept = [render(whole, None)], [whole]
            except ImageError:
                raise exc from None
            break
    places = [_place(boxes.group(group, pen)) for group in kept]
    return classify_all(classifier, inputs, places, kept)


def _own_reason(exc: ImageError, group: Sequence[np.ndarray], render: Renderer) -> ImageError:
    """What to say of a refused piece: one too small beside the row's digits that the gate
    refuses on its own too, as no digit's shape (a dash beside a long line), says that."""
    if str(exc) != TOO_SMALL:
        return exc
    try:
        render(group, None)
    except ImageError as own:
        if str(own) == NOT_A_DIGIT:
            return own
    return exc


def _place(box: Box) -> tuple[int, int, int, int]:
    """A box in whole pixels, ends exclusive, holding all of `box`."""
    return (int(np.floor(box.x0)), int(np.floor(box.y0)),
            int(np.ceil(box.x1)) + 1, int(np.ceil(box.y1)) + 1)


def reading_judge(classifier: DigitClassifier) -> Judge:
    """A `find_digits` judge: the classifier's confidence in each candidate and the digit it
    reads (0 and -1 if unusable)."""

    def judge(images: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        return top_predictions(classifier, [input_or_none(preprocess_cut, x) for x in images])

    return judge
