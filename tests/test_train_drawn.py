"""The training's stroke-drawn digits: MNIST redrawn as a finger draws, and the styles added."""

from __future__ import annotations

import numpy as np

from train.drawn import FAST_STEP, fast, redrawn, traced_digits
from train.restyle import (
    HOOK_LENGTH,
    SLASH_ANGLE,
    STEEP_SLASH_ANGLE,
    add_crossbar,
    add_flag,
    add_hook,
    add_slash,
)


def boxy_zeros(n: int) -> np.ndarray:
    """`n` 0s drawn as boxes, uint8 (n, 28, 28)."""
    x = np.zeros((n, 28, 28), np.uint8)
    x[:, 6:22, 8] = x[:, 6:22, 19] = x[:, 6, 8:20] = x[:, 21, 8:20] = 255
    return x


def assert_only_restyled(x: np.ndarray, y: np.ndarray, label: int, **style: float) -> None:
    """Asked for a style, only the digits of `label` are drawn differently; asked for none of
    it (0), none are."""
    plain = redrawn(x, y, seed=2)
    assert np.array_equal(plain, redrawn(x, y, seed=2, **{k: 0.0 for k in style}))
    styled = redrawn(x, y, seed=2, **style)
    mine = y == label
    assert np.array_equal(styled[~mine], plain[~mine])
    assert not np.array_equal(styled[mine], plain[mine])


def test_redrawn_digits_look_like_mnist_digits(test_split):
    x, y = test_split
    pick = np.flatnonzero(np.isin(y, (1, 7)))[:30]
    out = redrawn(x[pick], y[pick], seed=0)
    assert out.shape == (30, 28, 28) and out.dtype == np.uint8
    assert not np.array_equal(out, x[pick])
    # MNIST's frame: longer side 20 px (pen included), ink about MNIST's amount.
    for image in out:
        ys, xs = np.nonzero(image > 30)
        assert 18 <= max(np.ptp(ys), np.ptp(xs)) + 1 <= 22
        assert 40 < image.sum() / 255 < 160
    stem = [np.array([[10.0, 0.0], [10.0, 40.0]], np.float32)]
    flagged = add_flag(stem, np.random.default_rng(0), foot=True)
    assert len(flagged) == 3 and flagged[0][0, 0] < 10 and flagged[0][0, 1] > 0
    crossed = add_crossbar(stem, np.random.default_rng(0))
    bar = crossed[-1]
    assert len(crossed) == 2 and bar[0, 0] < 10 < bar[1, 0] and 15 < bar[:, 1].mean() < 27


def test_a_slashed_zero_is_struck_through_past_its_ring():
    ring = [np.stack([10 + 8 * np.cos(t), 20 + 12 * np.sin(t)], 1).astype(np.float32)
            for t in [np.linspace(0, 2 * np.pi, 60)]]
    for seed in range(20):
        out = add_slash(ring, np.random.default_rng(seed))
        assert len(out) == 2 and np.array_equal(out[0], ring[0])
        (x0, y0), (x1, y1) = out[1]
        rise = np.degrees(np.arctan2(y0 - y1, x1 - x0))  # y grows downwards
        assert SLASH_ANGLE[0] - 0.01 <= rise <= SLASH_ANGLE[1] + 0.01
        # Through the middle, from low down to high up, as long as the ring is wide or longer.
        assert y0 > 25 and y1 < 15 and np.hypot(x1 - x0, y1 - y0) > 16
    # Only 0s get one, and only when asked: without slashes the drawing is as it was.
    assert_only_restyled(boxy_zeros(4), np.array([1, 1, 0, 0]), 0, slashed=1.0)


def test_a_steep_slash_rises_more_steeply_through_the_same_middle():
    ring = [np.stack([10 + 5 * np.cos(t), 20 + 12 * np.sin(t)], 1).astype(np.float32)
            for t in [np.linspace(0, 2 * np.pi, 60)]]  # a narrow 0
    for seed in range(20):
        (x0, y0), (x1, y1) = add_slash(ring, np.random.default_rng(seed), steep=True)[1]
        rise = np.degrees(np.arctan2(y0 - y1, x1 - x0))
        assert STEEP_SLASH_ANGLE[0] - 0.01 <= rise <= STEEP_SLASH_ANGLE[1] + 0.01
        assert y0 > 30 and y1 < 10 and 5 < (x0 + x1) / 2 < 15
    # Asked for none, the slashed 0s are drawn as without the option.
    x, y = boxy_zeros(2), np.array([0, 0])
    assert np.array_equal(redrawn(x, y, seed=2, slashed=1.0),
                          redrawn(x, y, seed=2, slashed=1.0, steep=0.0))
    assert not np.array_equal(redrawn(x, y, seed=2, slashed=1.0),
                              redrawn(x, y, seed=2, slashed=1.0, steep=1.0))


def test_a_hooked_nine_curls_left_from_the_foot_of_its_stem():
    t = np.linspace(0, 2 * np.pi, 40)
    head = np.stack([10 + 6 * np.cos(t), 8 + 6 * np.sin(t)], 1)  # a ring from its right side
    nine = np.vstack([head, np.linspace([16.0, 8.0], [16.0, 40.0], 30)[1:]])
    lines = [nine.astype(np.float32)]
    for seed in range(10):
        out = add_hook(lines, np.random.default_rng(seed))
        assert len(out) == 1 and np.array_equal(out[0][:len(nine)], lines[0])
        tail = out[0][len(nine):]
        assert len(tail) == 8
        assert tail[-1, 0] < 16 - 2 and tail[:, 1].max() > 40  # on down, then to the left
        steps = np.hypot(*np.diff(np.vstack([nine[-1:], tail]), axis=0).T)
        assert HOOK_LENGTH[0] * 38 * 0.99 <= steps.sum() <= HOOK_LENGTH[1] * 38 * 1.01
    # Drawn the other way (the stem first, from its foot), the foot is still found.
    out = add_hook([lines[0][::-1].copy()], np.random.default_rng(0))
    assert out[0][-1, 0] < 14 and out[0][-1, 1] > 40
    # No stroke ending at the bottom heading down (a ring, a foot drawn sideways): as it was.
    ring = [head.astype(np.float32)]
    assert add_hook(ring, np.random.default_rng(0)) is ring
    flat = [np.array([[0.0, 0.0], [10.0, 20.0], [30.0, 20.0]], np.float32)]
    assert add_hook(flat, np.random.default_rng(0)) is flat
    # Only 9s get one, and only when asked.
    x = np.zeros((4, 28, 28), np.uint8)
    x[:, 4:14, 9] = x[:, 4:14, 17] = x[:, 4, 9:18] = x[:, 13, 9:18] = 255  # the head
    x[:, 13:25, 17] = 255  # the stem
    assert_only_restyled(x, np.array([1, 1, 9, 9]), 9, hooked=1.0)


def test_a_fast_finger_cuts_corners_and_keeps_the_ends():
    # A flagged 1 traced densely: flag up to the top, then down the stem.
    flag = np.linspace([0.0, 10.0], [6.0, 0.0], 30)
    stem = np.linspace([6.0, 0.0], [6.0, 40.0], 120)
    lines = [np.concatenate([flag, stem[1:]]).astype(np.float32), np.array([[3.0, 40.0]])]
    out = fast(lines, np.random.default_rng(3))
    assert len(out) == 2 and len(out[0]) < 20
    for before, after in zip(lines, out):
        assert np.allclose(after[0], before[0]) and np.allclose(after[-1], before[-1])
    # Points one spacing apart along the line, a fifth of the digit's size or so...
    gaps = np.hypot(*np.diff(out[0][1:-1], axis=0).T)
    assert FAST_STEP[0] * 40 * 0.99 <= np.median(gaps) <= FAST_STEP[1] * 40 * 1.01
    # ... so no point falls on the 1's sharp top: one line runs from the flag to the stem.
    on_flag = out[0][:, 0] < 5.99
    assert not np.any(np.all(np.isclose(out[0], [6.0, 0.0]), axis=1))
    assert np.count_nonzero(on_flag[:-1] & ~on_flag[1:]) == 1


def test_digits_traced_once_redraw_as_traced_each_time(test_split):
    x, y = test_split
    x, y = x[:40], y[:40]
    traced = traced_digits(x)
    assert len(traced) == 40 and all(lines for lines in traced)
    for epoch in (0, 3):  # a run that redraws every epoch traces once
        assert np.array_equal(redrawn(x, y, seed=5, epoch=epoch, traced=traced),
                              redrawn(x, y, seed=5, epoch=epoch))
