"""Start the app at boot as a kiosk: render and install its systemd units (`-m edge_app.kiosk`)."""

from __future__ import annotations

import argparse
import getpass
import os
import pwd
import re
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
LABWC_AUTOSTART = ".config/labwc/autostart"
SYSTEM_LABWC_AUTOSTART = "etc/xdg/labwc/autostart"
BEGIN, END = "# >>> digits-app kiosk", "# <<< digits-app kiosk"
_BLOCK = re.compile(rf"^{re.escape(BEGIN)}.*?^{re.escape(END)}.*?(\n|\Z)", re.M | re.S)
BOOT_WAIT = 20  # seconds the console unit waits for the DRM card with the display at boot
# What a desktop session passes to the user unit: the app picks SDL's wayland driver from
# WAYLAND_DISPLAY/XDG_SESSION_TYPE and falls back to x11 (XWayland) through DISPLAY.
SESSION_VARIABLES = "WAYLAND_DISPLAY DISPLAY XAUTHORITY XDG_SESSION_TYPE"
# Unset first, or a variable the new session lacks keeps the last session's value. `start`, not
# `restart`: when labwc's autostart and the XDG entry both run it, the second does nothing.
LAUNCH = (f"systemctl --user unset-environment {SESSION_VARIABLES}; "
          f"systemctl --user import-environment {SESSION_VARIABLES}; "
          f"systemctl --user start {USER_SERVICE}")


def default_venv() -> Path:
    """The virtual environment running this (the Makefile's $(VENV)), else the repo's .venv."""
    here = Path(sys.prefix)
    return here if (here / "bin" / "digits-app").exists() else REPO / ".venv"


def _service(repo: Path, venv: Path, app_args: list[str]) -> str:
    """The [Service] lines both units share: run the app full screen, restart it on failure."""
    command = shlex.join([str(venv / "bin/digits-app"), "--fullscreen", *app_args])
    return (f"Type=simple\nWorkingDirectory={repo}\nEnvironment=PYTHONUNBUFFERED=1\n"
            f"ExecStart={command}\nRestart=on-failure\nRestartSec=3")


def console_unit(user: str, repo: Path, venv: Path, app_args: list[str]) -> str:
    """The system unit that runs the app full screen on the console (KMS/DRM), without a desktop.

    The user needs the video, render and input groups; getty on tty1 stops while it runs. The
    card with the panel (on a Pi 5 it can change between boots) is found at every start:
    ExecStartPre waits for a connected DSI/HDMI connector and logs it; the app picks its card.
    """
    display = shlex.join([str(venv / "bin" / "python"), "-m", "edge_app.display",
                          "--wait", str(BOOT_WAIT)])
    return f"""[Unit]
Description=Digits: handwritten-digit recognition on the touchscreen (console kiosk)
Documentation=file://{repo}/README.md
After=systemd-user-sessions.service plymouth-quit-wait.service
Conflicts=getty@tty1.service

[Service]
User={user}
SupplementaryGroups=video render input
Environment=SDL_VIDEODRIVER=kmsdrm
ExecStartPre=-{display}
{_service(repo, venv, app_args)}
StandardOutput=journal
StandardError=journal

[Install]
WantedBy=multi-user.target
"""


def desktop_unit(repo: Path, venv: Path, app_args: list[str]) -> str:
    """The user unit that runs the app full screen inside a desktop session.

    No SDL_VIDEODRIVER: the app chooses wayland (x11 when that cannot start) from the session
    variables that the autostart imports.
    """
    return f"""[Unit]
Description=Digits: handwritten-digit recognition on the touchscreen (desktop kiosk)
Documentation=file://{repo}/README.md

[Service]
{_service(repo, venv, app_args)}
"""


def autostart_entry() -> str:
    """An XDG autostart entry (Pi OS's labwc and wayfire sessions run these) for the unit."""
    # The desktop-entry format quotes arguments with double quotes only.
    return f"""[Desktop Entry]
Type=Application
Name=Digits kiosk
Comment=Start the digit-recognition app full screen
Exec=sh -c "{LAUNCH}"
X-GNOME-Autostart-enabled=true
"""


def with_labwc_block(text: str) -> str:
    """labwc's autostart script `text` with the kiosk's block added, or replaced if there."""
    block = f'{BEGIN} (remove: make kiosk-remove)\nsh -c "{LAUNCH}" &\n{END}\n'
    kept = without_labwc_block(text)
    return kept + ("\n" if kept and not kept.endswith("\n") else "") + block


def without_labwc_block(text: str) -> str:
    """`text` without the kiosk's block; everything else exactly as it was."""
    return _BLOCK.sub("", text)


def _labwc_change(user_file: Path, system_file: Path) -> str | None:
    """The new text of the user's labwc autostart, or None when the XDG entry suffices.

    labwc runs only the first autostart it finds (user's, then system's) unless started with
    --merge-config: a new user file would silence the system one, which on Pi OS starts the
    panel, the desktop and (through lxsession-xdg-autostart) the XDG entry. So the block goes
    into a user file that exists, or one that starts as a copy of the system file.
    """
    if user_file.is_file():
        return with_labwc_block(user_file.read_text())
    system = system_file.read_text() if system_file.is_file() else ""
    if "xdg-autostart" in system:
        return None
    return with_labwc_block(system)


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
            home: Path | None = None, run_systemctl: bool = True,
            venv: Path | None = None) -> list[str]:
    """Installs (and unless told otherwise enables and starts) the kiosk.

    Args:
        desktop: a user unit plus desktop and labwc autostart instead of the console service.
        user: who the console service runs as.
        app_args: extra `digits-app` options, e.g. ["--rotate", "90"].
        root: where / is (tests and image builders install into a folder).
        home: the user's home for the desktop files (default: the current user's).
        run_systemctl: reload systemd and enable the unit.
        venv: the virtual environment holding digits-app (default: `default_venv()`).

    Returns:
        What was done, one line each.
    """
    venv = venv or default_venv()
    if not (venv / "bin" / "digits-app").exists():
        raise SystemExit(f"kiosk: no digits-app in {venv}: install the app first (make run), "
                         "then the kiosk")
    done = []
    if desktop:
        base = root / (home or Path.home()).relative_to("/")
        done.append(_write_keeping_backup(base / ".config/systemd/user" / USER_SERVICE,
                                          desktop_unit(REPO, venv, app_args)))
        done.append(_write_keeping_backup(base / ".config/autostart" / AUTOSTART,
                                          autostart_entry()))
        labwc = base / LABWC_AUTOSTART
        text = _labwc_change(labwc, root / SYSTEM_LABWC_AUTOSTART)
        done.append(_write_keeping_backup(labwc, text) if text is not None else
                    f"left {labwc} alone: /{SYSTEM_LABWC_AUTOSTART} runs the XDG entry")
        commands = [["systemctl", "--user", "daemon-reload"]]
    else:
        unit = root / "etc/systemd/system" / SERVICE
        done.append(_write_keeping_backup(unit, console_unit(user, REPO, venv, app_args)))
        commands = [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", SERVICE]]
    if run_systemctl:
        for command in commands:
            subprocess.run(command, check=True)
            done.append("ran " + shlex.join(command))
    return done


def uninstall(desktop: bool, root: Path = Path("/"), home: Path | None = None,
              run_systemctl: bool = True) -> list[str]:
    """Stops and removes what `install` put in place (the user's own labwc lines stay)."""
    done = []
    if desktop:
        base = root / (home or Path.home()).relative_to("/")
        paths = [base / ".config/systemd/user" / USER_SERVICE,
                 base / ".config/autostart" / AUTOSTART]
        commands = [["systemctl", "--user", "stop", USER_SERVICE]]
        labwc, system = base / LABWC_AUTOSTART, root / SYSTEM_LABWC_AUTOSTART
        if labwc.is_file() and BEGIN in labwc.read_text():
            rest = without_labwc_block(labwc.read_text())
            if rest.strip() in ("", system.read_text().strip() if system.is_file() else ""):
                paths.append(labwc)  # only what install put there: the system file rules again
            else:
                done.append(_write_keeping_backup(labwc, rest))
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
    parser.add_argument("--venv", type=Path, default=None,
                        help="virtual environment with digits-app (default: the one running "
                             "this, else .venv in the repository)")
    parser.add_argument("--root", type=Path, default=Path("/"), help=argparse.SUPPRESS)
    parser.add_argument("--no_systemctl", action="store_true", help=argparse.SUPPRESS)
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args, app_args = parser.parse_args(argv[:split]), argv[split + 1:]
    venv = args.venv.absolute() if args.venv else default_venv()
    try:
        pwd.getpwnam(args.user)
    except KeyError:
        print(f"kiosk: no such user {args.user!r}", file=sys.stderr)
        return 2
    if args.action != "uninstall":  # digits-app's own parser: a typo fails now, not in a loop
        from edge_app.app.__main__ import parse_args

        parse_args(["--fullscreen", *app_args])  # argparse prints the problem, exits 2
    if args.action == "show":
        print(desktop_unit(REPO, venv, app_args) if args.desktop
              else console_unit(args.user, REPO, venv, app_args), end="")
        return 0
    if not args.desktop and args.root == Path("/") and os.geteuid() != 0:
        print("kiosk: installing the console service needs root: sudo make kiosk",
              file=sys.stderr)
        return 2
    try:
        lines = (install(args.desktop, args.user, app_args, args.root,
                         run_systemctl=not args.no_systemctl, venv=venv)
                 if args.action == "install"
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
