"""How far a pen's path turns: wiggles the pen hides left out, and sharp turns counted."""

from __future__ import annotations

import numpy as np

from edge_app.turns import sharp_turns, spaced, without_wiggles


def path(*strokes: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Strokes of (n, 2) points as one complex path and its runs."""
    runs, start = [], 0
    for s in strokes:
        runs.append((start, start + len(s)))
        start += len(s)
    points = np.concatenate(strokes).astype(np.float64)
    return points[:, 0] + 1j * points[:, 1], runs


def turns_and_steps(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u = np.diff(points)
    return np.angle(u[1:] * u[:-1].conj()), np.abs(u)


def test_wiggles_under_the_tolerance_are_left_out_and_bigger_ones_kept():
    x = np.arange(0.0, 200.0, 4.0)
    small = np.stack([x, 100 + 1.0 * (-1) ** np.arange(len(x))], 1)  # 1 px off, each way
    points, runs = path(small)
    before = np.abs(turns_and_steps(points)[0]).sum() / (2 * np.pi)
    turning, length, _, _ = without_wiggles(points, runs, tolerance=2.0)
    assert before > 3 and turning < 0.2 * before
    assert length < np.abs(np.diff(points)).sum() and length >= 196
    big = np.stack([x, 100 + 10.0 * (-1) ** np.arange(len(x))], 1)  # a zig-zag, not a wiggle
    points, runs = path(big)
    assert without_wiggles(points, runs, tolerance=2.0)[0] > 0.9 * (
        np.abs(turns_and_steps(points)[0]).sum() / (2 * np.pi))


def test_the_jump_between_strokes_is_no_turn_and_no_length():
    a = np.array([[0.0, 0.0], [50.0, 0.0], [100.0, 0.0]])
    b = np.array([[100.0, 50.0], [50.0, 50.0], [0.0, 50.0]])  # back the other way, lower
    points, runs = path(a, b)
    turning, length, turns, steps = without_wiggles(points, runs, tolerance=1.0)
    assert turning == 0 and length == 200
    assert len(steps) == len(turns) + 1


def test_a_sharp_turn_counts_once_however_many_points_it_takes():
    # A U-turn drawn through three points, each turn 60°: sharp over its short stretch.
    t = np.radians([0, 60, 120, 180])
    u_turn = np.concatenate([np.arange(0, 40, 4.0) + 0j,
                             40 + 3j + 3 * np.exp(1j * (t - np.pi / 2))[1:-1],
                             np.arange(40, 0, -4.0) + 6j])
    turns, steps = turns_and_steps(u_turn)
    assert np.abs(turns).max() < np.radians(120)
    assert sharp_turns(turns, steps, within=8.0, sharper=120) == 1
    # A circle turns as far in all, but never sharply.
    circle = 50 * np.exp(1j * np.linspace(0, 2 * np.pi, 80))
    assert sharp_turns(*turns_and_steps(circle), within=8.0, sharper=120) == 0
    # A zig-zag of five lines reverses four times.
    zigzag = np.array([100 * (k % 2) + 20j * k for k in range(6)], complex)
    dense = np.concatenate([np.linspace(zigzag[k], zigzag[k + 1], 10, endpoint=False)
                            for k in range(5)] + [zigzag[-1:]])
    assert sharp_turns(*turns_and_steps(dense), within=8.0, sharper=120) == 4


def test_spacing_drops_the_points_a_resting_pen_piles_up_and_keeps_each_strokes_start():
    line = np.stack([np.arange(0.0, 100.0, 20.0), np.zeros(5)], 1)
    rng = np.random.default_rng(0)
    resting = line[-1] + rng.integers(-2, 3, (15, 2))  # within 3 px of where the pen stopped
    second = np.array([[81.0, 2.0], [81.0, 60.0]])  # starts within the gap of the first's end
    points, runs = path(np.vstack([line, resting]), second)
    kept, kept_runs = spaced(points, runs, gap=5.0)
    assert kept_runs == [(0, 5), (5, 7)]
    assert np.array_equal(kept, points[[0, 1, 2, 3, 4, 20, 21]])
