"""The photo evaluation (`python -m edge_app.photoeval`): its pages and its command line."""

from __future__ import annotations

import json

import numpy as np
import pytest


def test_pages_are_what_their_kind_says(test_split):
    from edge_app.photoeval import PAPER, photo

    x, _ = test_split
    rng = np.random.default_rng(0)
    even = photo([x[0], x[1]], "even", rng, side=100, gap=10)
    assert even.shape == (150, 260)  # a quarter of a side around the row
    assert abs(float(np.median(even[:, :20])) - PAPER) < 3  # plain paper at the margin
    shaded = photo([x[0]], "shaded", rng)
    assert np.median(shaded[:, :10]) - np.median(shaded[:, -10:]) > 40  # darker to the right
    ruled = photo([x[0]], "ruled", rng).astype(int)
    assert ruled[18, :30].mean() < ruled[10, :30].mean() - 50  # a line across the margin
    dark = photo([x[0]], "dark", rng)
    assert np.median(dark) < 64  # light ink on a dark page
    table = photo([x[0], x[1]], "table", rng, side=100, gap=10)
    assert np.median(table[:, :25]) < 70 < np.median(table[:, 25:30])  # the margin's edge
    desk = photo([x[0]], "desk", rng, side=100)
    assert desk.shape[0] > 150 and max(np.median(desk[:, :5]), np.median(desk[-5:])) < 70
    with pytest.raises(ValueError, match="unknown page kind"):
        photo([x[0]], "shaded,crumpled", rng)


def test_digits_photographed_on_shaded_ruled_paper_are_read():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.photoeval import evaluate

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    results = evaluate(classifier, count=20, numbers=2, seed=0,
                       kinds=("even", "shaded,ruled"))
    assert list(results) == ["even", "shaded,ruled"]
    assert results["shaded,ruled"]["digits"] == 20 and results["even"]["numbers"] == 2
    # The first 20 MNIST test digits: all read right on plain paper, and as well on a shaded,
    # ruled page (before pages were cleaned, under half of them).
    assert results["shaded,ruled"]["digit_accuracy"] >= results["even"]["digit_accuracy"] >= 0.95


def test_command_line(capsys):
    from edge_app.photoeval import main

    assert main(["-n", "3", "--numbers", "0", "--kind", "squared"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed["results"]) == ["squared"]
    assert printed["results"]["squared"]["digits"] == 3
    with pytest.raises(SystemExit) as exit_info:
        main(["--kind", "crumpled"])
    assert exit_info.value.code == 2
    assert "--kind 'crumpled'" in capsys.readouterr().err
