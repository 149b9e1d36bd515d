"""A 0 or an 8 drawn in two halves is one digit, and two digits side by side stay two."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_joins import FakeJudge
from tests.test_segment_strokes import line, render_456


def arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float) -> np.ndarray:
    """An elliptic arc from `start` to `stop` degrees (y down: -90 is the top)."""
    t = np.radians(np.linspace(start, stop, 24))
    return line(*zip((cx + rx * np.cos(t)).tolist(), (cy + ry * np.sin(t)).tolist()))


def zero_halves(x: float, y: float, gap: float = 0.0, h: float = 140) -> list[np.ndarray]:
    """A 0 drawn as "(" then ")", both from the top, the second `gap` × h to the right."""
    cx, cy = x + 0.35 * h, y + 0.5 * h
    return [arc(cx, cy, 0.35 * h, 0.5 * h, -95, -265),
            arc(cx + gap * h, cy, 0.35 * h, 0.5 * h, -85, 85)]


def eight_halves(x: float, y: float, gap: float = 0.0, h: float = 140) -> list[np.ndarray]:
    """An 8 drawn as a mirrored 3, then a 3 `gap` × h to the right of where their ends meet."""
    right = line(*[(x + px * 0.6 * h, y + py * h) for px, py in
                   ((0.5, 0), (0.95, 0.15), (0.6, 0.48), (1.0, 0.8), (0.5, 1.0))], step=3)
    left = right.copy()
    left[:, 0] = 2 * x + 0.6 * h - left[:, 0]
    return [left, right + np.float32([gap * h, 0])]


def nine_over_three(x: float, y: float, h: float = 140) -> list[np.ndarray]:
    """A 9 drawn in one stroke (its loop, then down the stem) touching a 3 at both ends."""
    t = np.radians(np.linspace(-20, -380, 30))
    loop = [(x + 0.2 * h + 0.2 * h * np.cos(a), y + 0.2 * h + 0.2 * h * np.sin(a)) for a in t]
    nine = line(*loop, (x + 0.4 * h, y + h))
    three = line((x + 0.38 * h, y + 0.12 * h), (x + 0.8 * h, y + 0.2 * h),
                 (x + 0.55 * h, y + 0.5 * h), (x + 0.85 * h, y + 0.8 * h),
                 (x + 0.45 * h, y + h))
    return [nine, three]


@pytest.mark.parametrize("make, expected", [
    (lambda: zero_halves(100, 100), True),
    (lambda: zero_halves(100, 100, gap=0.1), True),  # the halves a little apart
    (lambda: zero_halves(100, 100)[::-1], True),  # the right half drawn first
    (lambda: [zero_halves(100, 100)[0], zero_halves(100, 100)[1][::-1]], True),  # drawn up
    (lambda: eight_halves(100, 100), True),
    (lambda: eight_halves(100, 100, gap=0.05), True),
    (lambda: zero_halves(100, 100, gap=0.4), False),  # ends far apart: two pieces
    (lambda: [line((100, 100), (100, 240)), line((112, 100), (112, 240))], False),  # "11"
    (lambda: nine_over_three(100, 100), False),  # the 9 goes up and down again
])
def test_the_halves_of_a_zero_or_an_eight_are_told(make, expected):
    from edge_app.segment.halves import halves

    groups = group_strokes(make())
    assert len(groups) == 2
    assert halves(groups) is expected


def test_two_halves_join_on_a_tie_where_two_lines_do_not():
    from edge_app.segment.joins import rejoin

    for strokes, pieces in ((zero_halves(100, 100), 1),
                            ([line((100, 100), (100, 240)), line((112, 100), (112, 240))], 2)):
        judge = FakeJudge({1: 1.0, 2: 1.0})  # sure of both pieces and of the whole
        assert len(rejoin(judge, group_strokes(strokes), judge.render)) == pieces


@pytest.mark.parametrize("make, digit", [
    (lambda: zero_halves(150, 100), "0"),
    (lambda: zero_halves(150, 100, gap=0.05), "0"),
    (lambda: eight_halves(150, 100, gap=0.05), "8"),
])
def test_a_digit_drawn_in_two_halves_reads_as_one(monkeypatch, make, digit):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import halves
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_strokes(classifier, make(), render_456).text == digit
    monkeypatch.setattr(halves, "HALF_MEET", 0.0)  # without the rule: the model reads two
    assert len(read_strokes(classifier, make(), render_456).text) == 2


def test_a_zero_in_two_halves_stays_one_digit_in_a_number(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import halves
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    ten = [line((110, 100), (110, 240)), *zero_halves(170, 100, gap=0.05)]
    assert read_strokes(classifier, ten, render_456).text == "10"
    monkeypatch.setattr(halves, "HALF_MEET", 0.0)  # without the rule: the halves read apart
    assert len(read_strokes(classifier, ten, render_456).text) == 3
