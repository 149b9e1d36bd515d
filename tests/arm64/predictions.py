"""Dump every shipped model's predictions on the shipped test split, or compare two dumps.

Run on each architecture (`dump OUT.json`), then `compare A.json B.json`: the arm64 check
uses it to show the device side answers on arm64 exactly as on x86-64.

Under emulation a float CNN takes ~0.3 s an image (qemu computes floating point in software),
an int8 one ~10 ms, so `dump` can be given a time budget per model: each model is evaluated
on whole chunks of the split, in order, until the split or its budget is used up, and the
comparison covers the images both dumps have.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

CHUNK = 500  # images per invoke


def dump(out: Path, seconds: float | None = None) -> None:
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.manifest import TEST_SPLIT_NAME, load_manifest

    manifest = load_manifest()
    with np.load(manifest.folder / TEST_SPLIT_NAME) as data:
        x, y = data["x_test"] / 255.0, data["y_test"]
    result = {"machine": platform.machine(), "python": platform.python_version(),
              "labels": [int(v) for v in y], "models": {}}
    for name in manifest.models:
        classifier = DigitClassifier(ClassifierOptions(model=name))
        started = time.perf_counter()
        predictions = []
        for start in range(0, len(x), CHUNK):
            predictions.extend(classifier.predict_batch(x[start:start + CHUNK]).argmax(1))
            if seconds is not None and time.perf_counter() - started > seconds:
                break
        n = len(predictions)
        accuracy = float((np.array(predictions) == y[:n]).mean())
        result["models"][name] = {"runtime": classifier.runtime,
                                  "predictions": [int(p) for p in predictions]}
        print(f"{name}: {accuracy:.4%} on {n} images, {platform.machine()}", flush=True)
    out.write_text(json.dumps(result))


def compare(a_path: Path, b_path: Path) -> int:
    """Prints per model how many images both dumps cover and how many answers differ.

    Returns:
        0 when every answer is the same, 1 otherwise.
    """
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    labels = np.array(a["labels"])
    worst = 0
    print(f"{'model':<12} {'images':>6} {a['machine']:>10} {b['machine']:>10}  "
          "differing predictions")
    for name, ma in a["models"].items():
        mb = b["models"][name]
        n = min(len(ma["predictions"]), len(mb["predictions"]))
        pa, pb = np.array(ma["predictions"][:n]), np.array(mb["predictions"][:n])
        differ = int((pa != pb).sum())
        worst = max(worst, differ)
        acc_a, acc_b = (pa == labels[:n]).mean(), (pb == labels[:n]).mean()
        print(f"{name:<12} {n:>6} {acc_a:>10.2%} {acc_b:>10.2%}  {differ}")
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) == 4 else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit("usage: predictions.py dump OUT.json [SECONDS_PER_MODEL] | compare A.json B.json")
