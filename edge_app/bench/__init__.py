"""`digits-bench`: how fast each model answers here, stage by stage, and the app's frame."""

from __future__ import annotations

from edge_app.bench.machine import machine_info
from edge_app.bench.stats import summarize, time_calls

__all__ = ["machine_info", "main", "summarize", "time_calls"]


def main(argv: list[str] | None = None) -> int:
    """The `digits-bench` entry point (see `edge_app.bench.cli`); returns the exit status."""
    # Imported here, not at the top: the light pieces above (used by other tools' timings)
    # must not load the classifier, the runtimes and pygame.
    from edge_app.bench.cli import main as run

    return run(argv)
