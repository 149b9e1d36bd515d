"""Photographed pages: uneven light, ruled lines, a table beside the page, a sheet on a desk."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edge_app import ImageError, preprocess
from tests.helpers import ink_box


@pytest.mark.parametrize("kind", ["shaded", "ruled", "squared", "shaded,ruled,dark", "table",
                                  "shaded,table", "desk", "shaded,desk"])
def test_a_photographed_page_reads_like_clean_paper(test_split, kind):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.photoeval import photo

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    x, y = test_split
    rng = np.random.default_rng(0)
    for label in range(10):
        digit = x[int(np.flatnonzero(y == label)[1])]
        a, b = preprocess(photo([digit], "even", rng)), preprocess(photo([digit], kind, rng))
        assert ink_box(a) == pytest.approx(ink_box(b), abs=1)  # the digit, not the page
        assert classifier.predict(b).digit == classifier.predict(a).digit == label


def test_a_digit_cropped_to_its_ink_is_not_taken_for_a_page(test_split):
    # Ink from edge to edge, but one grey of paper and no ruled lines: left as it is.
    from edge_app.page import clean_page
    from edge_app.preprocess import _find_ink

    x, _ = test_split
    crop = 255 - x[0][4:24, 6:22]  # a 7 cut to its box
    big = np.asarray(Image.fromarray(crop).resize((160, 200), Image.Resampling.BILINEAR))
    found = _find_ink(big)
    assert found.across  # and its border, half ink, varies as a shaded page's would
    assert clean_page(big, True, flatten=found.uneven) is big


def test_only_what_reaches_the_pictures_edge_is_off_the_page():
    from edge_app.page import _off_page

    coarse = np.full((6, 8), 230, np.uint8)
    coarse[2:4, 3:5] = 40  # a bold stroke fills blocks inside the page: still the page
    assert not _off_page(coarse).any()
    coarse[:, :2] = 60  # a table along the left edge
    coarse[5, 7] = 140  # a corner in shadow, still paper (over half as bright)
    off = _off_page(coarse)
    assert off[:, :2].all() and off.sum() == 12


def test_a_sheet_on_a_desk_is_lifted_but_a_bold_light_digit_is_not(test_split):
    from edge_app.page import lift_sheet
    from edge_app.photoeval import photo

    x, y = test_split
    rng = np.random.default_rng(3)
    sheet = photo([x[0]], "desk", rng)
    lifted = lift_sheet(sheet)
    assert lifted is not None
    assert np.median(lifted[:, :10]) > 200 and np.median(lifted[-10:]) > 200  # desk: paper
    assert lifted.min() < 100  # the digit's ink is still there
    # Light digits on a dark ground have holes and bays that a sheet has not: the boldest of
    # the test digits, as they are and cut to their box (as a number's digits are, and as
    # bold blobs whose rows are filled, 8s and 6s among them, passed for sheets before the
    # convex hull was asked), and a light-on-dark page stay as they are.
    boldest = np.argsort([-(img > 127).sum() for img in x])[:40]
    for i in boldest:
        assert lift_sheet(np.asarray(Image.fromarray(x[i]).resize((260, 260)))) is None
        ys, xs = np.nonzero(x[i] > 30)
        cut = np.pad(x[i][ys.min():ys.max() + 1, xs.min():xs.max() + 1], 1)
        assert lift_sheet(np.asarray(Image.fromarray(cut).resize(
            (cut.shape[1] * 5, cut.shape[0] * 5), Image.Resampling.BILINEAR))) is None
    assert lift_sheet(photo([x[1]], "shaded,ruled,dark", rng)) is None


def test_one_thin_stroke_across_the_picture_is_not_a_ruled_line():
    # A 7 cropped to its ink: the bar, 2 pixels thick, runs the whole width. Ruled paper has
    # several such lines; one alone is the digit's.
    canvas = np.full((100, 100), 255, np.uint8)
    canvas[0:2, :] = 0
    for y in range(2, 100):
        x = 99 - int(0.45 * y)
        canvas[y, x - 2:x + 2] = 0
    canvas[:, 0] = 200  # light falling off at the left edge: cleaned as a photo
    out = preprocess(canvas)
    assert out[:8].max() > 0.5  # the bar is still there, at the top


@pytest.mark.parametrize("shape", [(1, 40), (40, 1), (5, 7), (20, 20), (30, 30)])
def test_small_pictures_with_uneven_paper_give_an_input_or_an_error_never_a_crash(shape):
    image = np.full(shape, 255, np.uint8)
    image[..., :1] = 120  # a border that varies, as on a photo (all of a 1-pixel-wide one)
    image[shape[0] // 2, shape[1] // 2] = 0
    try:
        assert preprocess(image).shape == (28, 28)
    except ImageError:  # "nothing drawn" or "not a digit", said in words
        pass
