"""`digits-eval`: a model's accuracy on folders of labelled drawings (the app's save folder)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from edge_app import examples
from edge_app.classifier import DigitClassifier, Prediction
from edge_app.options import add_model_options, load_classifier
from edge_app.second_look import look_again
from edge_app.segment.strokes import without_taps


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-eval",
        description="Accuracy on folders of labelled drawings saved by digits-app: the digit "
                    "the person tapped is the truth. Drawings are rendered from their strokes "
                    "as the app does (or read from the 28x28 PNG when they have none).")
    parser.add_argument("--labelled", nargs="+", type=Path, required=True, metavar="DIR",
                        help="folders of labelled drawings (each counted on its own)")
    parser.add_argument("--unconfirmed", action="store_true",
                        help="also count plain Saves, labelled by the answer shown then "
                             "(by default only the digits the person tapped count)")
    parser.add_argument("--mistakes", action="store_true",
                        help="list every drawing the model gets wrong")
    add_model_options(parser)
    return parser.parse_args(argv)


def per_digit(labels: np.ndarray, answers: np.ndarray) -> str:
    """`1: 3/5  7: 4/4 ...` for the digits present."""
    return "  ".join(f"{d}: {int((answers[labels == d] == d).sum())}/{int((labels == d).sum())}"
                     for d in range(10) if (labels == d).any())


def shown_digit(classifier: DigitClassifier, example: examples.Example,
                probabilities: np.ndarray) -> int:
    """The digit the app would show for a saved drawing, given the model's `probabilities`.

    As the app answers: a drawing read unsurely from its strokes gets a second look, at its
    saved canvas (not when it holds taps, which the strokes' reading leaves out).

    Args:
        classifier: the model.
        example: the saved drawing.
        probabilities: (10,) the model's reading of its input (`Example.model_input`).

    Returns:
        The digit.
    """
    digit = int(probabilities.argmax())
    if not example.strokes or len(without_taps(example.strokes)) < len(example.strokes):
        return digit
    return look_again(classifier, Prediction(digit, float(probabilities[digit]), probabilities),
                      example.canvas_pixels).digit


def evaluate(folder: Path, classifier: DigitClassifier, unconfirmed: bool,
             mistakes: bool) -> bool:
    """Prints one folder's accuracy (and problems on stderr); False when it has nothing."""
    problems: list[str] = []
    if not folder.is_dir():
        print(f"digits-eval: {folder}: no such folder", file=sys.stderr)
        return False
    try:
        found = examples.load(folder, problems)
    except OSError as exc:
        print(f"digits-eval: {folder}: cannot read ({exc.strerror or exc})", file=sys.stderr)
        return False
    chosen = [e for e in found if e.confirmed or unconfirmed]
    x, y, kept = examples.inputs(chosen, problems)
    for line in problems:
        print(f"digits-eval: {line}", file=sys.stderr)
    if not len(y):
        left = len(found) - len(chosen)
        hint = f" ({left} plain Saves: --unconfirmed counts them)" if left else ""
        print(f"digits-eval: {folder}: no labelled drawings{hint}", file=sys.stderr)
        return False
    answers = np.array([shown_digit(classifier, example, p)
                        for example, p in zip(kept, classifier.predict_batch(x))], int)
    right = int((answers == y).sum())
    print(f"{folder}: {right}/{len(y)} correct ({100 * right / len(y):.1f}%) with "
          f"{classifier.name}; by digit  {per_digit(y, answers)}")
    if mistakes:
        for example, answer in zip(kept, answers):
            if answer != example.label:
                print(f"  {example.name}: is {example.label}, read as {answer}")
    return True


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 when every folder was counted, 1 when one was not, 2 for the model."""
    args = parse_args(argv)
    classifier, status = load_classifier(args, "digits-eval")
    if classifier is None:
        return status
    counted = [evaluate(folder, classifier, args.unconfirmed, args.mistakes)
               for folder in args.labelled]
    return 0 if all(counted) else 1


if __name__ == "__main__":
    sys.exit(main())
