"""`python -m edge_app.numbereval`: how well numbers are read, on pictures and on strokes."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.errors import DigitsError, ImageError
from edge_app.numberset import (
    GAPS,
    ImageNumber,
    StrokeNumber,
    mnist_number,
    stroke_number,
)
from edge_app.options import add_model_options, positive_int
from edge_app.preprocess import preprocess
from edge_app.segment.number import ReadNumber, classify_all, confidence_judge
from edge_app.segment.pixels import find_digits
from edge_app.segment.strokes import group_box, group_strokes

TEST_SPLIT = Path(__file__).resolve().parent.parent / "models" / "mnist_test.npz"
LENGTHS = (2, 3, 4, 5, 6)  # digits per number


@dataclass
class Tally:
    """Counts for one kind of number: whole numbers, digits, and segmentation mistakes."""

    numbers: int = 0
    numbers_right: int = 0
    digits: int = 0
    digits_right: int = 0
    split: int = 0  # digits cut into two or more segments
    merged: int = 0  # digits that share one segment with a neighbour
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, labels: Sequence[int], owners: Sequence[list[int]], read: list[int]) -> None:
        """Adds one number: the true digits, the digits each segment covers, what was read."""
        self.numbers += 1
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
        for o, d in zip(owners, read):
            if len(o) == 1 and count[o[0]] == 1 and labels[o[0]] == d:
                self.digits_right += 1
        if text != got and len(self.examples) < 5:
            self.examples.append(f"{text}->{got}")

    def summary(self) -> dict:
        return {"numbers": self.numbers,
                "number_accuracy": round(self.numbers_right / max(self.numbers, 1), 4),
                "digit_accuracy": round(self.digits_right / max(self.digits, 1), 4),
                "split_rate": round(self.split / max(self.digits, 1), 5),
                "merged_rate": round(self.merged / max(self.digits, 1), 5),
                "ms_per_number": round(1000 * self.seconds / max(self.numbers, 1), 2),
                "wrong_examples": self.examples}


def read_picture(classifier: DigitClassifier, number: ImageNumber) -> tuple[list, list[int]]:
    """Reads a composed picture; returns each segment's true digits and the digits read."""
    found = find_digits(number.image, judge=confidence_judge(classifier))
    owners, inputs, boxes = [], [], []
    for digit in found:
        x0, y0, x1, y1 = digit.box
        ink = number.layers[:, y0:y1, x0:x1].reshape(len(number.labels), -1).sum(axis=1,
                                                                                  dtype=np.int64)
        share = ink / max(int(ink.sum()), 1)
        # A segment covers a digit when it holds most of that digit's ink.
        total = number.layers.reshape(len(number.labels), -1).sum(axis=1, dtype=np.int64)
        owners.append([i for i in range(len(ink)) if ink[i] > 0.5 * total[i] and share[i] > 0.2]
                      or [int(ink.argmax())])
        try:
            inputs.append(preprocess(digit.ink))
        except ImageError:
            inputs.append(np.zeros((28, 28), np.float32))
        boxes.append(digit.box)
    read = classify_all(classifier, inputs, boxes) if inputs else ReadNumber(())
    return owners, [d.prediction.digit for d in read.digits]


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


def stroke_renderer(canvas_size: tuple[int, int]) -> Callable[[Sequence[np.ndarray]], np.ndarray]:
    """The app's stroke renderer (edge_app.strokes) if present, else lines drawn and
    preprocessed."""
    try:
        from edge_app.strokes import render
    except ImportError:
        return render_lines
    return lambda group: render(group, canvas_size)


def render_lines(group: Sequence[np.ndarray]) -> np.ndarray:
    """A stand-in stroke renderer: the strokes drawn as lines with a pen a tenth of the digit's
    size, then preprocessed like a picture.

    Args:
        group: one digit's strokes, (n, 2) arrays of (x, y).

    Returns:
        (28, 28) float32 model input.
    """
    from PIL import Image, ImageDraw

    points = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in group])
    lo = points.min(axis=0)
    extent = max(float((points.max(axis=0) - lo).max()), 1.0)
    scale = 80.0 / extent  # an 80-pixel digit with MNIST's pen of about a tenth of its size
    image = Image.new("L", (100, 100), 0)
    pen = ImageDraw.Draw(image)
    for stroke in group:
        xy = [tuple(p) for p in (np.asarray(stroke, np.float64) - lo) * scale + 10]
        if len(xy) == 1:
            xy = xy * 2
        pen.line(xy, fill=255, width=9, joint="curve")
        for x, y in (xy[0], xy[-1]):
            pen.ellipse((x - 4, y - 4, x + 4, y + 4), fill=255)
    return preprocess(np.asarray(image))


def read_drawn(classifier: DigitClassifier, number: StrokeNumber) -> tuple[list, list[int]]:
    """Reads a stroke-drawn number the app's way: strokes grouped, each group rendered."""
    canvas = draw_on_canvas(number)
    strokes = canvas.strokes
    render = stroke_renderer(number.canvas_size)
    groups = group_strokes(strokes)
    index = {id(s): i for i, s in enumerate(strokes)}
    owners, inputs, boxes = [], [], []
    for group in groups:
        owners.append(sorted({number.owners[index[id(s)]] for s in group}))
        try:
            inputs.append(render(group))
        except ImageError:
            inputs.append(np.zeros((28, 28), np.float32))
        box = group_box(group)
        boxes.append((int(box.x0), int(box.y0), int(box.x1) + 1, int(box.y1) + 1))
    read = classify_all(classifier, inputs, boxes)
    return owners, [d.prediction.digit for d in read.digits]


def evaluate(classifier: DigitClassifier, per_kind: int, singles: int, seed: int,
             paths: Sequence[str] = ("image", "strokes")) -> dict:
    """Runs the evaluation: numbers of every length and gap, then single digits alone.

    Args:
        classifier: the model.
        per_kind: numbers per path, gap and length.
        singles: single digits per path (the image path takes MNIST test digits in order).
        seed: seeds the random composition.
        paths: "image" (MNIST digits composed into pictures), "strokes" (drawn on the canvas).

    Returns:
        {"path/gap/length" or "path/single": Tally.summary()}.
    """
    with np.load(TEST_SPLIT) as data:
        x, y = data["x_test"], data["y_test"]
    rng = np.random.default_rng(seed)
    results: dict = {}
    for path in paths:
        for gap in GAPS:
            for k in LENGTHS:
                tally = Tally()
                for _ in range(per_kind):
                    started = time.perf_counter()
                    if path == "image":
                        number = mnist_number(x, y, k, gap, rng)
                        owners, read = read_picture(classifier, number)
                        labels = number.labels
                    else:
                        drawn = stroke_number(k, gap, rng)
                        owners, read = read_drawn(classifier, drawn)
                        labels = drawn.labels
                    tally.seconds += time.perf_counter() - started
                    tally.add(labels, owners, read)
                results[f"{path}/{gap}/{k}"] = tally.summary()
        single = Tally()
        for i in range(singles):
            if path == "image":
                j = i % len(x)
                number = mnist_number(x[j:j + 1], y[j:j + 1], 1, "wide", rng)
                owners, read = read_picture(classifier, number)
            else:
                number = stroke_number(1, "wide", rng)
                owners, read = read_drawn(classifier, number)
            single.add(number.labels, owners, read)
        results[f"{path}/single"] = single.summary()
    return results


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one JSON object of figures per kind of number."""
    parser = argparse.ArgumentParser(prog="python -m edge_app.numbereval", description=__doc__)
    add_model_options(parser)
    parser.add_argument("--per_kind", type=positive_int, default=200,
                        help="numbers per path, gap and length (default 200)")
    parser.add_argument("--singles", type=positive_int, default=10000,
                        help="single digits per path (default 10000)")
    parser.add_argument("-s", "--seed", type=int, default=0)
    parser.add_argument("--path", choices=("image", "strokes"), action="append", default=None)
    parser.add_argument("-o", "--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    try:
        classifier = DigitClassifier(ClassifierOptions(
            model=args.model, models_dir=args.models_dir, runtime=args.runtime,
            num_threads=args.threads))
    except DigitsError as exc:
        print(f"numbereval: {exc}", file=sys.stderr)
        return exc.exit_code
    results = evaluate(classifier, args.per_kind, args.singles, args.seed,
                       args.path or ("image", "strokes"))
    text = json.dumps({"model": classifier.name, "results": results}, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
