"""`digits-convert`: Keras models → four TFLite variants each, evaluated, with a manifest."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app import DigitsError
from edge_app.files import atomic_path, write_bytes, write_text
from edge_app.manifest import MANIFEST_NAME, TEST_SPLIT_NAME, default_models_dir, sha256_file
from edge_app.options import non_negative_int, positive_int
from edge_app.runtime import RUNTIMES
from train.cli import load_data_or_explain

STROKE_SEED = 0  # the shipped figures' draw; --stroke_seed measures another
PLOT_NAME = "accuracy_vs_size.png"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-convert",
        description="Convert trained Keras models to float32, float16, dynamic-range and int8 "
                    "TFLite files, evaluate each through the interpreter, write the manifest.")
    parser.add_argument("-d", "--data", type=Path, default=None,
                        help="MNIST (.npz or IDX folder): training images calibrate int8, the "
                             "test split evaluates; default: the Keras cache")
    parser.add_argument("--keras_dir", "--keras-dir", type=Path, default=None,
                        help="folder with mlp.keras and cnn.keras (default: models/)")
    parser.add_argument("-o", "--out", type=Path, default=None,
                        help="folder for the .tflite files, manifest and plot "
                             "(default: the --keras_dir folder)")
    parser.add_argument("--networks", nargs="+", choices=("mlp", "cnn"),
                        default=["mlp", "cnn"], help="which networks (default: both)")
    parser.add_argument("--calibration_samples", "--calibration-samples", type=positive_int,
                        default=500, help="training images that calibrate int8 (default 500)")
    parser.add_argument("--stroke_digits", "--stroke-digits", type=int, default=10000,
                        help="MNIST test digits traced into strokes and drawn through the "
                             "app's canvas for the stroke evaluation (default 10000: all of "
                             "them; 0: skip it)")
    parser.add_argument("--stroke_styles", "--stroke-styles", type=int, default=1500,
                        help="hand-built style drawings in the stroke evaluation (default 1500)")
    parser.add_argument("--stroke_marks", "--stroke-marks", type=int, default=1400,
                        help="marks that are not digits in the stroke evaluation (default 1400)")
    parser.add_argument("--fast_digits", "--fast-digits", type=int, default=2000,
                        help="MNIST test digits drawn again as a fast finger leaves them (motion "
                             "events 10-25 %% of the digit's size apart), with the hand-built "
                             "styles; the stroke path's figure on them is reported apart "
                             "(default 2000; 0: skip)")
    parser.add_argument("--slow_digits", "--slow-digits", type=int, default=2000,
                        help="MNIST test digits drawn again as a slow finger on a noisy panel "
                             "leaves them (motion events 1-2 pixels apart, each about a "
                             "pixel off), with the hand-built styles; reported apart "
                             "(default 2000; 0: skip)")
    parser.add_argument("--stroke_seed", "--stroke-seed", type=non_negative_int,
                        default=STROKE_SEED,
                        help="seed of the stroke evaluation's draw: which digits, and how each "
                             "is posed, shaken and sampled (default %(default)s, the shipped "
                             "figures'); another seed tells how much the figures move from one "
                             "draw to the next")
    parser.add_argument("-r", "--runtime", choices=tuple(RUNTIMES), default=None,
                        help="TFLite runtime for evaluation (default: first installed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    command = shlex.join(["digits-convert", *(sys.argv[1:] if argv is None else argv)])
    keras_dir = args.keras_dir or default_models_dir()
    out = args.out or keras_dir
    data = load_data_or_explain("digits-convert", args.data)
    if data is None:
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from convert.tflite import ConvertError

    try:
        settings = Settings(keras_dir, tuple(args.networks), args.calibration_samples,
                            args.stroke_digits, args.stroke_styles, args.stroke_marks,
                            args.fast_digits, args.slow_digits, args.runtime,
                            args.stroke_seed)
        convert_all(settings, data, out, command)
    except (ConvertError, DigitsError) as exc:
        print(f"digits-convert: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"digits-convert: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


@dataclass(frozen=True)
class Settings:
    """What to convert and how to evaluate it (the command-line options of the same names)."""

    keras_dir: Path
    networks: tuple[str, ...] = ("mlp", "cnn")
    calibration_samples: int = 500
    stroke_digits: int = 10000
    stroke_styles: int = 1500
    stroke_marks: int = 1400
    fast_digits: int = 2000
    slow_digits: int = 2000
    runtime: str | None = None
    stroke_seed: int = STROKE_SEED


def convert_all(args: Settings, data, out: Path, command: str) -> dict:
    """Converts, evaluates, writes the files, the manifest and the plot; returns the manifest."""
    from convert.evaluate import evaluate
    from convert.plots import plot_accuracy_vs_size
    from convert.tflite import QUANTIZATIONS, calibration_images, convert, load_keras_model

    out.mkdir(parents=True, exist_ok=True)
    sources = {net: load_keras_model(args.keras_dir / f"{net}.keras") for net in args.networks}
    calibration = calibration_images(data.x_train, args.calibration_samples)
    write_test_split(out / TEST_SPLIT_NAME, data.x_test, data.y_test)

    strokes = fast = slow = None
    if args.stroke_digits > 0:
        from edge_app import strokeset

        started = time.perf_counter()
        drawings = strokeset.build(data.x_test, data.y_test, digits=args.stroke_digits,
                                   styled=args.stroke_styles, marks=args.stroke_marks,
                                   seed=args.stroke_seed)
        strokes = strokeset.model_inputs(drawings)
        digits = int((strokes.labels >= 0).sum())
        print(f"stroke evaluation: drew {digits} digits and {len(drawings) - digits} other marks "
              f"through the app's canvas in {time.perf_counter() - started:.1f} s")
        # The same kinds of drawing, posed alike, with a fast finger's few motion events and
        # with a slow finger's many, each a pixel off.
        fast, slow = (strokeset.model_inputs(strokeset.build(
            data.x_test, data.y_test, digits=count, styled=args.stroke_styles, marks=0,
            seed=args.stroke_seed, **{finger: True})) if count > 0 else None
            for finger, count in (("fast", args.fast_digits), ("slow", args.slow_digits)))

    rows, entries = [], {}
    for net, model in sources.items():
        reference = None
        for quantization in QUANTIZATIONS:
            name = f"{net}_{quantization}"
            path = out / f"{name}.tflite"
            started = time.perf_counter()
            write_bytes(path, convert(model, quantization, calibration))
            result = evaluate(path, data.x_test, data.y_test, strokes, fast, slow,
                              runtime=args.runtime)
            if reference is None:  # float32 comes first: the baseline the others are held to
                reference = result.predictions
            agreement = float((result.predictions == reference).mean())
            row = {"name": name, "network": net, "quantization": quantization,
                   "bytes": path.stat().st_size, "mnist_accuracy": result.mnist_accuracy,
                   "strokes": result.strokes, "agreement": agreement}
            rows.append(row)
            entries[name] = manifest_entry(path, row, result, args.keras_dir, net, calibration)
            print(f"{name}: {format_row(row)}  ({time.perf_counter() - started:.1f} s)")

    manifest = {
        "schema": 1,
        "command": command,
        "description": "TFLite digit classifiers; input one 28x28 white-on-black digit scaled "
                       "to [0, 1] (integer inputs carry that range's quantization), output 10 "
                       "scores. Accuracies measured through the TFLite interpreter.",
        "test_split": {"file": TEST_SPLIT_NAME, "sha256": sha256_file(out / TEST_SPLIT_NAME),
                       "images": int(len(data.x_test))},
        "stroke_evaluation": None if strokes is None else stroke_set_record(
            strokes, fast, slow, args.stroke_seed),
        "models": entries,
    }
    write_text(out / MANIFEST_NAME, json.dumps(manifest, indent=1) + "\n")
    with atomic_path(out / PLOT_NAME) as tmp:
        plot_accuracy_vs_size(rows, tmp)
    print()
    print(table(rows))
    print(f"\nwrote {len(rows)} models, {MANIFEST_NAME} and {PLOT_NAME} to {out}")
    return manifest


def manifest_entry(path: Path, row: dict, result, keras_dir: Path, net: str,
                   calibration) -> dict:
    """The manifest's record of one converted file."""
    source = keras_dir / f"{net}.keras"
    report_path = keras_dir / f"{net}_report.json"
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    entry = {
        "file": path.name,
        "network": net,
        "quantization": row["quantization"],
        "bytes": row["bytes"],
        "sha256": sha256_file(path),
        "input": result.input_spec,
        "output": result.output_spec,
        "mnist_accuracy": round(row["mnist_accuracy"], 6),
        "strokes": row["strokes"],
        "agreement_with_float32": round(row["agreement"], 6),
        "evaluated_with": result.runtime,
        "source": {"file": source.name, "sha256": sha256_file(source),
                   "recipe": report.get("recipe"), "command": report.get("command"),
                   "keras_test_accuracy": report.get("test_accuracy")},
    }
    if row["quantization"] == "int8":
        entry["calibration"] = {"split": "train", "images": int(len(calibration)),
                                "seed": 0}
    return entry


def write_test_split(path: Path, x_test: np.ndarray, y_test: np.ndarray) -> None:
    """Ships the test split compressed; left alone when it already holds the same arrays.

    (Rewriting would change the file's zip timestamps and so its hash on every run.)
    """
    if path.is_file():
        try:
            with np.load(path) as old:
                if np.array_equal(old["x_test"], x_test) and np.array_equal(old["y_test"], y_test):
                    return
        except Exception:  # unreadable or different layout: replace it
            pass
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.savez_compressed(f, x_test=x_test, y_test=y_test)


def stroke_set_record(strokes, fast=None, slow=None, seed: int = STROKE_SEED) -> dict:
    """The manifest's description of the stroke evaluation (and of its fast- and slow-finger
    drawings), drawn with `seed`."""
    from edge_app import strokeset

    digits = strokes.labels >= 0
    return {
        "fast": None if fast is None else {
            "digits": int(len(fast.labels)), "step": list(strokeset.FAST_STEP),
            "how": "as the stroke evaluation's digits (a seeded choice of the MNIST test "
                   "digits, and the hand-built styles), posed alike, with motion events "
                   "10-25 % of the digit's size apart instead of 2-14 pixels on a 456-pixel "
                   "canvas: the stroke path of a fast finger"},
        "slow": None if slow is None else {
            "digits": int(len(slow.labels)), "step": list(strokeset.SLOW_STEP),
            "jitter": strokeset.SLOW_JITTER,
            "how": "as the stroke evaluation's digits, posed alike, with motion events "
                   "1-2 pixels apart on a 456-pixel canvas, each 1 pixel off (sigma) "
                   "instead of 0.4: the stroke path of a slow finger on a noisy panel"},
        "digits": int(digits.sum()), "marks": int((~digits).sum()), "seed": seed,
        "canvases": [list(c) for c in strokeset.CANVASES],
        "how": "MNIST TEST digits thinned (loops a bold pen filled in opened first), traced "
               "into strokes, chained into pen strokes and deslanted, each with a random "
               "source of its own, plus hand-built "
               "styles (flagged 1, 1 with foot, crossed and two-stroke 7, open and closed 4, "
               "two-stroke 5, 9 with a straight stem, round 0/6/9, slashed 0, 2, 3, 8), posed at "
               "20-90 % "
               "of the canvas, leaning up to 20 degrees either way, with tremor and touch-like "
               "sampling, drawn through edge_app.app.canvas.Canvas; marks that are not digits: "
               "taps, dots, dashes, long strokes, zig-zag and looping scribbles. Stroke path: "
               "edge_app.strokes.render of the recorded strokes; image path: "
               "edge_app.preprocess of the canvas pixels. A refused digit counts as wrong. "
               "Never used for training.",
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f} %"


def _mistakes(strokes: dict, shown: int = 3) -> str:
    """The stroke path's commonest mistakes, e.g. "4 -> 9 (11), 7 -> 2 (10), "."""
    return "".join(f"{label} -> {answer} ({n}), "
                   for label, answer, n in strokes["stroke"]["confusions"][:shown])


def format_row(row: dict) -> str:
    s = row["strokes"]
    strokes = "" if s is None else (
        f"strokes {_pct(s['stroke']['accuracy'])} (read whole "
        f"{_pct(s['stroke'].get('whole_accuracy'))}, image path {_pct(s['image']['accuracy'])}, "
        f"worst size band {_pct(min(s['stroke']['bands'].values()))}"
        f"{'' if 'fast' not in s else ', fast finger ' + _pct(s['fast']['accuracy'])}"
        f"{'' if 'slow' not in s else ', slow finger ' + _pct(s['slow']['accuracy'])}), "
        f"marks refused "
        f"{_pct(s['stroke']['marks_refused'])}, digits refused "
        f"{_pct(s['stroke']['false_refusals'])}, "
        f"{'' if not s['stroke'].get('confusions') else 'commonest mistakes ' + _mistakes(s)}")
    return (f"MNIST {_pct(row['mnist_accuracy'])}, {strokes}"
            f"agrees with float32 {_pct(row['agreement'])}, {row['bytes'] / 1024:.1f} KiB")


def table(rows: list[dict]) -> str:
    """The Markdown table of variants that the README shows."""
    lines = ["| model | size (KiB) | MNIST test | strokes: stroke path | strokes: image path "
             "| worst size band | fast finger | slow finger | not-digits refused "
             "| digits refused | agrees with float32 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s = r["strokes"]
        cells = ["-"] * 7 if s is None else [
            _pct(s["stroke"]["accuracy"]), _pct(s["image"]["accuracy"]),
            _pct(min(s["stroke"]["bands"].values())),
            _pct(s["fast"]["accuracy"]) if "fast" in s else "-",
            _pct(s["slow"]["accuracy"]) if "slow" in s else "-",
            _pct(s["stroke"]["marks_refused"]),
            _pct(s["stroke"]["false_refusals"])]
        lines.append(f"| {r['name']} | {r['bytes'] / 1024:.1f} | {_pct(r['mnist_accuracy'])} | "
                     + " | ".join(cells) + f" | {_pct(r['agreement'])} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
