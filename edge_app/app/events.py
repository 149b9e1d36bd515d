"""pygame events turned into the pointer tracker's plain terms, in the app's upright pixels."""

from __future__ import annotations

from typing import Hashable, NamedTuple

import pygame

from edge_app.app.pointer import MOUSE
from edge_app.rotation import Rotation

_KINDS = {pygame.MOUSEBUTTONDOWN: "down", pygame.MOUSEMOTION: "move",
          pygame.MOUSEBUTTONUP: "up", pygame.FINGERDOWN: "down",
          pygame.FINGERMOTION: "move", pygame.FINGERUP: "up"}
_FINGER = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)


class PointerEvent(NamedTuple):
    """The arguments of `PointerTracker.handle`."""

    kind: str
    pointer: Hashable
    pos: tuple[float, float]
    touch: bool
    copy: bool


def pointer_event(event: pygame.event.Event, rotation: Rotation) -> PointerEvent | None:
    """The pointer meaning of a mouse or finger event; None for anything else.

    Only the left mouse button draws; SDL's mouse copies of touches (`event.touch`) are passed
    on marked as such, for the tracker to decide.
    """
    kind = _KINDS.get(event.type)
    if kind is None:
        return None
    if event.type in _FINGER:
        w, h = rotation.physical_size
        # Touch coordinates are fractions of the (physical) window.
        pos = rotation.to_logical((event.x * w, event.y * h))
        return PointerEvent(kind, event.finger_id, pos, True, False)
    if kind == "move" and not event.buttons[0]:
        return None
    if kind != "move" and event.button != 1:
        return None
    copy = bool(getattr(event, "touch", False))
    return PointerEvent(kind, MOUSE, rotation.to_logical(event.pos), copy, copy)
