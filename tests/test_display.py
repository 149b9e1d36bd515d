"""Choosing SDL's video driver and the KMS/DRM card; refusing to run without a display."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from edge_app import display
from edge_app.display import Connector, DisplayError


@pytest.mark.parametrize("environ, expected", [
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "x11"]),  # labwc + XWayland
    ({"WAYLAND_DISPLAY": "wayland-1"}, ["wayland"]),  # no XWayland: nothing to fall back to
    ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, ["wayland", "x11"]),  # socket by default
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, ["x11"]),  # the X11 desktop
    ({}, ["kmsdrm"]),  # Pi OS Lite console, or SSH: KMS/DRM or an error, never offscreen
    ({"XDG_SESSION_TYPE": "tty", "SSH_CONNECTION": "1 2 3 4"}, ["kmsdrm"]),
    ({"SDL_VIDEODRIVER": "x11", "WAYLAND_DISPLAY": "wayland-0"}, ["x11"]),  # the user wins
    ({"SDL_VIDEODRIVER": " wayland, x11 ,"}, ["wayland", "x11"]),  # a list, tried in order
    ({"SDL_VIDEODRIVER": "", "DISPLAY": ":1"}, ["x11"]),  # empty is unset
])
def test_video_drivers_follow_the_session(environ, expected):
    assert display.video_drivers(environ) == expected


def fake_sys(root: Path, connectors: dict[str, str]) -> Path:
    """A /sys/class/drm with the given `cardN-NAME: status` entries and their bare cards."""
    drm = root / "sys/class/drm"
    for name, status in connectors.items():
        (drm / name).mkdir(parents=True)
        (drm / name / "status").write_text(status + "\n")
        (drm / name.split("-")[0]).mkdir(exist_ok=True)
    (drm / "renderD128").mkdir(parents=True, exist_ok=True)
    (drm / "version").write_text("drm 1.1.0 20060810\n")
    return root


def test_pi5_dsi_panel_on_whichever_card_holds_it(tmp_path):
    # Pi 5, 7" panel on the second MIPI port; the 3D-only card0 has no connectors.
    root = fake_sys(tmp_path, {"card1-HDMI-A-1": "disconnected", "card1-HDMI-A-2": "disconnected",
                               "card2-DSI-2": "connected", "card1-Writeback-1": "unknown"})
    assert display.kmsdrm_connector(root) == Connector(2, "DSI-2", True)


def test_a_panel_wins_over_a_monitor_and_hdmi_is_found_on_any_card(tmp_path):
    both = fake_sys(tmp_path / "a", {"card0-HDMI-A-1": "connected", "card1-DSI-1": "connected"})
    assert display.kmsdrm_connector(both).name == "DSI-1"
    hdmi = fake_sys(tmp_path / "b", {"card1-HDMI-A-1": "disconnected",
                                     "card1-HDMI-A-2": "connected"})
    assert display.kmsdrm_connector(hdmi) == Connector(1, "HDMI-A-2", True)


def test_nothing_connected_or_no_drm_at_all(tmp_path):
    root = fake_sys(tmp_path, {"card1-HDMI-A-1": "disconnected", "card1-Composite-1": "unknown"})
    assert display.kmsdrm_connector(root) is None
    assert display.kmsdrm_connector(tmp_path / "nothing") is None
    assert "no connected display" in display.describe({}, root)[1]


def test_describe_names_driver_card_and_the_other_outputs(tmp_path):
    root = fake_sys(tmp_path, {"card0-HDMI-A-1": "connected", "card1-DSI-1": "connected"})
    lines = display.describe({"WAYLAND_DISPLAY": "wayland-0"}, root)
    assert lines[0].endswith("wayland")
    assert "card1 DSI-1 (SDL_KMSDRM_DEVICE_INDEX=1)" in lines[1]
    assert "card0-HDMI-A-1" in lines[1]


@pytest.fixture
def no_session(monkeypatch):
    """An SSH-like environment: no display server, no driver chosen, no DRM card to draw on."""
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE",
                 "SDL_VIDEO_WAYLAND_WMCLASS", "SDL_VIDEO_X11_WMCLASS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(display.DEVICE_VARIABLE, "99")  # a real card on this machine stays unused
    yield monkeypatch
    pygame.display.quit()


def test_no_display_is_a_one_line_error_not_an_invisible_window(no_session, tmp_path):
    with pytest.raises(DisplayError) as caught:
        display.open_window((800, 480), False, root=tmp_path)
    message = str(caught.value)
    assert message.startswith("no display") and "kmsdrm:" in message and "\n" not in message
    assert "WAYLAND_DISPLAY=wayland-0" in message
    assert not pygame.display.get_init()
    assert "SDL_VIDEODRIVER" not in display.os.environ


def test_a_driver_that_fails_falls_back_to_the_next(no_session):
    no_session.setenv("SDL_VIDEODRIVER", "nosuch,dummy")
    screen = display.open_window((640, 400), False)
    assert screen.get_size() == (640, 400)
    assert pygame.display.get_driver() == "dummy"
    assert display.os.environ["SDL_VIDEODRIVER"] == "dummy"
    assert display.os.environ["SDL_VIDEO_WAYLAND_WMCLASS"] == display.APP_ID


def test_an_explicit_driver_that_fails_is_reported_and_kept(no_session):
    no_session.setenv("SDL_VIDEODRIVER", "nosuch")
    with pytest.raises(DisplayError, match=r"cannot open a window \(nosuch: "):
        display.open_window((640, 400), False)
    assert display.os.environ["SDL_VIDEODRIVER"] == "nosuch"


def test_kmsdrm_gets_the_card_with_the_panel(no_session, tmp_path):
    no_session.delenv(display.DEVICE_VARIABLE)
    root = fake_sys(tmp_path, {"card1-DSI-1": "connected"})
    with pytest.raises(DisplayError):  # no /dev/dri/card1 here: SDL refuses, but was told
        display.open_window((800, 480), True, root=root)
    assert display.os.environ[display.DEVICE_VARIABLE] == "1"


def test_main_prints_the_choice(capsys, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "wayland")
    assert display.main([]) == 0
    assert "SDL video drivers to try: wayland" in capsys.readouterr().out
