"""Latency statistics: time a call many times, summarise the samples in milliseconds."""

from __future__ import annotations

import resource
import sys
import time
from typing import Callable

import numpy as np


def summarize(samples_s: np.ndarray | list[float]) -> dict[str, float]:
    """Latency statistics in milliseconds from per-call times in seconds.

    Args:
        samples_s: one duration per call, in seconds.

    Returns:
        p50, p90, p99 (linear-interpolated percentiles), mean, std, min, max, all in ms, and
        `per_s`, the calls per second that the mean allows.

    Raises:
        ValueError: no samples.
    """
    ms = np.asarray(samples_s, dtype=np.float64) * 1000.0
    if ms.size == 0:
        raise ValueError("no samples")
    p50, p90, p99 = np.percentile(ms, [50, 90, 99])
    mean = float(ms.mean())
    return {"p50": float(p50), "p90": float(p90), "p99": float(p99), "mean": mean,
            "std": float(ms.std()), "min": float(ms.min()), "max": float(ms.max()),
            "per_s": 1000.0 / mean if mean > 0 else float("inf")}


def time_calls(fn: Callable[[], object], iterations: int, warmup: int) -> np.ndarray:
    """Seconds per call of `fn`, after `warmup` untimed calls.

    Args:
        fn: the call to time, without arguments.
        iterations: timed calls.
        warmup: untimed calls first (caches, lazily prepared kernels, branch predictors).

    Returns:
        (iterations,) float64 seconds.
    """
    for _ in range(warmup):
        fn()
    samples = np.empty(iterations)
    clock = time.perf_counter
    for i in range(iterations):
        started = clock()
        fn()
        samples[i] = clock() - started
    return samples


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
