"""Real on-line handwriting through the app: `python -m edge_app.unipeneval --root UNIPEN_DIR`.

Each digit of a UNIPEN tree (`edge_app.unipen`; the project ships none) is placed on one of the
stroke evaluation's canvases at 20-90 % of its side, its pen's points replayed as motion events
(no two closer than a pixel) through the app's own canvas, and read both ways: the strokes as
the app reads them (grouping, the gate, the stroke path) and the canvas's pixels as
`digits-predict` reads them; a single digit the strokes leave unsure gets the app's second
look at the pixels (`second_look`). A refused digit counts as wrong; so, on the stroke path,
does one read as a number of several digits.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import partial
from pathlib import Path

import numpy as np

from edge_app import strokeset
from edge_app.errors import ImageError
from edge_app.options import add_model_options, load_classifier, positive_int, print_json
from edge_app.preprocess import preprocess
from edge_app.second_look import look_again
from edge_app.segment.number import read_strokes
from edge_app.segment.strokes import without_taps
from edge_app.strokes import render
from edge_app.unipen import Sample, load

SEED = 0
MIN_STEP = 1.0  # canvas pixels: a panel reports positions, not sub-pixel copies of one


def place(sample: Sample, rng: np.random.Generator,
          canvas: tuple[int, int]) -> list[np.ndarray]:
    """The sample's strokes on a canvas, at a random size and place, as motion events.

    Args:
        sample: the digit.
        rng: the random source (size and place).
        canvas: the canvas size, pixels.

    Returns:
        Strokes in canvas pixels, no two consecutive points closer than MIN_STEP.
    """
    points = np.concatenate(sample.strokes)
    low = points.min(axis=0)
    size = rng.uniform(*strokeset.SIZES)
    scale, origin = strokeset.placement(points, rng, canvas[0], strokeset.brush_of(canvas), size)
    placed = []
    for stroke in sample.strokes:
        p = (stroke - low) * scale + origin
        keep = [0]
        for i in range(1, len(p)):
            if np.abs(p[i] - p[keep[-1]]).max() >= MIN_STEP:
                keep.append(i)
        if len(p) > 1 and keep[-1] != len(p) - 1:
            keep.append(len(p) - 1)
        placed.append(p[keep])
    return placed


def evaluate(classifier, samples: list[Sample], seed: int = SEED) -> dict:
    """Both paths' answers for every sample, summed up per site and overall.

    Returns:
        {"sites": {site: figures}, "all": figures, "confusions": [[label, answer, count]]},
        figures being the count of digits and, per path, the share read right, refused and
        (stroke path) read as a number, and read right with each drawing read whole, as one
        digit (what the grouping costs).
    """
    tally: dict[str, Counter] = {}
    confusions: Counter = Counter()
    for k, sample in enumerate(samples):
        rng = np.random.default_rng((seed, k))
        canvas = strokeset.CANVASES[k % len(strokeset.CANVASES)]
        strokes, pixels = strokeset.draw(place(sample, rng, canvas), canvas)
        # For the second look at an unsure answer, as the app takes it: not when taps were
        # left out of the strokes (the picture holds them).
        picture = (partial(np.asarray, pixels)
                   if len(without_taps(strokes)) == len(strokes) else None)
        try:
            read = read_strokes(classifier, strokes,
                                lambda g, row, size=canvas: render(g, size, row=row))
            text = read.text
            if len(read.digits) == 1:  # one digit, as the app reads it: unsure, a second look
                text = str(look_again(classifier, read.digits[0].prediction, picture).digit)
        except ImageError:
            text = "refused"
        try:
            image = str(classifier.predict(preprocess(pixels)).digit)
        except ImageError:
            image = "refused"
        try:  # read whole, as one digit: what the grouping costs (the number issue's limit)
            whole = str(look_again(classifier, classifier.predict(
                render(without_taps(strokes), canvas)), picture).digit)
        except ImageError:
            whole = "refused"
        counts = tally.setdefault(sample.site, Counter())
        counts["digits"] += 1
        for path, answer in (("stroke", text), ("image", image), ("whole", whole)):
            counts[f"{path}_right"] += answer == str(sample.label)
            counts[f"{path}_refused"] += answer == "refused"
        number = len(text) > 1 and text != "refused"
        counts["stroke_number"] += number
        if text != str(sample.label):
            confusions[(sample.label, "number" if number else text)] += 1
    total = sum(tally.values(), Counter())
    return {"sites": {site: _figures(c) for site, c in sorted(tally.items())},
            "all": _figures(total),
            "confusions": [[label, answer, n] for (label, answer), n in confusions.most_common(15)]}


def _figures(counts: Counter) -> dict:
    n = counts["digits"]

    def share(key: str) -> float:
        return round(counts[key] / n, 6) if n else 0.0

    return {"digits": n,
            "stroke": {"accuracy": share("stroke_right"), "refused": share("stroke_refused"),
                       "read_as_number": share("stroke_number"),
                       "whole_accuracy": share("whole_right")},
            "image": {"accuracy": share("image_right"), "refused": share("image_refused")}}


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one JSON object of figures per site and overall."""
    parser = argparse.ArgumentParser(prog="python -m edge_app.unipeneval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_options(parser)
    parser.add_argument("--root", type=Path, required=True,
                        help="the UNIPEN tree (holding data/ and include/)")
    parser.add_argument("--category", default="1a", help="the set to read (default 1a: digits)")
    parser.add_argument("--site", action="append", default=None,
                        help="only this site's digits (repeatable; default every site)")
    parser.add_argument("--per_site", type=positive_int, default=None,
                        help="at most this many digits per site (default all)")
    parser.add_argument("--y_down", action="store_true",
                        help="the tree's y grows downwards (default: upwards, as tablets count)")
    parser.add_argument("-s", "--seed", type=int, default=SEED)
    parser.add_argument("-o", "--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    if not (args.root / "data" / args.category).is_dir():
        print(f"unipeneval: {args.root} has no data/{args.category} folder: not a UNIPEN tree",
              file=sys.stderr)
        return 1
    samples = load(args.root, args.category, y_up=not args.y_down)
    if args.site:
        samples = [s for s in samples if s.site in args.site]
    if args.per_site:
        seen: Counter = Counter()
        kept = []
        for sample in samples:
            seen[sample.site] += 1
            if seen[sample.site] <= args.per_site:
                kept.append(sample)
        samples = kept
    if not samples:
        print(f"unipeneval: no digits found under {args.root / 'data' / args.category}",
              file=sys.stderr)
        return 1
    classifier, status = load_classifier(args, "unipeneval")
    if classifier is None:
        return status
    print_json({"model": classifier.name, **evaluate(classifier, samples, args.seed)}, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
