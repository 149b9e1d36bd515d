"""`python -m edge_app.numbereval`: how well numbers are read, on pictures and on strokes."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from edge_app.classifier import DigitClassifier
from edge_app.errors import ImageError
from edge_app.numberset import (
    GAPS,
    ImageNumber,
    StrokeDigits,
    StrokeNumber,
    mnist_number,
    stroke_number,
)
from edge_app.options import (
    add_model_options,
    load_classifier,
    non_negative_int,
    positive_int,
    print_json,
)
from edge_app.second_look import look_again
from edge_app.segment.number import read_pixels, read_strokes
from edge_app.segment.strokes import without_taps
from edge_app.strokes import render as strokes_render

TEST_SPLIT = Path(__file__).resolve().parent.parent / "models" / "mnist_test.npz"
LENGTHS = (2, 3, 4, 5, 6)  # digits per number
TRACED = 3000  # MNIST test digits traced into strokes for the stroke path


@dataclass
class Tally:
    """Counts for one kind of number: whole numbers, digits, and segmentation mistakes."""

    numbers: int = 0
    numbers_right: int = 0
    numbers_segmented: int = 0  # every digit exactly one segment, whatever it was read as
    digits: int = 0
    digits_right: int = 0
    split: int = 0  # digits cut into two or more segments
    merged: int = 0  # digits that share one segment with a neighbour
    missing: int = 0  # digits in no segment: dropped as specks, or refused as "not a digit"
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, labels: Sequence[int], owners: Sequence[list[int]], read: list[int],
            seconds: float = 0.0) -> None:
        """Adds one number: the true digits, the digits each segment covers, what was read,
        and how long reading it took."""
        self.numbers += 1
        self.seconds += seconds
        self.digits += len(labels)
        text = "".join(map(str, labels))
        got = "".join(map(str, read))
        self.numbers_right += text == got and all(len(o) == 1 for o in owners)
        count = np.zeros(len(labels), int)
        for o in owners:
            count[o] += 1
            if len(o) > 1:
                self.merged += len(o)
        self.split += int((count > 1).sum())
        self.missing += int((count == 0).sum())
        self.numbers_segmented += len(owners) == len(labels) and bool((count == 1).all())
        for o, d in zip(owners, read):
            if len(o) == 1 and count[o[0]] == 1 and labels[o[0]] == d:
                self.digits_right += 1
        if text != got and len(self.examples) < 5:
            self.examples.append(f"{text}->{got}")

    def summary(self) -> dict:
        return {"numbers": self.numbers,
                "number_accuracy": round(self.numbers_right / max(self.numbers, 1), 4),
                "segmentation_accuracy": round(self.numbers_segmented / max(self.numbers, 1), 4),
                "digit_accuracy": round(self.digits_right / max(self.digits, 1), 4),
                "split_rate": round(self.split / max(self.digits, 1), 5),
                "merged_rate": round(self.merged / max(self.digits, 1), 5),
                "missing_rate": round(self.missing / max(self.digits, 1), 5),
                "ms_per_number": round(1000 * self.seconds / max(self.numbers, 1), 2),
                "wrong_examples": self.examples}


def read_picture(classifier: DigitClassifier, number: ImageNumber) -> tuple:
    """Reads a composed picture as `digits-predict --number` does.

    Returns:
        The true digits each segment covers, the digits read, and the seconds reading took.
    """
    started = time.perf_counter()
    try:
        digits = read_pixels(classifier, number.image).digits
    except ImageError:
        digits = ()
    seconds = time.perf_counter() - started
    k = len(number.labels)
    total = number.layers.reshape(k, -1).sum(axis=1, dtype=np.int64)
    owners = []
    for digit in digits:
        x0, y0, x1, y1 = digit.box
        ink = number.layers[:, y0:y1, x0:x1].reshape(k, -1).sum(axis=1, dtype=np.int64)
        share = ink / max(int(ink.sum()), 1)
        # A segment covers a digit when it holds most of that digit's ink.
        owners.append([i for i in range(k) if ink[i] > 0.5 * total[i] and share[i] > 0.2]
                      or [int(ink.argmax())])
    return owners, [d.prediction.digit for d in digits], seconds


def draw_on_canvas(number: StrokeNumber):
    """Draws the strokes through the app's canvas, as a person's pointer would."""
    from edge_app.app.canvas import Canvas

    canvas = Canvas(number.canvas_size)
    for stroke in number.strokes:
        canvas.begin(tuple(stroke[0]))
        for point in stroke[1:]:
            canvas.extend(tuple(point))
        canvas.end()
    return canvas


def read_drawn(classifier: DigitClassifier, number: StrokeNumber) -> tuple:
    """Reads a stroke-drawn number the app's way, from the canvas's recorded strokes.

    Returns:
        The true digits each group of strokes covers, the digits read, and the seconds
        reading took (grouping, rendering, classifying; drawing on the canvas left out).
    """
    canvas = draw_on_canvas(number)
    strokes = canvas.strokes
    def render(group: Sequence[np.ndarray], row: float | None) -> np.ndarray:
        return strokes_render(group, number.canvas_size, row=row)

    started = time.perf_counter()
    try:
        digits = read_strokes(classifier, strokes, render).digits
    except ImageError:
        digits = ()
    if len(digits) == 1:  # one digit, as the app reads it: unsure, a second look
        pixels = canvas.pixels if len(without_taps(strokes)) == len(strokes) else None
        digits = (replace(digits[0], prediction=look_again(
            classifier, digits[0].prediction, pixels)),)
    seconds = time.perf_counter() - started
    index = {id(s): i for i, s in enumerate(strokes)}
    owners = [sorted({number.owners[index[id(s)]] for s in d.strokes}) for d in digits]
    return owners, [d.prediction.digit for d in digits], seconds


def evaluate(classifier: DigitClassifier, per_kind: int, singles: int, seed: int,
             paths: Sequence[str] = ("image", "strokes"), traced: int = TRACED,
             gaps: Sequence[str] = tuple(GAPS), lengths: Sequence[int] = LENGTHS) -> dict:
    """Runs the evaluation: numbers of every length and gap, then single digits alone.

    Args:
        classifier: the model.
        per_kind: numbers per path, gap and length.
        singles: single digits per path: on the image path MNIST test digits in order; on
            the stroke path half hand-built styles and half MNIST test digits traced into
            strokes, a seeded choice, each drawn once.
        seed: seeds the random composition.
        paths: "image" (MNIST digits composed into pictures), "strokes" (drawn on the canvas).
        traced: MNIST test digits traced into strokes for the stroke path's numbers.
        gaps: which kinds of gap (keys of `GAPS`); lengths: which numbers of digits.

    Returns:
        {"path/gap/length" or "path/single": Tally.summary()}.
    """
    with np.load(TEST_SPLIT) as data:
        x, y = data["x_test"], data["y_test"]
    rng = np.random.default_rng(seed)
    pool = StrokeDigits(x, y, traced, rng) if "strokes" in paths else None

    def one(path: str, k: int, gap: str, source: str | None = None,
            digits: StrokeDigits | None = None, which: int | None = None) -> tuple:
        if path == "image":
            number = mnist_number(x, y, k, gap, rng)
            return (number.labels, *read_picture(classifier, number))
        drawn = stroke_number(digits or pool, k, gap, rng, source, which)
        return (drawn.labels, *read_drawn(classifier, drawn))

    results: dict = {}
    for path in paths:
        for gap in gaps:
            for k in lengths:
                tally = Tally()
                for _ in range(per_kind):
                    tally.add(*one(path, k, gap))
                results[f"{path}/{gap}/{k}"] = tally.summary()
        if not singles:
            continue
        if path == "image":  # every MNIST test digit alone, in order
            single = Tally()
            for i in range(singles):
                j = i % len(x)
                number = mnist_number(x[j:j + 1], y[j:j + 1], 1, "wide", rng)
                single.add(number.labels, *read_picture(classifier, number))
            results["image/single"] = single.summary()
        else:
            single = Tally()
            for _ in range(singles // 2):
                single.add(*one(path, 1, "wide", "styles"))
            results["strokes/single/styles"] = single.summary()
            # Each traced digit drawn once, as the image path reads each MNIST digit once:
            # drawn at random from the numbers' pool, a few odd digits drawn again and again
            # (a "3" with a mark beside it, MNIST's "||") made most of a seed's splits.
            alone = StrokeDigits(x, y, singles // 2, rng)
            single = Tally()
            for which in range(len(alone.traced)):
                single.add(*one(path, 1, "wide", digits=alone, which=which))
            results["strokes/single/traced"] = single.summary()
    return results


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one JSON object of figures per kind of number."""
    parser = argparse.ArgumentParser(prog="python -m edge_app.numbereval", description=__doc__)
    add_model_options(parser)
    parser.add_argument("--per_kind", type=positive_int, default=200,
                        help="numbers per path, gap and length (default 200)")
    parser.add_argument("--singles", type=non_negative_int, default=10000,
                        help="single digits per path (default 10000; 0: none)")
    parser.add_argument("--gap", choices=tuple(GAPS), action="append", default=None,
                        help="only this kind of gap (repeatable; default all)")
    parser.add_argument("--length", type=positive_int, action="append", default=None,
                        help="only numbers of this many digits (repeatable; default 2-6)")
    parser.add_argument("-s", "--seed", type=int, default=0)
    parser.add_argument("--path", choices=("image", "strokes"), action="append", default=None)
    parser.add_argument("-o", "--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    classifier, status = load_classifier(args, "numbereval")
    if classifier is None:
        return status
    results = evaluate(classifier, args.per_kind, args.singles, args.seed,
                       args.path or ("image", "strokes"), gaps=args.gap or tuple(GAPS),
                       lengths=args.length or LENGTHS)
    print_json({"model": classifier.name, "results": results}, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
