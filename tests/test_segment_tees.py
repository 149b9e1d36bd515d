"""A 4 whose low bar ends on its upright is one digit; a digit beside a 1 it touches is not."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_strokes import line, render_456, two


def low_four(bar: float, lean: float = 8.0, reach: float = 0.6, x: float = 150,
             y: float = 100, h: float = 120) -> list[np.ndarray]:
    """A 4 as an L and an upright, the L's bar at `bar` of the height ending on the upright
    `reach` of the height to the right, the whole leaning `lean` degrees to the right."""
    k = np.tan(np.radians(lean))

    def at(u: float, v: float) -> tuple[float, float]:
        return x + (u + k * (1 - v)) * h, y + v * h

    return [line(at(0.06, 0.0), at(0.0, bar), at(reach, bar)),
            line(at(reach, 0.05), at(reach, 1.0))]


@pytest.mark.parametrize("bar, found", [
    (0.85, [0]),  # the bar ends on the upright, 0.15 of its height above the foot
    (0.5, []),  # halfway up (the boxes join such a 4's strokes anyway)
])
def test_a_stroke_ending_on_the_foot_of_its_neighbour_is_found(bar, found):
    from edge_app.segment.joins import TEE_CONTACT, TEE_LOW
    from edge_app.segment.strokes import ends_on

    ell, upright = low_four(bar)
    assert ends_on([[ell], [upright]], TEE_LOW, TEE_CONTACT) == found
    assert ends_on([[upright], [ell]], TEE_LOW, TEE_CONTACT) == []  # the upright ends on no L


def test_a_stroke_stopping_short_of_its_neighbour_is_not_found():
    from edge_app.segment.joins import TEE_CONTACT, TEE_LOW
    from edge_app.segment.strokes import ends_on

    apart = [line((100, 100), (96, 200), (160, 200)), line((175, 105), (175, 220))]
    assert ends_on(group_strokes(apart), TEE_LOW, TEE_CONTACT) == []
    assert ends_on(group_strokes(apart), TEE_LOW, 0.15) == [0]  # 15 px off: within 0.15 × 115


def test_a_four_with_a_low_bar_ending_on_its_upright_reads_as_a_four(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    # The CNN reads their L's as sure 6s or 2s (the MLP's as 1s, left as they are: see
    # `tee_factor`).
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    fours = [low_four(bar, lean) for bar in (0.85, 0.9) for lean in (8, 15)]
    assert all(len(group_strokes(f)) == 2 for f in fours)
    assert [read_strokes(classifier, f, render_456).text for f in fours] == ["4"] * 4
    monkeypatch.setattr(joins, "TEE_LOW", -1.0)  # without the rule: an L and a 1
    assert all(len(read_strokes(classifier, f, render_456).text) == 2 for f in fours)


def test_such_a_four_reads_as_a_four_in_a_number(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    one, next_one = [line((100, 100), (97, 220))], [line((260, 100), (257, 220))]
    numbers = {"41": low_four(0.85, 15) + next_one, "141": one + low_four(0.9, 8) + next_one}
    assert {k: read_strokes(classifier, s, render_456).text for k, s in numbers.items()} == {
        "41": "41", "141": "141"}
    monkeypatch.setattr(joins, "TEE_LOW", -1.0)  # without the rule the L of "41" is a 6
    assert read_strokes(classifier, numbers["41"], render_456).text == "611"


@pytest.mark.parametrize("model", ["cnn_int8", "mlp_int8"])
def test_a_number_keeps_its_one_where_the_digit_before_ends_on_its_foot(model):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment.joins import TEE_CONTACT, TEE_LOW
    from edge_app.segment.number import read_strokes
    from edge_app.segment.strokes import ends_on

    classifier = DigitClassifier(ClassifierOptions(model=model))
    # A 2 written a little high, its base ending on the foot of a 1: the whole reads as a 2.
    twenty_one = two(100, 90, 120) + [line((180, 100), (178, 218))]
    groups = group_strokes(twenty_one)
    assert len(groups) == 2 and ends_on(groups, TEE_LOW, TEE_CONTACT) == [0]
    assert read_strokes(classifier, twenty_one, render_456).text == "21"


OPEN = np.zeros((28, 28), np.float32)
RING = np.zeros((28, 28), np.float32)
RING[6:22, 6:22] = 1.0
RING[9:19, 9:19] = 0.0  # paper inside: a closed loop


@pytest.mark.parametrize("reads, confidence, ink, counts", [
    ((6, 1), 1.0, OPEN, True),  # an L the model reads as a 6, no loop closed
    ((2, 1), 1.0, OPEN, True),  # ... or as a 2
    ((4, 1), 0.6, OPEN, True),  # ... or as an unsure 4
    ((4, 1), 0.95, OPEN, False),  # a sure 4 beside a 1: "41"
    ((1, 1), 1.0, OPEN, False),  # a 1 beside a 1: "11"
    ((6, 1), 1.0, RING, False),  # a 6 whose loop closes: "61"
    ((6, 7), 1.0, OPEN, False),  # beside no 1
    ((-1, 1), 0.0, None, False),  # refused
])
def test_a_tee_counts_the_left_piece_down_unless_it_is_a_digit_of_its_own(
        reads, confidence, ink, counts):
    from edge_app.segment.joins import OPEN_LOOP, tee_factor

    assert tee_factor(reads, confidence, ink) == (OPEN_LOOP if counts else None)
