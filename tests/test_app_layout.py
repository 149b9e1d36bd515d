"""The app's layout on every screen size, and rotated panels."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app import actions  # noqa: E402
from edge_app.app.layout import compute_layout  # noqa: E402
from edge_app.rotation import Rotation  # noqa: E402
from tests.apphelpers import (  # noqa: E402
    SEVEN,
    button,
    draw,
    finger_stroke,
    settle,
)


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
    # The buttons are drawn into the panel's base, before the answer: nothing may overlap them.
    for part in (layout.header, layout.digit, layout.info, layout.thumb, layout.bars,
                 layout.status, *layout.strip):
        assert not any(part.colliderect(b) for b in layout.buttons), part
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
