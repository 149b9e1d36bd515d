"""`python -m edge_app.photoeval`: how well digits photographed on paper are read."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np
from PIL import Image

from edge_app.classifier import DigitClassifier
from edge_app.errors import ImageError
from edge_app.numbereval import TEST_SPLIT
from edge_app.options import add_model_options, load_classifier, positive_int
from edge_app.preprocess import preprocess
from edge_app.segment.number import read_pixels

# What a phone sees of a page; each kind is a comma-separated set of these.
PAGES = ("even", "shaded", "ruled", "squared", "dark", "table", "desk")
KINDS = ("even", "shaded", "ruled", "squared", "shaded,ruled", "shaded,ruled,dark", "table",
         "shaded,desk")
PAPER = 235.0  # grey level of the paper in full light
INK = 0.8  # the ink takes this share of the light away
NOISE = 4.0  # grey levels of sensor noise (standard deviation)
RULE_EVERY = 30  # pixels between ruled lines
RULE_DARK = 70.0  # grey levels a ruled line takes off the paper
TABLE = 60.0  # grey level of a dark table or desk in full light
DESK_TILT = 8.0  # degrees: a sheet on a desk lies this far off square, one way or the other


def photo(digits: Sequence[np.ndarray], kind: str, rng: np.random.Generator,
          side: int = 160, gap: int = 0) -> np.ndarray:
    """MNIST-style digits (white on black, uint8) written in a row on a photographed page.

    Args:
        digits: (28, 28) images, left to right.
        kind: comma-separated `PAGES`: "shaded" light falls off from 100 % to 60 % across the
            page, "ruled" lines every RULE_EVERY pixels, "squared" lines both ways, "dark"
            light ink on a dark page, "table" a dark table along the left sixth (at most the
            margin), "desk" the sheet turned by up to DESK_TILT on a dark desk that shows all
            round it (a sixth of the sheet's shorter side each way).
        rng: the noise's random source.
        side: each digit's height and width in pixels.
        gap: pixels between neighbouring digits.

    Returns:
        (H, W) uint8: a margin of a quarter of `side` around the row (and the desk round it).
    """
    parts = set(kind.split(","))
    unknown = parts - set(PAGES)
    if unknown:
        raise ValueError(f"unknown page kind {sorted(unknown)}; choose from {PAGES}")
    margin = side // 4
    h, w = side + 2 * margin, len(digits) * (side + gap) - gap + 2 * margin
    page = np.full((h, w), PAPER)
    if "ruled" in parts or "squared" in parts:
        page[[r + k for r in range(18, h, RULE_EVERY) for k in (0, 1) if r + k < h]] -= RULE_DARK
    if "squared" in parts:
        page[:, [c + k for c in range(18, w, RULE_EVERY) for k in (0, 1) if c + k < w]] -= RULE_DARK
    if "table" in parts:  # beside the page: no ink of the row on it
        page[:, :min(w // 6, margin)] = TABLE
    ink = np.zeros((h, w))
    for i, digit in enumerate(digits):
        big = Image.fromarray(np.asarray(digit, np.uint8)).resize((side, side),
                                                                  Image.Resampling.BILINEAR)
        x0 = margin + i * (side + gap)
        ink[margin:margin + side, x0:x0 + side] = np.asarray(big) / 255.0
    page = np.maximum(page, 0.0) * (1 - INK * ink)
    if "dark" in parts:
        page = 255.0 - page
    if "desk" in parts:
        page = _on_desk(page, float(rng.uniform(-DESK_TILT, DESK_TILT)))
    h, w = page.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.25 * xx / w - 0.15 * yy / h if "shaded" in parts else np.ones((h, w))
    return np.clip(page * light + rng.normal(0, NOISE, (h, w)), 0, 255).astype(np.uint8)


def _on_desk(page: np.ndarray, degrees: float) -> np.ndarray:
    """`page` turned by `degrees` and laid on a dark desk that shows all round it."""
    pad = min(page.shape) // 6
    sheet = Image.fromarray(page.astype(np.float32), "F").rotate(
        degrees, Image.Resampling.BILINEAR, expand=True, fillcolor=-1.0)
    turned = np.asarray(sheet)
    h, w = turned.shape
    desk = np.full((h + 2 * pad, w + 2 * pad), TABLE)
    desk[pad:pad + h, pad:pad + w] = np.where(turned < 0, TABLE, turned)
    return desk


def evaluate(classifier: DigitClassifier, count: int, numbers: int, seed: int,
             kinds: Sequence[str] = KINDS) -> dict:
    """Reads MNIST test digits photographed on each kind of page, and 4-digit numbers.

    Args:
        classifier: the model.
        count: MNIST test digits per kind of page (the first `count`).
        numbers: 4-digit numbers per kind of page, read with `read_pixels`.
        seed: seeds the noise and the numbers' digits.
        kinds: which pages (`KINDS`, or any combination of `PAGES`).

    Returns:
        {kind: {"digits", "digit_accuracy", "refused", "numbers", "number_accuracy"}}.
    """
    with np.load(TEST_SPLIT) as data:
        x, y = data["x_test"], data["y_test"]
    rng = np.random.default_rng(seed)
    results = {}
    for kind in kinds:
        right = refused = 0
        for image, label in zip(x[:count], y[:count]):
            try:
                right += classifier.predict(preprocess(photo([image], kind, rng))).digit == label
            except ImageError:
                refused += 1
        read = 0
        for _ in range(numbers):
            pick = rng.choice(len(x), 4, replace=False)
            try:
                text = read_pixels(classifier, photo(x[pick], kind, rng, 140, 10)).text
            except ImageError:
                text = ""
            read += text == "".join(map(str, y[pick]))
        results[kind] = {"digits": count, "digit_accuracy": round(right / max(count, 1), 4),
                         "refused": round(refused / max(count, 1), 4), "numbers": numbers,
                         "number_accuracy": round(read / max(numbers, 1), 4)}
    return results


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one JSON object of figures per kind of page."""
    parser = argparse.ArgumentParser(prog="python -m edge_app.photoeval", description=__doc__)
    add_model_options(parser)
    parser.add_argument("-n", "--count", type=positive_int, default=300,
                        help="MNIST test digits per kind of page (default 300)")
    parser.add_argument("--numbers", type=int, default=100,
                        help="4-digit numbers per kind of page (default 100)")
    parser.add_argument("--kind", action="append", default=None,
                        help=f"a page: comma-separated {', '.join(PAGES)} (repeatable; "
                             f"default {' '.join(KINDS)})")
    parser.add_argument("-s", "--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for kind in args.kind or ():
        if set(kind.split(",")) - set(PAGES):
            parser.error(f"--kind {kind!r}: choose comma-separated pages from {', '.join(PAGES)}")
    classifier, status = load_classifier(args, "photoeval")
    if classifier is None:
        return status
    results = evaluate(classifier, args.count, max(args.numbers, 0), args.seed,
                       args.kind or KINDS)
    print(json.dumps({"model": classifier.name, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
