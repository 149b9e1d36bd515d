"""`digits-bench`: latency of every model and runtime on this device, cold and warm."""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from PIL import Image

from edge_app.adapters import fit_batch
from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.options import TRAIN_PROFILE_HINT, positive_int
from edge_app.synthetic import redraw
from edge_app.errors import DigitsError
from edge_app.manifest import TEST_SPLIT_NAME, load_manifest, resolve_model
from edge_app.preprocess import preprocess
from edge_app.runtime import RUNTIMES, installed_runtimes, interpreter_class

CANVAS_SIDE = 456  # pixels: the app's canvas on the official 800×480 display


# --- statistics -------------------------------------------------------------------------------

def summarize(samples_s: np.ndarray | list[float]) -> dict[str, float]:
    """Latency statistics in milliseconds from per-call times in seconds.

    Returns:
        p50, p90, p99 (linear-interpolated percentiles), mean, std, min, max, all in ms, and
        `per_s`, the calls per second that the mean allows.
    """
    ms = np.asarray(samples_s, dtype=np.float64) * 1000.0
    if ms.size == 0:
        raise ValueError("no samples")
    p50, p90, p99 = np.percentile(ms, [50, 90, 99])
    mean = float(ms.mean())
    return {"p50": float(p50), "p90": float(p90), "p99": float(p99), "mean": mean,
            "std": float(ms.std()), "min": float(ms.min()), "max": float(ms.max()),
            "per_s": 1000.0 / mean if mean > 0 else float("inf")}


def time_calls(fn: Callable[[], object], iterations: int, warmup: int) -> np.ndarray:
    """Seconds per call of `fn`, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = np.empty(iterations)
    clock = time.perf_counter
    for i in range(iterations):
        started = clock()
        fn()
        samples[i] = clock() - started
    return samples


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- the machine ------------------------------------------------------------------------------

def machine_info(root: Path = Path("/")) -> dict[str, object]:
    """CPU, cores, Pi board (from the device tree) and CPU frequency governor.

    Args:
        root: filesystem root to read /proc and /sys from (tests pass a fake one).
    """
    cpu = platform.processor() or platform.machine()
    try:
        for line in (root / "proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                cpu = value.strip()
                break
    except OSError:
        pass
    board = None
    try:
        board = (root / "proc/device-tree/model").read_bytes().rstrip(b"\0").decode() or None
    except OSError:
        pass
    governor = None
    try:
        governor = (root / "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").read_text().strip()
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "board": board, "governor": governor,
            "arch": platform.machine(), "python": platform.python_version()}


def governor_warning(info: dict[str, object]) -> str | None:
    """A warning when the CPU may clock down during the run (governor not `performance`)."""
    governor = info.get("governor")
    if governor and governor != "performance":
        return (f"CPU frequency governor is '{governor}', not 'performance': timings may vary. "
                "For steady figures: echo performance | sudo tee "
                "/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor")
    return None


# --- measurement ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchConfig:
    """What to run."""

    iterations: int = 500
    warmup: int = 50
    accuracy: bool = False


def sample_canvas(models_dir: Path | None, side: int = CANVAS_SIDE) -> np.ndarray:
    """A realistic canvas: the first shipped test digit (a 7) redrawn at app size."""
    folder = Path(models_dir) if models_dir else load_manifest().folder
    try:
        with np.load(folder / TEST_SPLIT_NAME) as data:
            digit = data["x_test"][0]
    except (OSError, KeyError, ValueError):
        # No shipped test split: a plain stroke still exercises every step.
        digit = np.zeros((28, 28), np.uint8)
        digit[4:24, 12:16] = 255
    canvas = redraw(digit, np.random.default_rng(0))
    return np.asarray(Image.fromarray(canvas).resize((side, side), Image.Resampling.BILINEAR))


def bench_one(model: str, runtime: str, threads: int, canvas: np.ndarray, config: BenchConfig,
              models_dir: Path | None = None) -> tuple[dict[str, object], np.ndarray]:
    """Measures one (model, runtime, threads) combination.

    Returns:
        A record with load and cold-call times, `bare_invoke_ms` (the runtime's interpreter
        alone), `invoke_ms` (the classifier: quantize, invoke, dequantize), `preprocess_ms`,
        `end_to_end_ms` (canvas to probabilities), size, peak memory and optionally accuracy;
        and the raw end-to-end times in seconds.
    """
    started = time.perf_counter()
    classifier = DigitClassifier(ClassifierOptions(model=model, models_dir=models_dir,
                                                   runtime=runtime, num_threads=threads))
    load_ms = (time.perf_counter() - started) * 1000
    cold_ms = classifier.warm_up() * 1000
    model_input = preprocess(canvas)

    # The floor: the same runtime's interpreter with nothing of ours around it.
    _, interpreter_cls = interpreter_class(runtime)
    bare = interpreter_cls(model_path=str(classifier.path), num_threads=threads)
    bare.allocate_tensors()
    spec = classifier.input_spec
    bare.set_tensor(spec.index, fit_batch(model_input[None], spec))
    n, w = config.iterations, config.warmup
    end_to_end = time_calls(lambda: classifier.classify(canvas), n, w)
    record: dict[str, object] = {
        "model": classifier.name,
        "runtime": classifier.runtime,
        "threads": threads,
        "bytes": classifier.path.stat().st_size,
        "load_ms": load_ms,
        "cold_ms": cold_ms,
        "bare_invoke_ms": summarize(time_calls(bare.invoke, n, w)),
        "invoke_ms": summarize(time_calls(lambda: classifier.predict(model_input), n, w)),
        "preprocess_ms": summarize(time_calls(lambda: preprocess(canvas), n, w)),
        "end_to_end_ms": summarize(end_to_end),
    }
    if config.accuracy:
        record["accuracy"] = shipped_accuracy(classifier, models_dir)
    record["peak_memory_mb"] = peak_memory_mb()
    return record, end_to_end


def shipped_accuracy(classifier, models_dir: Path | None) -> float | None:
    """Accuracy on the shipped MNIST test split, or None if it is not there."""
    folder = Path(models_dir) if models_dir else load_manifest().folder
    try:
        with np.load(folder / TEST_SPLIT_NAME) as data:
            x, y = data["x_test"], data["y_test"]
    except (OSError, KeyError, ValueError):
        return None
    return float((classifier.predict_batch(x / 255.0).argmax(1) == y).mean())


def bench_keras(network: str, canvas: np.ndarray, config: BenchConfig,
                models_dir: Path | None) -> list[dict[str, object]]:
    """The original desktop path for comparison: the Keras model via predict() and a call.

    Raises:
        DigitsError: TensorFlow or the `.keras` model is not available.
    """
    if importlib.util.find_spec("tensorflow") is None:
        raise DigitsError(f"--compare_keras needs TensorFlow: {TRAIN_PROFILE_HINT}")
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
    x = preprocess(canvas).reshape(shape)
    # Far fewer iterations: predict() costs milliseconds each.
    n, w = max(10, config.iterations // 10), max(3, config.warmup // 10)
    cold_started = time.perf_counter()
    model.predict(x, verbose=0)
    cold_ms = (time.perf_counter() - cold_started) * 1000
    records = []
    for name, call in (("keras-predict", lambda v: model.predict(v, verbose=0)),
                       ("keras-call", lambda v: np.asarray(model(v, training=False)))):
        records.append({
            "model": path.name, "runtime": name, "threads": None,
            "bytes": path.stat().st_size, "load_ms": load_ms, "cold_ms": cold_ms,
            "bare_invoke_ms": None,
            "invoke_ms": summarize(time_calls(lambda: call(x), n, w)),
            "preprocess_ms": summarize(time_calls(lambda: preprocess(canvas), n, w)),
            "end_to_end_ms": summarize(time_calls(
                lambda: call(preprocess(canvas).reshape(shape)), n, w)),
            "peak_memory_mb": peak_memory_mb(),
        })
    return records


# --- output -----------------------------------------------------------------------------------

def format_table(records: list[dict[str, object]]) -> str:
    """A fixed-width table: one row per combination, latencies in ms."""
    header = ("model", "runtime", "thr", "KiB", "cold", "bare p50", "invoke p50", "prep p50",
              "e2e p50", "e2e p90", "e2e p99", "e2e/s", "acc %", "mem MiB")
    rows = []
    for r in records:
        e2e = r["end_to_end_ms"]
        rows.append((
            str(r["model"]), str(r["runtime"]), "-" if r["threads"] is None else str(r["threads"]),
            f"{r['bytes'] / 1024:.0f}", f"{r['cold_ms']:.2f}",
            "-" if r["bare_invoke_ms"] is None else f"{r['bare_invoke_ms']['p50']:.3f}",
            f"{r['invoke_ms']['p50']:.3f}", f"{r['preprocess_ms']['p50']:.3f}",
            f"{e2e['p50']:.3f}", f"{e2e['p90']:.3f}", f"{e2e['p99']:.3f}", f"{e2e['per_s']:.0f}",
            "-" if r.get("accuracy") is None else f"{100 * r['accuracy']:.2f}",
            f"{r['peak_memory_mb']:.0f}"))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    line = lambda cells: "  ".join(  # noqa: E731
        c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def speedups(records: list[dict[str, object]]) -> list[str]:
    """Lines like 'cnn_int8 (litert, 1 thread) is 52x faster than keras-predict end to end'."""
    keras_rows = {r["runtime"]: r for r in records if str(r["runtime"]).startswith("keras")}
    lines = []
    for r in records:
        if str(r["runtime"]).startswith("keras"):
            continue
        network = str(r["model"]).split("_")[0]
        for name, k in keras_rows.items():
            if not str(k["model"]).startswith(network):
                continue
            factor = k["end_to_end_ms"]["p50"] / r["end_to_end_ms"]["p50"]
            lines.append(f"{r['model']} ({r['runtime']}, {r['threads']} thread"
                         f"{'s' if r['threads'] != 1 else ''}): {factor:.0f}x faster than "
                         f"{name} end to end (p50)")
    return lines


def to_csv(records: list[dict[str, object]]) -> str:
    """One row per record; nested values become columns like end_to_end_ms_p50."""
    flat = []
    for r in records:
        row = {}
        for k, v in r.items():
            if isinstance(v, dict):
                row.update({f"{k}_{kk}": vv for kk, vv in v.items()})
            elif isinstance(v, list):
                row[k] = "x".join(str(i) for i in v)
            else:
                row[k] = v
        flat.append(row)
    fields = list(dict.fromkeys(k for row in flat for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue()


def plot(records: list[dict[str, object]], samples: dict[str, np.ndarray], path: Path) -> None:
    """Box plots of end-to-end latency per combination."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(samples)
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(labels) + 2), 4.5))
    data = [samples[k] * 1000 for k in labels]
    ax.boxplot(data, showfliers=False)
    ax.set_xticks(range(1, len(labels) + 1), labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("end-to-end latency (ms)")
    if max(np.percentile(d, 99) for d in data) > 20 * min(np.percentile(d, 1) for d in data):
        ax.set_yscale("log")  # only when the spread needs it; a narrow range reads better linear
    ax.grid(alpha=0.3, which="both", axis="y")
    ax.set_title("canvas → preprocessing → invoke → probabilities")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# --- command line -----------------------------------------------------------------------------

def thread_list(text: str) -> list[int]:
    """argparse type: comma-separated positive integers, e.g. 1,2,4."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1,2,4, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"thread counts must be at least 1, got {text!r}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-bench",
        description="Measure digit-recognition latency for each model, runtime and thread count.")
    parser.add_argument("-m", "--model", action="append", default=None,
                        help="manifest name or .tflite path; repeat for several "
                             "(default: every model in the manifest)")
    parser.add_argument("--models_dir", "--models-dir", type=Path, default=None,
                        help="folder with the models and manifest.json (default: shipped models)")
    parser.add_argument("-r", "--runtime", action="append", choices=tuple(RUNTIMES), default=None,
                        help="runtime to measure; repeat for several (default: every installed "
                             "one except TensorFlow's)")
    parser.add_argument("-t", "--threads", type=thread_list, default=[1],
                        help="thread counts, comma-separated (default 1)")
    parser.add_argument("-n", "--iterations", type=positive_int, default=500,
                        help="timed calls per measurement (default 500)")
    parser.add_argument("-w", "--warmup", type=int, default=50,
                        help="untimed calls before each measurement (default 50)")
    parser.add_argument("-a", "--accuracy", action="store_true",
                        help="also measure accuracy on the shipped MNIST test split")
    parser.add_argument("-k", "--compare_keras", "--compare-keras", action="store_true",
                        help="also time the Keras models (needs TensorFlow)")
    parser.add_argument("--json", metavar="FILE", default=None,
                        help="write records as JSON (- for standard output)")
    parser.add_argument("--csv", metavar="FILE", default=None,
                        help="write records as CSV (- for standard output)")
    parser.add_argument("--plot", metavar="FILE.png", type=Path, default=None,
                        help="box plot of end-to-end latency (needs matplotlib)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    progress = sys.stderr
    try:
        if args.plot is not None and importlib.util.find_spec("matplotlib") is None:
            raise DigitsError("--plot needs matplotlib: pip install matplotlib")
        if args.compare_keras and importlib.util.find_spec("tensorflow") is None:
            raise DigitsError(f"--compare_keras needs TensorFlow: {TRAIN_PROFILE_HINT}")
        runtimes = args.runtime or [r for r in installed_runtimes() if r != "tensorflow"] \
            or installed_runtimes()
        if not runtimes:
            interpreter_class()  # raises the one clear "what to install" error
        models = args.model or list(load_manifest(args.models_dir).models)
        if not models:
            raise DigitsError("no models: the manifest lists none; pass --model PATH")
        for model in models:
            path = resolve_model(model, args.models_dir)
            if not path.is_file():
                raise DigitsError(f"{path}: no such model file")
    except DigitsError as exc:
        print(f"digits-bench: {exc}", file=sys.stderr)
        return 2

    info = machine_info()
    board = f", {info['board']}" if info["board"] else ""
    print(f"machine: {info['cpu']} ({info['cores']} cores, {info['arch']}{board}), "
          f"Python {info['python']}", file=progress)
    warning = governor_warning(info)
    if warning:
        print(f"warning: {warning}", file=progress)

    config = BenchConfig(args.iterations, args.warmup, args.accuracy)
    canvas = sample_canvas(args.models_dir)
    records, samples = [], {}
    combos = [(m, r, t) for m in models for r in runtimes for t in args.threads]
    try:
        for i, (model, runtime, threads) in enumerate(combos, 1):
            print(f"[{i}/{len(combos)}] {model} on {runtime}, {threads} thread(s)...",
                  file=progress, flush=True)
            record, end_to_end = bench_one(model, runtime, threads, canvas, config,
                                           args.models_dir)
            records.append(record)
            samples[f"{record['model']}\n{runtime} t{threads}"] = end_to_end
        if args.compare_keras:
            networks = dict.fromkeys(str(r["model"]).split("_")[0] for r in records)
            for network in networks:
                print(f"Keras {network} (TensorFlow)...", file=progress, flush=True)
                records.extend(bench_keras(network, canvas, config, args.models_dir))
    except DigitsError as exc:
        print(f"digits-bench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("digits-bench: interrupted", file=sys.stderr)
        return 130

    for record in records:
        record.update(machine=info, iterations=config.iterations, warmup=config.warmup,
                      canvas=list(canvas.shape))
    to_stdout = "-" in (args.json, args.csv)
    if args.json:
        text = json.dumps(records, indent=1)
        sys.stdout.write(text + "\n") if args.json == "-" else Path(args.json).write_text(text + "\n")
    if args.csv:
        text = to_csv(records)
        sys.stdout.write(text) if args.csv == "-" else Path(args.csv).write_text(text)
    if args.plot:
        plot(records, samples, args.plot)
    report = sys.stderr if to_stdout else sys.stdout
    print(format_table(records), file=report)
    for line in speedups(records):
        print(line, file=report)
    print(f"latencies in ms over {config.iterations} calls after {config.warmup} warm-up calls; "
          f"canvas {canvas.shape[1]}x{canvas.shape[0]} px", file=report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
