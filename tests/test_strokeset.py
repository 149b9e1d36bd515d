"""The stroke evaluation: hand-built styles, marks, drawing through the app's canvas, scores."""

from __future__ import annotations

import numpy as np
import pytest

from convert.evaluate import close_calls, confusions, score_strokes
from edge_app import strokeset, styles
from edge_app.strokes import measure, render


def test_every_style_is_a_digit_and_every_mark_is_not():
    rng = np.random.default_rng(0)
    for index, (_, name, _) in enumerate(styles.STYLES):
        strokes = [s * 200 + 100 for s in styles.styled(index, rng)]
        assert render(strokes, (456, 456)).max() > 0, name
    for kind in styles.MARKS:
        marks = styles.mark(kind, rng, 456)
        with pytest.raises(Exception, match="Too small|Not a digit"):
            render(marks, (456, 456))


@pytest.fixture(scope="module")
def small_set(test_split):
    x, y = test_split
    return strokeset.build(x, y, digits=8, styled=15, marks=7, seed=1)


def test_the_set_is_drawn_through_the_app_canvas(small_set):
    digits = [d for d in small_set if d.label >= 0]
    marks = [d for d in small_set if d.label < 0]
    assert len(digits) == 23 and len(marks) == 7
    for d in small_set:
        assert d.canvas in strokeset.CANVASES
        assert d.pixels.shape == d.canvas[::-1] and d.pixels.dtype == np.uint8
        assert d.pixels.min() < 50 and d.pixels.max() == 255  # dark ink on white
    for d in digits:
        shape = measure(d.strokes, d.canvas)
        ink = shape.extent + strokeset.brush_of(d.canvas)
        assert abs(ink / d.canvas[0] - d.size) < 0.05  # drawn at the size it is filed under
        assert strokeset.SIZES[0] <= d.size <= strokes_max()


def test_a_drawing_is_the_same_whatever_else_the_set_holds(test_split):
    x, y = test_split
    alone = strokeset.build(x, y, digits=8, styled=0, marks=0, seed=1)
    small_set = strokeset.build(x, y, digits=8, styled=3, marks=2, seed=1)
    assert [d.kind for d in small_set].count("mnist") == 8
    # The same MNIST digits drawn the same way, with or without styles and marks after them...
    for a, b in zip(alone, small_set):
        assert a.label == b.label and a.canvas == b.canvas and len(a.strokes) == len(b.strokes)
        assert all(np.array_equal(s, t) for s, t in zip(a.strokes, b.strokes))
    # ... and another seed draws them otherwise.
    other = strokeset.build(x, y, digits=8, styled=0, marks=0, seed=2)
    assert any(len(a.strokes) != len(b.strokes) or not np.array_equal(a.strokes[0], b.strokes[0])
               for a, b in zip(alone, other))


def test_a_fast_finger_draws_the_same_digits_with_fewer_points(test_split):
    x, y = test_split
    slow = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1)
    fast = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1, fast=True)
    for a, b in zip(slow, fast):
        assert (a.label, a.kind, a.canvas, a.size) == (b.label, b.kind, b.canvas, b.size)
        assert sum(map(len, b.strokes)) < sum(map(len, a.strokes))
        # Motion events lie the fast finger's distance apart, a share of the digit's size.
        digit = b.size * b.canvas[0] - strokeset.brush_of(b.canvas)
        gaps = np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in b.strokes if len(s) > 2])
        assert 0.6 * strokeset.FAST_STEP[0] < np.median(gaps) / digit < strokeset.FAST_STEP[1]
        # Posed alike: the same box, less what the straight lines cut off the curves.
        box = lambda d: np.ptp(np.concatenate(d.strokes), axis=0)  # noqa: E731
        assert np.allclose(box(a), box(b), atol=0.1 * box(a).max())


def test_a_slow_finger_on_a_noisy_panel_draws_the_same_digits_with_many_points(test_split):
    x, y = test_split
    usual = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1)
    slow = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1, slow=True)

    def wiggle(d) -> float:  # how far each motion event lies off its neighbours' midpoint
        return float(np.median(np.concatenate([
            np.hypot(*(s[1:-1] - (s[:-2] + s[2:]) / 2).T) for s in d.strokes if len(s) > 2])))

    for a, b in zip(usual, slow):
        assert (a.label, a.kind, a.canvas, a.size) == (b.label, b.kind, b.canvas, b.size)
        # Motion events 1-2 pixels apart (at the 456-pixel scale), each about a pixel off.
        scale = b.canvas[0] / strokeset.CANVASES[0][0]
        gaps = np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in b.strokes if len(s) > 2])
        assert strokeset.SLOW_STEP[0] * scale <= np.median(gaps) < 2.5 * strokeset.SLOW_STEP[1]
        assert wiggle(b) > 0.6 * strokeset.SLOW_JITTER
        assert sum(map(len, b.strokes)) > sum(map(len, a.strokes))
        box = lambda d: np.ptp(np.concatenate(d.strokes), axis=0)  # noqa: E731
        assert np.allclose(box(a), box(b), atol=0.1 * box(a).max())


def strokes_max() -> float:
    return strokeset.SIZES[1]


def test_inputs_and_scores(small_set):
    inputs = strokeset.model_inputs(small_set)
    n = len(small_set)
    assert inputs.stroke.shape == inputs.image.shape == (n, 28, 28)
    digits = inputs.labels >= 0
    assert not inputs.stroke_refused[digits].any()
    assert inputs.stroke_refused[~digits].all()
    assert len(inputs.first_index) > 0 and (inputs.labels[inputs.first_index] >= 0).all()
    # Scores of an oracle and of an always-wrong model.
    oracle = np.eye(10, dtype=np.float32)[np.maximum(inputs.labels, 0)]
    scored = score_strokes(inputs, oracle, oracle)
    assert scored["stroke"]["accuracy"] == 1 and scored["stroke"]["marks_refused"] == 1
    assert scored["digits"] == int(digits.sum()) and len(scored["stroke"]["bands"]) == 7
    assert scored["stroke"]["confusions"] == []
    wrong = np.roll(oracle, 1, axis=1)
    scored = score_strokes(inputs, wrong, wrong)
    assert scored["stroke"]["accuracy"] == 0
    # Every digit d is read as d + 1: one kind of mistake per digit drawn, as often as drawn.
    drawn = np.bincount(inputs.labels[digits], minlength=10)
    assert sorted(map(tuple, scored["stroke"]["confusions"])) == [
        (d, str((d + 1) % 10), int(drawn[d])) for d in range(10) if drawn[d]]
    # What the app shows for digits its grouping cuts replaces the stroke path's answer:
    # read as a number or refused is wrong there, the one right digit is right.
    first, second, third = np.flatnonzero(digits)[:3]
    split = {first: f"{inputs.labels[first]}1", second: "", third: str(inputs.labels[third])}
    scored = score_strokes(inputs, oracle, oracle, split=split)
    assert scored["stroke"]["accuracy"] == pytest.approx(1 - 2 / digits.sum(), abs=1e-6)
    assert scored["stroke"]["read_as_number"] == pytest.approx(1 / digits.sum(), abs=1e-6)
    assert scored["stroke"]["false_refusals"] == pytest.approx(1 / digits.sum(), abs=1e-6)
    assert scored["stroke"]["confusions"] == [[int(inputs.labels[first]), "number", 1],
                                              [int(inputs.labels[second]), "refused", 1]]
    # Read whole, every drawing is the oracle's right answer: the grouping cost 2 digits.
    assert scored["stroke"]["whole_accuracy"] == 1
    assert scored["image"]["accuracy"] == 1


def test_digits_the_app_would_cut_are_read_as_the_app_reads_them():
    from convert.evaluate import read_split
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from tests.test_segment_joins import slanted_four
    from tests.test_segment_strokes import line

    # A slanted 4 that the boxes cut in two, two 1s side by side drawn as "one digit", a 7
    # with a tap beside it (left out before grouping, as the app does), and a 1 with a dash
    # far off (refused).
    canvas = (456, 456)
    tap = np.array([[300.0, 240.0]])
    cases = ((slanted_four(100, 100), 4, "four"),
             ([line((100, 100), (100, 250)), line((250, 100), (250, 250))], 1, "ones"),
             ([line((100, 100), (200, 100), (140, 250)), tap], 7, "seven"),
             ([line((100, 100), (100, 250)), line((250, 180), (400, 180))], 1, "dash"))
    drawn = [strokeset.Drawing(*strokeset.draw(strokes, canvas), canvas, label, kind, 0.3)
             for strokes, label, kind in cases]
    inputs = strokeset.model_inputs(drawn)
    assert sorted(inputs.split) == [0, 1, 3]
    seven = strokeset.model_inputs([strokeset.Drawing(
        *strokeset.draw(cases[2][0][:1], canvas), canvas, 7, "seven", 0.3)])
    assert np.array_equal(inputs.stroke[2], seven.stroke[0])
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_split(classifier, inputs) == {0: "4", 1: "11", 3: ""}


def test_close_call_counts():
    probs = np.array([[0.55, 0.45] + [0] * 8, [0.9, 0.1] + [0] * 8, [0.1, 0.9] + [0] * 8])
    found = close_calls(probs, np.array([1, 0, 0]), margin=0.2)
    assert found["fires"] == pytest.approx(1 / 3) and found["errors"] == 2
    assert found["catches"] == 0.5 and found["runner_up_right"] == 1


def test_confusions_lists_the_commonest_mistakes_first():
    labels = np.array([4, 7, 4, 9, 4, 7])
    answers = np.array(["9", "1", "9", "refused", "number", "1"], dtype=object)
    assert confusions(labels, answers) == [[4, "9", 2], [7, "1", 2], [9, "refused", 1],
                                           [4, "number", 1]]
    assert confusions(labels, answers, keep=1) == [[4, "9", 2]]
    assert confusions(labels[:0], answers[:0]) == []
