"""A stroke broken where the finger skipped is one digit, alone and in a number."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_joins import FakeJudge
from tests.test_segment_strokes import line, render_456


def broken_one(x: float, y: float, gap: float, lean: float = 0.3,
               h: float = 200) -> list[np.ndarray]:
    """A 1 of height h leaning `lean` × h to the right, drawn from the top and broken a little
    above the middle, its lower part `gap` × h further along: the halves stand one above the
    other, side by side with no overlap."""
    top, foot = np.float32([x + lean * h, y]), np.float32([x, y + h])

    def at(t: float) -> tuple[float, float]:
        return tuple((top + (foot - top) * t).tolist())

    return [line(at(0.0), at(0.45)), line(at(0.45 + gap), at(1.0 + gap))]


def test_pieces_one_above_the_other_are_offered_as_a_join():
    from edge_app.segment.joins import rejoin

    judge = FakeJudge({1: 1.0, 2: 1.0})  # sure of each half and of the whole: a tie
    assert len(group_strokes(broken_one(150, 100, 0.15))) == 2  # the grouping keeps them apart
    assert len(rejoin(judge, group_strokes(broken_one(150, 100, 0.15)), judge.render)) == 1
    # Too far apart up and down (more than STACK_GAP of their joint height): two pieces.
    assert len(rejoin(judge, group_strokes(broken_one(150, 100, 0.8)), judge.render)) == 2
    # Side by side, as the digits of a number stand: not offered, a tie keeps them apart.
    ones = [line((100, 100), (100, 300)), line((120, 100), (120, 300))]
    assert len(rejoin(judge, group_strokes(ones), judge.render)) == 2


def test_a_speck_below_a_piece_is_left_to_the_rule_for_refused_pieces():
    from edge_app.segment.joins import STACK_GAP, STACK_SIDE, rejoin
    from edge_app.segment.pairs import one_above_other
    from edge_app.segment.strokes import StrokeBoxes

    judge = FakeJudge({1: 1.0, 2: 1.0})
    one = line((200, 100), (200, 300))
    # Too small for a digit, below the 1 and off to its right, further from it than a
    # refused piece is offered (REFUSED_NEAR): the two stand one above the other, but the
    # speck is not a piece of a broken stroke.
    speck = line((235, 360), (238, 372))
    pair = group_strokes([one, speck])
    boxes = StrokeBoxes()
    assert len(pair) == 2 and one_above_other(boxes.group(pair[0]), boxes.group(pair[1]),
                                              STACK_GAP, STACK_SIDE)
    assert len(rejoin(judge, pair, judge.render)) == 2


@pytest.mark.parametrize("lean", [0.2, 0.4])
def test_a_broken_slanted_one_reads_one_not_eleven(monkeypatch, lean):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    one = broken_one(150, 120, 0.2, lean)
    assert read_strokes(classifier, one, render_456).text == "1"
    monkeypatch.setattr(joins, "STACK_GAP", -1.0)  # no pieces count as one above the other
    assert read_strokes(classifier, one, render_456).text == "11"


def test_a_broken_one_in_a_number(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    row = [line((60, 120), (60, 320)), *broken_one(150, 120, 0.15),
           line((300, 120), (300, 320))]
    assert read_strokes(classifier, row, render_456).text == "111"
    monkeypatch.setattr(joins, "STACK_GAP", -1.0)
    assert read_strokes(classifier, row, render_456).text == "1111"
