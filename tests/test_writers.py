"""Writer sets: each writer's own styles, slant and size, drawn on the app's canvas, with test
digits apart from corrections; and the before/after measurement on a small scale."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import writereval, writers
from edge_app.classifier import ClassifierOptions, DigitClassifier


def test_drawings_are_seeded_and_go_through_the_digits_in_turn():
    w = writers.writer("continental")
    first = writers.drawings(w, 2, seed=3)
    assert [label for _, label in first] == list(range(10)) * 2
    again = writers.drawings(w, 2, seed=3)
    other = writers.drawings(w, 2, seed=4)
    assert all(np.array_equal(a, b) for (sa, _), (sb, _) in zip(first, again)
               for a, b in zip(sa, sb))
    assert not np.array_equal(first[0][0][0], other[0][0][0])
    strokes, _ = first[7]
    assert len(strokes) == 2  # a crossed 7: the body, then the bar


@pytest.mark.parametrize("name, sign", [("continental", 1), ("backhand", -1)])
def test_each_writer_keeps_their_slant_and_size(name, sign):
    w = writers.writer(name)
    for strokes, label in writers.drawings(w, 3, seed=5):
        points = np.concatenate(strokes)
        extent = float((points.max(axis=0) - points.min(axis=0)).max())
        ink = (extent + writers.brush_of(w.canvas)) / min(w.canvas)  # the brush adds its width
        assert w.size[0] * 0.95 < ink < w.size[1] * 1.05
        if label == 1:  # the stem: its top is right of its bottom for a right-leaning writer
            stem = strokes[0]
            top, bottom = stem[stem[:, 1].argmin()], stem[stem[:, 1].argmax()]
            assert sign * (top[0] - bottom[0]) > 0


def test_unknown_writer_names_the_known_ones():
    with pytest.raises(KeyError, match="continental"):
        writers.writer("nobody")


def test_measurement_shows_the_corrections_at_work(test_split):
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    x, y = test_split
    mnist = (x[:300].astype(np.float32) / 255, y[:300])
    base = writereval._accuracy([classifier.predict(i).digit for i in mnist[0]], mnist[1])
    rows = writereval.measure(classifier, writers.writer("continental"), 3, mnist, base)
    features, pixels = rows
    assert (features.space, pixels.space) == ("features", "pixels")
    # The shipped models already read this writer well; corrections must not make it worse.
    assert features.after[-1] >= max(features.before, 95)
    assert [n for n, _ in features.corrections_if_wrong] == sorted(
        n for n, _ in features.corrections_if_wrong)
    assert abs(features.mnist_after - features.mnist_before) <= 1.0
    text = writereval.table(rows)
    assert text.count("\n") == 3 and "| cnn_int8 | continental | features |" in text


def test_a_bad_model_is_one_line(capsys):
    assert writereval.main(["-m", "no_such_model"]) == 2
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and "no_such_model" in err
