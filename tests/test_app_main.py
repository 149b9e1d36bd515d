"""`digits-app` as a process: start-up, shutdown, and one-line errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.helpers import ROOT

pytest.importorskip("pygame")


def run_app(*args: str, env: dict | None = None, timeout: float = 60):
    return subprocess.run([sys.executable, "-m", "edge_app.app", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout,
                          env=env or {**os.environ, "SDL_VIDEODRIVER": "dummy"})


def test_starts_and_stops_cleanly_on_sigterm(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "edge_app.app", "--save_dir", str(tmp_path)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        for line in proc.stderr:  # wait for readiness instead of sleeping
            if "ready" in line:
                break
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err


def test_without_any_display_it_refuses_with_a_hint():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    result = run_app(env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "DISPLAY" in result.stderr


def test_bad_size_option_is_one_line():
    result = run_app("--size", "big")
    assert result.returncode == 2 and "WIDTHxHEIGHT" in result.stderr
    assert "Traceback" not in result.stderr


def test_mistyped_model_is_said_on_stderr(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "edge_app.app", "--model", "nosuch",
                             "--save_dir", str(tmp_path)], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in proc.stderr:
            lines.append(line)
            if "ready" in line:
                break
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert any("model nosuch not used" in line and "unknown model" in line for line in lines)
