"""Correcting answers and reading numbers in the app."""

from __future__ import annotations

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
    assert not app.correcting and "one digit at a time" in app.message
