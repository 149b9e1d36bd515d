"""A classifier's own features for adaptation: the activation entering its first dense layer."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from edge_app import adapters
from edge_app.errors import ModelError
from edge_app.runtime import interpreter_class, quiet_native_stderr


class FeatureReader:
    """A `.tflite` classifier's answer and its features (see `feature_tensor`) from one invoke.

    Args:
        model_path: the `.tflite` file the classifier runs.
        runtime: TFLite runtime name, or None for the first installed.
    """

    def __init__(self, model_path: str | os.PathLike, runtime: str | None = None) -> None:
        self.path = Path(model_path)
        _, interpreter = interpreter_class(runtime)
        try:
            with quiet_native_stderr(), warnings.catch_warnings():
                # "intended for debugging": the price is keeping every activation (a few KB).
                warnings.simplefilter("ignore")
                self._interpreter = interpreter(model_path=str(self.path), num_threads=1,
                                                experimental_preserve_all_tensors=True)
                self._interpreter.allocate_tensors()
        except Exception as exc:  # each runtime raises its own types for a bad flatbuffer
            raise ModelError(f"{self.path.name}: cannot read its features ({exc})") from None
        self.input_spec = adapters.tensor_spec(self._interpreter.get_input_details()[0])
        self.output_spec = adapters.tensor_spec(self._interpreter.get_output_details()[0])
        self.feature_spec = adapters.tensor_spec(feature_tensor(self._interpreter))
        self.size = int(np.prod(self.feature_spec.shape[1:]))

    def run(self, model_input: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The network's (10,) probabilities and the unit-length features, from one invoke."""
        f = self.features(model_input)
        scores = adapters.dequantize(self._interpreter.get_tensor(self.output_spec.index),
                                     self.output_spec).reshape(-1)
        return adapters.to_probabilities_1d(scores), f

    def features(self, model_input: np.ndarray) -> np.ndarray:
        """The unit-length features of one (28, 28) input in [0, 1]."""
        x = np.asarray(model_input, np.float32).reshape(self.input_spec.shape)
        self._interpreter.set_tensor(self.input_spec.index, adapters.quantize(x, self.input_spec))
        self._interpreter.invoke()
        q = self._interpreter.get_tensor(self.feature_spec.index).reshape(-1)
        # Only the direction counts, so a quantized tensor's scale can be left out.
        return unit(q.astype(np.float32) - np.float32(self.feature_spec.zero_point))

    def many(self, inputs: np.ndarray) -> np.ndarray:
        """(N, size) unit-length features of (N, 28, 28) inputs."""
        inputs = np.asarray(inputs, np.float32).reshape(-1, 28, 28)
        out = np.zeros((len(inputs), self.size), np.float32)
        for i, x in enumerate(inputs):
            out[i] = self.features(x)
        return out


def feature_tensor(interpreter: Any) -> dict[str, Any]:
    """The details of the features: the first fully-connected layer's input that is not the
    model's own input (the CNN's flattened convolutions, the MLP's hidden layer).

    Found from the model's own graph (the op list where the runtime offers it, else the shapes
    of the tensors), so any MLP or CNN of the model contract works, whatever its indices.

    Raises:
        ModelError: no fully-connected layer takes a one-example activation.
    """
    details = {int(t["index"]): t for t in interpreter.get_tensor_details()}
    inputs = {int(d["index"]) for d in interpreter.get_input_details()}
    try:
        ops = [op for op in interpreter._get_ops_details() if op["op_name"] == "FULLY_CONNECTED"]
    except AttributeError:  # a runtime without the op list: go by shapes
        ops = []
    for op in ops:
        index = int(op["inputs"][0])
        if index not in inputs and index in details:
            return details[index]
    # By shapes: a fully-connected weight is (out, in) and its input activation is (1, in).
    widths = {int(t["shape"][1]) for t in details.values()
              if len(t["shape"]) == 2 and t["shape"][0] != 1}
    for index in sorted(details):
        shape = details[index]["shape"]
        if (len(shape) == 2 and shape[0] == 1 and int(shape[1]) in widths
                and shape[1] != adapters.NUM_CLASSES and index not in inputs):
            return details[index]
    raise ModelError("the model has no fully-connected layer to adapt on")


def unit(v: np.ndarray) -> np.ndarray:
    """`v` as float32 scaled to length 1 (a zero vector stays zero)."""
    v = v.astype(np.float32, copy=False)
    norm = float(np.sqrt(v @ v))
    return v * np.float32(1 / norm) if norm > 0 else v


def vote(features: np.ndarray, stored: np.ndarray, labels: np.ndarray,
         radius: float) -> np.ndarray:
    """The stored examples' kernel-weighted vote for one input.

    Args:
        features: (D,) unit vector of the input.
        stored: (N, D) unit vectors of the examples.
        labels: (N,) their digits.
        radius: cosine distance at which an example's weight falls to 0.

    Returns:
        (10,) summed weights per digit; all 0 when no example is within `radius`.
    """
    distance = 1.0 - stored @ features
    near = distance < radius
    votes = np.zeros(adapters.NUM_CLASSES, np.float32)
    if near.any():
        # (1 - d/r)^2: full weight on the example itself, none at the radius, smooth between.
        np.add.at(votes, labels[near], (1.0 - distance[near] / radius) ** 2)
    return votes


def blend(probabilities: np.ndarray, votes: np.ndarray, weight: float) -> np.ndarray:
    """The network's probabilities plus the weighted vote, renormalised to sum to 1."""
    mixed = probabilities.astype(np.float32) + np.float32(weight) * votes
    return mixed / mixed.sum()
