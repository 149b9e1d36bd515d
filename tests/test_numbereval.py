"""The number evaluation (`python -m edge_app.numbereval`): its tally and its command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_tally_counts_splits_merges_and_whole_numbers():
    from edge_app.numbereval import Tally

    tally = Tally()
    tally.add((4, 2), [[0], [1]], [4, 2])  # right
    tally.add((4, 2), [[0], [0], [1]], [4, 1, 2])  # the 4 cut in two
    tally.add((4, 2, 7), [[0, 1], [2]], [4, 7])  # 4 and 2 read as one
    tally.add((5, 3), [[0], [1]], [5, 8])  # segmented right, one digit wrong
    tally.add((9, 6), [[1]], [6])  # the 9 refused
    s = tally.summary()
    assert s["numbers"] == 5 and s["number_accuracy"] == 0.2
    assert s["segmentation_accuracy"] == 0.4 and s["missing_rate"] == round(1 / 11, 5)
    assert s["digit_accuracy"] == round((2 + 1 + 1 + 1 + 1) / 11, 4)
    assert s["split_rate"] == round(1 / 11, 5) and s["merged_rate"] == round(2 / 11, 5)
    assert s["wrong_examples"] == ["42->412", "427->47", "53->58", "96->6"]


def test_number_evaluation_runs_both_paths():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.numbereval import LENGTHS, evaluate
    from edge_app.numberset import GAPS

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    results = evaluate(classifier, per_kind=1, singles=4, seed=0, traced=20)
    kinds = [f"{p}/{g}/{k}" for p in ("image", "strokes") for g in GAPS for k in LENGTHS]
    assert set(results) == {*kinds, "image/single", "strokes/single/styles",
                            "strokes/single/traced"}
    assert all(results[k]["numbers"] == 1 for k in kinds)
    assert results["image/single"]["numbers"] == 4
    # Four well-separated MNIST test digits, read like the rest: nearly always right.
    assert sum(results[f"image/wide/{k}"]["digit_accuracy"] for k in LENGTHS) >= 4


def test_number_evaluation_of_one_kind_from_the_command_line(tmp_path, capsys):
    from edge_app.numbereval import main

    out = tmp_path / "four.json"
    assert main(["--path", "strokes", "--gap", "wide", "--length", "4", "--per_kind", "3",
                 "--singles", "0", "-o", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(out.read_text())
    assert list(printed["results"]) == ["strokes/wide/4"]
    assert printed["results"]["strokes/wide/4"]["numbers"] == 3
    with pytest.raises(SystemExit):
        main(["--gap", "far"])


def test_a_chosen_traced_digit_is_drawn():
    import numpy as np

    from edge_app.numberset import StrokeDigits, stroke_number

    with np.load(Path(__file__).resolve().parent.parent / "models" / "mnist_test.npz") as data:
        x, y = data["x_test"][:12], data["y_test"][:12]
    digits = StrokeDigits(x, y, 12, np.random.default_rng(0))
    for which in (0, 5, len(digits.traced) - 1):
        label, strokes = digits.draw(np.random.default_rng(1), which=which)
        assert label == digits.traced[which][0]
        assert len(strokes) == len(digits.traced[which][1])
        number = stroke_number(digits, 1, "wide", np.random.default_rng(2), which=which)
        assert number.labels == (digits.traced[which][0],)
