"""The start-at-boot kiosk: unit contents, installing into a folder, keeping user edits."""

from __future__ import annotations

import getpass
import shutil
import subprocess

import pytest

from edge_app import kiosk


def test_console_unit_runs_the_app_fullscreen_on_kmsdrm_and_restarts():
    unit = kiosk.console_unit("pi", kiosk.REPO, ["--rotate", "90", "--model", "mlp int8"])
    assert "Environment=SDL_VIDEODRIVER=kmsdrm" in unit
    assert "Restart=on-failure" in unit and "StandardOutput=journal" in unit
    assert "User=pi" in unit and "SupplementaryGroups=video render input" in unit
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_line.endswith("digits-app --fullscreen --rotate 90 --model 'mlp int8'")
    assert str(kiosk.REPO / ".venv/bin/digits-app") in exec_line
    assert "WantedBy=multi-user.target" in unit


def test_desktop_autostart_quotes_the_desktop_entry_way():
    entry = kiosk.autostart_entry()
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line.startswith('Exec=sh -c "') and exec_line.endswith('"')
    assert "'" not in exec_line and kiosk.USER_SERVICE in exec_line


def test_install_into_a_folder_and_keep_what_the_user_changed(tmp_path):
    user = getpass.getuser()
    kiosk.install(False, user, ["--rotate", "270"], root=tmp_path, run_systemctl=False)
    unit = tmp_path / "etc/systemd/system" / kiosk.SERVICE
    assert "--rotate 270" in unit.read_text()
    unit.write_text(unit.read_text() + "# my own tweak\n")
    lines = kiosk.install(False, user, [], root=tmp_path, run_systemctl=False)
    assert "previous version kept" in lines[0]
    backups = list(unit.parent.glob(kiosk.SERVICE + ".bak-*"))
    assert len(backups) == 1 and "# my own tweak" in backups[0].read_text()
    assert "--rotate" not in unit.read_text()
    kiosk.uninstall(False, root=tmp_path, run_systemctl=False)
    assert not unit.exists() and backups[0].exists()


def test_desktop_install_writes_user_unit_and_autostart(tmp_path):
    home = tmp_path / "home"
    kiosk.install(True, "x", [], root=tmp_path, home=home, run_systemctl=False)
    base = tmp_path / home.relative_to("/")
    assert (base / ".config/systemd/user" / kiosk.USER_SERVICE).is_file()
    assert (base / ".config/autostart" / kiosk.AUTOSTART).is_file()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_accepts_the_unit(tmp_path):
    unit = tmp_path / kiosk.SERVICE
    unit.write_text(kiosk.console_unit(getpass.getuser(), kiosk.REPO, []))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_cli_show_and_unknown_user(capsys):
    assert kiosk.main(["show", "--user", getpass.getuser(), "--", "--rotate", "90"]) == 0
    assert "--rotate 90" in capsys.readouterr().out
    assert kiosk.main(["show", "--user", "no-such-user-here"]) == 2
    assert "no such user" in capsys.readouterr().err
