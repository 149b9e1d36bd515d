"""The headless app drawing and answering: synthetic touch, mouse and key events, a fake clock."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app.controller import SETTLE_SECONDS  # noqa: E402
from edge_app.app.pointer import JOIN_SECONDS  # noqa: E402
from tests.apphelpers import (  # noqa: E402
    ONE,
    SEVEN,
    ZERO,
    draw,
    finger_event,
    finger_stroke,
    mouse_stroke,
    press,
    settle,
    to_screen,
)


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
