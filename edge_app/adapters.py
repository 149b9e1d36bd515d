"""Pure functions around a TFLite interpreter: tensor specs, (de)quantization, scores, top-k."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

NUM_CLASSES = 10
INPUT_ELEMENTS = 28 * 28


@dataclass(frozen=True)
class TensorSpec:
    """What the model says about one of its tensors."""

    index: int
    shape: tuple[int, ...]
    dtype: np.dtype
    scale: float  # 0.0 when the tensor is not quantized
    zero_point: int

    @property
    def quantized(self) -> bool:
        return self.scale != 0.0 and np.issubdtype(self.dtype, np.integer)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form, as written to the manifest."""
        return {"shape": list(self.shape), "dtype": np.dtype(self.dtype).name,
                "scale": self.scale, "zero_point": self.zero_point}


def tensor_spec(details: dict[str, Any]) -> TensorSpec:
    """Builds a `TensorSpec` from one entry of `get_input_details()`/`get_output_details()`."""
    scale, zero_point = details.get("quantization", (0.0, 0))
    return TensorSpec(index=int(details["index"]),
                      shape=tuple(int(d) for d in details["shape"]),
                      dtype=np.dtype(details["dtype"]),
                      scale=float(scale), zero_point=int(zero_point))


def quantize(values: np.ndarray, spec: TensorSpec) -> np.ndarray:
    """Converts real values to the tensor's dtype: q = round(x / scale) + zero_point, saturated.

    Float tensors just get a cast.
    """
    if not spec.quantized:
        return values.astype(spec.dtype, copy=False)
    info = np.iinfo(spec.dtype)
    q = np.rint(values / spec.scale) + spec.zero_point
    return np.clip(q, info.min, info.max).astype(spec.dtype)


def dequantize(values: np.ndarray, spec: TensorSpec) -> np.ndarray:
    """Converts tensor values to float32 reals: x = scale * (q - zero_point)."""
    if not spec.quantized:
        return values.astype(np.float32, copy=False)
    return (spec.scale * (values.astype(np.float32) - spec.zero_point)).astype(np.float32)


def fit_batch(images: np.ndarray, spec: TensorSpec) -> np.ndarray:
    """Reshapes (N, 28, 28) images in [0, 1] to the model's input shape and dtype.

    Any input shape with 784 elements per example works (the MLP's 784, the CNN's 28×28×1).
    """
    batch = images.reshape((len(images), *spec.shape[1:]))
    return quantize(batch, spec)


def is_distribution(scores: np.ndarray, tolerance: float = 0.02) -> bool:
    """True when every row is non-negative and sums to 1 (within `tolerance`).

    The tolerance covers int8 outputs, whose steps of 1/256 leave the sum a little off 1.
    """
    scores = np.atleast_2d(scores)
    return bool(np.all(scores >= -1e-6) and np.all(np.abs(scores.sum(axis=1) - 1) <= tolerance))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def to_probabilities(scores: np.ndarray) -> np.ndarray:
    """Turns dequantized output scores into probabilities that sum to exactly 1.

    Softmax is applied only when the model's output is not already a distribution (a model
    that ends in logits, or an int8 softmax that rounded every class to 0, which becomes
    uniform); a distribution is only renormalised to remove quantization drift.
    """
    scores = np.atleast_2d(scores).astype(np.float32)
    if not is_distribution(scores):
        return softmax(scores)
    scores = np.clip(scores, 0.0, None)
    return scores / scores.sum(axis=1, keepdims=True)


def to_probabilities_1d(scores: np.ndarray) -> np.ndarray:
    """`to_probabilities` for one example's 10 scores, with plain-Python checks.

    On a 10-element vector numpy's per-call overhead dominates; this takes ~3 µs, not ~15.
    """
    values = scores.tolist()
    total = sum(values)
    if min(values) < -1e-6 or abs(total - 1.0) > 0.02:
        return softmax(scores.astype(np.float32))
    return np.maximum(scores, 0.0).astype(np.float32) * np.float32(1.0 / total)


def top_k(probabilities: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` most probable classes of one example, best first, as (class, probability)."""
    probabilities = np.asarray(probabilities).reshape(-1)
    k = max(1, min(k, probabilities.size))
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(i), float(probabilities[i])) for i in order]
