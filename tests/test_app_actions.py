"""The app's buttons, keys, models, saving and settings, driven by synthetic events."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from tests.apphelpers import (  # noqa: E402
    ONE,
    SEVEN,
    button,
    draw,
    key,
    models_copy,
    press,
    settle,
    to_screen,
)


def test_classify_button_and_keys_with_live_off(make_app):
    app = make_app(live=False)
    draw(app, SEVEN)
    assert app.prediction is None
    press(app, "classify")
    assert app.prediction.digit == 7
    key(app, pygame.K_c)
    assert app.canvas.blank and app.prediction is None
    draw(app, ONE)
    key(app, pygame.K_SPACE)
    assert app.prediction.digit == 1
    key(app, pygame.K_RETURN)
    assert app.prediction.digit == 1


def test_clear_button(make_app):
    app = make_app()
    draw(app, SEVEN)
    press(app, "clear")
    assert app.canvas.blank and app.prediction is None and app.model_input is None
    assert (app.canvas.pixels() == 255).all()


def test_model_button_cycles_every_model_and_reclassifies(make_app):
    app = make_app()
    draw(app, SEVEN)
    seen = [app.model_name]
    for _ in range(len(app.models.slots)):
        press(app, "next_model")
        seen.append(app.model_name)
        assert app.prediction.digit == 7  # re-classified with the new model at once
    assert seen[0] == seen[-1] == "cnn_int8"
    assert sorted(set(seen)) == sorted(f"{n}_{q}" for n in ("mlp", "cnn")
                                       for q in ("float32", "float16", "dynamic", "int8"))
    old = app.prediction
    key(app, pygame.K_m)
    assert app.prediction is not old and app.model_name != seen[-1]
    # The new answer is the new model's own for the same drawing.
    expected = app.classifier.predict(app.model_input).probabilities
    assert np.array_equal(app.prediction.probabilities, expected)


def test_save_writes_both_images_and_never_overwrites(make_app, tmp_path):
    app = make_app()
    draw(app, SEVEN)
    press(app, "save")
    key(app, pygame.K_s)  # the same second, the same digit: must not replace the first pair
    files = sorted(p.name for p in (tmp_path / "saved").iterdir()
                   if not p.name.endswith(".json"))
    assert len(files) == 4, files
    assert all("digit7" in f and "cnn_int8" in f for f in files)
    assert app.message.startswith("Saved to")
    smalls = [f for f in files if f.endswith("_28x28.png")]
    assert len(smalls) == 2
    image = pygame.image.load(str(tmp_path / "saved" / smalls[0]))
    assert image.get_size() == (28, 28)
    full = pygame.image.load(str(tmp_path / "saved" / sorted(set(files) - set(smalls))[0]))
    assert full.get_size() == app.layout.canvas.size


def test_save_failure_is_shown_and_loses_nothing(make_app, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("keep me")
    app = make_app(save_dir=blocker)
    draw(app, SEVEN)
    press(app, "save")
    assert app.message.startswith("Not saved")
    assert blocker.read_text() == "keep me"


def test_blank_canvas_is_not_guessed(make_app, tmp_path):
    app = make_app()
    press(app, "classify")
    assert app.prediction is None and "Draw a digit" in app.message
    press(app, "save")
    assert "Nothing to save" in app.message and not (tmp_path / "saved").exists()


def test_quit_keys_and_window_close(make_app):
    for event in (pygame.event.Event(pygame.QUIT),):
        app = make_app()
        app.handle(event)
        assert not app.running
    for k in (pygame.K_ESCAPE, pygame.K_q):
        app = make_app()
        key(app, k)
        assert not app.running

def test_broken_start_model_is_reported_in_full_and_the_next_one_used(make_app, tmp_path):
    models = models_copy(tmp_path)
    (models / "cnn_int8.tflite").write_bytes(b"broken")
    app = make_app(models_dir=models)
    assert app.classifier is not None and app.model_name != "cnn_int8"
    assert app.warn and "cnn_int8" in app.message and "SHA-256" in app.message
    assert "cnn_int8" not in [s.name for s in app.models.slots]
    draw(app, SEVEN)
    assert app.prediction.digit == 7


def test_mistyped_start_model_falls_back_to_the_default(make_app):
    app = make_app(model="nosuch")
    assert app.model_name == "cnn_int8"
    assert app.warn and "nosuch" in app.message
    app.draw()  # the long message wraps over the bars rather than being cut


def test_broken_model_in_the_cycle_is_skipped_with_a_message(make_app, tmp_path):
    models = models_copy(tmp_path)
    (models / "mlp_float32.tflite").write_bytes(b"broken")
    app = make_app(models_dir=models)  # starts at cnn_int8, the last: mlp_float32 comes next
    press(app, "next_model")
    assert app.model_name == "mlp_float16"
    assert "Skipped" in app.message and "mlp_float32" in app.message

def test_save_classifies_again_when_the_drawing_changed_since(make_app, tmp_path):
    from edge_app.strokes import render

    app = make_app(live=False)
    draw(app, ONE)
    press(app, "classify")
    assert app.prediction.digit == 1
    draw(app, [[(0.2, 0.2), (0.5, 0.2)]])  # a top bar: the drawing is now a 7
    press(app, "save")
    assert app.prediction.digit == 7
    assert np.array_equal(app.model_input, render(app.canvas.strokes, app.canvas.size))
    assert all("digit7" in p.name for p in (tmp_path / "saved").iterdir())


def test_buttons_act_on_release_inside_the_same_button(make_app):
    app = make_app()
    draw(app, SEVEN)
    press(app, "clear", release_at=to_screen(app, (0.5, 0.5)))  # slid off into the canvas
    assert not app.canvas.blank and len(app.canvas.strokes) == 1
    before = app.canvas.pixels().copy()
    rect = button(app, "classify")
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1, touch=False))
    for p in [(0.3, 0.3), (0.6, 0.6)]:  # a finger that pressed a button does not draw
        app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=to_screen(app, p), rel=(0, 0),
                                      buttons=(1, 0, 0), touch=False))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=to_screen(app, (0.6, 0.6)),
                                  button=1, touch=False))
    assert np.array_equal(before, app.canvas.pixels())
    press(app, "clear")
    assert app.canvas.blank


def test_undo_takes_back_the_last_stroke_and_a_clear(make_app):
    app = make_app()
    draw(app, ONE + [[(0.2, 0.2), (0.5, 0.2)]])  # a 1, then a top bar
    press(app, "undo")
    assert len(app.canvas.strokes) == 1
    settle(app)
    assert app.prediction.digit == 1
    press(app, "clear")
    assert app.canvas.blank
    press(app, "undo")
    assert len(app.canvas.strokes) == 1 and app.prediction.digit == 1
    key(app, pygame.K_u)
    key(app, pygame.K_u)
    assert app.canvas.blank and "Nothing to undo" in app.message

def test_long_press_on_the_header_opens_settings_where_quit_is(make_app):
    app = make_app()
    header = app.layout.header.center
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=header, button=1, touch=False))
    settle(app, 0.5)
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=header, button=1, touch=False))
    assert not app.menu_open  # a short tap does nothing
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=header, button=1, touch=False))
    settle(app, 2.0)
    assert app.menu_open
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=header, button=1, touch=False))
    app.draw()
    press(app, "toggle_live")
    assert not app.live
    press(app, "close_menu")
    assert not app.menu_open and app.running
    key(app, pygame.K_l)
    assert app.live
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=header, button=1, touch=False))
    settle(app, 2.0)
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=header, button=1, touch=False))
    press(app, "quit")
    assert not app.running


def test_save_error_names_the_folder(make_app, tmp_path):
    app = make_app(save_dir=tmp_path / "file" / "sub")
    (tmp_path / "file").write_text("not a folder")
    draw(app, SEVEN)
    press(app, "save")
    assert app.message.startswith("Not saved to") and "file/sub" in app.message
