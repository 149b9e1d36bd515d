"""`digits-train`: train the MLP, the CNN or both on MNIST."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from edge_app.manifest import default_models_dir
from edge_app.options import positive_int, tensorflow_missing
from train.data import DataError, Mnist, load_mnist
from train.extra import DEFAULT_OVERSAMPLE, ExtraError, load_extra
from train.hard import COPIES as HARD_COPIES
from train.hard import UNSURE

TEACHER_SHARE, TEMPERATURE = 0.5, 2.0  # as train.distill's (not imported: that loads TensorFlow)

SCHEDULES = ("constant", "cosine")  # as train.models' (not imported: that loads TensorFlow)

VALIDATION_FRACTION = 0.1  # as train.pipeline's (not imported: that would load TensorFlow)




def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-train",
        description="Train the digit networks on MNIST and save models and reports.")
    parser.add_argument("network", choices=("mlp", "cnn", "all"), help="which network to train")
    parser.add_argument("-d", "--data", type=Path, default=None,
                        help="mnist.npz (Keras layout) or a folder with the four IDX files; "
                             "default: the Keras cache, then Keras' download")
    parser.add_argument("-e", "--epochs", type=positive_int, default=None,
                        help="default: the recipe's (MLP 25, CNN 10)")
    parser.add_argument("-b", "--batch_size", "--batch-size", type=positive_int, default=None,
                        help="default: the recipe's (128)")
    parser.add_argument("-s", "--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--out", type=Path, default=None,
                        help="folder for models and reports (default: the project's models/)")
    parser.add_argument("-a", "--augment", action="store_true",
                        help="train on shifted, rotated, scaled, thicker and thinner digits")
    parser.add_argument("--strokes", type=int, default=0, metavar="COPIES",
                        help="add COPIES of the training digits traced into strokes, leaning "
                             "up to 20 degrees, restyled (flagged 1s, crossed 7s) and rendered "
                             "as the app renders a finger's strokes (default 0: MNIST only)")
    parser.add_argument("--fast_strokes", "--fast-strokes", type=float, default=0.0,
                        metavar="SHARE",
                        help="keep this share of the --strokes digits only at the points a "
                             "fast finger's motion events leave, 8-30 %% of the digit's size "
                             "apart (default 0)")
    parser.add_argument("--slashed_zeros", "--slashed-zeros", type=float, default=0.0,
                        metavar="SHARE",
                        help="strike this share of the --strokes digits' 0s through with a "
                             "slash, as programmers write them (default 0)")
    parser.add_argument("--steep_slashes", "--steep-slashes", type=float, default=0.0,
                        metavar="SHARE",
                        help="draw this share of those slashes steeply, 75-88 degrees, as "
                             "narrow 0s are struck through (default 0)")
    parser.add_argument("--hooked_nines", "--hooked-nines", type=float, default=0.0,
                        metavar="SHARE",
                        help="curl the tail of this share of the --strokes digits' 9s to the "
                             "left, as a g's (default 0)")
    parser.add_argument("--fresh_strokes", "--fresh-strokes", action="store_true",
                        help="draw the --strokes digits anew before every epoch (new leans, "
                             "warps, pens and styles) instead of once for the whole run")
    parser.add_argument("--mnist_copies", "--mnist-copies", type=positive_int, default=1,
                        help="show every MNIST training digit this many times per epoch, each "
                             "time augmented afresh (default 1)")
    parser.add_argument("--validation", type=float, default=VALIDATION_FRACTION,
                        help="fraction of the training split held out for the validation "
                             f"curves (default {VALIDATION_FRACTION}; 0: train on all of it)")
    parser.add_argument("--extra", action="append", type=Path, default=[], metavar="DIR",
                        help="a folder of a person's labelled drawings (the app's save folder) "
                             "to add to training; repeatable")
    parser.add_argument("--oversample", type=positive_int, default=DEFAULT_OVERSAMPLE,
                        help="copies of each --extra drawing per epoch (default 10)")
    parser.add_argument("--lr_schedule", "--lr-schedule", choices=SCHEDULES, default="constant",
                        help="learning rate: held at Keras' default (constant, the seed "
                             "recipes) or decayed to zero along a cosine over the run")
    parser.add_argument("--ema", type=float, default=0.0, metavar="MOMENTUM",
                        help="keep a moving average of the weights with this momentum (e.g. "
                             "0.9998, about the last 5,000 batches) and save it instead of the "
                             "last weights (default 0: off)")
    parser.add_argument("--elastic", type=float, default=0.0, metavar="ALPHA",
                        help="with -a, bend every image along a smooth random field this many "
                             "pixels strong (Simard et al. used 34, too strong for the 10-epoch "
                             "CNN recipe: see the README; default 0: off)")
    parser.add_argument("--hard_from", "--hard-from", type=Path, default=None, metavar="MODEL",
                        help="a trained model (.keras) that reads two stroke drawings of every "
                             "training digit; each digit it reads unsurely (the right digit "
                             f"under {UNSURE}) is drawn --hard_copies more times (default: "
                             "none)")
    parser.add_argument("--hard_copies", "--hard-copies", type=positive_int, default=None,
                        metavar="COPIES",
                        help=f"drawings added of each digit --hard_from picks (default "
                             f"{HARD_COPIES})")
    parser.add_argument("--teacher", type=Path, default=None, metavar="MODEL",
                        help="a trained model (.keras) whose answers on every training image, "
                             f"flattened (temperature {TEMPERATURE:g}), make "
                             f"{TEACHER_SHARE * 100:g} %% of its target: knowledge distillation "
                             "(default: none, the labels alone)")
    args = parser.parse_args(argv)
    if args.hard_copies is not None and args.hard_from is None:
        parser.error("--hard_copies needs --hard_from: it draws the digits that model picks")
    if args.hard_from is not None and args.fresh_strokes:
        parser.error("--hard_from draws its digits once for the run; it does not go with "
                     "--fresh_strokes")
    if args.elastic < 0:
        parser.error("--elastic must be 0 or more")
    if args.elastic and not args.augment:
        parser.error("--elastic needs -a: it is one of the augmentations")
    if not 0 <= args.ema < 1:
        parser.error("--ema must be at least 0 and below 1")
    if not 0 <= args.validation < 1:
        parser.error("--validation must be at least 0 and below 1")
    if args.strokes < 0:
        parser.error("--strokes must be 0 or more")
    if not 0 <= args.fast_strokes <= 1:
        parser.error("--fast_strokes must be from 0 to 1")
    if args.fast_strokes and not args.strokes:
        parser.error("--fast_strokes needs --strokes: it thins the stroke-drawn digits")
    for flag in ("slashed_zeros", "steep_slashes", "hooked_nines"):
        share = getattr(args, flag)
        if not 0 <= share <= 1:
            parser.error(f"--{flag} must be from 0 to 1")
        if share and not args.strokes:
            parser.error(f"--{flag} needs --strokes: it restyles the stroke-drawn digits")
    if args.fresh_strokes and not args.strokes:
        parser.error("--fresh_strokes needs --strokes: it redraws the stroke-drawn digits")
    if args.steep_slashes and not args.slashed_zeros:
        parser.error("--steep_slashes needs --slashed_zeros: it draws some of their slashes")
    return args


def load_data_or_explain(tool: str, path: Path | None) -> Mnist | None:
    """Checks that TensorFlow is installed and loads MNIST for a workstation tool.

    Returns:
        The data, or None after printing the one-line reason on stderr.
    """
    problem = tensorflow_missing(tool)
    if problem is None:
        try:
            return load_mnist(path)
        except DataError as exc:
            problem = f"{tool}: {exc}"
    print(problem, file=sys.stderr)
    return None


def model_problem(path: Path) -> str | None:
    """Why `path` cannot pick the hard digits (--hard_from) or teach (--teacher), or None
    where it can (or where TensorFlow is missing, which `load_data_or_explain` then explains)."""
    if not path.is_file():
        return "no such model file"
    if tensorflow_missing("digits-train") is not None:
        return None
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    try:
        model = keras.models.load_model(path)
    except Exception as exc:  # Keras raises many kinds for a file that is not a model
        return f"not a Keras model ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    if (tuple(model.outputs[0].shape[1:]) != (10,)
            or tuple(model.inputs[0].shape[1:]) not in ((784,), (28, 28, 1))):
        return "not a digit classifier (28×28 in, 10 out)"
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    raw = sys.argv[1:] if argv is None else argv
    command = shlex.join(["digits-train", *raw])
    try:
        extras = [load_extra(folder) for folder in args.extra]
    except ExtraError as exc:
        print(f"digits-train: {exc}", file=sys.stderr)
        return 2
    for extra in extras:
        print(f"extra: {extra.count} labelled drawings from {extra.folder} "
              f"(x{args.oversample})")
    # Loaded here once to check them (the run loads them again): a bad file fails now, not
    # after the minutes of tracing that come before the mining and the training.
    for model in (args.hard_from, args.teacher):
        if model is not None and (problem := model_problem(model)):
            print(f"digits-train: {model}: {problem}", file=sys.stderr)
            return 2
    data = load_data_or_explain("digits-train", args.data)
    if data is None:
        return 2
    print(f"MNIST from {data.source}: {len(data.x_train)} training, {len(data.x_test)} test images")

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out
    from train.pipeline import run  # TensorFlow loads only once the data is known to be good

    out = args.out or default_models_dir()
    names = ("mlp", "cnn") if args.network == "all" else (args.network,)
    try:
        for name in names:
            print(f"\n== {name.upper()}{' with augmentation' if args.augment else ''}"
                  f"{f' + {args.strokes}x strokes' if args.strokes else ''} ==")
            result = run(name, data, epochs=args.epochs, batch_size=args.batch_size,
                         seed=args.seed, augment=args.augment, strokes=args.strokes,
                         fast_strokes=args.fast_strokes, slashed_zeros=args.slashed_zeros,
                         steep_slashes=args.steep_slashes, hooked_nines=args.hooked_nines,
                         mnist_copies=args.mnist_copies, fresh_strokes=args.fresh_strokes,
                         validation=args.validation, out_dir=out, command=command,
                         extras=extras, oversample=args.oversample,
                         schedule=args.lr_schedule, ema=args.ema,
                         elastic=args.elastic, hard_from=args.hard_from,
                         hard_copies_each=args.hard_copies or HARD_COPIES,
                         teacher=args.teacher)
            print(f"{name}: test accuracy {result.test_accuracy:.2%} "
                  f"({result.report['test_errors']} errors), saved {result.model_path}")
    except KeyboardInterrupt:
        print("digits-train: interrupted; models already saved are kept", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"digits-train: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
