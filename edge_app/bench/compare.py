"""`--compare_keras`: the original desktop path (Keras models under TensorFlow) for comparison."""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import numpy as np

from edge_app.bench.stages import STAGES, BenchConfig, Drawing
from edge_app.bench.stats import peak_memory_mb, summarize, time_calls
from edge_app.errors import DigitsError
from edge_app.manifest import load_manifest
from edge_app.options import TRAIN_PROFILE_HINT
from edge_app.preprocess import preprocess


def tensorflow_check() -> None:
    """Raises DigitsError when TensorFlow is not installed (checked before measuring)."""
    if importlib.util.find_spec("tensorflow") is None:
        raise DigitsError(f"--compare_keras needs TensorFlow: {TRAIN_PROFILE_HINT}")


def bench_keras(network: str, drawing: Drawing, config: BenchConfig,
                models_dir: Path | None) -> list[dict[str, object]]:
    """Times the Keras model via `predict()` and via a direct call, image path only.

    Args:
        network: "mlp" or "cnn" (the `.keras` file's stem).
        drawing: what to classify.
        config: iterations and warm-up; Keras gets a tenth of them (milliseconds per call).
        models_dir: where the `.keras` files are.

    Returns:
        Two records shaped like `stages.bench_one`'s, runtimes "keras-predict" and "keras-call".

    Raises:
        DigitsError: TensorFlow or the `.keras` model is not available.
    """
    tensorflow_check()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.perf_counter()
    import keras

    folder = Path(models_dir) if models_dir else load_manifest().folder
    path = folder / f"{network}.keras"
    if not path.is_file():
        raise DigitsError(f"{path}: no such Keras model to compare with")
    model = keras.models.load_model(path, compile=False)
    load_ms = (time.perf_counter() - started) * 1000
    shape = (1, *model.inputs[0].shape[1:])
    pixels = drawing.pixels
    x = preprocess(pixels).reshape(shape)
    n, w = max(10, config.iterations // 10), max(3, config.warmup // 10)
    cold_started = time.perf_counter()
    model.predict(x, verbose=0)
    cold_ms = (time.perf_counter() - cold_started) * 1000
    records = []
    for name, call in (("keras-predict", lambda v: model.predict(v, verbose=0)),
                       ("keras-call", lambda v: np.asarray(model(v, training=False)))):
        record: dict[str, object] = {
            "model": path.name, "runtime": name, "threads": None,
            "bytes": path.stat().st_size, "load_ms": load_ms, "cold_ms": cold_ms}
        record.update({f"{stage}_ms": None for stage in STAGES})
        record["classifier_ms"] = summarize(time_calls(lambda c=call: c(x), n, w))
        record["preprocess_ms"] = summarize(time_calls(lambda: preprocess(pixels), n, w))
        record["image_path_ms"] = summarize(time_calls(
            lambda c=call: c(preprocess(pixels).reshape(shape)), n, w))
        record["peak_memory_mb"] = peak_memory_mb()
        records.append(record)
    return records
