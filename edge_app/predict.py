"""`digits-predict`: classify image files of drawn digits, one JSON line per image."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from PIL import Image

from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.options import positive_int
from edge_app.errors import DigitsError, ImageError
from edge_app.manifest import DEFAULT_MODEL
from edge_app.preprocess import preprocess, read_image
from edge_app.runtime import RUNTIMES



def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-predict",
        description="Classify images of handwritten digits (PNG, JPEG, ...; any size, dark on "
                    "light or light on dark). Prints one JSON object per image.")
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    parser.add_argument("-m", "--model", default=DEFAULT_MODEL,
                        help=f"manifest name (e.g. mlp_int8) or .tflite path (default {DEFAULT_MODEL})")
    parser.add_argument("--models_dir", "--models-dir", type=Path, default=None,
                        help="folder with the models and manifest.json (default: the shipped models)")
    parser.add_argument("-r", "--runtime", choices=tuple(RUNTIMES), default=None,
                        help="TFLite runtime (default: the first installed of "
                             f"{', '.join(RUNTIMES)})")
    parser.add_argument("-t", "--threads", type=positive_int, default=1,
                        help="interpreter threads (default 1)")
    parser.add_argument("-k", "--top", type=positive_int, default=3,
                        help="how many best guesses to list (default 3)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 0, 1 if any image failed, 2 if the model or runtime is unusable."""
    args = parse_args(argv)
    try:
        classifier = DigitClassifier(ClassifierOptions(
            model=args.model, models_dir=args.models_dir, runtime=args.runtime,
            num_threads=args.threads))
    except DigitsError as exc:  # model or runtime unusable
        print(f"digits-predict: {exc}", file=sys.stderr)
        return exc.exit_code

    # Pay the one-time costs up front (the interpreter's first invoke, Pillow loading its
    # format plugins), so each image's "ms" is comparable with the next.
    classifier.warm_up()
    Image.preinit()
    failed = 0
    for path in args.images:
        try:
            started = time.perf_counter()
            model_input = preprocess(read_image(path))
            prediction = classifier.predict(model_input)
            elapsed_ms = (time.perf_counter() - started) * 1000
        except ImageError as exc:
            print(f"digits-predict: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        record = {
            "file": str(path),
            "digit": prediction.digit,
            "confidence": round(prediction.confidence, 6),
            "probabilities": [round(float(p), 6) for p in prediction.probabilities],
            "top": [{"digit": d, "probability": round(p, 6)} for d, p in prediction.top(args.top)],
            "model": classifier.name,
            "runtime": classifier.runtime,
            "ms": round(elapsed_ms, 3),
        }
        print(json.dumps(record), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
