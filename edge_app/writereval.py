"""What on-device adaptation does for a writer, before and after corrections:
`python -m edge_app.writereval`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

from edge_app.strokes import render
from edge_app.writers import CORRECTION_SEED, TEST_SEED, WRITERS, Writer, drawings, inputs

COUNTS = (1, 3, 5)  # corrections per digit
PIXEL_RADIUS = 0.2  # cosine distance for the nearest-prototype comparison on the 28×28 input


@dataclass
class Row:
    """One writer with one model: accuracy (%) on their unseen digits, and MNIST's."""

    model: str
    writer: str
    space: str
    before: float
    after: list[float]
    corrections_if_wrong: list[tuple[int, float]]  # (corrections made, accuracy after)
    mnist_before: float
    mnist_after: float


def _accuracy(answers: list[int], labels: np.ndarray) -> float:
    return 100.0 * float(np.mean(np.array(answers) == labels))


def _first(labels: np.ndarray, k: int) -> np.ndarray:
    """Indices of the first `k` drawings of each digit, in drawing order."""
    return np.sort(np.concatenate([np.flatnonzero(labels == d)[:k] for d in range(10)]))


def measure(classifier, w: Writer, per_digit: int, mnist: tuple[np.ndarray, np.ndarray],
            mnist_before: float) -> list[Row]:
    """A writer's accuracy before and after corrections, in features and in pixels.

    Args:
        classifier: a `DigitClassifier`.
        w: the writer.
        per_digit: unseen test drawings per digit.
        mnist: MNIST test inputs (N, 28, 28) in [0, 1] and labels.
        mnist_before: the classifier's MNIST test accuracy (%).

    Returns:
        The "features" row (the adapter as the app runs it) and the "pixels" row.
    """
    from edge_app.adapt import Adapter

    test_x, test_y = inputs(w, per_digit, TEST_SEED)
    pool_x, pool_y = inputs(w, max(COUNTS), CORRECTION_SEED)
    plain = [classifier.predict(x) for x in test_x]
    before = _accuracy([p.digit for p in plain], test_y)
    after, if_wrong = [], []
    for k in COUNTS:
        chosen = _first(pool_y, k)
        adapter = Adapter(classifier)
        for x, y in zip(pool_x[chosen], pool_y[chosen]):
            adapter.add(x, int(y))
        after.append(_accuracy([adapter.adjust(x, p).digit for x, p in zip(test_x, plain)],
                               test_y))
        # As a person would: only the answers the (adapting) app gets wrong are corrected.
        lazy = Adapter(classifier)
        for x, y in zip(pool_x[chosen], pool_y[chosen]):
            if lazy.predict(x).digit != y:
                lazy.add(x, int(y))
        if_wrong.append((lazy.count, _accuracy([lazy.predict(x).digit for x in test_x], test_y)))
    mx, my = mnist
    mnist_after = _accuracy([adapter.adjust(x, classifier.predict(x)).digit for x in mx], my)
    rows = [Row(classifier.name, w.name, "features", before, after, if_wrong, mnist_before,
                mnist_after)]
    rows.append(_pixels_row(classifier, w, test_x, test_y, plain, pool_x, pool_y, mnist,
                            mnist_before))
    return rows


def _pixels_row(classifier, w, test_x, test_y, plain, pool_x, pool_y, mnist,
                mnist_before) -> Row:
    """The same with nearest prototypes on the 28×28 input instead of the network's features."""
    from edge_app.adapt import WEIGHT
    from edge_app.features import blend, unit, vote

    def answers(xs, probabilities, k):
        chosen = _first(pool_y, k)
        stored = np.stack([unit(x.reshape(-1)) for x in pool_x[chosen]])
        return [int(blend(p, vote(unit(x.reshape(-1)), stored, pool_y[chosen], PIXEL_RADIUS),
                          WEIGHT).argmax()) for x, p in zip(xs, probabilities)]

    probs = [p.probabilities for p in plain]
    after = [_accuracy(answers(test_x, probs, k), test_y) for k in COUNTS]
    mx, my = mnist
    plain_mnist = [classifier.predict(x).probabilities for x in mx]
    mnist_after = _accuracy(answers(mx, plain_mnist, max(COUNTS)), my)
    return Row(classifier.name, w.name, "pixels", _accuracy([p.digit for p in plain], test_y),
               after, [], mnist_before, mnist_after)


def timing(classifier, w: Writer, iterations: int = 5000) -> dict[str, float]:
    """Median milliseconds per answer: rendering the strokes, the classifier, the adapter's
    adjustment (50 corrections stored), and the adapter's one-invoke predict."""
    from edge_app.adapt import Adapter
    from edge_app.bench import summarize, time_calls

    x_pool, y_pool = inputs(w, max(COUNTS), CORRECTION_SEED)
    adapter = Adapter(classifier)
    for x, y in zip(x_pool, y_pool):
        adapter.add(x, int(y))
    x = x_pool[1]
    p = classifier.predict(x)
    strokes, _ = drawings(w, 1, CORRECTION_SEED)[1]
    calls = {"strokes.render": lambda: render(strokes, w.canvas),
             "classifier.predict": lambda: classifier.predict(x),
             "adapter.adjust": lambda: adapter.adjust(x, p),
             "adapter.predict": lambda: adapter.predict(x)}
    return {name: summarize(time_calls(call, iterations, 200))["p50"]
            for name, call in calls.items()}


def table(rows: list[Row]) -> str:
    """The before/after table in Markdown."""
    head = ("| model | writer | vote in | before | " + " | ".join(f"after {k}/digit"
                                                              for k in COUNTS)
            + " | wrong ones only (corrections: accuracy) | MNIST test Δ |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lazy = ", ".join(f"{n}: {a:.1f}" for n, a in r.corrections_if_wrong) or "-"
        lines.append(f"| {r.model} | {r.writer} | {r.space} | {r.before:.1f} | "
                     + " | ".join(f"{a:.1f}" for a in r.after)
                     + f" | {lazy} | {r.mnist_after - r.mnist_before:+.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m edge_app.writereval`: the before/after table and the cost per answer."""
    import argparse

    from edge_app.bench import machine_info
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import DigitsError
    from edge_app.manifest import TEST_SPLIT_NAME, default_models_dir
    from edge_app.options import add_model_options, positive_int

    parser = argparse.ArgumentParser(
        prog="python -m edge_app.writereval",
        description="Accuracy on writer sets before and after on-device adaptation.")
    add_model_options(parser, many=True)
    parser.add_argument("-N", "--number", type=positive_int, default=30,
                        help="unseen test drawings per digit and writer (default 30)")
    args = parser.parse_args(argv)
    models = args.model or ["cnn_int8", "mlp_int8"]
    split = (args.models_dir or default_models_dir()) / TEST_SPLIT_NAME
    try:
        classifiers = [DigitClassifier(ClassifierOptions(
            model=m, models_dir=args.models_dir, runtime=(args.runtime or [None])[0],
            num_threads=args.threads[0])) for m in models]
        with np.load(split) as data:
            mnist = (data["x_test"].astype(np.float32) / 255, data["y_test"])
    except (OSError, KeyError, ValueError, DigitsError) as exc:
        print(f"writereval: {exc}", file=sys.stderr)
        return 2
    rows, costs = [], []
    for classifier in classifiers:
        classifier.warm_up()
        base = _accuracy([classifier.predict(x).digit for x in mnist[0]], mnist[1])
        for w in WRITERS:
            rows += measure(classifier, w, args.number, mnist, base)
        costs.append((classifier.name, timing(classifier, WRITERS[0])))
    print(f"Writers ({args.number} unseen drawings per digit each):")
    for w in WRITERS:
        print(f"- {w.name}: {w.about}")
    print()
    print(table(rows))
    info = machine_info()
    print(f"\nCost per answer, median ms ({info['cpu']}, {info['cores']} cores; "
          f"load average {os.getloadavg()[0]:.2f}):")
    for name, cost in costs:
        print(f"- {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in cost.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
