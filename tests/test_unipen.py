"""UNIPEN trees read into strokes, and real handwriting replayed through the app's reading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edge_app import unipeneval
from edge_app.unipen import components, load, select

# Tablet units, y upwards as the tablets report it: a 1, a 7 in two strokes with the pen
# hovering between them (a pen-up component with points), and a 1 cut out of a longer trace.
INCLUDED = """.VERSION 1.0
.COORD X Y
.PEN_DOWN
300 900
302 500
305 100
.PEN_UP
.PEN_DOWN
100 900
500 900
.PEN_UP
480 880
400 850
.PEN_DOWN
500 900
400 500
250 100
.PEN_UP
.PEN_DOWN
900 950
700 900
705 500
710 100
900 50
.PEN_UP
"""

DATA = """.VERSION 1.0
.INCLUDE site/writer.dat
.SEGMENT CHARACTER 0 ? "1"
.SEGMENT CHARACTER 1-3 OK "7"
.SEGMENT CHARACTER 0 ? "A"
.SEGMENT CHARACTER 9 ? "0"
.SEGMENT CHARACTER 4:1-4:3 ? "1"
"""


def tree(root: Path) -> Path:
    (root / "data" / "1a" / "site").mkdir(parents=True)
    (root / "include" / "site").mkdir(parents=True)
    (root / "data" / "1a" / "site" / "w.dat").write_text(DATA)
    (root / "include" / "site" / "writer.dat").write_text(INCLUDED)
    return root


def test_components_count_pen_ups_that_have_points():
    parts = components(INCLUDED)
    assert [None if p is None else len(p) for p in parts] == [3, 2, None, 3, 5]
    chosen = select(parts, "1-3")  # the bar and the stem, not the hovering between them
    assert len(chosen) == 2
    assert all(np.array_equal(a, b) for a, b in zip(chosen, (parts[1], parts[3])))
    assert np.array_equal(select(parts, "4:1-4:3")[0], parts[4][1:4])
    assert select(parts, "9") is None and select(parts, "2") is None  # not there; no ink


def test_a_tree_gives_its_digits_with_y_down(tmp_path):
    samples = load(tree(tmp_path))
    assert [s.label for s in samples] == [1, 7, 1]  # the letter and the missing one left out
    assert {s.site for s in samples} == {"site"} and samples[0].file == "data/1a/site/w.dat"
    one, seven, cut = (s.strokes for s in samples)
    assert len(one) == 1 and one[0][0, 1] < one[0][-1, 1]  # drawn from the top down
    assert len(seven) == 2 and np.array_equal(seven[1][:, 0], [500, 400, 250])
    assert np.array_equal(cut[0], [[700, -900], [705, -500], [710, -100]])
    assert load(tmp_path, y_up=False)[0].strokes[0][0, 1] == 900


def test_real_handwriting_is_read_through_the_app(tmp_path, capsys):
    out = tmp_path / "out.json"
    status = unipeneval.main(["--root", str(tree(tmp_path / "unipen")), "-m", "cnn_int8",
                              "-o", str(out)])
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert result == json.loads(out.read_text())
    assert result["all"]["digits"] == 3 and result["sites"]["site"]["digits"] == 3
    assert result["all"]["stroke"]["accuracy"] == 1.0 and result["all"]["image"]["accuracy"] == 1.0
    assert result["all"]["stroke"]["whole_accuracy"] == 1.0
    assert result["confusions"] == []


def test_placed_strokes_are_motion_events_on_the_canvas():
    samples = [unipeneval.Sample(1, [np.array([[0.0, 0.0], [0.0, 0.001], [0.0, 400.0]])],
                                 "s", "f")]
    placed = unipeneval.place(samples[0], np.random.default_rng(0), (456, 456))
    assert len(placed[0]) == 2  # the point a thousandth of a unit on is no motion event
    assert placed[0].min() >= 0 and placed[0].max() <= 456


def test_the_grouping_cost_is_what_reading_each_drawing_whole_gets_right():
    # Two rings side by side labelled "0", as a few of UNIPEN's 0s are: the app reads "00"
    # (wrong against the label); read whole, as one digit, it is the 0.
    from edge_app.classifier import ClassifierOptions, DigitClassifier

    turn = np.linspace(0, 2 * np.pi, 40)
    rings = [np.stack([cx + 300 * np.cos(turn), 500 + 400 * np.sin(turn)], axis=1)
             for cx in (400, 1200)]
    result = unipeneval.evaluate(DigitClassifier(ClassifierOptions(model="cnn_int8")),
                                 [unipeneval.Sample(0, rings, "site", "f")])
    stroke = result["all"]["stroke"]
    assert stroke["accuracy"] == 0 and stroke["read_as_number"] == 1
    assert stroke["whole_accuracy"] == 1
    assert result["confusions"] == [[0, "number", 1]]


@pytest.mark.parametrize("make, message", [
    (lambda root: root, "not a UNIPEN tree"),
    (lambda root: (root / "data" / "1a").mkdir(parents=True) or root, "no digits found"),
])
def test_a_folder_that_is_no_tree_is_one_line_and_exit_1(tmp_path, capsys, make, message):
    status = unipeneval.main(["--root", str(make(tmp_path))])
    err = capsys.readouterr().err
    assert status == 1 and message in err and err.count("\n") == 1
