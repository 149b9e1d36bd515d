"""Pointer gestures without pygame: plain tuples and a fake clock."""

from __future__ import annotations

from edge_app.app.pointer import JOIN_SECONDS, LONG_PRESS_SECONDS, MOUSE, PointerTracker, Regions

REGIONS = Regions(canvas=(0, 0, 100, 100), buttons=((120, 80, 40, 20), (170, 80, 40, 20)),
                  header=(120, 0, 90, 20))


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def tracker() -> PointerTracker:
    return PointerTracker(REGIONS, brush=5, clock=Clock())


def verbs(intents) -> list[str]:
    return [i.verb for i in intents]


def test_a_stroke_in_canvas_coordinates():
    p = tracker()
    assert verbs(p.handle("down", MOUSE, (10, 10))) == ["begin"]
    assert p.handle("move", MOUSE, (20, 30))[0].point == (20, 30)
    assert verbs(p.handle("up", MOUSE, (25, 30))) == ["end"]
    assert p.handle("move", MOUSE, (40, 40)) == []  # no button held: nothing


def test_one_finger_draws_and_a_second_is_ignored():
    p = tracker()
    p.handle("down", 1, (10, 10), touch=True)
    assert p.handle("down", 2, (50, 50), touch=True) == []
    assert p.handle("move", 2, (60, 60), touch=True) == []
    assert p.handle("up", 2, (60, 60), touch=True) == []
    assert verbs(p.handle("up", 1, (12, 12), touch=True)) == ["end"]


def test_taps_close_in_time_and_space_continue_the_stroke():
    p = tracker()
    p.handle("down", 1, (10, 10), touch=True)
    p.handle("up", 1, (10, 10), touch=True)
    p.clock.t += JOIN_SECONDS / 2
    assert verbs(p.handle("down", 1, (14, 10), touch=True)) == ["resume"]
    p.handle("up", 1, (14, 10), touch=True)
    p.clock.t += JOIN_SECONDS * 2  # too late
    assert verbs(p.handle("down", 1, (15, 10), touch=True)) == ["begin"]
    p.handle("up", 1, (15, 10), touch=True)
    assert verbs(p.handle("down", 1, (90, 90), touch=True)) == ["begin"]  # too far


def test_mouse_clicks_never_join():
    p = tracker()
    p.handle("down", MOUSE, (10, 10))
    p.handle("up", MOUSE, (10, 10))
    assert verbs(p.handle("down", MOUSE, (11, 10))) == ["begin"]


def test_buttons_act_only_when_released_over_the_same_button():
    p = tracker()
    assert verbs(p.handle("down", MOUSE, (130, 85))) == ["press"]
    assert p.handle("move", MOUSE, (50, 50)) == []  # sliding into the canvas draws nothing
    assert verbs(p.handle("up", MOUSE, (50, 50))) == ["release"]
    p.handle("down", MOUSE, (130, 85))
    assert verbs(p.handle("up", MOUSE, (180, 85))) == ["release"]  # over another button
    p.handle("down", MOUSE, (130, 85))
    intents = p.handle("up", MOUSE, (135, 88))
    assert verbs(intents) == ["activate"] and intents[0].target == 0


def test_copies_are_touches_until_fingers_are_seen():
    p = tracker()
    assert p.handle("down", MOUSE, (10, 10), touch=True, copy=True)[0].touch
    assert p.handle("up", MOUSE, (10, 10), touch=True, copy=True)[0].touch
    p.handle("down", 7, (30, 30), touch=True)
    p.handle("up", 7, (30, 30), touch=True)
    assert p.handle("down", MOUSE, (50, 50), touch=True, copy=True) == []


def test_non_finite_positions_are_ignored():
    p = tracker()
    assert p.handle("down", MOUSE, (float("nan"), 3)) == []
    p.handle("down", MOUSE, (10, 10))
    assert p.handle("move", MOUSE, (float("inf"), 3)) == []


def test_long_press_on_the_header_only():
    p = tracker()
    p.handle("down", MOUSE, (150, 10))
    p.clock.t += LONG_PRESS_SECONDS / 2
    assert p.update() == []
    p.clock.t += LONG_PRESS_SECONDS
    assert verbs(p.update()) == ["long_press"]
    assert p.update() == []  # once per press
    p.handle("up", MOUSE, (150, 10))
    p.handle("down", MOUSE, (10, 10))  # on the canvas: drawing, never a long press
    p.clock.t += 10
    assert p.update() == []
