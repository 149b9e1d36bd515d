"""Pure interpreter helpers, tested without any model."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import adapters
from edge_app.adapters import TensorSpec

INT8_IN = TensorSpec(0, (1, 28, 28, 1), np.dtype(np.int8), 1 / 255, -128)
FLOAT_IN = TensorSpec(0, (1, 784), np.dtype(np.float32), 0.0, 0)


def test_quantize_maps_unit_range_onto_int8():
    q = adapters.quantize(np.array([0.0, 0.5, 1.0]), INT8_IN)
    assert q.dtype == np.int8 and q.tolist() == [-128, 0, 127]


def test_quantize_saturates_instead_of_wrapping():
    assert adapters.quantize(np.array([-3.0, 7.0]), INT8_IN).tolist() == [-128, 127]


def test_dequantize_inverts_quantize_within_half_a_step():
    x = np.linspace(0, 1, 101)
    back = adapters.dequantize(adapters.quantize(x, INT8_IN), INT8_IN)
    assert np.abs(back - x).max() <= 0.5 / 255 + 1e-7


def test_float_tensors_only_cast():
    x = np.array([0.25, 0.75], np.float64)
    assert adapters.quantize(x, FLOAT_IN).dtype == np.float32
    assert adapters.dequantize(x, FLOAT_IN).tolist() == [0.25, 0.75]


def test_fit_batch_reshapes_to_model_shape():
    images = np.random.default_rng(0).random((3, 28, 28))
    assert adapters.fit_batch(images, FLOAT_IN).shape == (3, 784)
    assert adapters.fit_batch(images, INT8_IN).shape == (3, 28, 28, 1)


def test_distribution_detection():
    assert adapters.is_distribution(np.full(10, 0.1))
    assert adapters.is_distribution(np.r_[np.full(9, 0.1), 0.11])  # int8 rounding drift
    assert not adapters.is_distribution(np.arange(10.0))
    assert not adapters.is_distribution(np.r_[-0.5, np.full(9, 1.5 / 9)])


def test_logits_get_softmax_and_distributions_stay():
    logits = np.array([[1.0, 2.0, 3.0, 0, 0, 0, 0, 0, 0, 0]])
    p = adapters.to_probabilities(logits)
    assert p.sum() == pytest.approx(1) and p.argmax() == 2
    assert p[0, 2] / p[0, 1] == pytest.approx(np.e)
    dist = np.array([[0.7, 0.3] + [0.0] * 8])
    assert np.allclose(adapters.to_probabilities(dist), dist)


def test_all_zero_int8_softmax_becomes_uniform_not_nan():
    assert np.allclose(adapters.to_probabilities(np.zeros((1, 10))), 0.1)
    assert np.allclose(adapters.to_probabilities_1d(np.zeros(10, np.float32)), 0.1)


@pytest.mark.parametrize("scores", [
    np.array([0.7, 0.3] + [0.0] * 8, np.float32),
    np.array([0.69921875, 0.30078125, 0.00390625] + [0.0] * 7, np.float32),  # int8 drift
    np.arange(10, dtype=np.float32),  # logits
    np.array([-2.0, 5.0] + [0.0] * 8, np.float32),
])
def test_single_row_fast_path_matches_the_batch_path(scores):
    assert np.allclose(adapters.to_probabilities_1d(scores),
                       adapters.to_probabilities(scores[None])[0], atol=1e-6)


def test_softmax_is_stable_for_huge_logits():
    p = adapters.softmax(np.array([1000.0, 0.0]))
    assert np.isfinite(p).all() and p[0] == pytest.approx(1)


def test_top_k_orders_and_clamps():
    p = np.array([0.05, 0.6, 0.05, 0.3, 0, 0, 0, 0, 0, 0])
    assert [d for d, _ in adapters.top_k(p, 2)] == [1, 3]
    assert len(adapters.top_k(p, 50)) == 10
    assert adapters.top_k(p, 1)[0] == (1, pytest.approx(0.6))


def test_tensor_spec_from_details():
    spec = adapters.tensor_spec({"index": 4, "shape": np.array([1, 10]), "dtype": np.int8,
                                 "quantization": (0.00390625, -128)})
    assert spec.quantized and spec.shape == (1, 10) and spec.zero_point == -128
    assert spec.as_dict() == {"shape": [1, 10], "dtype": "int8", "scale": 0.00390625,
                              "zero_point": -128}
