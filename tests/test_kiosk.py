"""The start-at-boot kiosk: units, autostarts (XDG and labwc), options, keeping user edits."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edge_app import display, kiosk

USER = getpass.getuser()
PI_OS_LABWC = ("/usr/bin/lwrespawn /usr/bin/wf-panel-pi &\n/usr/bin/kanshi &\n"
               "/usr/bin/lxsession-xdg-autostart\n")


@pytest.fixture
def venv(tmp_path) -> Path:
    """A stand-in for the Makefile's $(VENV): bin/python and bin/digits-app, both executable."""
    folder = tmp_path / "envs" / "digits"
    (folder / "bin").mkdir(parents=True)
    for name in ("python", "digits-app"):
        (folder / "bin" / name).write_text("#!/bin/sh\n")
        (folder / "bin" / name).chmod(0o755)
    return folder


def exec_line(unit: str, key: str = "ExecStart=") -> str:
    return next(line for line in unit.splitlines() if line.startswith(key))


def test_console_unit_runs_the_given_venv_on_kmsdrm_and_finds_the_display(venv):
    unit = kiosk.console_unit("pi", kiosk.REPO, venv, ["--rotate", "90", "--model", "mlp int8"])
    assert "Environment=SDL_VIDEODRIVER=kmsdrm" in unit
    assert exec_line(unit) == (f"ExecStart={venv}/bin/digits-app --fullscreen --rotate 90 "
                               "--model 'mlp int8'")
    # The card is found at every start (it can change between boots on a Pi 5), never fixed.
    assert exec_line(unit, "ExecStartPre=") == (
        f"ExecStartPre=-{venv}/bin/python -m edge_app.display --wait {kiosk.BOOT_WAIT}")
    assert display.DEVICE_VARIABLE not in unit and "card" not in unit
    assert "User=pi" in unit and "SupplementaryGroups=video render input" in unit
    assert "Restart=on-failure" in unit and "WantedBy=multi-user.target" in unit


def test_desktop_unit_leaves_the_driver_to_the_session(venv):
    unit = kiosk.desktop_unit(kiosk.REPO, venv, [])
    assert "SDL_VIDEODRIVER" not in unit
    assert exec_line(unit) == f"ExecStart={venv}/bin/digits-app --fullscreen"
    # What the autostart passes in makes the app try wayland, then x11 (XWayland).
    imported = kiosk.SESSION_VARIABLES.split()
    session = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}
    assert set(session) <= set(imported)
    assert display.video_drivers(session) == ["wayland", "x11"]


def test_xdg_autostart_quotes_the_desktop_entry_way_and_starts_the_unit():
    entry = kiosk.autostart_entry()
    line = exec_line(entry, "Exec=")
    assert line.startswith('Exec=sh -c "') and line.endswith('"')
    assert "'" not in line and "$" not in line and "`" not in line
    assert f"systemctl --user start {kiosk.USER_SERVICE}" in line
    assert line.index("unset-environment") < line.index("import-environment WAYLAND_DISPLAY")


def test_labwc_block_is_added_once_replaced_and_removed_leaving_the_rest():
    mine = "swaybg -c '#000000' &\n# my comment"
    once = kiosk.with_labwc_block(mine)
    assert once.startswith(mine + "\n") and once.count(kiosk.BEGIN) == 1
    assert kiosk.with_labwc_block(once) == once
    assert kiosk.without_labwc_block(once) == mine + "\n"
    assert kiosk.with_labwc_block("").startswith(kiosk.BEGIN)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_labwc_block_is_valid_sh_and_backgrounds_the_launch(tmp_path):
    script = tmp_path / "autostart"
    script.write_text(kiosk.with_labwc_block(PI_OS_LABWC))
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    launch = [line for line in script.read_text().splitlines() if kiosk.USER_SERVICE in line]
    assert len(launch) == 1 and launch[0].endswith("&")


def install_desktop(tmp_path, venv) -> Path:
    kiosk.install(True, USER, ["--rotate", "180"], root=tmp_path, home=Path("/home/pi"),
                  run_systemctl=False, venv=venv)
    return tmp_path / "home/pi"


def test_desktop_install_into_a_labwc_autostart_the_user_has(tmp_path, venv):
    labwc = tmp_path / "home/pi" / kiosk.LABWC_AUTOSTART
    labwc.parent.mkdir(parents=True)
    labwc.write_text(PI_OS_LABWC + "chromium --kiosk &\n")
    base = install_desktop(tmp_path, venv)
    assert "--rotate 180" in (base / ".config/systemd/user" / kiosk.USER_SERVICE).read_text()
    assert (base / ".config/autostart" / kiosk.AUTOSTART).is_file()
    text = labwc.read_text()
    assert text.startswith(PI_OS_LABWC + "chromium --kiosk &\n") and kiosk.BEGIN in text
    kiosk.uninstall(True, root=tmp_path, home=Path("/home/pi"), run_systemctl=False)
    assert labwc.read_text() == PI_OS_LABWC + "chromium --kiosk &\n"
    assert not (base / ".config/autostart" / kiosk.AUTOSTART).exists()


def test_pi_os_labwc_runs_the_xdg_entry_so_no_user_file_shadows_it(tmp_path, venv):
    system = tmp_path / kiosk.SYSTEM_LABWC_AUTOSTART
    system.parent.mkdir(parents=True)
    system.write_text(PI_OS_LABWC)
    base = install_desktop(tmp_path, venv)
    assert not (base / kiosk.LABWC_AUTOSTART).exists()
    assert (base / ".config/autostart" / kiosk.AUTOSTART).is_file()


def test_plain_labwc_gets_a_user_autostart_that_keeps_the_system_one(tmp_path, venv):
    system = tmp_path / kiosk.SYSTEM_LABWC_AUTOSTART
    system.parent.mkdir(parents=True)
    system.write_text("swaybg -i /usr/share/backgrounds/default.png &\n")
    labwc = install_desktop(tmp_path, venv) / kiosk.LABWC_AUTOSTART
    assert labwc.read_text().startswith(system.read_text()) and kiosk.BEGIN in labwc.read_text()
    kiosk.uninstall(True, root=tmp_path, home=Path("/home/pi"), run_systemctl=False)
    assert not labwc.exists()  # nothing of the user's was in it


def test_install_into_a_folder_and_keep_what_the_user_changed(tmp_path, venv):
    kiosk.install(False, USER, ["--rotate", "270"], root=tmp_path, run_systemctl=False, venv=venv)
    unit = tmp_path / "etc/systemd/system" / kiosk.SERVICE
    assert "--rotate 270" in unit.read_text() and str(venv) in unit.read_text()
    unit.write_text(unit.read_text() + "# my own tweak\n")
    lines = kiosk.install(False, USER, [], root=tmp_path, run_systemctl=False, venv=venv)
    assert "previous version kept" in lines[0]
    backups = list(unit.parent.glob(kiosk.SERVICE + ".bak-*"))
    assert len(backups) == 1 and "# my own tweak" in backups[0].read_text()
    assert "--rotate" not in unit.read_text()
    kiosk.uninstall(False, root=tmp_path, run_systemctl=False)
    assert not unit.exists() and backups[0].exists()


def test_install_refuses_a_venv_without_the_app(tmp_path):
    with pytest.raises(SystemExit, match="no digits-app in"):
        kiosk.install(False, USER, [], root=tmp_path, run_systemctl=False, venv=tmp_path)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_accepts_both_units(tmp_path, venv):
    for name, text in ((kiosk.SERVICE, kiosk.console_unit(USER, kiosk.REPO, venv, [])),
                       (kiosk.USER_SERVICE, kiosk.desktop_unit(kiosk.REPO, venv, []))):
        unit = tmp_path / name
        unit.write_text(text)
        result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr


def test_cli_options_before_the_double_dash_are_the_kiosks_and_checked(capsys, venv):
    with pytest.raises(SystemExit) as exited:
        kiosk.main(["show", "--desktp"])  # a typo must not end up in ExecStart
    assert exited.value.code == 2 and capsys.readouterr().out == ""
    with pytest.raises(SystemExit) as exited:
        kiosk.main(["show", "--", "--rotation", "90"])  # nor a typo in the app's options
    assert exited.value.code == 2 and "--rotation" in capsys.readouterr().err
    assert kiosk.main(["show", "--user", USER, "--venv", str(venv), "--", "--rotate", "90"]) == 0
    assert f"ExecStart={venv}/bin/digits-app --fullscreen --rotate 90" in capsys.readouterr().out
    assert kiosk.main(["show", "--user", "no-such-user-here"]) == 2
    assert "no such user" in capsys.readouterr().err


def test_default_venv_is_the_one_running_the_kiosk(monkeypatch, venv):
    monkeypatch.setattr(sys, "prefix", str(venv))
    assert kiosk.default_venv() == venv
    monkeypatch.setattr(sys, "prefix", str(venv.parent))  # no digits-app there
    assert kiosk.default_venv() == kiosk.REPO / ".venv"


@pytest.mark.skipif(shutil.which("make") is None, reason="make missing")
def test_makefile_passes_its_venv_to_the_kiosk():
    result = subprocess.run(["make", "-n", "-B", "kiosk", "kiosk-desktop", "kiosk-remove",
                             "VENV=/opt/digits-env"], cwd=kiosk.REPO, capture_output=True,
                            text=True, timeout=60)
    kiosk_lines = [line for line in result.stdout.splitlines() if "edge_app.kiosk" in line]
    assert len(kiosk_lines) == 4
    assert all("--venv /opt/digits-env" in line for line in kiosk_lines[:2])
