"""Pointer gestures, pure: which finger draws, taps joined into strokes, buttons on release."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Hashable

# Touch panels that report only touches and lifts send a tap per sample: a tap this soon after
# a lift, and this close to it, continues the stroke. A person lifting a finger to start a new
# stroke takes longer and lands farther away.
JOIN_SECONDS = 0.15
JOIN_BRUSHES = 3  # distance, in brush widths
LONG_PRESS_SECONDS = 1.5  # holding the header this long opens the settings row
MOUSE = "mouse"
TOUCH_MOUSE = "touch-mouse"  # SDL's mouse copy of a touch

Point = tuple[float, float]


@dataclass(frozen=True)
class Intent:
    """What a gesture means for the app.

    verb: "begin", "resume", "extend" or "end" (a stroke; `point` in canvas pixels),
        "press" / "release" (a button is held / let go without acting; `target` its index),
        "activate" (a button released where it was pressed), "long_press" (the header).
    """

    verb: str
    point: Point | None = None
    target: int | None = None
    touch: bool = False


@dataclass
class Regions:
    """The hit areas, as (x, y, w, h) in screen pixels; pygame.Rect fits."""

    canvas: tuple[int, int, int, int]
    buttons: tuple[tuple[int, int, int, int], ...]
    header: tuple[int, int, int, int]


def _inside(rect, point: Point) -> bool:
    x, y, w, h = rect
    return x <= point[0] < x + w and y <= point[1] < y + h


@dataclass
class PointerTracker:
    """Turns down/move/up events of mouse and fingers into drawing and button intents.

    One pointer at a time: a second finger while one draws is ignored. SDL copies each touch as
    a mouse event marked `touch`; once real finger events have been seen those copies are
    ignored, and before that (e.g. XWayland, which delivers touches only as mouse events) they
    are handled as touches.

    Args:
        regions: where the canvas, buttons and header are.
        brush: the canvas brush width in pixels (for joining taps).
        clock: monotonic seconds; tests pass a fake one.
    """

    regions: Regions
    brush: float
    clock: Callable[[], float]
    _owner: Hashable | None = None
    _owner_touch: bool = False
    _target: str | int | None = None  # "canvas", a button index, or "header"
    _pressed_at: float = 0.0
    _long_done: bool = False
    _fingers_seen: bool = False
    _last_lift: tuple[float, Point] | None = field(default=None, repr=False)

    def handle(self, kind: str, pointer: Hashable, pos: Point, touch: bool = False,
               copy: bool = False) -> list[Intent]:
        """Applies one event.

        Args:
            kind: "down", "move" or "up".
            pointer: a finger id, MOUSE, or TOUCH_MOUSE.
            pos: screen pixels (upright); non-finite positions are ignored.
            touch: it comes from a touch (finger, or a mouse copy of one).
            copy: SDL's mouse copy of a touch.

        Returns:
            What the event means, in order.
        """
        if not (math.isfinite(pos[0]) and math.isfinite(pos[1])):
            return []
        if copy:
            if self._fingers_seen:
                return []  # the finger event says the same
            pointer = TOUCH_MOUSE
        elif touch:
            self._fingers_seen = True
            if kind == "down" and self._owner == TOUCH_MOUSE:
                self._owner = pointer  # the copy came first: the finger takes its stroke over
                return []
        if kind == "down":
            return self._down(pointer, pos, touch)
        if pointer != self._owner:
            return []
        if kind == "move":
            return [Intent("extend", self._local(pos))] if self._target == "canvas" else []
        return self._up(pos)

    def _down(self, pointer: Hashable, pos: Point, touch: bool) -> list[Intent]:
        if self._owner is not None:
            return []  # a second finger while one is down: ignore it
        self._owner, self._owner_touch = pointer, touch
        self._pressed_at, self._long_done = self.clock(), False
        if _inside(self.regions.canvas, pos):
            self._target = "canvas"
            local = self._local(pos)
            verb = "resume" if touch and self._continues_last_stroke(local) else "begin"
            return [Intent(verb, local, touch=touch)]
        for i, rect in enumerate(self.regions.buttons):
            if _inside(rect, pos):
                self._target = i
                return [Intent("press", target=i)]
        self._target = "header" if _inside(self.regions.header, pos) else None
        return []

    def _up(self, pos: Point) -> list[Intent]:
        target, touch = self._target, self._owner_touch
        self._owner = self._target = None
        if target == "canvas":
            local = self._local(pos)
            self._last_lift = (self.clock(), local) if touch else None
            return [Intent("end", local, touch=touch)]
        if isinstance(target, int):
            inside = _inside(self.regions.buttons[target], pos)
            return [Intent("activate" if inside else "release", target=target)]
        return []

    def update(self) -> list[Intent]:
        """Intents that come from time passing: a long press on the header."""
        held = self._target == "header" and not self._long_done
        if held and self.clock() - self._pressed_at >= LONG_PRESS_SECONDS:
            self._long_done = True
            return [Intent("long_press")]
        return []

    def forget_last_stroke(self) -> None:
        """After the drawing changed otherwise (clear, undo), no tap may continue it."""
        self._last_lift = None

    @property
    def drawing(self) -> bool:
        """True while a pointer is down on the canvas."""
        return self._target == "canvas"

    def _local(self, pos: Point) -> Point:
        x, y, _, _ = self.regions.canvas
        return pos[0] - x, pos[1] - y

    def _continues_last_stroke(self, local: Point) -> bool:
        if self._last_lift is None:
            return False
        lifted_at, (x, y) = self._last_lift
        near = math.hypot(local[0] - x, local[1] - y) <= JOIN_BRUSHES * self.brush
        return near and self.clock() - lifted_at <= JOIN_SECONDS
