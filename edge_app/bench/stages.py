"""Each stage of an answer timed on its own: bare invoke, classifier, image path, stroke path,
and a 4-digit number on both paths."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from edge_app.adapters import fit_batch
from edge_app.bench.stats import peak_memory_mb, summarize, time_calls
from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.manifest import TEST_SPLIT_NAME, load_manifest
from edge_app.preprocess import preprocess
from edge_app.runtime import interpreter_class, quiet_native_stderr

# The timed stages, in the order of the table; each is stored as "<stage>_ms".
STAGES = ("bare_invoke", "classifier", "preprocess", "image_path", "render", "stroke_path",
          "number_image", "number_strokes")
# Which stages are a whole answer, compared with the bare invoke in `ratios`.
PATHS = ("image_path", "stroke_path")


@dataclass(frozen=True)
class BenchConfig:
    """What to run: timed calls and untimed warm-up calls per stage, and accuracy or not."""

    iterations: int = 500
    warmup: int = 50
    accuracy: bool = False


@dataclass(frozen=True)
class Drawing:
    """One drawing in both of the forms the app can classify."""

    strokes: list[np.ndarray]  # (n, 2) float32 canvas pixels each, as the canvas records them
    pixels: np.ndarray  # (height, width) uint8, the canvas as the image path gets it

    @property
    def canvas_size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.pixels.shape[1], self.pixels.shape[0]


def stroke_renderer() -> Callable[[list[np.ndarray], tuple[int, int]], np.ndarray] | None:
    """`edge_app.strokes.render` (strokes → 28×28 model input), or None where it is not there."""
    try:
        from edge_app.strokes import render
    except ImportError as exc:
        if exc.name not in ("edge_app.strokes",):
            raise
        return None
    return render


def bench_one(model: str, runtime: str, threads: int, drawing: Drawing, config: BenchConfig,
              models_dir: Path | None = None, number: Drawing | None = None
              ) -> tuple[dict[str, object], dict[str, np.ndarray]]:
    """Measures one (model, runtime, threads) combination, every stage in one run.

    Args:
        model: manifest name or .tflite path.
        runtime: the runtime's name (see `edge_app.runtime.RUNTIMES`).
        threads: interpreter threads.
        drawing: what to classify.
        config: iterations, warm-up and accuracy.
        models_dir: where manifest names are looked up.
        number: a drawn number to read end to end on both paths (`digits-predict --number`
            and the app's grouping), if any.

    Returns:
        A record: model, runtime, threads, bytes, load and first-call times, "<stage>_ms"
        statistics for each of `STAGES` (None for the stroke path where `edge_app.strokes` is
        missing), `ratios` (each path's p50 over the bare invoke's), the digit each path
        answered, peak memory, optionally accuracy; and the raw times in seconds of each path
        measured (by `PATHS` name).

    Raises:
        DigitsError: the model or runtime cannot be used.
    """
    started = time.perf_counter()
    classifier = DigitClassifier(ClassifierOptions(model=model, models_dir=models_dir,
                                                   runtime=runtime, num_threads=threads))
    load_ms = (time.perf_counter() - started) * 1000
    cold_ms = classifier.warm_up() * 1000
    model_input = preprocess(drawing.pixels)

    # The floor: the same runtime's interpreter with nothing of ours around it.
    _, interpreter_cls = interpreter_class(runtime)
    with quiet_native_stderr():
        bare = interpreter_cls(model_path=str(classifier.path), num_threads=threads)
        bare.allocate_tensors()
    spec = classifier.input_spec
    bare.set_tensor(spec.index, fit_batch(model_input[None], spec))

    calls: dict[str, Callable[[], object]] = {
        "bare_invoke": bare.invoke,
        "classifier": lambda: classifier.predict(model_input),
        "preprocess": lambda: preprocess(drawing.pixels),
        "image_path": lambda: classifier.classify(drawing.pixels),
    }
    render = stroke_renderer()
    digits = {"image_path": classifier.classify(drawing.pixels).digit, "stroke_path": None}
    if render is not None:
        strokes, size = drawing.strokes, drawing.canvas_size
        calls["render"] = lambda: render(strokes, size)
        calls["stroke_path"] = lambda: classifier.predict(render(strokes, size))
        digits["stroke_path"] = classifier.predict(render(strokes, size)).digit
    if number is not None:
        calls.update(_number_calls(classifier, number, render))
        digits.update({stage: call().text for stage, call in _number_calls(
            classifier, number, render).items()})

    record: dict[str, object] = {
        "model": classifier.name, "runtime": classifier.runtime, "threads": threads,
        "bytes": classifier.path.stat().st_size, "load_ms": load_ms, "cold_ms": cold_ms}
    raw: dict[str, np.ndarray] = {}
    for stage in STAGES:
        if stage in calls:
            raw[stage] = time_calls(calls[stage], config.iterations, config.warmup)
        record[f"{stage}_ms"] = summarize(raw[stage]) if stage in raw else None
    record["ratios"] = ratios(record)
    record["digits"] = digits
    if config.accuracy:
        record["accuracy"] = shipped_accuracy(classifier, models_dir)
    record["peak_memory_mb"] = peak_memory_mb()
    return record, {path: raw[path] for path in PATHS if path in raw}


def _number_calls(classifier: DigitClassifier, number: Drawing,
                  render: Callable | None) -> dict[str, Callable]:
    """Reading the number from its pixels, and (where strokes render) from its strokes."""
    from edge_app.segment.number import read_pixels, read_strokes

    calls: dict[str, Callable] = {"number_image": lambda: read_pixels(classifier, number.pixels)}
    if render is not None:
        size = number.canvas_size

        def draw(group, row):
            return render(group, size, row=row)

        calls["number_strokes"] = lambda: read_strokes(classifier, number.strokes, draw)
    return calls


def ratios(record: dict[str, object]) -> dict[str, float | None]:
    """Each whole answer's p50 over the bare invoke's p50 (None where either is missing)."""
    bare = record.get("bare_invoke_ms")
    out: dict[str, float | None] = {}
    for path in ("classifier", *PATHS):
        stats = record.get(f"{path}_ms")
        out[path] = stats["p50"] / bare["p50"] if stats and bare and bare["p50"] > 0 else None
    return out


def shipped_accuracy(classifier: DigitClassifier, models_dir: Path | None) -> float | None:
    """Accuracy on the shipped MNIST test split, or None if it is not there."""
    folder = Path(models_dir) if models_dir else load_manifest().folder
    try:
        with np.load(folder / TEST_SPLIT_NAME) as data:
            x, y = data["x_test"], data["y_test"]
    except (OSError, KeyError, ValueError):
        return None
    return float((classifier.predict_batch(x / 255.0).argmax(1) == y).mean())
