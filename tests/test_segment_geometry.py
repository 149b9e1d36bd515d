"""The grouping's geometry: how close two strokes come, their boxes, and when it is measured."""

from __future__ import annotations

import numpy as np
import pytest


def test_closest_approach_is_the_smallest_distance_between_any_two_points():
    from edge_app.segment.lines import closest, sampled

    rng = np.random.default_rng(3)
    for _ in range(20):
        a, b = rng.uniform(0, 400, (rng.integers(1, 40), 2)), rng.uniform(0, 400, (7, 2))
        brute = min(float(np.hypot(*(p - q))) for p in a for q in b)
        assert closest(a.T.copy(), b.T.copy()) == pytest.approx(brute, abs=1e-9)
    # Sampled lines: two parallel strokes 10 pixels apart come within half a step of 10,
    # although the pointer reported only their ends.
    left = sampled(np.array([[0.0, 0.0], [0.0, 100.0]]), 2.0)
    right = sampled(np.array([[10.0, 3.0], [10.0, 97.0]]), 2.0)
    assert left.shape[0] == 2 and np.abs(np.diff(left, axis=1)).max() <= 2.0
    assert 10.0 <= closest(left, right) <= np.hypot(10.0, 1.0)


def test_long_lines_are_cut_to_their_closest_parts_without_changing_the_distance(monkeypatch):
    from edge_app.segment import lines

    rng = np.random.default_rng(4)
    for _ in range(30):
        # Wandering lines of a few hundred points: past PRUNE_PAIRS, so the cut is made.
        a = np.cumsum(rng.normal(0, 3, (2, int(rng.integers(150, 400)))), axis=1)
        b = np.cumsum(rng.normal(0, 3, (2, int(rng.integers(150, 400)))), axis=1)
        b += rng.uniform(-40, 40, (2, 1))
        assert a.shape[1] * b.shape[1] > lines.PRUNE_PAIRS
        cut = lines.closest(a, b)
        monkeypatch.setattr(lines, "PRUNE_PAIRS", 10**9)
        whole = lines.closest(a, b)
        monkeypatch.undo()
        assert cut == whole  # the same float, not merely close
        brute = np.sqrt(((a[:, :, None] - b[:, None, :]) ** 2).sum(axis=0).min())
        assert cut == pytest.approx(brute, rel=1e-12)


def test_stroke_boxes_measure_each_stroke_once_and_give_group_boxes(monkeypatch):
    from edge_app.segment import strokes

    rng = np.random.default_rng(5)
    drawn = [rng.uniform(0, 400, (int(rng.integers(2, 30)), 2)).astype(np.float32)
             for _ in range(5)]
    groups = [drawn[:2], drawn[2:3], drawn[3:]]
    expected = [strokes.group_box(g, pen) for g in groups for pen in (0.0, 7.0)]
    measured = []
    real = strokes.stroke_box
    monkeypatch.setattr(strokes, "stroke_box", lambda s: measured.append(id(s)) or real(s))
    boxes = strokes.StrokeBoxes()
    for _ in range(3):  # asked again and again, as reading a number does
        assert [boxes.group(g, pen) for g in groups for pen in (0.0, 7.0)] == expected
    assert sorted(measured) == sorted(id(s) for s in drawn)


def test_the_ink_distance_is_measured_only_when_a_join_depends_on_it():
    from edge_app.segment.boxes import Box, group_boxes

    asked = []

    def far(i: int, j: int) -> float:
        asked.append((i, j))
        return 100.0

    # One box over the other: joined on overlap alone, the distance never asked.
    assert group_boxes([Box(0, 0, 10, 20), Box(1, 2, 9, 18)], distance=far) == [[0, 1]]
    assert asked == []
    # Half overlapping: enough only when the ink touches, so it is measured, once.
    half = [Box(0, 0, 10, 20), Box(5, 0, 15, 20)]
    assert group_boxes(half, distance=far) == [[0], [1]]
    assert asked == [(0, 1)]
    assert group_boxes(half, distance=lambda i, j: 0.0) == [[0, 1]]


def test_how_two_boxes_stand_to_each_other():
    from edge_app.segment.boxes import Box
    from edge_app.segment.pairs import (
        narrow_or_short,
        on_one_line,
        one_above_other,
        rises,
        shorter,
    )

    upright = Box(60, 0, 62, 100)
    ell = Box(0, 5, 45, 60)  # ends 40 (of 100) above the upright's foot
    assert rises(ell, upright, 0.4) and not rises(ell, upright, 0.41)
    assert not rises(upright, ell, 0.0)  # the right one ends lower: nothing rises
    assert shorter(ell, upright, 0.6) == 0 and shorter(upright, ell, 0.6) == 1
    assert shorter(ell, upright, 0.5) is None  # 55 of 100: neither under half the other
    assert on_one_line(Box(0, 10, 40, 100), upright, 0.0)
    assert on_one_line(ell, upright, 0.4) and not on_one_line(ell, upright, 0.39)
    # A stroke broken in two, the halves 10 apart up and down and 3 sideways of 110 in all.
    top, foot = Box(50, 0, 60, 50), Box(63, 60, 73, 110)
    assert one_above_other(top, foot, 0.1, 0.03) and not one_above_other(top, foot, 0.09, 0.03)
    assert not one_above_other(top, foot, 0.1, 0.02)
    assert not one_above_other(ell, upright, 1.0, 1.0)  # side by side, overlapping up and down
    assert narrow_or_short(ell, upright, 0.62, 0.0)  # 62 wide, 100 tall together
    assert not narrow_or_short(ell, upright, 0.61, 0.5)
    assert narrow_or_short(ell, upright, 0.61, 0.6)  # the L is 55 of the upright's 100
