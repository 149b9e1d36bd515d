"""An L drawn apart from its upright, and a 1 hanging beside the digit it touches, are pieces
of one digit; digits standing on one line stay apart."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_strokes import line, render_456


def l_and_upright(gap: float, x: float = 100, y: float = 100, h: float = 200,
                  bar: float = 0.6, width: float = 0.45) -> list[np.ndarray]:
    """A 4 as some hands write it: an L whose bar, at `bar` of the height, stops `gap` of the
    height short of an upright drawn on its own."""
    right = x + (width + gap) * h
    return [line((x + 0.06 * h, y), (x, y + bar * h), (x + width * h, y + bar * h)),
            line((right, y - 0.02 * h), (right, y + h))]


@pytest.mark.parametrize("model, alone", [
    ("cnn_int8", "61"),  # the L reads as a 6 (0.68), with no loop closed
    ("mlp_int8", "11"),  # the L reads as a 1 (0.86), as wide as half its height
])
def test_an_l_far_from_its_upright_reads_as_a_four(monkeypatch, model, alone):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model=model))
    gaps = (0.1, 0.3, 0.5)  # of the height; REFUSED_NEAR is 0.25
    assert [read_strokes(classifier, l_and_upright(g), render_456).text for g in gaps] == [
        "4", "4", "4"]
    # Offered only as near as other pairs: the L further off is a digit of its own.
    monkeypatch.setattr(joins, "RISE_NEAR", joins.REFUSED_NEAR)
    assert [read_strokes(classifier, l_and_upright(g), render_456).text for g in gaps] == [
        "4", alone, alone]


def test_a_small_l_beside_the_ones_of_a_number_is_still_a_four(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import ImageError
    from edge_app.gate import TOO_SMALL
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    # "14" drawn with the 4's L well apart from its upright: the L is under gate.ROW_SPECK
    # of the row's height, so the gate refuses it on its own, and it is no stray speck.
    fourteen = [line((46, 91), (46, 342)), line((160, 114), (150, 251), (228, 251)),
                line((296, 91), (296, 342))]
    assert read_strokes(classifier, fourteen, render_456).text == "14"
    monkeypatch.setattr(joins, "RISE_NEAR", joins.REFUSED_NEAR)  # the L not offered
    with pytest.raises(ImageError, match=TOO_SMALL):
        read_strokes(classifier, fourteen, render_456)


class PieceJudge:
    """A classifier that reads each group of the given strokes as told, by the indices of the
    strokes it holds (a string: the gate refuses it so; None: as too small), and the renderer
    that tells it which group each input came from."""

    def __init__(self, strokes: list[np.ndarray],
                 reads: dict[tuple[int, ...], tuple[int, float] | str | None]) -> None:
        self.index = {id(s): k for k, s in enumerate(strokes)}
        self.reads = reads
        self.groups: dict[bytes, tuple[int, ...]] = {}

    def render(self, group: list[np.ndarray], row: float | None) -> np.ndarray:
        from edge_app.errors import ImageError
        from edge_app.gate import TOO_SMALL

        key = tuple(sorted(self.index[id(s)] for s in group))
        if self.reads[key] is None or isinstance(self.reads[key], str):
            raise ImageError(self.reads[key] or TOO_SMALL)
        image = render_456(group, row)
        self.groups[image.tobytes()] = key
        return image

    def predict_batch(self, batch: np.ndarray) -> np.ndarray:
        out = np.zeros((len(batch), 10), np.float32)
        for row, x in zip(out, batch):
            digit, confidence = self.reads[self.groups[x.tobytes()]]
            row[digit] = confidence
        return out


def judged(strokes: list[np.ndarray], left: tuple[int, float] | str | None,
           whole: tuple[int, float], right: tuple[int, float] | str | None = (1, 1.0)) -> int:
    """How many groups the joins leave of a drawing of two strokes read as told."""
    from edge_app.segment.joins import rejoin

    groups = group_strokes(strokes)
    assert len(groups) == 2
    judge = PieceJudge(strokes, {(0,): left, (1,): right, (0, 1): whole})
    return len(rejoin(judge, groups, judge.render))


@pytest.mark.parametrize("left, pieces", [
    ((2, 0.8), 1),  # an L the model is unsure of, beside a 1: judged, the sure 4 wins
    ((6, 0.8), 1),  # read as a 6 with no loop closed: the same
    ((2, 0.95), 2),  # a sure 2 is a digit of its own
    ((7, 0.8), 1),  # any digit but a narrow 1
    (None, 1),  # refused on its own (too small beside the row): counts 0, judged as well
])
def test_an_unsure_l_rising_beside_a_one_is_judged_with_it(left, pieces):
    assert judged(l_and_upright(0.4), left, (4, 0.95)) == pieces


def test_a_piece_standing_on_the_line_is_not_an_l():
    on_line = l_and_upright(0.4, bar=0.97)  # its bar ends at the upright's foot
    assert judged(on_line, (2, 0.8), (4, 0.95)) == 2


@pytest.mark.parametrize("width, pieces", [
    (0.45, 1),  # an L the model reads as a 1: as wide as half its height, joined
    (0.15, 2),  # a narrow 1 (a flag and its stem) beside a 1 is "11", not a 4
])
def test_only_a_wide_piece_read_as_one_is_an_l(width, pieces):
    assert judged(l_and_upright(0.4, width=width), (1, 0.8), (4, 0.95)) == pieces


def tick_and_seven(tick: float, apart: float, h: float = 200) -> list[np.ndarray]:
    """A 7 whose top-left tick, `tick` × `h` long and drawn first, is `apart` × `h` left of it."""
    x, y = 100.0, 100.0
    return [line((x - apart * h, y), (x - apart * h, y + tick * h)),
            line((x, y), (x + 0.6 * h, y), (x + 0.25 * h, y + h))]


@pytest.mark.parametrize("tick, apart, pieces", [
    (0.5, 0.03, 1),  # hanging beside the 7 it touches: counts half, the whole 7 (0.95) wins
    (0.5, 0.15, 2),  # apart from it, a 1 of its own (both pieces, 1.0, beat the whole)
    (1.0, 0.03, 2),  # as tall as the 7, standing on its line: a 1 of its own
])
def test_a_one_hanging_beside_the_digit_it_touches_counts_half(tick, apart, pieces):
    strokes = tick_and_seven(tick, apart)
    assert judged(strokes, (1, 1.0), (7, 0.95), right=(2, 1.0)) == pieces


def test_without_the_hanging_one_rule_a_tick_and_its_seven_stay_apart(monkeypatch):
    from edge_app.segment import joins

    # Nothing hangs: the touching pair is judged on the product, 1.0 × 1.0 beats 0.95.
    monkeypatch.setattr(joins, "HANG_RISE", 2.0)
    assert judged(tick_and_seven(0.5, 0.03), (1, 1.0), (7, 0.95), right=(2, 1.0)) == 2
