"""A piece that stops short of the line joins its neighbour in a row of digits, a digit
written a little high does not."""

from __future__ import annotations

import numpy as np

from edge_app.segment.strokes import group_strokes, hanging
from tests.test_segment_joins import FakeJudge, open_four_short_bar
from tests.test_segment_strokes import line, render_456


def ones(raised: float, h: float = 120) -> list[np.ndarray]:
    """Three 1s a quarter of their height apart, the middle one a little shorter and its foot
    `raised` × h higher."""
    x = [100 + k * 0.25 * h for k in range(3)]
    foot = 100 + h - raised * h
    return [line((x[0], 100), (x[0], 100 + h)), line((x[1], foot - 0.95 * h), (x[1], foot)),
            line((x[2], 100), (x[2], 100 + h))]


def test_in_a_row_only_a_much_shorter_piece_hangs():
    from edge_app.segment.joins import HANG_RISE, HANG_TOP, ROW_HANG_SHORTER

    four = group_strokes(open_four_short_bar(150, 100, 0.55))  # the L is 0.55 of the upright
    assert hanging(four, HANG_RISE, HANG_TOP, shorter=ROW_HANG_SHORTER) == [0]
    high = group_strokes(ones(raised=0.4))  # as tall as its neighbours, written high
    assert hanging(high, HANG_RISE, HANG_TOP) == [0, 1]
    assert hanging(high, HANG_RISE, HANG_TOP, shorter=ROW_HANG_SHORTER) == []


def test_a_one_written_high_in_a_row_stays_a_digit_of_its_own():
    from edge_app.segment.joins import rejoin

    judge = FakeJudge({1: 1.0, 2: 1.0})  # sure of every piece and of every pair: ties
    assert len(rejoin(judge, group_strokes(ones(raised=0.4)), judge.render)) == 3


def test_a_four_whose_bar_stops_short_reads_as_one_digit_in_a_number(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    fourteen = [line((110, 100), (110, 220)), *open_four_short_bar(170, 100, 0.55)]
    assert len(group_strokes(fourteen)) == 3
    assert read_strokes(classifier, fourteen, render_456).text == "14"
    monkeypatch.setattr(joins, "ROW_HANG_SHORTER", 0.0)  # only a pair alone may hang
    monkeypatch.setattr(joins, "OPEN_RISE", 2.0)  # and no piece rises beside an upright
    assert len(read_strokes(classifier, fourteen, render_456).text) == 3


def round_l_and_upright(x: float, y: float, bar: float, gap: float,
                        h: float = 200) -> list[np.ndarray]:
    """A 4 as many write it: an L with a round corner whose bar, at `bar` of the height, stops
    `gap` of the height short of an upright drawn apart."""
    from edge_app.styles import spline

    ell = spline([(0.14, 0.0), (0.02, 0.4), (0.1, bar - 0.04), (0.25, bar),
                  (0.45 - gap, bar - 0.02)], 12)
    return [(ell * h + [x, y]).astype(np.float32), line((x + 0.55 * h, y), (x + 0.55 * h, y + h))]


def test_a_round_l_beside_an_upright_is_a_four_not_sixty_one(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    fours = [round_l_and_upright(120, 120, bar, gap) for bar in (0.72, 0.78)
             for gap in (0.0, 0.1, 0.15)]
    assert [read_strokes(classifier, s, render_456).text for s in fours] == ["4"] * 6
    # Standing on the upright's line, the same L is a digit of its own.
    assert len(read_strokes(classifier, round_l_and_upright(120, 120, 0.97, 0.1),
                            render_456).text) == 2
    # In a number too: "14", "41" and "141" (the upright at the line the 1s stand on).
    one = [line((60, 120), (60, 320))]
    numbers = {"14": one + round_l_and_upright(120, 120, 0.75, 0.1),
               "41": round_l_and_upright(60, 120, 0.75, 0.1) + [line((250, 120), (250, 320))],
               "141": one + round_l_and_upright(120, 120, 0.75, 0.1)
               + [line((300, 120), (300, 320))]}
    assert [read_strokes(classifier, s, render_456).text for s in numbers.values()] == list(
        numbers)
    monkeypatch.setattr(joins, "LOOP_DIGITS", frozenset())  # without the rule: "61"
    assert {read_strokes(classifier, s, render_456).text for s in fours} == {"61"}
    assert [read_strokes(classifier, s, render_456).text for s in numbers.values()] == [
        "161", "611", "1611"]
