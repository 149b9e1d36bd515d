"""Small helpers shared by the command-line tools."""

from __future__ import annotations

import argparse
import importlib.util

TRAIN_PROFILE_HINT = "pip install -e '.[train]' (or run make test, which installs it)"


def tensorflow_missing(tool: str) -> str | None:
    """The one-line error for a workstation tool run where TensorFlow is not installed."""
    if importlib.util.find_spec("tensorflow") is None:
        return f"{tool}: needs TensorFlow, which this environment lacks: {TRAIN_PROFILE_HINT}"
    return None


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
