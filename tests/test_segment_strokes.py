"""Numbers drawn as strokes: strokes grouped into digits, pieces rejoined, digits read."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes


def render_456(group: list[np.ndarray], row: float | None) -> np.ndarray:
    """The app's model input for one digit's strokes on a 456-pixel canvas."""
    from edge_app.strokes import render

    return render(group, (456, 456), row=row)


def line(*points: tuple[float, float], step: float = 4.0) -> np.ndarray:
    """A polyline sampled about every `step` pixels, as a pointer reports it."""
    p = np.asarray(points, np.float32)
    out = [p[0]]
    for a, b in itertools.pairwise(p):
        n = max(1, int(np.hypot(*(b - a)) / step))
        out.extend(a + (b - a) * t for t in np.linspace(0, 1, n + 1)[1:])
    return np.asarray(out, np.float32)


def four(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    """A 4 in two strokes: the open bar, then the upright through it."""
    return [line((x + 0.42 * h, y), (x, y + 0.65 * h), (x + 0.62 * h, y + 0.65 * h)),
            line((x + 0.45 * h, y + 0.3 * h), (x + 0.45 * h, y + h))]


def two(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    t = np.radians(np.linspace(-160, 40, 20))
    arc = [(x + 0.3 * h + 0.3 * h * np.cos(a), y + 0.3 * h + 0.3 * h * np.sin(a)) for a in t]
    return [line(*arc, (x, y + h), (x + 0.62 * h, y + h))]


def seven_crossed(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    return [line((x, y), (x + 0.6 * h, y), (x + 0.2 * h, y + h)),
            line((x + 0.12 * h, y + 0.52 * h), (x + 0.56 * h, y + 0.5 * h))]


def one_with_foot(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    return [line((x + 0.08 * h, y + 0.22 * h), (x + 0.3 * h, y), (x + 0.3 * h, y + h)),
            line((x + 0.05 * h, y + h), (x + 0.55 * h, y + h))]


def five_flag_apart(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    """A 5 whose flag, drawn last, misses the upright by a tenth of the height."""
    t = np.radians(np.linspace(-150, 150, 24))
    belly = [(x + 0.3 * h + 0.3 * h * np.cos(a), y + 0.7 * h + 0.3 * h * np.sin(a)) for a in t]
    return [line((x + 0.06 * h, y), (x + 0.03 * h, y + 0.45 * h), *belly),
            line((x + 0.16 * h, y - 0.06 * h), (x + 0.66 * h, y - 0.06 * h))]


def owners(groups, strokes):
    index = {id(s): i for i, s in enumerate(strokes)}
    return [[index[id(s)] for s in g] for g in groups]


@pytest.mark.parametrize("digit", [four, seven_crossed, one_with_foot, five_flag_apart])
def test_a_digit_of_several_strokes_stays_one(digit):
    strokes = digit(50, 50)
    assert owners(group_strokes(strokes), strokes) == [list(range(len(strokes)))]


def test_touching_digits_are_told_apart_and_ordered_left_to_right():
    # "42": the 2's box starts inside the 4's bar (they overlap by a tenth of a digit), and
    # the 2 is drawn first: the groups still come back as 4 then 2.
    strokes = two(108, 50) + four(50, 50)
    got = owners(group_strokes(strokes), strokes)
    assert got == [[1, 2], [0]]


def test_two_ones_side_by_side_are_two_digits():
    strokes = [line((100, 50), (100, 150)), line((125, 50), (125, 150))]
    assert owners(group_strokes(strokes), strokes) == [[0], [1]]


def test_a_drawn_number_is_read_in_one_batched_invoke(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    calls = []
    batch = classifier.predict_batch
    monkeypatch.setattr(classifier, "predict_batch", lambda x: calls.append(len(x)) or batch(x))
    monkeypatch.setattr(classifier, "predict", lambda x: pytest.fail("one digit at a time"))
    strokes = four(40, 60) + seven_crossed(140, 60) + one_with_foot(230, 60) + two(320, 60)
    reading = read_strokes(classifier, strokes, render_456)
    assert calls == [4]
    assert reading.text == "4712"
    assert [d.box[0] for d in reading.digits] == sorted(d.box[0] for d in reading.digits)
