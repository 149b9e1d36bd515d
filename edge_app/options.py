"""Command-line pieces shared by the tools: argument types, the model options, install hints."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from edge_app.manifest import DEFAULT_MODEL
from edge_app.runtime import RUNTIMES

TRAIN_PROFILE_HINT = "pip install -e '.[train]' (or run make test, which installs it)"

# One meaning per short flag across every tool of the project:
#   -m model   -r runtime   -t threads   -d data   -o out   -e epochs   -b batch_size
#   -s seed    -f fullscreen   -k top   -n iterations   -w warmup   -a augment   -N number


def tensorflow_missing(tool: str) -> str | None:
    """The one-line error for a workstation tool run where TensorFlow is not installed."""
    if importlib.util.find_spec("tensorflow") is None:
        return f"{tool}: needs TensorFlow, which this environment lacks: {TRAIN_PROFILE_HINT}"
    return None


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """argparse type: an integer ≥ 0."""
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def add_model_options(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    """Adds -m/--model, --models_dir, -r/--runtime and -t/--threads, the same in every tool.

    Args:
        parser: the tool's parser.
        many: the benchmark's form: -m and -r repeatable, -t a comma list (defaults: all).
    """
    if many:
        parser.add_argument("-m", "--model", action="append", default=None,
                            help="model to include: manifest name or .tflite path; repeatable "
                                 "(default: every model of the manifest)")
        parser.add_argument("-r", "--runtime", action="append", choices=tuple(RUNTIMES),
                            default=None, help="runtime to include; repeatable "
                                               "(default: every installed one)")
        parser.add_argument("-t", "--threads", type=thread_list, default=[1],
                            help="interpreter threads, comma-separated, e.g. 1,2,4 (default 1)")
    else:
        parser.add_argument("-m", "--model", default=DEFAULT_MODEL,
                            help=f"manifest name (e.g. mlp_int8) or .tflite path "
                                 f"(default {DEFAULT_MODEL})")
        parser.add_argument("-r", "--runtime", choices=tuple(RUNTIMES), default=None,
                            help=f"TFLite runtime (default: the first installed of "
                                 f"{', '.join(RUNTIMES)})")
        parser.add_argument("-t", "--threads", type=positive_int, default=1,
                            help="interpreter threads (default 1)")
    parser.add_argument("--models_dir", "--models-dir", type=Path, default=None,
                        help="folder with the models and manifest.json (default: the shipped "
                             "models, or $DIGITS_MODELS_DIR)")


def load_classifier(args: argparse.Namespace, tool: str):
    """The classifier the model options of `add_model_options` ask for, or the reason not.

    Args:
        args: parsed options with model, models_dir, runtime and threads.
        tool: the program's name, for the error line.

    Returns:
        (classifier, 0), or (None, exit status) after one line on stderr naming the problem.
    """
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import DigitsError

    try:
        return DigitClassifier(ClassifierOptions(
            model=args.model, models_dir=args.models_dir, runtime=args.runtime,
            num_threads=args.threads)), 0
    except DigitsError as exc:  # model or runtime unusable
        print(f"{tool}: {exc}", file=sys.stderr)
        return None, exc.exit_code


def thread_list(text: str) -> list[int]:
    """argparse type: comma-separated thread counts such as `1,2,4`."""
    return [positive_int(part) for part in text.split(",") if part.strip()] or [1]


def print_json(result: dict, out: Path | None = None) -> None:
    """Prints an evaluation's result as indented JSON, and writes the same text to `out`.

    Args:
        result: the figures.
        out: a file to write too, or None.
    """
    text = json.dumps(result, indent=1)
    print(text)
    if out:
        out.write_text(text + "\n")
