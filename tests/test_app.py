"""The pygame app, headless: synthetic touch, mouse and key events drive the real widgets."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app import actions  # noqa: E402
from edge_app.app.controller import SETTLE_SECONDS, DigitApp  # noqa: E402
from edge_app.app.layout import compute_layout  # noqa: E402
from edge_app.app.pointer import JOIN_SECONDS  # noqa: E402
from edge_app.rotation import Rotation  # noqa: E402
from tests.helpers import MODELS  # noqa: E402

# Strokes in canvas fractions (0-1), one list of points per stroke.
SEVEN = [[(0.2, 0.2), (0.5, 0.2), (0.8, 0.2), (0.65, 0.5), (0.5, 0.85)]]
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]
ZERO = [[(0.5 + 0.22 * np.sin(t), 0.5 - 0.33 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 40)]]


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture()
def make_app(tmp_path):
    pygame.display.init()
    pygame.font.init()

    def make(size=(800, 480), rotate=0, **kwargs):
        physical = pygame.display.set_mode(size)
        rotation = Rotation(rotate, size)
        screen = physical if rotate == 0 else pygame.Surface(rotation.logical_size)
        kwargs.setdefault("save_dir", tmp_path / "saved")
        app = DigitApp(screen, rotation=rotation, clock=FakeClock(), **kwargs)
        app.draw()
        return app

    yield make
    pygame.quit()


def settle(app, seconds=1.0):
    """Lets time pass so that a pending live classification runs."""
    app.clock.t += seconds
    app.update()


def to_screen(app, point):
    c = app.layout.canvas
    return (c.x + point[0] * c.w, c.y + point[1] * c.h)


def mouse_stroke(app, points, touch=False):
    pts = [to_screen(app, p) for p in points]
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pts[0], button=1, touch=touch))
    for p in pts[1:]:
        app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0),
                                      touch=touch))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pts[-1], button=1, touch=touch))


def finger_event(app, kind, point, finger=0):
    """A touch at a canvas-fraction point, in the panel's coordinates as SDL reports them."""
    w, h = app.rotation.physical_size
    x, y = app.rotation.to_physical(to_screen(app, point))
    app.handle(pygame.event.Event(kind, finger_id=finger, touch_id=1, x=x / w, y=y / h, dx=0,
                                  dy=0, pressure=1))
    return x, y


def finger_stroke(app, points, finger=0, with_emulated_mouse=False):
    kinds = [pygame.FINGERDOWN] + [pygame.FINGERMOTION] * (len(points) - 2) + [pygame.FINGERUP]
    mouse_kinds = {pygame.FINGERDOWN: pygame.MOUSEBUTTONDOWN,
                   pygame.FINGERMOTION: pygame.MOUSEMOTION, pygame.FINGERUP: pygame.MOUSEBUTTONUP}
    for kind, p in zip(kinds, points):
        x, y = finger_event(app, kind, p, finger)
        if with_emulated_mouse:
            # SDL's mouse copy of the touch; shifted here so that drawing it would show.
            app.handle(pygame.event.Event(mouse_kinds[kind], pos=(x + 25, y + 25), button=1,
                                          buttons=(1, 0, 0), rel=(0, 0), touch=True))


def button(app, name):
    """The screen rect of the button that runs `name` in the row now shown."""
    row = actions.MENU if app.menu_open else actions.MAIN
    return app.layout.buttons[[a.name for a in row].index(name)]


def press(app, name, release_at=None):
    """Presses a button with the mouse and lets go (over it, or at `release_at`)."""
    rect = button(app, name)
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1, touch=False))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=release_at or rect.center, button=1,
                                  touch=False))


def key(app, k):
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))


def draw(app, strokes, **kwargs):
    for stroke in strokes:
        mouse_stroke(app, stroke, **kwargs)


@pytest.mark.parametrize("strokes, digit", [(SEVEN, 7), (ONE, 1), (ZERO, 0)])
def test_mouse_drawing_is_recognised_when_the_stroke_ends(make_app, strokes, digit):
    app = make_app()
    draw(app, strokes)
    assert app.prediction is not None and app.prediction.digit == digit
    assert app.model_input.shape == (28, 28) and app.latency_ms > 0


def test_touch_with_sdl_mouse_copies_draws_the_finger_stroke_once(make_app):
    touch_only = make_app()
    finger_stroke(touch_only, SEVEN[0])
    both = make_app()
    finger_stroke(both, [(0.5, 0.5), (0.5, 0.55)])  # fingers have been seen ...
    settle(both)
    press(both, "clear")
    finger_stroke(both, SEVEN[0], with_emulated_mouse=True)  # ... so the copies are ignored
    assert len(both.canvas.strokes) == 1
    assert np.array_equal(touch_only.canvas.strokes[0], both.canvas.strokes[0])
    settle(both)
    assert both.prediction.digit == 7


def test_mouse_copies_alone_are_touches(make_app):
    """XWayland delivers touches only as mouse events marked `touch`: they still join taps."""
    app = make_app()
    mouse_stroke(app, SEVEN[0], touch=True)
    assert app.prediction is None  # a touch waits for a possible next tap
    settle(app)
    assert app.prediction.digit == 7


def test_copy_first_then_finger_hands_the_stroke_over(make_app):
    """SDL sends the mouse copy of a touch before the finger event."""
    app = make_app()
    w, h = app.rotation.physical_size
    pts = [to_screen(app, p) for p in SEVEN[0]]
    kinds = [pygame.FINGERDOWN] + [pygame.FINGERMOTION] * (len(pts) - 2) + [pygame.FINGERUP]
    mouse = {pygame.FINGERDOWN: pygame.MOUSEBUTTONDOWN, pygame.FINGERMOTION: pygame.MOUSEMOTION,
             pygame.FINGERUP: pygame.MOUSEBUTTONUP}
    for kind, (x, y) in zip(kinds, pts):
        app.handle(pygame.event.Event(mouse[kind], pos=(round(x), round(y)), button=1,
                                      buttons=(1, 0, 0), rel=(0, 0), touch=True))
        app.handle(pygame.event.Event(kind, finger_id=3, touch_id=1, x=x / w, y=y / h, dx=0,
                                      dy=0, pressure=1))
    stroke = app.canvas.strokes
    assert len(stroke) == 1 and len(stroke[0]) == len(pts)
    c = app.layout.canvas
    # After the first point, the precise finger positions, not the copies' whole pixels.
    assert np.allclose(stroke[0][1:], [(x - c.x, y - c.y) for x, y in pts[1:]], atol=1e-3)


def test_touch_classifies_once_the_finger_has_stayed_up(make_app):
    app = make_app()
    finger_stroke(app, SEVEN[0])
    assert app.prediction is None  # a tap-only panel's next sample may still continue it
    settle(app, JOIN_SECONDS / 2)
    assert app.prediction is None
    settle(app, JOIN_SECONDS)
    assert app.prediction.digit == 7


def test_panel_with_only_touch_and_lift_still_draws_strokes(make_app):
    app = make_app()
    path = [(0.2 + 0.05 * i, 0.2) for i in range(13)] + [
        (0.8 - 0.03 * i, 0.2 + 0.05 * i) for i in range(1, 14)]
    for p in path:  # every sample a separate tap, 10 ms apart, no motion events
        finger_event(app, pygame.FINGERDOWN, p)
        finger_event(app, pygame.FINGERUP, p)
        app.clock.t += 0.01
        app.update()
    assert len(app.canvas.strokes) == 1
    row = app.canvas.pixels()[int(0.2 * app.layout.canvas.h)]
    inked = np.flatnonzero(row < 128)
    assert np.all(np.diff(inked) == 1) and inked.size >= 0.55 * app.layout.canvas.w
    settle(app)
    assert app.prediction.digit == 7


def test_taps_far_apart_in_time_or_space_are_separate_strokes(make_app):
    app = make_app()
    finger_stroke(app, [(0.3, 0.3), (0.3, 0.31)])
    app.clock.t += 1.0  # a deliberate lift
    finger_stroke(app, [(0.32, 0.32), (0.33, 0.33)])
    finger_stroke(app, [(0.9, 0.9), (0.9, 0.91)])  # at once, but across the canvas
    assert len(app.canvas.strokes) == 3


def test_a_second_finger_does_not_draw(make_app):
    app = make_app()
    finger_event(app, pygame.FINGERDOWN, (0.5, 0.5))
    before = app.canvas.pixels().copy()
    finger_stroke(app, [(0.1, 0.1), (0.3, 0.3), (0.4, 0.1)], finger=1)
    assert np.array_equal(before, app.canvas.pixels())


def test_fast_strokes_stay_continuous(make_app):
    app = make_app()
    mouse_stroke(app, [(0.1, 0.5), (0.9, 0.5)])  # two events far apart
    row = app.canvas.pixels()[app.canvas.surface.get_height() // 2]
    inked = np.flatnonzero(row < 128)
    assert inked.size and np.all(np.diff(inked) == 1)  # no gaps along the line
    assert inked.size >= 0.8 * app.layout.canvas.w


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


def models_copy(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    for f in MODELS.glob("*.tflite"):
        shutil.copy(f, models)
    shutil.copy(MODELS / "manifest.json", models)
    return models


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


def test_redraws_only_what_changed(make_app):
    app = make_app()
    mouse_stroke(app, [(0.4, 0.4), (0.45, 0.42)])
    app.draw()
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=to_screen(app, (0.5, 0.5)),
                                  button=1, touch=False))
    rects = app.draw()  # a dab of ink: that spot only
    assert rects and sum(r.w * r.h for r in rects) < 0.05 * 800 * 480
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=to_screen(app, (0.5, 0.5)),
                                  button=1, touch=False))
    app.draw()
    draw(app, SEVEN)
    app.canvas.take_dirty()
    settle(app)  # the answer settles: the panel changes, the canvas does not
    rects = app.draw()
    assert rects == [app.layout.panel] and not app.layout.panel.colliderect(app.layout.canvas)


@pytest.mark.parametrize("size", [(800, 480), (720, 1280), (1024, 600), (480, 320),
                                  (1920, 1080), (480, 800)])
def test_layout_fits_the_screen(make_app, size):
    app = make_app(size)
    screen = pygame.Rect((0, 0), size)
    layout = app.layout
    for rect in layout.buttons:
        assert screen.contains(rect), rect
        assert rect.w >= 48 and rect.h >= 48
        assert not rect.colliderect(layout.canvas)
    for action in actions.ALL:  # every label fits its button in one of the panel's fonts
        assert app.panel.fonts["small"].size(action.label)[0] < min(r.w for r in layout.buttons)
    assert screen.contains(layout.canvas) and min(layout.canvas.size) >= 0.4 * min(size)
    rects = list(layout.buttons)
    assert not any(a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    for part in (layout.header, layout.digit, layout.info, layout.thumb, layout.bars,
                 layout.status):
        assert screen.contains(part) and not part.colliderect(layout.canvas)
        assert part.h > 0 and part.w > 0
    draw(app, SEVEN)
    app._full_redraw = True
    assert app.draw() == [screen]


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_rotation_maps_corners_and_round_trips(degrees):
    r = Rotation(degrees, (480, 800))
    lw, lh = r.logical_size
    assert (lw, lh) == ((800, 480) if degrees in (90, 270) else (480, 800))
    for point in [(0, 0), (lw - 1, 0), (0, lh - 1), (lw - 1, lh - 1), (123, 45)]:
        px, py = r.to_physical(point)
        assert 0 <= px < 480 and 0 <= py < 800
        assert r.to_logical((px, py)) == pytest.approx(point)
    # Turned clockwise by 90°, the app's top-left corner is at the panel's top-right.
    if degrees == 90:
        assert r.to_physical((0, 0)) == (479, 0)


def test_rotation_present_turns_the_picture_clockwise(make_app):
    pygame.display.set_mode((4, 6))
    rotation = Rotation(90, (4, 6))
    upright = pygame.Surface(rotation.logical_size)  # 6 wide, 4 high
    upright.fill((0, 0, 0))
    upright.set_at((0, 0), (255, 0, 0))
    panel = pygame.Surface((4, 6))
    rotation.present(upright, panel)
    assert panel.get_at((3, 0))[:3] == (255, 0, 0)


def test_touch_on_a_rotated_panel_draws_where_the_finger_is(make_app):
    app = make_app((480, 800), rotate=90)  # a landscape panel mounted upright
    assert app.layout.size == (800, 480)
    finger_stroke(app, SEVEN[0])
    settle(app)
    assert app.prediction.digit == 7
    ink = app.canvas.pixels() < 128
    ys, xs = np.nonzero(ink)
    side = app.layout.canvas.w
    # The stroke lies where the 7 was drawn: its top bar near 20 % of the canvas height.
    assert abs(ys.min() / side - 0.2) < 0.06 and abs(xs.min() / side - 0.2) < 0.06
    press_at = app.rotation.to_physical(button(app, "clear").center)
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=press_at, button=1, touch=False))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=press_at, button=1, touch=False))
    assert app.canvas.blank


def test_compute_layout_is_pure():
    assert compute_layout(800, 480).canvas == compute_layout(800, 480).canvas


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


def test_answer_stays_muted_until_the_drawing_pauses(make_app):
    app = make_app()
    draw(app, ONE)
    assert app.prediction.digit == 1 and not app.view().settled  # more strokes may come
    app.clock.t += SETTLE_SECONDS / 2
    app.update()
    draw(app, [[(0.2, 0.2), (0.5, 0.2)]])  # the second stroke of a 7, in time
    assert app.prediction.digit == 7 and not app.view().settled
    settle(app, SETTLE_SECONDS)
    assert app.view().settled and app.message.startswith("7")


def test_without_live_the_old_answer_is_marked_stale(make_app):
    app = make_app(live=False)
    draw(app, ONE)
    assert app.prediction is None and "Classify" in app.message
    press(app, "classify")
    assert app.prediction.digit == 1 and app.view().settled
    draw(app, [[(0.2, 0.2), (0.5, 0.2)]])
    assert not app.view().settled and "press Classify" in app.message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 2.0 ** 31, -1e12])
def test_wild_pointer_coordinates_are_clamped_or_ignored(make_app, bad):
    app = make_app()
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=to_screen(app, (0.5, 0.5)),
                                  button=1, touch=False))
    for pos in [(bad, 100.0), (100.0, bad), (bad, bad)]:
        app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                      buttons=(1, 0, 0), touch=False))
    for x, y in [(bad, 0.5), (0.5, bad)]:
        app.handle(pygame.event.Event(pygame.FINGERDOWN, finger_id=5, touch_id=1, x=x, y=y,
                                      dx=0, dy=0, pressure=1))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=to_screen(app, (0.5, 0.6)),
                                  button=1, touch=False))
    rects = app.draw()
    w, h = app.layout.canvas.size
    assert all(np.isfinite(s).all() and (s >= 0).all() and (s[:, 0] < w).all()
               and (s[:, 1] < h).all() for s in app.canvas.strokes)
    assert all(app.screen.get_rect().contains(r) for r in rects)


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


def test_the_model_sees_the_same_digit_whatever_size_it_was_drawn(make_app):
    app = make_app()
    inputs = []
    for scale in (1.0, 0.3):  # a 7 over most of the canvas, then a small one in a corner
        press(app, "clear")
        draw(app, [[(0.05 + scale * (x - 0.05), 0.05 + scale * (y - 0.05)) for x, y in SEVEN[0]]])
        settle(app)
        assert app.prediction.digit == 7
        inputs.append(app.model_input)
    assert np.abs(inputs[0] - inputs[1]).mean() < 0.02


@pytest.mark.parametrize("mark", [[[(0.5, 0.5)]], [[(0.3, 0.5), (0.7, 0.5)]]])
def test_a_dot_or_a_dash_is_not_guessed(make_app, mark):
    app = make_app()
    draw(app, mark)
    settle(app)
    assert app.prediction is None and app.warn
    app.draw()


def strip_tap(app, digit):
    """Taps digit `digit` on the correction strip with a finger."""
    w, h = app.rotation.physical_size
    x, y = app.layout.strip[digit].center
    for kind in (pygame.FINGERDOWN, pygame.FINGERUP):
        app.handle(pygame.event.Event(kind, finger_id=0, touch_id=1, x=x / w, y=y / h, dx=0,
                                      dy=0, pressure=1))


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
