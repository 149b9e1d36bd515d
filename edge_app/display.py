"""Open the app's window with the SDL video driver that fits the session, and nothing invisible."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edge_app.errors import DigitsError

DRIVER_VARIABLE = "SDL_VIDEODRIVER"
DEVICE_VARIABLE = "SDL_KMSDRM_DEVICE_INDEX"  # SDL's hint: N of /dev/dri/cardN
# The Wayland app_id (and X11 class) that labwc window rules and the Wayland check match on.
APP_ID = "digits-app"
# A touch kiosk's panel is on DSI (or DPI); a monitor on HDMI; composite video last.
CONNECTOR_PREFERENCE = ("DSI", "DPI", "HDMI", "Composite")
NO_DISPLAY_HINT = ("run it on the Pi's desktop or console; over SSH, point it at the desktop "
                   "with WAYLAND_DISPLAY=wayland-0 (or DISPLAY=:0)")
_CONNECTOR = re.compile(r"card(\d+)-(.+)")


class DisplayError(DigitsError):
    """No SDL video driver could open a window: a one-line reason and what to do."""

    exit_code = 2


@dataclass(frozen=True)
class Connector:
    """A display connector of a KMS/DRM card, as /sys/class/drm/cardN-NAME shows it."""

    card: int  # N of /dev/dri/cardN
    name: str  # e.g. "DSI-1", "HDMI-A-1"
    connected: bool

    @property
    def kind(self) -> str:
        """The connector type without its number: "DSI", "HDMI-A", "DPI"."""
        return self.name.rsplit("-", 1)[0]


def connectors(root: Path = Path("/")) -> list[Connector]:
    """Every display connector of every KMS/DRM card, by card then name.

    Args:
        root: where / is (tests pass a fake tree holding sys/class/drm).

    Returns:
        The connectors; empty where there is no DRM device (a PC without one, a container).
    """
    found = []
    for status in (root / "sys/class/drm").glob("card*-*/status"):
        match = _CONNECTOR.fullmatch(status.parent.name)
        if match is None:
            continue
        try:
            state = status.read_text().strip()
        except OSError:
            continue  # a card going away while we look
        found.append(Connector(int(match[1]), match[2], state == "connected"))
    return sorted(found, key=lambda c: (c.card, c.name))


def kmsdrm_connector(root: Path = Path("/")) -> Connector | None:
    """The connected connector SDL's KMS/DRM driver should draw on, if any.

    On a Pi 5 the card holding the DSI and HDMI connectors is not always /dev/dri/card0 (the
    3D-only card can come first, and the order can change between boots), so the card is found
    from its connectors rather than assumed.

    Args:
        root: where / is.

    Returns:
        A connected DSI panel first, then DPI, HDMI, composite, anything else; None when no
        connector is connected.
    """
    def rank(connector: Connector) -> tuple[int, int, str]:
        kinds = [i for i, k in enumerate(CONNECTOR_PREFERENCE) if connector.kind.startswith(k)]
        return (kinds[0] if kinds else len(CONNECTOR_PREFERENCE), connector.card, connector.name)

    connected = [c for c in connectors(root) if c.connected]
    return min(connected, key=rank) if connected else None


def video_drivers(environ: Mapping[str, str]) -> list[str]:
    """The SDL video drivers to try, in order, for the session `environ` describes.

    Args:
        environ: the environment (os.environ).

    Returns:
        The user's SDL_VIDEODRIVER when set (a comma list is tried in order, which SDL 2 itself
        does not do); else under Wayland ["wayland"] plus "x11" where XWayland's DISPLAY is set;
        under X11 ["x11"]; with neither (a console, or SSH) ["kmsdrm"]. Never SDL's offscreen or
        dummy driver unless asked for: a window nobody sees is worse than an error.
    """
    chosen = [d.strip() for d in environ.get(DRIVER_VARIABLE, "").split(",") if d.strip()]
    if chosen:
        return chosen
    wayland = bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"
    drivers = (["wayland"] if wayland else []) + (["x11"] if environ.get("DISPLAY") else [])
    return drivers or ["kmsdrm"]


def open_window(size: tuple[int, int], fullscreen: bool, root: Path = Path("/")) -> Any:
    """Initialises pygame's display and opens the window, trying each driver of `video_drivers`.

    SDL reads the process environment, so this sets, in os.environ: SDL_VIDEODRIVER to the
    driver that worked (child processes see it too), the Wayland app_id and X11 class to
    "digits-app" unless set, and for KMS/DRM the card with a connected connector unless
    SDL_KMSDRM_DEVICE_INDEX is set. Call it before anything else initialises pygame's display.

    Args:
        size: window size in pixels; ignored in fullscreen, which takes the screen's size.
        fullscreen: fill the screen (always so through KMS/DRM).
        root: where / is, for finding the KMS/DRM card.

    Returns:
        The display surface (pygame.Surface).

    Raises:
        DisplayError: no driver could open a window; one line naming each driver's reason.
    """
    env = os.environ
    env.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    drivers = video_drivers(env)
    explicit = env.get(DRIVER_VARIABLE)
    env.setdefault("SDL_VIDEO_WAYLAND_WMCLASS", APP_ID)
    env.setdefault("SDL_VIDEO_X11_WMCLASS", APP_ID)
    if "kmsdrm" in drivers and not env.get(DEVICE_VARIABLE):
        connector = kmsdrm_connector(root)
        if connector is not None:
            env[DEVICE_VARIABLE] = str(connector.card)
    reasons = []
    for driver in drivers:
        env[DRIVER_VARIABLE] = driver
        try:
            pygame.display.init()
            whole = fullscreen or driver == "kmsdrm"  # a console has no windows
            return pygame.display.set_mode((0, 0) if whole else size,
                                           pygame.FULLSCREEN if whole else 0)
        except pygame.error as exc:
            reasons.append(f"{driver}: {' '.join(str(exc).split()) or 'failed'}")
            pygame.display.quit()
    if explicit is None:
        env.pop(DRIVER_VARIABLE, None)
    else:
        env[DRIVER_VARIABLE] = explicit
    raise DisplayError(_failure(drivers, env, "; ".join(reasons)))


def _failure(drivers: list[str], environ: Mapping[str, str], reasons: str) -> str:
    """The one-line message for a window that could not be opened."""
    if drivers == ["kmsdrm"] and not environ.get(DRIVER_VARIABLE):
        return f"no display (no WAYLAND_DISPLAY or DISPLAY, and {reasons}): {NO_DISPLAY_HINT}"
    return (f"cannot open a window ({reasons}): check WAYLAND_DISPLAY/DISPLAY, or set "
            f"SDL_VIDEODRIVER (wayland, x11, kmsdrm)")


def describe(environ: Mapping[str, str], root: Path = Path("/")) -> list[str]:
    """What `open_window` would try here, one line each, for people and the journal."""
    lines = [f"SDL video drivers to try: {', '.join(video_drivers(environ))}"]
    connected = [c for c in connectors(root) if c.connected]
    best = kmsdrm_connector(root)
    if best is None:
        lines.append("KMS/DRM: no connected display connector")
    else:
        others = ", ".join(f"card{c.card}-{c.name}" for c in connected if c != best)
        lines.append(f"KMS/DRM: card{best.card} {best.name} ({DEVICE_VARIABLE}={best.card})"
                     + (f"; also connected: {others}" if others else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m edge_app.display`: say which driver and display the app would use."""
    parser = argparse.ArgumentParser(
        prog="python -m edge_app.display",
        description="Show which SDL video driver and KMS/DRM display digits-app would use.")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait up to this long for a connected display (at boot the DRM "
                             "card can appear after the service starts)")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + max(0.0, args.wait)
    while kmsdrm_connector() is None and time.monotonic() < deadline:
        time.sleep(0.5)  # seconds between looks
    print("\n".join(describe(os.environ)))
    return 0 if args.wait <= 0 or kmsdrm_connector() is not None else 1


if __name__ == "__main__":
    sys.exit(main())
