"""Taps: small strokes outside the rest of a drawing are no part of its digits."""

from __future__ import annotations

import numpy as np

from edge_app.segment.strokes import group_strokes, without_taps
from tests.test_segment_strokes import four, line, one_with_foot, render_456, seven_crossed


def flagged_one(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    return [line((x, y + 0.3 * h), (x + 0.3 * h, y), (x + 0.3 * h, y + h))]


def test_taps_outside_the_rest_of_the_drawing_are_left_out():
    one = flagged_one(100, 100, 200)
    beside = np.array([[60.0, 150.0]], np.float32)  # left of the flag: outside the 1's box
    inside = np.array([[150.0, 250.0], [151.0, 251.0]], np.float32)
    assert [len(s) for s in without_taps(one + [beside])] == [len(one[0])]
    assert len(without_taps(one + [inside])) == 2  # a little ink where it is: kept
    assert len(without_taps([beside])) == 1  # a tap alone stays, for the gate to refuse
    assert len(without_taps([beside, beside + 30])) == 2
    crossed = seven_crossed(100, 100)
    assert len(without_taps(crossed)) == 2  # a crossbar is no tap
    # A decimal point lies within the number's box but outside every stroke's own: it goes.
    point = np.array([[128.0, 158.0]], np.float32)
    number = four(40, 60) + [point] + one_with_foot(150, 60)
    assert [len(s) for s in without_taps(number)] == [len(s) for s in number if s is not point]
    assert without_taps([np.zeros((0, 2), np.float32)]) == []


def test_a_tap_beside_a_digit_does_not_change_its_answer():
    # The tap lies within reach of the grouping, which used to put it in the digit's group:
    # the 1's box grew to take it in and the 1 was read as 7.
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="mlp_int8"))
    one = flagged_one(150, 100, 200)
    alone = read_strokes(classifier, one, render_456)
    for tap in ([110.0, 120.0], [250.0, 320.0], [170.0, 330.0]):
        reading = read_strokes(classifier, one + [np.array([tap], np.float32)], render_456)
        assert reading.text == alone.text == "1"
        assert len(reading.digits[0].strokes) == 1
        assert np.array_equal(reading.digits[0].model_input, alone.digits[0].model_input)


def test_a_tap_and_empty_strokes_do_not_break_grouping():
    strokes = [line((100, 50), (100, 150)), np.array([[300.0, 100.0]], np.float32),
               np.zeros((0, 2), np.float32)]
    assert [len(g) for g in group_strokes(strokes)] == [1, 1]
    assert group_strokes([]) == []
