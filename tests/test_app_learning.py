"""Correcting answers and reading numbers in the app."""

from __future__ import annotations

import json

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from tests.apphelpers import (  # noqa: E402
    ONE,
    SEVEN,
    draw,
    key,
    press,
    settle,
    strip_tap,
)


def test_a_correction_is_saved_learnt_and_kept_across_restarts(make_app, tmp_path):
    app = make_app()
    draw(app, SEVEN)
    settle(app)
    wrong = 3 if app.prediction.digit != 3 else 5  # teach it something else for this drawing
    press(app, "correct")
    assert app.correcting and app.view().strip
    strip_tap(app, wrong)
    assert not app.correcting and app.prediction.digit == wrong
    assert "adapted: 1 example" in app.view().adaptation
    saved = [p for p in (tmp_path / "saved").iterdir() if p.suffix == ".json"]
    assert len(saved) == 1 and f"digit{wrong}" in saved[0].name
    assert '"confirmed":true' in saved[0].read_text()

    again = make_app()  # a restart: the same save folder
    draw(again, SEVEN)
    settle(again)
    assert again.prediction.digit == wrong
    again.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a",
                                    scancode=0))  # adaptation off
    press(again, "classify")
    assert again.prediction.digit != wrong and "off" in again.view().adaptation
    key(again, pygame.K_a)
    again.forget()
    press(again, "classify")
    assert again.prediction.digit != wrong and again.view().adaptation == ""
    assert again.recognizer.adapter.count == 0


def test_correct_can_be_cancelled_and_keys_label_too(make_app, tmp_path):
    app = make_app()
    draw(app, ONE)
    press(app, "correct")
    press(app, "correct")  # now "Cancel"
    assert not app.correcting and not (tmp_path / "saved").exists()
    press(app, "correct")
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0, unicode="1",
                                  scancode=0))
    assert not app.correcting and len(list((tmp_path / "saved").glob("*.json"))) == 1


def test_a_leaning_four_in_two_strokes_is_one_digit(make_app):
    app = make_app()
    # The bar ends where the leaning upright passes: their boxes barely overlap, so the
    # grouping alone would read "41"; the model reads the whole as a sure 4.
    bar = [(0.544, 0.15), (0.25, 0.605), (0.614, 0.605)]
    upright = [(0.775, 0.15), (0.53, 0.85)]
    draw(app, [bar, upright])
    settle(app)
    assert app.answer.number is None and app.prediction.digit == 4


def test_two_digits_side_by_side_read_as_a_number(make_app, tmp_path):
    app = make_app()
    one = [[(0.2, 0.25), (0.2, 0.5), (0.2, 0.75)]]
    seven = [[(0.5, 0.25), (0.8, 0.25), (0.62, 0.75)]]
    draw(app, one + seven)
    settle(app)
    assert app.answer.number == "17" and app.prediction is None
    assert len(app.view().number) == 2 and app.view().settled and "17" in app.message
    app.draw()
    press(app, "save")
    assert all("number17" in p.name for p in (tmp_path / "saved").iterdir())
    press(app, "correct")
    assert app.correcting and "One digit, not a number?" in app.message
    press(app, "correct")  # "Cancel": still the number
    assert not app.correcting and app.answer.number == "17"


def test_a_digit_read_as_a_number_is_corrected_as_one_digit(make_app, tmp_path):
    app = make_app()
    # An open 4 with a low bar that stops short of the upright: the grouping keeps the L and
    # the upright apart, the L is too tall to hang from the upright's top and ends too near
    # its foot to rise beside it (joins.OPEN_RISE), and the model reads each piece as a digit.
    four = [[(0.3, 0.2), (0.28, 0.74), (0.55, 0.74)], [(0.62, 0.2), (0.62, 0.85)]]
    draw(app, four)
    settle(app)
    assert app.answer.number is not None
    press(app, "correct")
    strip_tap(app, 4)
    assert app.answer.number is None and app.prediction.digit == 4
    assert "Learnt: that is a 4" in app.message
    saved = [p.read_text() for p in (tmp_path / "saved").glob("*.json")]
    assert len(saved) == 1 and '"label":4' in saved[0] and '"confirmed":true' in saved[0]
    assert len(json.loads(saved[0])["strokes"]) == 2  # the whole drawing, as one digit

    draw(app, [[(0.8, 0.3), (0.8, 0.8)]])  # the drawing changed: read afresh
    settle(app)
    assert app.answer.number is not None and len(app.answer.digits) >= 2


def test_a_number_that_is_no_digit_as_a_whole_stays_a_number(make_app, tmp_path):
    app = make_app()
    # "0000": as one drawing its loops turn four times round, which no digit does.
    row = [[(x + 0.08 * np.sin(t), 0.5 - 0.12 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 24)]
           for x in (0.15, 0.38, 0.61, 0.84)]
    draw(app, row)
    settle(app)
    assert app.answer.number == "0000"
    press(app, "correct")
    strip_tap(app, 0)
    assert "Not learnt" in app.message and app.answer.number == "0000"
    assert not (tmp_path / "saved").exists()
