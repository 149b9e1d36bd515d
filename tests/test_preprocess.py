"""Preprocessing properties on synthetic drawings: invariances, centring, polarity, noise."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edge_app import NotADigitError, NothingDrawnError, preprocess
from edge_app.preprocess import BOX, CENTRE
from tests.helpers import drawn_digit, ink_box


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    r = np.arange(x.shape[0])
    return float(x.sum(1) @ r / x.sum()), float(x.sum(0) @ r / x.sum())


def paste(shape, stamp, top, left, paper=255):
    canvas = np.full(shape, paper, np.uint8)
    canvas[top:top + stamp.shape[0], left:left + stamp.shape[1]] = stamp
    return canvas


def test_output_is_mnist_shaped(test_split):
    out = preprocess(drawn_digit(3, test_split))
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() == pytest.approx(1)


def test_mnist_digits_come_back_almost_unchanged(test_split):
    # Only pens far from MNIST's usual width are thinned or thickened.
    x = test_split[0][:100]
    diffs = [np.abs(preprocess(a) - a / 255).mean() for a in x]
    assert np.median(diffs) < 0.01 and np.mean(diffs) < 0.03


def test_centred_by_mass_and_scaled_to_the_box(test_split):
    for label in range(10):
        out = preprocess(drawn_digit(label, test_split))
        cy, cx = centre_of_mass(out)
        assert abs(cy - CENTRE) <= 0.75 and abs(cx - CENTRE) <= 0.75
        assert max(ink_box(out, 0.05)) in (BOX - 1, BOX, BOX + 1)


def test_translation_invariance(test_split):
    stamp = np.asarray(Image.fromarray(drawn_digit(5, test_split)).resize((120, 120)))
    a = preprocess(paste((400, 400), stamp, 10, 20))
    b = preprocess(paste((400, 400), stamp, 250, 270))
    assert np.abs(a - b).max() < 1e-6


def test_scale_invariance(test_split):
    small = np.asarray(Image.fromarray(drawn_digit(2, test_split)).resize((60, 60)))
    large = np.asarray(Image.fromarray(drawn_digit(2, test_split)).resize((300, 300)))
    a = preprocess(paste((400, 400), small, 100, 100))
    b = preprocess(paste((400, 400), large, 50, 50))
    assert np.abs(a - b).mean() < 0.02


def test_polarity_is_detected(test_split):
    dark_on_light = drawn_digit(8, test_split)
    light_on_dark = 255 - dark_on_light
    # Reduction rounds the inverted grey levels the other way: at most one level apart.
    assert np.abs(preprocess(dark_on_light) - preprocess(light_on_dark)).max() < 1.5 / 255


def test_grey_paper_and_faint_ink_look_like_white_paper_and_black_ink(test_split):
    bold = drawn_digit(4, test_split)
    faint = (170 + (bold.astype(np.float32) / 255) * 60).astype(np.uint8)  # 170-230 greys
    assert np.abs(preprocess(bold) - preprocess(faint)).mean() < 0.03


def test_blank_images_are_nothing_drawn():
    with pytest.raises(NothingDrawnError, match="nothing drawn"):
        preprocess(np.full((300, 300), 255, np.uint8))
    with pytest.raises(NothingDrawnError):
        preprocess(np.zeros((28, 28), np.uint8))
    noise = np.random.default_rng(0).integers(235, 256, (300, 300)).astype(np.uint8)
    with pytest.raises(NothingDrawnError):
        preprocess(noise)  # paper texture is not ink


def test_specks_far_from_the_digit_are_ignored(test_split):
    clean = drawn_digit(7, test_split)
    noisy = clean.copy()
    # Specks of 5×5 pixels in the margins, away from the digit's rows or columns: without
    # the speck filter they would widen the crop.
    for y, x in [(3, 3), (150, 292), (20, 150)]:
        noisy[y:y + 5, x:x + 5] = 0
    assert np.abs(preprocess(clean) - preprocess(noisy)).max() < 1e-6


def test_a_one_drawn_as_a_single_line_stays_a_tall_thin_stroke():
    canvas = np.full((400, 400), 255, np.uint8)
    canvas[60:340, 195:207] = 0  # a 12-px wide vertical stroke
    out = preprocess(canvas)
    h, w = ink_box(out)
    assert h >= BOX - 1 and w <= 3
    assert abs(centre_of_mass(out)[1] - CENTRE) <= 0.75


def test_marks_that_are_not_digits_are_refused():
    dot = np.full((100, 100), 255, np.uint8)
    dot[50, 50] = 0
    with pytest.raises(NotADigitError, match="Too small"):
        preprocess(dot)
    dash = np.full((456, 456), 255, np.uint8)
    dash[220:240, 100:330] = 20
    with pytest.raises(NotADigitError, match="Not a digit"):
        preprocess(dash)


def brushed_line(length: float, degrees: float, brush: int = 21, side: int = 456) -> np.ndarray:
    """A straight stroke of the app's brush on its 456-pixel canvas, `degrees` from the
    vertical, `length` pixels between its round ends' centres."""
    from PIL import ImageDraw

    a = np.radians(degrees)
    dx, dy = length / 2 * np.sin(a), length / 2 * np.cos(a)
    ends = [(side / 2 - dx, side / 2 + dy), (side / 2 + dx, side / 2 - dy)]
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    draw.line(ends, fill=20, width=brush)
    for x, y in ends:
        draw.ellipse((x - brush / 2, y - brush / 2, x + brush / 2, y + brush / 2), fill=20)
    return np.asarray(image)


@pytest.mark.parametrize("degrees", [50, 65, 90, 115, 130])
def test_a_short_thick_dash_is_not_a_digit_but_a_short_thick_one_is(degrees):
    # The brush's round ends are much of a short dash's outline, so the pen measured from the
    # outline came out narrow and the dash seemed bent: such dashes were read as digits.
    for length in (46, 80, 150):
        with pytest.raises(NotADigitError, match="Not a digit"):
            preprocess(brushed_line(length, degrees))
    for upright in (0, 20, 35):  # the same strokes standing up are 1s
        assert preprocess(brushed_line(80, upright)).max() > 0


def zigzag(side: int = 456, brush: int = 8, rows: int = 8, tall: float = 0.4) -> np.ndarray:
    """Back and forth across a patch (0.4 of the side wide, `tall` of it high) with a thin
    pen: the ink does not fill the patch."""
    from PIL import ImageDraw

    ys = (0.5 + np.linspace(-tall / 2, tall / 2, rows)) * side
    xs = np.where(np.arange(rows) % 2, 0.7, 0.3) * side
    image = Image.new("L", (side, side), 255)
    ImageDraw.Draw(image).line(list(zip(xs, ys)), fill=20, width=brush)
    return np.asarray(image)


def test_a_thin_zigzag_is_not_a_digit_while_mnists_digits_are(test_split):
    # Lines across a scribble cross its ink many times, across a digit at most 4 times.
    with pytest.raises(NotADigitError, match="Not a digit"):
        preprocess(zigzag())
    with pytest.raises(NotADigitError, match="Not a digit"):
        preprocess(zigzag().T)  # up and down
    from edge_app import gate, pen

    x, _ = test_split
    crossings = [pen.measure(picture, 28.0)[1].crossings for picture in x]
    assert max(crossings) <= gate.MAX_CROSSINGS


def test_a_thin_five_line_zigzag_is_not_a_digit_unless_its_ink_has_loops(test_split):
    from PIL import ImageDraw

    from edge_app import gate, pen

    # Five strokes up and down: every row crosses the ink five times, no more, and a thin pen
    # leaves it sparse; it has no loop.
    image = Image.new("L", (300, 300), 255)
    ImageDraw.Draw(image).line([(40 + 44 * i, 60 if i % 2 else 240) for i in range(6)],
                               fill=0, width=5)
    shape = pen.measure(255 - np.asarray(image), 300.0)[1]
    assert shape.crossings == gate.ZIGZAG_CROSSINGS and shape.loopless
    with pytest.raises(NotADigitError, match="Not a digit"):
        preprocess(np.asarray(image))
    # The same crossings with loops in the ink: a zig-zag closed at both ends into loops
    # ("8"-like) is left to the model.
    ImageDraw.Draw(image).line([(40, 60), (260, 60)], fill=0, width=5)
    ImageDraw.Draw(image).line([(40, 240), (260, 240)], fill=0, width=5)
    shape = pen.measure(255 - np.asarray(image), 300.0)[1]
    assert shape.crossings >= gate.ZIGZAG_CROSSINGS and shape.loopless is False
    assert gate.verdict(shape) is None


def scribble(side: int = 456, brush: int = 24, rows: int = 9) -> np.ndarray:
    """Back and forth across a patch with a thick brush, dark on white: ink fills the patch."""
    from PIL import ImageDraw

    ys = np.linspace(0.35, 0.6, rows) * side
    xs = np.where(np.arange(rows) % 2, 0.65, 0.3) * side
    image = Image.new("L", (side, side), 255)
    ImageDraw.Draw(image).line(list(zip(xs, ys)), fill=20, width=brush, joint="curve")
    return np.asarray(image)


def test_a_scribble_filled_in_by_a_thick_brush_is_not_a_digit(test_split):
    with pytest.raises(NotADigitError, match="Not a digit"):
        preprocess(scribble())
    # Bold digits are not blobs: MNIST's boldest test digits and a brush a fifth of the digit.
    x, _ = test_split
    boldest = np.argsort([-(img > 127).sum() for img in x[:2000]])[:5]
    for picture in [255 - x[i] for i in boldest] + [stroke_canvas(456, 48)]:
        assert preprocess(picture).max() > 0


def test_a_wide_zigzag_and_a_few_taps_are_not_digits_while_mnists_digits_are(test_split):
    from PIL import ImageDraw

    # Four lines back and forth, close together: each column crosses the ink 4 times, as the
    # middle of a tall "8" does, but the ink is dense for its height; closer still, the
    # lines merge into a block that no digit fills.
    for tall in (0.2, 0.15):
        assert pytest.raises(NotADigitError, preprocess,
                             zigzag(rows=5, tall=tall, brush=16)).match("Not a digit")
    # Two or three taps of the canvas brush, apart.
    for dots in ([(150, 200), (230, 215)], [(150, 200), (200, 170), (190, 250)]):
        image = Image.new("L", (456, 456), 255)
        for x, y in dots:
            ImageDraw.Draw(image).ellipse((x - 16, y - 16, x + 16, y + 16), fill=20)
        assert pytest.raises(NotADigitError, preprocess, np.asarray(image)).match("Not a digit")
    # A "1" broken in two by a light pen is still a digit.
    image = Image.new("L", (456, 456), 255)
    for top, bottom in ((100, 210), (240, 350)):
        ImageDraw.Draw(image).line([(228, top), (224, bottom)], fill=20, width=14)
    assert preprocess(np.asarray(image)).max() > 0
    # No MNIST test digit is refused as a scribble or as dots: the only ones refused at all
    # are a few 1s lying flatter than a slash (gate.MAX_ONE_ANGLE).
    x, y = test_split
    refused = []
    for picture, label in zip(x, y):
        try:
            preprocess(255 - picture)
        except NotADigitError:
            refused.append(label)
    assert set(refused) <= {1} and len(refused) <= 12


def stroke_canvas(side: int, brush: int) -> np.ndarray:
    """A "7" drawn with a round brush of `brush` pixels on a white canvas."""
    from PIL import ImageDraw

    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    points = [(0.3 * side, 0.3 * side), (0.62 * side, 0.3 * side), (0.42 * side, 0.72 * side)]
    draw.line(points, fill=20, width=brush, joint="curve")
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - brush / 2, y - brush / 2, x + brush / 2, y + brush / 2), fill=20)
    return np.asarray(image)


def test_stroke_width_follows_mnist_whatever_the_brush():
    # From a hair-thin pen to a brush a fifth of the digit's size, the ink comes out within
    # MNIST's usual range (its middle half spans 80-125 grey levels summed); without the
    # correction these sums ran from 22 to 129.
    sums = [float(preprocess(stroke_canvas(456, brush)).sum()) for brush in (3, 12, 24, 48)]
    assert all(45 < total < 115 for total in sums), sums


def test_pen_moments_are_numpys_covariance_to_the_bit():
    from edge_app import pen

    rng = np.random.default_rng(11)
    for _ in range(40):
        values = rng.integers(0, 256, (int(rng.integers(1, 60)), int(rng.integers(1, 60))))
        framed = pen._framed(values, 200)
        ys, xs = np.nonzero(values >= 200)
        if len(xs) < 2:
            continue
        cov = np.cov(np.stack([xs, ys]).astype(np.float64), bias=True)
        assert pen._moments(framed) == (cov[0, 0], cov[1, 1], cov[0, 1])


def test_pen_width_of_a_bar_is_its_thickness():
    from edge_app import pen

    # A 40 × 4 bar: area 160, boundary 88 grid edges, so 2·160/88 ≈ 3.6 before the grid's
    # calibration; a bar touching the picture's edge has the same boundary (the frame).
    for top in (0, 10):
        values = np.zeros((20, 50), np.uint8)
        values[top:top + 4, 5:45] = 255
        framed = pen._framed(values, 128)
        assert np.count_nonzero(framed) == 160
        assert pen._width(framed, 160) == pytest.approx(pen.WIDTH_GRID * 2 * 160 / 88)
