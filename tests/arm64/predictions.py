"""Dump every shipped model's predictions on the shipped test split, or compare two dumps.

Run on each architecture (`dump OUT.json`), then `compare A.json B.json`: the arm64 check
uses it to show the device side answers on arm64 exactly as on x86-64.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np


def dump(out: Path, images: int | None = None) -> None:
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.manifest import TEST_SPLIT_NAME, load_manifest

    manifest = load_manifest()
    with np.load(manifest.folder / TEST_SPLIT_NAME) as data:
        x, y = data["x_test"][:images] / 255.0, data["y_test"][:images]
    result = {"machine": platform.machine(), "python": platform.python_version(),
              "images": int(len(y)), "models": {}}
    for name in manifest.models:
        classifier = DigitClassifier(ClassifierOptions(model=name))
        probabilities = classifier.predict_batch(x)
        predictions = probabilities.argmax(1)
        result["models"][name] = {
            "runtime": classifier.runtime,
            "accuracy": float((predictions == y).mean()),
            "predictions": predictions.tolist(),
            "probability_sum": float(probabilities.sum()),
        }
        print(f"{name}: {result['models'][name]['accuracy']:.4%} on {platform.machine()}",
              flush=True)
    out.write_text(json.dumps(result))


def compare(a_path: Path, b_path: Path) -> int:
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    sizes = {len(m["predictions"]) for dump in (a, b) for m in dump["models"].values()}
    if len(sizes) != 1:
        print(f"the dumps cover different numbers of images: {sorted(sizes)}", file=sys.stderr)
        return 2
    worst = 0
    print(f"{sizes.pop()} test images")
    print(f"{'model':<12} {a['machine']:>10} {b['machine']:>10}  differing predictions")
    for name, ma in a["models"].items():
        mb = b["models"][name]
        differ = int((np.array(ma["predictions"]) != np.array(mb["predictions"])).sum())
        worst = max(worst, differ)
        print(f"{name:<12} {ma['accuracy']:>10.4%} {mb['accuracy']:>10.4%}  {differ}")
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit("usage: predictions.py dump OUT.json [IMAGES] | compare A.json B.json")
