"""The machine a benchmark ran on: CPU, cores, Pi board, frequency governor and load."""

from __future__ import annotations

import os
import platform
from pathlib import Path

BUSY_LOAD = 1.0  # runnable processes (1-minute load average): above this, others share the CPU
# The widest integer SIMD the interpreter's int8 kernels can use, by the CPU flag that shows it,
# widest first. A virtual machine may name every AMD EPYC alike while the int8 CNN runs 5×
# faster on one with AVX-512 VNNI (0.04 ms) than on one with AVX2 alone (0.22 ms).
SIMD_FLAGS = (("avx512_vnni", "avx512-vnni"), ("avx512vnni", "avx512-vnni"),
              ("avx512f", "avx512"), ("avx2", "avx2"), ("asimddp", "neon-dotprod"),
              ("asimd", "neon"))


def machine_info(root: Path = Path("/")) -> dict[str, object]:
    """CPU, cores, Pi board (from the device tree), CPU frequency governor and load.

    Args:
        root: filesystem root to read /proc and /sys from (tests pass a fake one).

    Returns:
        cpu, cores, board (None off a Pi), governor (None where not exposed), arch, simd (see
        SIMD_FLAGS; None when unknown), python and load (the 1-, 5- and 15-minute load
        averages, None where not available).
    """
    cpu = platform.processor() or platform.machine()
    named = False
    flags: set[str] = set()
    for line in _read(root / "proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if not named and key in ("model name", "Model", "Hardware") and value.strip():
            cpu, named = value.strip(), True
        elif key in ("flags", "Features") and not flags:
            flags = set(value.split())
    simd = next((name for flag, name in SIMD_FLAGS if flag in flags), None)
    board = _read(root / "proc/device-tree/model").rstrip("\0") or None
    governor = _read(root / "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").strip() or None
    try:
        load: list[float] | None = [round(v, 2) for v in os.getloadavg()]
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "board": board, "governor": governor,
            "arch": platform.machine(), "simd": simd, "python": platform.python_version(),
            "load": load}


def describe(info: dict[str, object]) -> str:
    """One line naming the machine, e.g. 'AMD EPYC (2 cores, x86_64, avx2), Python 3.11.7,
    load 0.20'."""
    board = f", {info['board']}" if info.get("board") else ""
    simd = f", {info['simd']}" if info.get("simd") else ""
    load = info.get("load")
    load_text = f", load {load[0]:.2f}" if load else ""
    return (f"{info['cpu']} ({info['cores']} cores, {info['arch']}{simd}{board}), "
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
