"""The machine a benchmark ran on: CPU, cores, Pi board, frequency governor and load."""

from __future__ import annotations

import os
import platform
from pathlib import Path

BUSY_LOAD = 1.0  # runnable processes (1-minute load average): above this, others share the CPU


def machine_info(root: Path = Path("/")) -> dict[str, object]:
    """CPU, cores, Pi board (from the device tree), CPU frequency governor and load.

    Args:
        root: filesystem root to read /proc and /sys from (tests pass a fake one).

    Returns:
        cpu, cores, board (None off a Pi), governor (None where not exposed), arch, python and
        load (the 1-, 5- and 15-minute load averages, None where not available).
    """
    cpu = platform.processor() or platform.machine()
    for line in _read(root / "proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "Hardware") and value.strip():
            cpu = value.strip()
            break
    board = _read(root / "proc/device-tree/model").rstrip("\0") or None
    governor = _read(root / "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").strip() or None
    try:
        load: list[float] | None = [round(v, 2) for v in os.getloadavg()]
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "board": board, "governor": governor,
            "arch": platform.machine(), "python": platform.python_version(), "load": load}


def describe(info: dict[str, object]) -> str:
    """One line naming the machine, e.g. 'AMD EPYC (2 cores, x86_64), Python 3.11.7, load 0.2'."""
    board = f", {info['board']}" if info.get("board") else ""
    load = info.get("load")
    load_text = f", load {load[0]:.2f}" if load else ""
    return (f"{info['cpu']} ({info['cores']} cores, {info['arch']}{board}), "
            f"Python {info['python']}{load_text}")


def warnings(info: dict[str, object]) -> list[str]:
    """What may make the timings unsteady: a power-saving governor, other work on the CPU."""
    found = []
    governor = info.get("governor")
    if governor and governor != "performance":
        found.append(f"CPU frequency governor is '{governor}', not 'performance': timings may "
                     "vary. For steady figures: echo performance | sudo tee "
                     "/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor")
    load = info.get("load")
    if load and load[0] > BUSY_LOAD:
        found.append(f"load average {load[0]:.2f}: other programs share the CPU, so the "
                     "figures are slower and noisier than this machine can do")
    return found


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode(errors="replace")
    except OSError:
        return ""
