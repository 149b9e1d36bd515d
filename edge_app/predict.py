"""`digits-predict`: classify image files of drawn digits, one JSON line per image."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image

from edge_app.classifier import Prediction
from edge_app.errors import ImageError
from edge_app.options import add_model_options, load_classifier, positive_int
from edge_app.picture import read_image
from edge_app.preprocess import preprocess
from edge_app.segment import number


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-predict",
        description="Classify images of handwritten digits (PNG, JPEG, ...; any size, dark on "
                    "light or light on dark). Prints one JSON object per image.")
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    add_model_options(parser)
    parser.add_argument("-k", "--top", type=positive_int, default=3,
                        help="how many best guesses to list (default 3)")
    parser.add_argument("-N", "--number", action="store_true",
                        help="read a row of digits as a number: prints \"number\" and each "
                             "digit's box, digit, confidence and probabilities")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 0, 1 if any image failed, 2 if the model or runtime is unusable."""
    args = parse_args(argv)
    classifier, status = load_classifier(args, "digits-predict")
    if classifier is None:
        return status

    # Pay the one-time costs up front (the interpreter's first invoke, Pillow loading its
    # format plugins), so each image's "ms" is comparable with the next.
    classifier.warm_up()
    Image.preinit()
    failed = 0
    for path in args.images:
        try:
            started = time.perf_counter()
            with _own_size_limit():
                image = read_image(path)
            if args.number:
                scale = _decoded_scale(path, image.shape)
                fields = _number_fields(number.read_pixels(classifier, image), scale)
            else:
                fields = _digit_fields(classifier.predict(preprocess(image)), args.top)
            elapsed_ms = (time.perf_counter() - started) * 1000
        except ImageError as exc:
            print(f"digits-predict: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        record = {"file": str(path), **fields, "model": classifier.name,
                  "runtime": classifier.runtime, "ms": round(elapsed_ms, 3)}
        print(json.dumps(record), flush=True)
    return 1 if failed else 0


def _digit_fields(prediction: Prediction, top: int) -> dict:
    return {"digit": prediction.digit,
            "confidence": round(prediction.confidence, 6),
            "probabilities": _rounded(prediction.probabilities),
            "top": [{"digit": d, "probability": round(p, 6)} for d, p in prediction.top(top)]}


def _number_fields(reading: number.ReadNumber, scale: tuple[float, float]) -> dict:
    sx, sy = scale
    return {"number": reading.text,
            "digits": [{"box": [int(d.box[0] * sx), int(d.box[1] * sy),
                                math.ceil(d.box[2] * sx), math.ceil(d.box[3] * sy)],
                        "digit": d.prediction.digit,
                        "confidence": round(d.prediction.confidence, 6),
                        "probabilities": _rounded(d.prediction.probabilities)}
                       for d in reading.digits]}


def _decoded_scale(path: Path, shape: tuple[int, ...]) -> tuple[float, float]:
    """File pixels per decoded pixel, (x, y): `read_image` decodes JPEG photos at a reduced
    size, and boxes are reported in the file's own pixels (after its EXIF rotation)."""
    h, w = shape[:2]
    try:
        with _own_size_limit(), Image.open(path) as img:
            width, height = img.size
    except (OSError, ValueError):  # gone or changed since it was read: the decoded pixels
        return 1.0, 1.0
    if (width > height) != (w > h) and width != height:  # rotated by its EXIF orientation
        width, height = height, width
    return width / w, height / h


def _rounded(probabilities: np.ndarray) -> list[float]:
    return [round(float(p), 6) for p in probabilities]


@contextmanager
def _own_size_limit() -> Iterator[None]:
    """Leaves the size check to `read_image`, which refuses images over its own, lower limit
    from the header alone, before decoding. Pillow's check would otherwise print a
    DecompressionBombWarning ahead of our one-line error (or raise with a long message)."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


if __name__ == "__main__":
    sys.exit(main())
