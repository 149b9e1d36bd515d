"""The stroke path: recorded strokes to the model's MNIST-like input, and the not-a-digit gate."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import NotADigitError, NothingDrawnError
from edge_app.gate import NOT_A_DIGIT, TOO_SMALL
from edge_app.strokes import BOX, CENTRE, render
from edge_app.styles import arc, spline

CANVAS = (456, 456)


def four(scale: float = 1.0, at=(100.0, 80.0)) -> list[np.ndarray]:
    """A two-stroke open 4 about 200 px tall at scale 1."""
    a = spline([(10, 0), (0, 120), (150, 120)], 20)
    b = spline([(110, 20), (110, 200)], 20)
    return [(s * scale + at).astype(np.float32) for s in (a, b)]


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    r = np.arange(x.shape[0])
    return float(x.sum(1) @ r / x.sum()), float(x.sum(0) @ r / x.sum())


def test_output_is_mnist_shaped():
    out = render(four(), CANVAS)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() == pytest.approx(1)
    ys, xs = np.nonzero(out > 0.1)
    assert max(np.ptp(ys), np.ptp(xs)) + 1 in (BOX - 1, BOX, BOX + 1)
    cy, cx = centre_of_mass(out)
    assert abs(cy - CENTRE) < 0.6 and abs(cx - CENTRE) < 0.6


def test_size_and_place_do_not_change_what_the_model_sees():
    small = render(four(0.5, (20, 300)), CANVAS)
    large = render(four(2.0, (50, 20)), (700, 700))
    assert np.abs(small - large).mean() < 0.01


def test_pen_width_is_relative_to_the_digit_like_mnist():
    # MNIST's ink fills about 12 % of the 28×28 field (93 of 784 grey levels summed).
    for scale in (0.4, 1.0, 2.0):
        assert 60 < render(four(scale), CANVAS).sum() < 130


def test_sampling_density_does_not_matter():
    dense = [spline([(0, 0), (40, 100), (0, 200)], 100).astype(np.float32) + 100]
    sparse = [d[::12] for d in dense]
    sparse = [np.vstack([s, d[-1:]]) for s, d in zip(sparse, dense)]
    assert np.abs(render(dense, CANVAS) - render(sparse, CANVAS)).mean() < 0.02


def test_a_vertical_stroke_is_a_one():
    out = render([np.array([[200, 100], [202, 300]], np.float32)], CANVAS)
    ys, xs = np.nonzero(out > 0.5)
    assert np.ptp(ys) >= 17 and np.ptp(xs) <= 3


def test_the_gate_is_told_how_many_strokes_were_drawn():
    from edge_app.strokes import measure

    assert measure(four(), CANVAS).strokes == 2
    assert measure([np.concatenate(four())], CANVAS).strokes == 1


def test_no_strokes_is_nothing_drawn():
    with pytest.raises(NothingDrawnError):
        render([], CANVAS)
    with pytest.raises(NothingDrawnError):
        render([np.zeros((0, 2), np.float32)], CANVAS)


def test_empty_strokes_are_left_out():
    empty = np.zeros((0, 2), np.float32)
    assert np.array_equal(render([empty, *four(), empty], CANVAS), render(four(), CANVAS))


@pytest.mark.parametrize("strokes, reason", [
    ([np.array([[200, 200]], np.float32)], TOO_SMALL),  # a tap
    ([arc(200, 200, 8, 8, 0, 360, 20).astype(np.float32)], TOO_SMALL),  # a dot
    ([np.array([[100, 200], [300, 215]], np.float32)], NOT_A_DIGIT),  # a dash
    ([np.array([[20, 400], [430, 60]], np.float32)], NOT_A_DIGIT),  # a long slash
    ([np.array([[100, 100]], np.float32), np.array([[300, 300]], np.float32)], NOT_A_DIGIT),
    ([np.array([[100 + 150 * (i % 2), 100 + 8 * i] for i in range(20)], np.float32)],
     NOT_A_DIGIT),  # a zigzag scribble
])
def test_marks_that_are_not_digits_are_refused(strokes, reason):
    with pytest.raises(NotADigitError, match=reason):
        render(strokes, CANVAS)


def test_the_drawing_pad_draws_what_pillows_public_calls_draw():
    # The renderer calls Pillow's core objects directly (for speed); a Pillow whose core
    # drew or packed differently would change every model input without a word.
    from PIL import Image, ImageDraw

    from edge_app.strokes import SIDE, SUPER, _pad

    rng = np.random.default_rng(3)
    side = SIDE * SUPER
    for _ in range(20):
        xy = (rng.random((8, 2)) * side).tolist()
        discs = [(x - 4.5, y - 4.5, x + 4.5, y + 4.5) for x, y in xy[::3]]
        pad = _pad()
        pad.line([v for point in xy for v in point], 9)
        for box in discs:
            pad.dab(box)
        public = Image.new("L", (side, side))
        canvas = ImageDraw.Draw(public)
        canvas.line(xy, fill=255, width=9)
        for box in discs:
            canvas.ellipse(box, fill=255)
        assert pad.reduced() == public.reduce(SUPER).tobytes()
        assert 0 < sum(pad.reduced()) < 255 * SIDE * SIDE
    assert not any(_pad().reduced())  # handed out cleared
