"""The machine a benchmark ran on: CPU, cores, Pi board, frequency governor, load and steal."""

from __future__ import annotations

import os
import platform
from pathlib import Path

BUSY_LOAD = 1.0  # runnable processes (1-minute load average): above this, others share the CPU
# Share of the CPU time that a virtual machine's host gave to other guests during the run
# ("steal"), which the load average does not see. 5 % of the time gone is more than the
# interpreter's own run-to-run spread (2 %). (On the project's AMD EPYC guest it measured 0 %
# while single stages still came out up to 54 % slower: not every neighbour shows as steal.)
BUSY_STEAL = 0.05
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


def cpu_times(root: Path = Path("/")) -> tuple[int, int] | None:
    """The CPUs' stolen and total time since boot, in clock ticks, from /proc/stat.

    Args:
        root: filesystem root to read /proc from (tests pass a fake one).

    Returns:
        (steal, total), or None where /proc/stat is not there (not Linux).
    """
    for line in _read(root / "proc/stat").splitlines():
        if line.startswith("cpu "):
            # user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is
            # already counted in user time.
            ticks = [int(v) for v in line.split()[1:9]]
            return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)
    return None


def steal_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of CPU time stolen between two `cpu_times` readings (None if unknown)."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def describe(info: dict[str, object]) -> str:
    """One line naming the machine, e.g. 'AMD EPYC (2 cores, x86_64, avx2), Python 3.11.7,
    load 0.20'."""
    board = f", {info['board']}" if info.get("board") else ""
    simd = f", {info['simd']}" if info.get("simd") else ""
    load = info.get("load")
    load_text = f", load {load[0]:.2f}" if load else ""
    steal = info.get("steal")
    steal_text = f", steal {100 * steal:.0f} %" if steal is not None else ""
    return (f"{info['cpu']} ({info['cores']} cores, {info['arch']}{simd}{board}), "
            f"Python {info['python']}{load_text}{steal_text}")


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
    steal = info.get("steal")
    if steal is not None and steal > BUSY_STEAL:
        found.append(f"the host took {100 * steal:.0f} % of the CPU time during the run "
                     "(steal): other virtual machines share the CPU, so the figures are slower "
                     "and noisier than this machine can do")
    return found


def busy(info: dict[str, object]) -> bool:
    """Whether others shared the CPU (load or steal), so a slower figure may not be ours."""
    load, steal = info.get("load"), info.get("steal")
    return bool(load and load[0] > BUSY_LOAD) or (steal is not None and steal > BUSY_STEAL)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode(errors="replace")
    except OSError:
        return ""
