"""Evaluate `.tflite` files through the TFLite interpreter, on MNIST and on the stroke set."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app import ClassifierOptions, DigitClassifier
from edge_app.classifier import CLOSE_CALL_MARGIN
from edge_app.errors import ImageError
from edge_app.second_look import combine
from edge_app.segment.joins import rejoin
from edge_app.segment.number import read_groups
from edge_app.strokes import render as strokes_render
from edge_app.strokeset import BANDS, Inputs

CONFUSIONS = 15  # the commonest mistakes a report lists, as the UNIPEN evaluation lists them


@dataclass(frozen=True)
class Evaluation:
    """What one model file measured."""

    path: Path
    runtime: str
    input_spec: dict
    output_spec: dict
    mnist_accuracy: float
    strokes: dict | None  # `score_strokes` on the stroke evaluation
    predictions: np.ndarray  # MNIST test predictions, to compare variants


def evaluate(path: Path, x_test: np.ndarray, y_test: np.ndarray,
             strokes: Inputs | None = None, fast: Inputs | None = None,
             slow: Inputs | None = None, runtime: str | None = None) -> Evaluation:
    """Measures one model file.

    Args:
        path: the `.tflite` file.
        x_test: (N, 28, 28) uint8 MNIST test images; y_test their labels.
        strokes: the stroke evaluation's inputs (`edge_app.strokeset.model_inputs`), or None.
        fast: digits drawn as a fast finger leaves them (`strokeset.FAST_STEP`), scored on
            the stroke path under the stroke evaluation's "fast", or None.
        slow: digits drawn as a slow finger on a noisy panel leaves them
            (`strokeset.SLOW_STEP`), scored alike under "slow", or None.
        runtime: force a TFLite runtime.
    """
    classifier = DigitClassifier(ClassifierOptions(model=path, runtime=runtime, verify=False))
    predictions = classifier.predict_batch(x_test.astype(np.float32) / 255.0).argmax(axis=1)
    scored = None
    if strokes is not None:
        image = classifier.predict_batch(strokes.image)
        scored = score_strokes(strokes, classifier.predict_batch(strokes.stroke), image,
                               classifier.predict_batch(strokes.first)
                               if len(strokes.first) else None,
                               read_split(classifier, strokes, image))
        if fast is not None:
            scored["fast"] = finger_strokes(classifier, fast)
        if slow is not None:
            scored["slow"] = finger_strokes(classifier, slow)
    return Evaluation(path, classifier.runtime, classifier.input_spec.as_dict(),
                      classifier.output_spec.as_dict(),
                      float((predictions == y_test).mean()), scored, predictions)


def read_split(classifier: DigitClassifier, inputs: Inputs,
               image_probs: np.ndarray | None = None) -> dict[int, str]:
    """What the app shows for each digit its grouping cuts into several groups of strokes.

    As the app does: the groups are offered to the model for joining (`rejoin`, judged by
    this model), then read as a number (`read_groups`: a stray speck left out); a drawing
    read as one digit, unsurely, gets the second look at its picture (`second_look`).

    Args:
        classifier: the model.
        inputs: from `edge_app.strokeset.model_inputs`.
        image_probs: (N, 10) the model's probabilities for the drawings' pictures, or None
            for no second look.

    Returns:
        Index → the digits read, e.g. "4" (one digit) or "41" (read as a number); "" when
        the app would refuse the drawing.
    """
    out = {}
    for i, groups in inputs.split.items():
        size = (int(inputs.canvases[i]),) * 2

        def render(group, row, size=size):
            return strokes_render(group, size, row=row)

        try:
            read = read_groups(classifier, rejoin(classifier, groups, render), render)
        except ImageError:
            out[i] = ""
            continue
        out[i] = read.text
        if len(read.digits) == 1 and image_probs is not None and not _tapped(inputs)[i]:
            p = combine(read.digits[0].prediction.probabilities, image_probs[i],
                        not inputs.image_refused[i])
            out[i] = str(int(p.argmax()))
    return out


def score_strokes(inputs: Inputs, stroke_probs: np.ndarray, image_probs: np.ndarray,
                  first_probs: np.ndarray | None = None,
                  split: dict[int, str] | None = None) -> dict:
    """The stroke evaluation's figures for one model.

    A digit counts as right only when it is not refused and its top answer is its label;
    a mark counts as refused when the gate refuses it.

    Args:
        inputs: from `edge_app.strokeset.model_inputs`.
        stroke_probs, image_probs: (N, 10) probabilities on the stroke and image paths; the
            stroke path's, where unsure, get the app's second look at the picture's.
        first_probs: probabilities after only the first stroke of multi-stroke digits.
        split: what the app shows for the digits its grouping cuts (`read_split`), which
            replaces the stroke path's answer for them: right only when it is the one digit.

    Returns:
        Per path: digit accuracy, false refusals, marks refused, accuracy per size band and
        per style (the stroke path also: read as a number, the accuracy with each drawing
        read whole, and its commonest mistakes, `confusions`); the close-call rule on the
        stroke path; what the first stroke alone gets.
    """
    digits = inputs.labels >= 0
    # As the app reads one digit: an unsure reading of the strokes looks at the picture too.
    stroke_probs = combine(stroke_probs, image_probs,
                           ~inputs.image_refused & ~inputs.stroke_refused & ~_tapped(inputs))
    cut = np.zeros(len(digits), bool)
    whole_right = (stroke_probs.argmax(axis=1) == inputs.labels) & ~inputs.stroke_refused
    stroke_right = whole_right.copy()
    stroke_refused = inputs.stroke_refused.copy()
    shown = stroke_probs.argmax(axis=1).astype(str).astype(object)
    for i, text in (split or {}).items():
        stroke_right[i] = text == str(inputs.labels[i])
        stroke_refused[i] = text == ""
        cut[i] = len(text) > 1
        shown[i] = "number" if cut[i] else text
    shown[stroke_refused] = "refused"
    image_right = (image_probs.argmax(axis=1) == inputs.labels) & ~inputs.image_refused
    out = {"digits": int(digits.sum()), "marks": int((~digits).sum())}
    for path, right, refused in (("stroke", stroke_right, stroke_refused),
                                 ("image", image_right, inputs.image_refused)):
        bands = {}
        for low, high in zip(BANDS, BANDS[1:]):
            band = digits & (inputs.sizes >= low) & (inputs.sizes < high)
            bands[f"{round(100 * low)}-{round(100 * high)} %"] = _share(right[band])
        out[path] = {
            "accuracy": _share(right[digits]),
            "false_refusals": _share(refused[digits]),
            "marks_refused": _share(refused[~digits]),
            # Each drawing read whole, as one digit: against "accuracy", what the grouping
            # costs the single digits (the number issue's limit: 0.1 point).
            **({"read_as_number": _share(cut[digits]), "whole_accuracy": _share(
                whole_right[digits]), "confusions": confusions(
                inputs.labels[digits & ~right], shown[digits & ~right])}
               if path == "stroke" else {}),
            "bands": bands,
            "styles": {kind: _share(right[digits & (inputs.kinds == kind)])
                       for kind in sorted(set(inputs.kinds[digits]))},
            "marks": {kind: _share(refused[~digits & (inputs.kinds == kind)])
                      for kind in sorted(set(inputs.kinds[~digits]))},
        }
    answered = digits & ~inputs.stroke_refused
    out["close_call"] = close_calls(stroke_probs[answered], inputs.labels[answered])
    if first_probs is not None and len(first_probs):
        out["first_stroke"] = first_stroke(inputs, first_probs)
    return out


def confusions(labels: np.ndarray, answers: np.ndarray, keep: int = CONFUSIONS) -> list:
    """The commonest mistakes, most common first.

    Args:
        labels: (N,) the true digits of the drawings read wrong.
        answers: (N,) what was shown for each: a digit ("7"), "number" or "refused".
        keep: how many kinds of mistake to list.

    Returns:
        [[label, answer, count], ...]: at most `keep`, ties in the order first met.
    """
    counted = Counter(zip(labels.tolist(), (str(a) for a in answers)))
    return [[label, answer, n] for (label, answer), n in counted.most_common(keep)]


def finger_strokes(classifier: DigitClassifier, inputs: Inputs) -> dict:
    """The stroke path's figures on drawings a fast or a slow finger made, as the app reads
    them.

    Returns:
        digits; accuracy; read_as_number; whole_accuracy (each drawing read as one digit);
        accuracy per style ("mnist": the traced digits).
    """
    image = classifier.predict_batch(inputs.image)
    scored = score_strokes(inputs, classifier.predict_batch(inputs.stroke), image, None,
                           read_split(classifier, inputs, image))
    return {"digits": scored["digits"],
            **{key: scored["stroke"][key]
               for key in ("accuracy", "read_as_number", "whole_accuracy", "styles")}}


def close_calls(probs: np.ndarray, labels: np.ndarray,
                margin: float = CLOSE_CALL_MARGIN) -> dict:
    """How often the "1 or 7?" rule fires on answered digits, and how many errors it catches.

    Returns:
        margin; fires (share of digits); catches (share of wrong answers flagged); errors;
        and how often the runner-up is the right digit when the rule fires.
    """
    top2 = np.sort(probs, axis=1)[:, -2:]
    fires = (top2[:, 1] - top2[:, 0]) < margin
    wrong = probs.argmax(axis=1) != labels
    runner = np.argsort(probs, axis=1)[:, -2]
    return {"margin": margin, "fires": _share(fires), "catches": _share(fires[wrong]),
            "errors": int(wrong.sum()), "runner_up_right": _share((runner == labels)[fires])}


def first_stroke(inputs: Inputs, probs: np.ndarray, confident: float = 0.8) -> dict:
    """What a live answer would show after only the first stroke of a multi-stroke digit."""
    labels = inputs.labels[inputs.first_index]
    answer = probs.argmax(axis=1)
    shown = ~inputs.first_refused
    return {"digits": int(len(labels)),
            "refused": _share(inputs.first_refused),
            "right": _share(shown & (answer == labels)),
            "confident_wrong": _share(shown & (answer != labels)
                                      & (probs.max(axis=1) >= confident)),
            "confident": confident}


def _tapped(inputs: Inputs) -> np.ndarray:
    """Per drawing, whether taps were left out of its strokes (no second look then)."""
    return inputs.tapped if len(inputs.tapped) else np.zeros(len(inputs.labels), bool)


def _share(mask: np.ndarray) -> float | None:
    return round(float(mask.mean()), 6) if mask.size else None
