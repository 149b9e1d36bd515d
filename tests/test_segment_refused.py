"""A piece of a drawing that the gate refuses: left out as a stray mark, said out loud, or
read whole with the one digit beside it, but never joined to another refused for its shape."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_strokes import four, line, one_with_foot, render_456, seven_crossed


def five_with_far_flag(x: float, y: float, h: float = 200) -> list[np.ndarray]:
    """A 5 whose flag, a stroke of its own, landed 0.3 of the height right of its body."""
    from edge_app.styles import spline

    body = spline([(0.05, 0.0), (0.0, 0.42), (0.3, 0.36), (0.5, 0.55), (0.45, 0.85),
                   (0.2, 1.0), (0.0, 0.92)], 12) * h + [x, y]
    return [body.astype(np.float32), line((x + 0.8 * h, y), (x + 1.25 * h, y - 0.02 * h))]


def test_one_digit_and_a_refused_piece_are_read_whole():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import NotADigitError
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    five = five_with_far_flag(100, 150)
    assert len(group_strokes(five)) == 2
    with pytest.raises(NotADigitError):
        render_456(five[1:], None)  # the flag alone is a dash, too far to be offered a join
    # No number to lose and shaped like a digit: read whole, as before numbers were read.
    assert read_strokes(classifier, five, render_456).text == "5"
    # Beside another digit the flag cannot be read whole: refused out loud.
    with pytest.raises(NotADigitError):
        read_strokes(classifier, [line((30, 150), (30, 350))] + five, render_456)


def test_a_stray_tap_is_left_out_but_a_refused_digit_is_said():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import NotADigitError
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    tap = [np.array([[400.0, 80.0]], np.float32)]
    reading = read_strokes(classifier, four(40, 60) + tap + seven_crossed(140, 60),
                           render_456)
    assert reading.text == "47"
    # A 1 too small for the gate (under 9 % of the canvas side) beside 80-pixel digits is
    # a digit, not a stray mark: it is refused out loud, not dropped from the number.
    small_one = [line((260, 100), (260, 138))]
    with pytest.raises(NotADigitError):
        read_strokes(classifier, four(40, 60, 80) + seven_crossed(140, 60, 80) + small_one,
                     render_456)
    # Digits under 9 % of the canvas are read when they are the size of the row (a year
    # written small): 36-pixel digits on a 456-pixel canvas.
    small = four(40, 60, 36) + seven_crossed(90, 60, 36) + one_with_foot(135, 60, 36)
    assert read_strokes(classifier, small, render_456).text == "471"


def test_two_pieces_neither_shaped_like_a_digit_are_not_joined():
    from edge_app.gate import NOT_A_DIGIT, TOO_SMALL
    from tests.test_segment_rises import judged, l_and_upright

    pair = l_and_upright(0.1)  # two strokes near each other, read as told
    sure_two = (2, 0.99)
    assert judged(pair, NOT_A_DIGIT, sure_two, right=NOT_A_DIGIT) == 2
    # One refused only as too small (the body of a 5 beside its long flag) may still join.
    assert judged(pair, TOO_SMALL, sure_two, right=NOT_A_DIGIT) == 1
    assert judged(pair, NOT_A_DIGIT, sure_two, right=(1, 0.5)) == 1


@pytest.mark.parametrize("dash", [
    ((60, 120), (140, 150)),  # joined to the line, the two read as a sure 2
    ((70, 125), (125, 145)),  # beside the line, under gate.ROW_SPECK of the row: too small
])
def test_a_dash_beside_a_long_stroke_is_not_a_digit(dash):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import NotADigitError
    from edge_app.gate import NOT_A_DIGIT
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    marks = [line(*dash), line((160, 300), (360, 170))]
    for mark in marks:  # each alone is no digit's shape
        with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
            render_456([mark], None)
    # Two marks, not joined, and said to be what each is on its own.
    with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
        read_strokes(classifier, marks, render_456)
