"""Screen rotation for panels mounted sideways: what is drawn and what is touched turn together."""

from __future__ import annotations

ANGLES = (0, 90, 180, 270)  # degrees clockwise, as in the Pi's display_rotate and xrandr


class Rotation:
    """Maps between the app's upright (logical) screen and the physical panel.

    The app lays itself out and draws on a logical surface; `present` turns it onto the panel,
    and `to_logical` turns panel coordinates (touch, mouse) back into the app's.
    """

    def __init__(self, degrees: int, physical_size: tuple[int, int]) -> None:
        """
        Args:
            degrees: how far the picture is turned clockwise on the panel (0, 90, 180, 270).
            physical_size: the panel's (width, height) in pixels.
        """
        if degrees not in ANGLES:
            raise ValueError(f"rotation must be one of {ANGLES}, got {degrees}")
        self.degrees = degrees
        self.physical_size = physical_size
        w, h = physical_size
        self.logical_size = (h, w) if degrees in (90, 270) else (w, h)

    def to_logical(self, pos: tuple[float, float]) -> tuple[float, float]:
        """Panel coordinates → the app's upright coordinates."""
        x, y = pos
        pw, ph = self.physical_size
        if self.degrees == 90:
            return y, pw - 1 - x
        if self.degrees == 180:
            return pw - 1 - x, ph - 1 - y
        if self.degrees == 270:
            return ph - 1 - y, x
        return x, y

    def to_physical(self, pos: tuple[float, float]) -> tuple[float, float]:
        """The app's upright coordinates → panel coordinates (the inverse of `to_logical`)."""
        x, y = pos
        lw, lh = self.logical_size
        if self.degrees == 90:
            return lh - 1 - y, x
        if self.degrees == 180:
            return lw - 1 - x, lh - 1 - y
        if self.degrees == 270:
            return y, lw - 1 - x
        return x, y

    def present(self, logical, physical) -> None:
        """Draws the logical surface onto the panel surface, turned clockwise."""
        import pygame

        if self.degrees == 0:
            physical.blit(logical, (0, 0))
        else:
            # pygame turns counter-clockwise for positive angles.
            physical.blit(pygame.transform.rotate(logical, -self.degrees), (0, 0))
