"""Driving the headless app in tests: strokes, touches, buttons, keys, and a fake clock."""

from __future__ import annotations

import shutil

import numpy as np
import pygame

from edge_app.app import actions
from tests.helpers import MODELS

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


def models_copy(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    for f in MODELS.glob("*.tflite"):
        shutil.copy(f, models)
    shutil.copy(MODELS / "manifest.json", models)
    return models


def strip_tap(app, digit):
    """Taps digit `digit` on the correction strip with a finger."""
    w, h = app.rotation.physical_size
    x, y = app.layout.strip[digit].center
    for kind in (pygame.FINGERDOWN, pygame.FINGERUP):
        app.handle(pygame.event.Event(kind, finger_id=0, touch_id=1, x=x / w, y=y / h, dx=0,
                                      dy=0, pressure=1))
