"""`digits-bench`: how fast each model answers here, stage by stage, and the app's frame."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """The `digits-bench` entry point (see `edge_app.bench.cli`); returns the exit status."""
    # Imported here, not at the top: importing a piece such as `edge_app.bench.stats` must not
    # load the classifier, numpy's friends and pygame.
    from edge_app.bench.cli import main as run

    return run(argv)
