"""Numbers in pictures: ink split into connected pieces, pieces joined or cut into digits."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from edge_app.errors import NothingDrawnError
from edge_app.segment.components import label
from edge_app.segment.pixels import find_digits


def test_components_are_eight_connected():
    mask = np.zeros((5, 8), bool)
    mask[0, 0:2] = mask[1, 2] = True  # touches diagonally: one component
    mask[3:5, 5] = True
    labels, boxes = label(mask)
    assert labels.max() == 2 and labels[0, 0] == labels[1, 2] != labels[4, 5]
    assert boxes[labels[0, 0]].tolist() == [0, 0, 3, 2, 3]
    assert boxes[labels[4, 5]].tolist() == [5, 3, 6, 5, 2]


def flood_labels(mask: np.ndarray) -> np.ndarray:
    """8-connected components by a plain flood fill, numbered in the order a row-by-row scan
    first meets them: what `label` must give."""
    labels = np.zeros(mask.shape, np.int32)
    h, w = mask.shape
    count = 0
    for y in range(h):
        for x in range(w):
            if mask[y, x] and not labels[y, x]:
                count += 1
                labels[y, x] = count
                todo = [(y, x)]
                while todo:
                    cy, cx = todo.pop()
                    for ny in range(max(cy - 1, 0), min(cy + 2, h)):
                        for nx in range(max(cx - 1, 0), min(cx + 2, w)):
                            if mask[ny, nx] and not labels[ny, nx]:
                                labels[ny, nx] = count
                                todo.append((ny, nx))
    return labels


def test_components_match_a_flood_fill_on_random_ink():
    rng = np.random.default_rng(8)
    for _ in range(60):
        shape = (int(rng.integers(1, 40)), int(rng.integers(1, 40)))
        mask = rng.random(shape) < rng.uniform(0.05, 0.6)
        labels, boxes = label(mask)
        expected = flood_labels(mask)
        assert np.array_equal(labels, expected)
        for k in range(1, int(expected.max()) + 1):
            ys, xs = np.nonzero(expected == k)
            assert boxes[k].tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1, len(xs)]
    labels, boxes = label(np.zeros((4, 6), bool))
    assert not labels.any() and boxes.shape == (1, 5)


def drawing(width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (width, height), 255)
    return image, ImageDraw.Draw(image)


def pen_lines(draw: ImageDraw.ImageDraw, lines: list[list[tuple[float, float]]],
              pen: int) -> None:
    """Draws each polyline with a pen `pen` pixels wide and round ends, as a pen or the app's
    brush leaves them."""
    for points in lines:
        draw.line(points, fill=0, width=pen, joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)


@pytest.mark.parametrize("kind", ["shaded,ruled", "squared", "shaded,ruled,dark"])
def test_the_digits_of_a_photographed_page_are_found(test_split, kind):
    from edge_app.photoeval import photo

    x, y = test_split
    digits = [x[int(np.flatnonzero(y == d)[1])] for d in (2, 0, 2, 6)]
    found = find_digits(photo(digits, kind, np.random.default_rng(0), side=140, gap=10))
    # The row starts 35 pixels in (a quarter of a digit's side); digit k at 35 + 150 k.
    assert [(d.box[0] - 35) // 150 for d in found] == [0, 1, 2, 3]
    assert all(d.box[1] >= 35 and d.box[3] <= 176 for d in found)  # no ruled line in a box


def test_broken_digit_is_joined():
    # A 5 whose flag is detached, and a 1 drawn as a dotted line: one digit each.
    image, pen = drawing(260, 160)
    pen.line([(40, 40), (38, 80)], fill=0, width=7)
    pen.arc((30, 62, 90, 130), -150, 150, fill=0, width=7)
    pen.line([(52, 30), (95, 30)], fill=0, width=7)
    for y in range(30, 130, 16):
        pen.line([(190, y), (190, y + 9)], fill=0, width=7)
    found = find_digits(np.asarray(image))
    assert len(found) == 2
    assert found[0].box[0] < 40 and found[0].box[2] >= 95 and found[1].box[0] > 180


def test_touching_digits_are_cut_at_their_waist():
    # "00" whose rings touch: one piece of ink twice as wide as tall.
    image, pen = drawing(240, 140)
    pen.ellipse((20, 20, 120, 120), outline=0, width=8)
    pen.ellipse((116, 20, 216, 120), outline=0, width=8)
    found = find_digits(np.asarray(image))
    assert len(found) == 2
    (a0, _, a1, _), (b0, _, b1, _) = found[0].box, found[1].box
    assert a0 < 25 and 110 < a1 < 126 and 110 < b0 < 126 and b1 > 210


def test_a_single_wide_digit_is_not_cut_without_a_reason():
    # A wide, flat 0 (wider than tall but not two digits' worth) stays whole.
    image, pen = drawing(200, 140)
    pen.ellipse((20, 30, 170, 120), outline=0, width=8)
    assert len(find_digits(np.asarray(image))) == 1


def test_specks_are_not_digits_and_blank_is_nothing():
    image, pen = drawing(200, 200)
    pen.line([(100, 30), (100, 170)], fill=0, width=9)
    pen.point([(20, 20), (180, 180)], fill=0)
    assert len(find_digits(np.asarray(image))) == 1
    with pytest.raises(NothingDrawnError):
        find_digits(np.full((50, 50), 255, np.uint8))


def test_judge_decides_pieces_a_little_wider_than_tall():
    # "00" drawn narrow and touching: 1.2 times wider than tall, cut only when the judge is
    # surer of the halves than of the whole.
    image, pen = drawing(200, 160)
    pen.ellipse((30, 30, 95, 130), outline=0, width=8)
    pen.ellipse((89, 30, 154, 130), outline=0, width=8)
    gray = np.asarray(image)
    digits = np.zeros(3, int)  # the judge's readings: only its confidences matter here
    assert len(find_digits(gray, judge=lambda crops: (np.array([0.9, 0.2, 0.2]), digits))) == 1
    halves = find_digits(gray, judge=lambda crops: (np.array([0.5, 0.99, 0.99]), digits))
    assert [d.box[0] < 92 < d.box[2] for d in halves] == [False, False]
    assert len(find_digits(gray)) == 1  # no judge: only sure cuts


def open_four_picture(one: bool = False, pen: int = 10, bar: int = 105,
                      end: int = 205) -> np.ndarray:
    """A picture of an open 4 whose bar (at height `bar`, ending at `end`) stops short of the
    upright, drawn with a pen `pen` pixels wide, with a 1 before it when `one`."""
    image, draw = drawing(360, 200)
    strokes = [[(160, 40), (152, bar), (end, bar)], [(222, 40), (224, 160)]]
    pen_lines(draw, [[(60, 40), (60, 160)]] * one + strokes, pen)
    return np.asarray(image)


@pytest.mark.parametrize("one, text", [(False, "4"), (True, "14")])
def test_a_piece_that_stops_short_of_the_line_joins_its_neighbour(monkeypatch, one, text):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import pixels
    from edge_app.segment.number import read_pixels

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_pixels(classifier, open_four_picture(one)).text == text
    monkeypatch.setattr(pixels, "HANG_RISE", 2.0)  # without the join: the L and the upright
    monkeypatch.setattr(pixels, "OPEN_RISE", 2.0)  # (nor one rising beside an upright)
    assert len(read_pixels(classifier, open_four_picture(one)).text) == len(text) + 1


def l_and_upright_picture(gap: float, one: bool = False, pen: int = 10) -> np.ndarray:
    """A picture of a 4 drawn as an L and an upright `gap` of its height (125 pixels) to the
    right of the L's bar, with a 1 before it when `one`."""
    image, draw = drawing(400, 200)
    upright = 160 + gap * 125
    strokes = [[(110, 40), (104, 115), (160, 115)], [(upright, 35), (upright, 160)]]
    pen_lines(draw, [[(60, 35), (60, 160)]] * one + strokes, pen)
    return np.asarray(image)


def test_an_l_far_from_its_upright_joins_it_on_pixels_too(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import pixels
    from edge_app.segment.number import read_pixels

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    gaps = (0.1, 0.3, 0.5)  # of the height; a hanging piece is offered within 0.25
    assert [read_pixels(classifier, l_and_upright_picture(g)).text for g in gaps] == ["4"] * 3
    assert read_pixels(classifier, l_and_upright_picture(0.4, one=True)).text == "14"
    monkeypatch.setattr(pixels, "OPEN_RISE", 2.0)  # without the rule: the L reads as a 6
    assert [read_pixels(classifier, l_and_upright_picture(g)).text for g in gaps] == [
        "4", "61", "61"]


def test_the_pen_is_taken_out_of_the_pieces_boxes(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.pen import stroke_width
    from edge_app.segment import pixels
    from edge_app.segment.number import read_pixels

    bar = np.zeros((100, 100), bool)
    bar[10:90, 40:52] = True
    assert stroke_width(bar) == pytest.approx(12, rel=0.1)
    # The L ends 0.4 of the upright's height above its foot, 0.34 of the inked boxes' with a
    # 22-pixel brush.
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    bold = open_four_picture(pen=22, bar=112, end=195)
    assert read_pixels(classifier, bold).text == "4"
    monkeypatch.setattr(pixels, "stroke_width", lambda mask: 0.0)
    monkeypatch.setattr(pixels, "OPEN_RISE", 2.0)  # the L rising beside the upright is not asked
    assert read_pixels(classifier, bold).text != "4"


def zero_in_halves_picture(gap: int = 10, pen: int = 12) -> np.ndarray:
    """A picture of a 0 drawn as "(" then ")", the second half `gap` pixels to the right."""
    image, draw = drawing(360, 240)
    halves = []
    for start, stop, shift in ((-95, -265, 0), (-85, 85, gap)):
        t = np.radians(np.linspace(start, stop, 30))
        halves.append(list(zip((170 + shift + 55 * np.cos(t)).tolist(),
                               (120 + 80 * np.sin(t)).tolist())))
    pen_lines(draw, halves, pen)
    return np.asarray(image)


def test_a_zero_in_two_halves_is_one_digit_in_a_picture(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import pixels
    from edge_app.segment.number import read_pixels

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    zero = zero_in_halves_picture()
    assert read_pixels(classifier, zero).text == "0"
    monkeypatch.setattr(pixels, "_halves", lambda pieces, found, pen: False)
    assert len(read_pixels(classifier, zero).text) == 2
