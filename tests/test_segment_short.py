"""A "1" beside a digit: a slip of the pen when far shorter, a digit when it stands on its line."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_joins import FakeJudge
from tests.test_segment_strokes import four, line, render_456


def seven_and_line(tick: float, gap: float = 0.15, h: float = 200) -> list[np.ndarray]:
    """A 7 `h` pixels tall, then a short upright line `tick` × `h` tall standing on its line,
    `gap` × `h` to its right: a traced MNIST 7 with a stray stroke beside it looks so."""
    x, y = 100.0, 100.0
    right = x + 0.6 * h + gap * h
    return [line((x, y), (x + 0.6 * h, y), (x + 0.25 * h, y + h)),
            line((right, y + h - tick * h), (right - 0.05 * tick * h, y + h))]


@pytest.mark.parametrize("tick, text", [
    (0.45, "7"),  # under SHORT_ONE of the 7's height: a mark beside it, joined to it
    (0.8, "71"),  # about as tall as the 7: a digit of its own
])
def test_a_one_much_shorter_than_its_neighbour_is_joined_to_it(monkeypatch, tick, text):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_strokes(classifier, seven_and_line(tick), render_456).text == text
    monkeypatch.setattr(joins, "SHORT_ONE", 0.0)  # without the rule: both read as digits
    assert read_strokes(classifier, seven_and_line(tick), render_456).text == "71"


class DigitJudge(FakeJudge):
    """`FakeJudge` reading a group of one stroke as `short`, of two strokes as 7 and of three
    (the whole) as 7, each at the confidence given."""

    def __init__(self, short: int, confidence: dict[int, float]) -> None:
        super().__init__(confidence)
        self.digits = {1: short, 2: 7, 3: 7}

    def predict_batch(self, batch: np.ndarray) -> np.ndarray:
        out = np.zeros((len(batch), 10), np.float32)
        for row, x in zip(out, batch):
            size = self.sizes[x.tobytes()]
            row[self.digits[size]] = self.confidence[size]
        return out


def crossed_seven_and_line(tick: float) -> list[np.ndarray]:
    """`seven_and_line` with the 7 crossed: two strokes, so that the judge tells the pieces
    apart by their number of strokes."""
    seven, tick_line = seven_and_line(tick)
    return [seven, line((130, 200), (200, 200)), tick_line]


@pytest.mark.parametrize("short, tick, pieces", [
    (1, 0.45, 1),  # a short 1: counts half, the sure whole (0.95) beats both (0.5)
    (1, 0.6, 2),  # not much shorter: both pieces (1.0) beat the whole
    (4, 0.45, 2),  # a short piece read as another digit is left as it is
])
def test_only_a_much_shorter_piece_read_as_one_counts_less(short, tick, pieces):
    from edge_app.segment.joins import rejoin

    groups = group_strokes(crossed_seven_and_line(tick))
    assert [len(g) for g in groups] == [2, 1]
    judge = DigitJudge(short, {1: 1.0, 2: 1.0, 3: 0.95})
    assert len(rejoin(judge, groups, judge.render)) == pieces


def four_and_one(side: str, ratio: float = 0.7, h: float = 150,
                 raised: float = 0.0) -> list[np.ndarray]:
    """A 4 `h` tall (`four`, two strokes) and a 1 `ratio` × `h` tall standing on its line (or
    `raised` × `h` above it), 3 % of `h` beside it on the `side` given, as "14" or "41"
    written quickly."""
    x, y = 120.0, 100.0
    at, foot = (x - 0.03 * h if side == "left" else x + 0.65 * h), y + h - raised * h
    one = [line((at, foot - ratio * h), (at - 0.03 * h, foot))]
    return one + four(x, y, h) if side == "left" else four(x, y, h) + one


@pytest.mark.parametrize("short, raised, pieces", [
    (1, 0.0, 2),  # the 1 stands on the other's line: a digit of its own, however the whole reads
    (5, 0.0, 2),  # so does any digit
    (1, 0.3, 1),  # it ends well above the other's foot: maybe a part of it, judged as any other
    (0, 0.0, 1),  # a piece read as 0 may be a 6's or an 8's lower loop: judged as any other
])
def test_a_digit_on_the_line_of_the_one_the_whole_reads_as_is_not_joined(monkeypatch, short,
                                                                          raised, pieces):
    from edge_app.segment import joins

    groups = group_strokes(four_and_one("right", raised=raised))
    assert [len(g) for g in groups] == [2, 1]
    # The 4's two strokes read as 7, the 1 as `short`, the whole as 7 (0.95, better than 0.81).
    judge = DigitJudge(short, {1: 0.9, 2: 0.9, 3: 0.95})
    assert len(joins.rejoin(judge, groups, judge.render)) == pieces
    monkeypatch.setattr(joins, "FOOT_LEVEL", -1.0)  # without the rule: both join
    assert len(joins.rejoin(judge, groups, judge.render)) == 1


@pytest.mark.parametrize("side, text", [("left", "14"), ("right", "41")])
def test_a_one_shorter_than_the_four_it_touches_stays_a_digit(monkeypatch, side, text):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_strokes(classifier, four_and_one(side), render_456).text == text
    monkeypatch.setattr(joins, "FOOT_LEVEL", -1.0)  # without the rule: read whole as a 4
    assert read_strokes(classifier, four_and_one(side), render_456).text == "4"
