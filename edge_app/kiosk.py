"""Start the app at boot as a kiosk: render and install its systemd unit (`python -m edge_app.kiosk`)."""

from __future__ import annotations

import argparse
import getpass
import os
import pwd
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from edge_app.files import write_text

REPO = Path(__file__).resolve().parent.parent
SERVICE = "digits-kiosk.service"  # console: a system service on tty1, drawing through KMS/DRM
USER_SERVICE = "digits-app.service"  # desktop: a user service started with the session
AUTOSTART = "digits-app.desktop"


def console_unit(user: str, repo: Path, app_args: list[str]) -> str:
    """The system unit that runs the app full screen on the console, without a desktop.

    SDL's KMSDRM driver draws straight to the display; the user needs the video, render and
    input groups for the display and the touch panel. getty on tty1 is stopped while it runs.
    """
    command = shlex.join([str(repo / ".venv" / "bin" / "digits-app"), "--fullscreen", *app_args])
    return f"""[Unit]
Description=Digits: handwritten-digit recognition on the touchscreen (console kiosk)
Documentation=file://{repo}/README.md
After=systemd-user-sessions.service plymouth-quit-wait.service
Conflicts=getty@tty1.service

[Service]
Type=simple
User={user}
SupplementaryGroups=video render input
WorkingDirectory={repo}
Environment=SDL_VIDEODRIVER=kmsdrm
Environment=PYTHONUNBUFFERED=1
ExecStart={command}
Restart=on-failure
RestartSec=3
StandardOutput=journal
StandardError=journal

[Install]
WantedBy=multi-user.target
"""


def desktop_unit(repo: Path, app_args: list[str]) -> str:
    """The user unit that runs the app full screen inside a desktop session."""
    command = shlex.join([str(repo / ".venv" / "bin" / "digits-app"), "--fullscreen", *app_args])
    return f"""[Unit]
Description=Digits: handwritten-digit recognition on the touchscreen (desktop kiosk)
Documentation=file://{repo}/README.md

[Service]
Type=simple
WorkingDirectory={repo}
Environment=PYTHONUNBUFFERED=1
ExecStart={command}
Restart=on-failure
RestartSec=3
"""


def autostart_entry() -> str:
    """A desktop autostart entry that hands the session's display to the user unit."""
    start = ("systemctl --user import-environment DISPLAY WAYLAND_DISPLAY XAUTHORITY && "
             f"systemctl --user restart {USER_SERVICE}")
    # The desktop-entry format quotes arguments with double quotes only.
    return f"""[Desktop Entry]
Type=Application
Name=Digits kiosk
Comment=Start the digit-recognition app full screen
Exec=sh -c "{start}"
X-GNOME-Autostart-enabled=true
"""


def _write_keeping_backup(path: Path, text: str) -> str:
    """Writes `path`; a different file already there is kept as `path.bak-<time>`."""
    if path.is_file():
        if path.read_text() == text:
            return f"unchanged {path}"
        backup = path.with_name(f"{path.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.copy2(path, backup)
        write_text(path, text)
        return f"updated {path} (previous version kept as {backup.name})"
    write_text(path, text)
    return f"wrote {path}"


def install(desktop: bool, user: str, app_args: list[str], root: Path = Path("/"),
            home: Path | None = None, run_systemctl: bool = True) -> list[str]:
    """Installs (and unless told otherwise enables and starts) the kiosk.

    Args:
        desktop: a user unit plus desktop autostart instead of the console system service.
        user: who the console service runs as.
        app_args: extra `digits-app` options, e.g. ["--rotate", "90"].
        root: where / is (tests and image builders install into a folder).
        home: the user's home for the desktop files (default: the current user's).
        run_systemctl: reload systemd and enable the unit.

    Returns:
        What was done, one line each.
    """
    if not (REPO / ".venv" / "bin" / "digits-app").exists():
        raise SystemExit("kiosk: install the app first (make run), then install the kiosk")
    done = []
    if desktop:
        home = home or Path.home()
        unit = root / home.relative_to("/") / ".config/systemd/user" / USER_SERVICE
        entry = root / home.relative_to("/") / ".config/autostart" / AUTOSTART
        done.append(_write_keeping_backup(unit, desktop_unit(REPO, app_args)))
        done.append(_write_keeping_backup(entry, autostart_entry()))
        commands = [["systemctl", "--user", "daemon-reload"]]
    else:
        unit = root / "etc/systemd/system" / SERVICE
        done.append(_write_keeping_backup(unit, console_unit(user, REPO, app_args)))
        commands = [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", SERVICE]]
    if run_systemctl:
        for command in commands:
            subprocess.run(command, check=True)
            done.append("ran " + shlex.join(command))
    return done


def uninstall(desktop: bool, root: Path = Path("/"), home: Path | None = None,
              run_systemctl: bool = True) -> list[str]:
    """Stops and removes what `install` put in place."""
    done = []
    if desktop:
        home = home or Path.home()
        paths = [root / home.relative_to("/") / ".config/systemd/user" / USER_SERVICE,
                 root / home.relative_to("/") / ".config/autostart" / AUTOSTART]
        commands = [["systemctl", "--user", "stop", USER_SERVICE]]
    else:
        paths = [root / "etc/systemd/system" / SERVICE]
        commands = [["systemctl", "disable", "--now", SERVICE]]
    if run_systemctl:
        for command in commands:
            subprocess.run(command, check=False)
            done.append("ran " + shlex.join(command))
    for path in paths:
        if path.exists():
            path.unlink()
            done.append(f"removed {path}")
    return done


def main(argv: list[str] | None = None) -> int:
    """Entry point: install, uninstall or show the kiosk unit."""
    parser = argparse.ArgumentParser(
        prog="python -m edge_app.kiosk",
        description="Start digits-app at boot, full screen, restarted on failure, logging to "
                    "the journal. Extra digits-app options go after --, e.g. -- --rotate 90")
    parser.add_argument("action", choices=("install", "uninstall", "show"))
    parser.add_argument("--desktop", action="store_true",
                        help="start with the desktop session (user unit) instead of the console")
    parser.add_argument("--user", default=os.environ.get("SUDO_USER") or getpass.getuser(),
                        help="account the console service runs as (default: who ran sudo)")
    parser.add_argument("--root", type=Path, default=Path("/"), help=argparse.SUPPRESS)
    parser.add_argument("--no_systemctl", action="store_true", help=argparse.SUPPRESS)
    args, app_args = parser.parse_known_args(argv)
    app_args = [a for a in app_args if a != "--"]
    try:
        pwd.getpwnam(args.user)
    except KeyError:
        print(f"kiosk: no such user {args.user!r}", file=sys.stderr)
        return 2
    if args.action == "show":
        print(desktop_unit(REPO, app_args) if args.desktop
              else console_unit(args.user, REPO, app_args), end="")
        return 0
    if not args.desktop and args.root == Path("/") and os.geteuid() != 0:
        print("kiosk: installing the console service needs root: sudo make kiosk",
              file=sys.stderr)
        return 2
    try:
        lines = (install(args.desktop, args.user, app_args, args.root,
                         run_systemctl=not args.no_systemctl) if args.action == "install"
                 else uninstall(args.desktop, args.root, run_systemctl=not args.no_systemctl))
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    if args.action == "install" and not args.desktop:
        print(f"logs: journalctl -u {SERVICE} -f    stop: sudo systemctl stop {SERVICE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
