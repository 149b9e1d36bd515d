"""An unsure reading of the strokes gets a second look at the screen's picture of the drawing."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import ClassifierOptions, DigitClassifier, strokeset
from edge_app.classifier import Prediction
from edge_app.second_look import UNSURE, combine, look_again
from edge_app.strokes import render
from tests.helpers import flagged_one


def probabilities(**top: float) -> np.ndarray:
    """Ten probabilities with the given ones (e.g. d7=0.6) and the rest shared out."""
    p = np.zeros(10, np.float32)
    for key, value in top.items():
        p[int(key[1:])] = value
    rest = [i for i in range(10) if p[i] == 0]
    p[rest] = (1 - p.sum()) / len(rest)
    return p


def test_a_sure_reading_stands_and_an_unsure_one_is_averaged_with_the_picture():
    picture = probabilities(d1=0.9)
    sure, unsure = probabilities(d7=UNSURE), probabilities(d7=UNSURE - 0.1, d1=0.2)
    np.testing.assert_array_equal(combine(sure, picture), sure)
    np.testing.assert_allclose(combine(unsure, picture), (unsure + picture) / 2)
    np.testing.assert_array_equal(combine(unsure, picture, usable=False), unsure)
    # Row by row for the evaluation's batches.
    both = combine(np.stack([sure, unsure]), np.stack([picture, picture]), np.array([True, True]))
    np.testing.assert_array_equal(both[0], sure)
    assert both[1].argmax() == 1


def test_the_picture_is_asked_only_when_the_strokes_leave_the_answer_in_doubt():
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    strokes, pixels = flagged_one()
    read = classifier.predict(render(strokes, strokeset.CANVASES[0]))
    assert read.digit == 7 and read.confidence < UNSURE  # the strokes alone: "7?"
    again = look_again(classifier, read, lambda: pixels)
    assert again.digit == 1 and again.probabilities.sum() == pytest.approx(1, abs=1e-3)

    def never() -> np.ndarray:
        raise AssertionError("a sure answer needs no picture")

    sure = Prediction(3, 0.95, probabilities(d3=0.95))
    assert look_again(classifier, sure, never) is sure
    # A picture that cannot be read (nothing on it), or none, leaves the strokes' reading.
    assert look_again(classifier, read, lambda: np.full_like(pixels, 255)) is read
    assert look_again(classifier, read, None) is read


def test_the_app_reads_the_unsure_one_from_its_screen_too(make_app):
    from tests.apphelpers import draw, settle

    app = make_app()
    assert app.layout.canvas.w == strokeset.CANVASES[0][0]
    strokes, _ = flagged_one()
    draw(app, [[(x / app.layout.canvas.w, y / app.layout.canvas.h) for x, y in s]
               for s in strokes])
    settle(app)
    assert app.prediction.digit == 1
    # A tap beside it is left out of the strokes' reading but not of the screen's picture, which
    # then shows more than the digit: no second look.
    draw(app, [[(0.92, 0.92)]])
    settle(app)
    assert app.prediction.digit == 7 and app.prediction.close_call() is not None
