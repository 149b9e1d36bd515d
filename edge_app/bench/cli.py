"""`digits-bench`: every stage of an answer for each model, runtime and thread count, the app's
frame, and a regression check against a reference run."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from edge_app.bench import check, machine, report
from edge_app.bench.stages import BenchConfig, Drawing, bench_one, stroke_renderer
from edge_app.errors import DigitsError
from edge_app.files import write_text
from edge_app.manifest import DEFAULT_MODEL, load_manifest, resolve_model
from edge_app.options import add_model_options, non_negative_int, positive_int
from edge_app.runtime import installed_runtimes, interpreter_class

AUTO = "auto"  # --check without a file: the shipped reference for this machine class


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see --help)."""
    parser = argparse.ArgumentParser(
        prog="digits-bench",
        description="Time every stage of a digit's answer - the bare interpreter, the "
                    "classifier, the image path (canvas pixels) and the stroke path (recorded "
                    "strokes) - for each model, runtime and thread count, and the app's frame.")
    add_model_options(parser, many=True)
    parser.add_argument("-n", "--iterations", type=positive_int, default=500,
                        help="timed calls per stage, and stroke ends per screen (default 500)")
    parser.add_argument("-w", "--warmup", type=non_negative_int, default=50,
                        help="untimed calls before each measurement (default 50)")
    parser.add_argument("--accuracy", action="store_true",
                        help="also measure accuracy on the shipped MNIST test split")
    parser.add_argument("--stages", action=argparse.BooleanOptionalAction, default=True,
                        help="time the stages of an answer (default on)")
    parser.add_argument("--frame", action=argparse.BooleanOptionalAction, default=True,
                        help="time the app's frame, headless, on the 800x480 and 720x1280 "
                             "layouts, for each -m model or else the app's default model "
                             "(default on)")
    parser.add_argument("--compare_keras", "--compare-keras", action="store_true",
                        help="also time the Keras models (needs TensorFlow)")
    parser.add_argument("--json", metavar="FILE", default=None,
                        help="write the results as JSON (- for standard output)")
    parser.add_argument("--csv", metavar="FILE", default=None,
                        help="write the results as CSV (- for standard output)")
    parser.add_argument("--markdown", metavar="FILE", default=None,
                        help="write the README's tables as Markdown (- for standard output)")
    parser.add_argument("--plot", metavar="FILE.png", type=Path, default=None,
                        help="box plot of each path's latency (needs matplotlib)")
    parser.add_argument("--check", metavar="REF.json", nargs="?", const=AUTO, default=None,
                        help="exit 1 if a stage's p50 is slower than in REF.json (default: the "
                             "shipped reference for this machine class) beyond --tolerance")
    parser.add_argument("--tolerance", metavar="PERCENT", type=positive_int,
                        default=round(100 * check.TOLERANCE),
                        help=f"how much slower than the reference still passes "
                             f"(default {round(100 * check.TOLERANCE)})")
    return parser.parse_args(argv)


def _plan(args: argparse.Namespace, info: dict[str, object]) -> tuple[list, list, dict | None]:
    """Checks everything that can fail before any measuring.

    Returns:
        The models, the runtimes and the reference to check against (None: no check).
    """
    if not (args.stages or args.frame):
        raise DigitsError("nothing to measure: --no-stages and --no-frame together")
    if [args.json, args.csv, args.markdown].count("-") > 1:
        raise DigitsError("only one of --json, --csv and --markdown can go to standard output")
    for option in ("json", "csv", "markdown", "plot"):
        report.check_writable(getattr(args, option), f"--{option}")
    if args.plot is not None:
        if args.plot.suffix.lower() not in report.PLOT_SUFFIXES:
            raise DigitsError(f"--plot {args.plot}: use a "
                              f"{', '.join(report.PLOT_SUFFIXES)} file")
        if importlib.util.find_spec("matplotlib") is None:
            raise DigitsError("--plot needs matplotlib: pip install matplotlib")
    if args.compare_keras:
        from edge_app.bench.compare import tensorflow_check

        tensorflow_check()
    if importlib.util.find_spec("pygame") is None:
        raise DigitsError("digits-bench draws through the app's canvas, which needs pygame: "
                          "pip install pygame-ce")
    reference = None
    if args.check is not None:
        path = check.default_reference(info) if args.check == AUTO else Path(args.check)
        reference = check.load_reference(path)
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
    return models, runtimes, reference


def _measure(args, models, runtimes, progress) -> tuple[dict[str, object], dict]:
    """Runs the stages and the frame; returns the results and the raw path samples."""
    from edge_app.bench import frame, sample

    config = BenchConfig(args.iterations, args.warmup, args.accuracy)
    drawing = Drawing(*sample.draw())
    number = Drawing(*sample.draw(digit=sample.NUMBER))
    results: dict[str, object] = {"stages": [], "frames": []}
    samples = {}
    if args.stages:
        if stroke_renderer() is None:
            print("note: no edge_app.strokes here: the stroke path is not measured",
                  file=progress)
        combos = [(m, r, t) for m in models for r in runtimes for t in args.threads]
        for i, (model, runtime, threads) in enumerate(combos, 1):
            print(f"[{i}/{len(combos)}] {model} on {runtime}, {threads} thread(s)...",
                  file=progress, flush=True)
            record, raw = bench_one(model, runtime, threads, drawing, config, args.models_dir,
                                    number)
            results["stages"].append(record)
            for path, seconds in raw.items():
                samples[f"{record['model']} {path.split('_')[0]}\n{runtime} t{threads}"] = seconds
        if args.compare_keras:
            from edge_app.bench.compare import bench_keras

            networks = dict.fromkeys(str(r["model"]).split("_")[0] for r in results["stages"])
            for network in networks:
                print(f"Keras {network} (TensorFlow)...", file=progress, flush=True)
                results["stages"].extend(bench_keras(network, drawing, config, args.models_dir))
    if args.frame:
        frame_models = args.model or ([DEFAULT_MODEL] if DEFAULT_MODEL in models else models[:1])
        for model in frame_models:
            for size in frame.LAYOUTS:
                print(f"frame: {model} on {size[0]}x{size[1]}...", file=progress, flush=True)
                results["frames"].append(frame.bench_frame(
                    model, runtimes[0], args.threads[0], size, args.iterations, args.warmup,
                    args.models_dir))
    results["canvas"] = list(drawing.pixels.shape[::-1])
    results["strokes"] = [len(s) for s in drawing.strokes]
    return results, samples


def _remeasure(args: argparse.Namespace, record: dict) -> dict:
    """One stage or frame record measured again (for --check); {} for the Keras rows."""
    from edge_app.bench import frame, sample

    if str(record["runtime"]).startswith("keras"):
        return {}
    if "screen" in record:
        return frame.bench_frame(record["model"], record["runtime"], record["threads"],
                                 tuple(record["screen"]), args.iterations, args.warmup,
                                 args.models_dir)
    config = BenchConfig(args.iterations, args.warmup)
    return bench_one(record["model"], record["runtime"], record["threads"],
                     Drawing(*sample.draw()), config, args.models_dir,
                     Drawing(*sample.draw(digit=sample.NUMBER)))[0]


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (1: --check found a regression, 2: bad input)."""
    args = parse_args(argv)
    progress = sys.stderr
    info = machine.machine_info()
    try:
        models, runtimes, reference = _plan(args, info)
    except DigitsError as exc:
        print(f"digits-bench: {exc}", file=sys.stderr)
        return 2

    print(f"machine: {machine.describe(info)}", file=progress)
    for warning in machine.warnings(info):
        print(f"warning: {warning}", file=progress)
    ticks = machine.cpu_times()
    try:
        measured, samples = _measure(args, models, runtimes, progress)
    except DigitsError as exc:
        print(f"digits-bench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("digits-bench: interrupted", file=sys.stderr)
        return 130
    info["steal"] = machine.steal_share(ticks, machine.cpu_times())
    for warning in machine.warnings({"steal": info["steal"]}):
        print(f"warning: {warning}", file=progress)
    results = {"machine": info, "iterations": args.iterations, "warmup": args.warmup,
               **measured}

    try:
        if args.json:
            text = json.dumps(results, indent=1) + "\n"
            sys.stdout.write(text) if args.json == "-" else write_text(args.json, text)
        if args.csv:
            text = report.to_csv(results)
            sys.stdout.write(text) if args.csv == "-" else write_text(args.csv, text)
        if args.markdown:
            text = report.markdown(results)
            sys.stdout.write(text) if args.markdown == "-" else write_text(args.markdown, text)
        if args.plot and samples:
            report.plot(samples, args.plot)
    except OSError as exc:
        print(f"digits-bench: results not written: {exc.strerror or exc} "
              f"({exc.filename or ''})", file=sys.stderr)
        return 1

    out = sys.stderr if "-" in (args.json, args.csv, args.markdown) else sys.stdout
    if results["stages"]:
        print(report.stages_table(results["stages"]), file=out)
        for line in report.speedups(results["stages"]):
            print(line, file=out)
    if results["frames"]:
        print(report.frames_table(results["frames"]), file=out)
    canvas = "x".join(map(str, results["canvas"]))
    print(f"ms, p50 unless marked, over {args.iterations} calls (stroke ends for the frame) "
          f"after {args.warmup} warm-up; drawing: a 4 in {len(results['strokes'])} strokes on "
          f"a {canvas} canvas; {machine.describe(info)}", file=out)
    if reference is not None:
        # Only a slowdown that repeats fails: what looks slower is measured again first.
        again = check.confirm(results, reference, lambda r: _remeasure(args, r),
                              tolerance=args.tolerance / 100)
        if again:
            print(f"check: measured {again} combination(s) again before judging",
                  file=sys.stderr)
        failures, compared = check.compare(results, reference, args.tolerance / 100)
        ref_machine = reference.get("machine") or {}
        if check.machine_slug(ref_machine) != check.machine_slug(info):
            print(f"warning: the reference was measured on {ref_machine.get('cpu')} "
                  f"({ref_machine.get('cores')} cores), not on this machine class",
                  file=sys.stderr)
        for line in failures:
            print(f"slower: {line}", file=sys.stderr)
        if not compared:
            print("digits-bench: --check compared nothing: the reference has no stage of this "
                  "run (other models, runtimes, threads or screens)", file=sys.stderr)
            return 1
        if failures:
            # The re-measurements count too: a host's other guests come and go.
            during = {**info, "steal": machine.steal_share(ticks, machine.cpu_times())}
            if machine.busy(info) or machine.busy(during):
                print(f"digits-bench: others shared the CPU ({machine.describe(during)}): "
                      "run --check again when the machine is idle before believing it",
                      file=sys.stderr)
            return 1
        print(f"check: {compared} p50s within {args.tolerance} % of the reference", file=out)
    return 0
