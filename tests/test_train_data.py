"""Loading and validating MNIST for training (`train.data`): no TensorFlow needed."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import write_idx
from train import data as mnist_data
from train.data import DataError, load_mnist, validate


def test_loads_npz_without_requiring_full_split(tiny_npz, tiny_arrays):
    data = load_mnist(tiny_npz, full=False)
    assert np.array_equal(data.x_train, tiny_arrays["x_train"])
    assert np.array_equal(data.y_test, tiny_arrays["y_test"])


def test_rejects_partial_split_by_default(tiny_npz):
    with pytest.raises(DataError, match="60000/10000"):
        load_mnist(tiny_npz)


@pytest.mark.parametrize("gz", [False, True])
def test_loads_idx_folder(tmp_path, tiny_arrays, gz):
    for key, name in mnist_data.IDX_FILES.items():
        write_idx(tmp_path / (name + (".gz" if gz else "")), tiny_arrays[key], gz=gz)
    data = load_mnist(tmp_path, full=False)
    for key in mnist_data.IDX_FILES:
        assert np.array_equal(getattr(data, key), tiny_arrays[key])


def test_idx_truncated_or_foreign_file_is_a_data_error(tmp_path, tiny_arrays):
    for key, name in mnist_data.IDX_FILES.items():
        write_idx(tmp_path / name, tiny_arrays[key])
    images = tmp_path / mnist_data.IDX_FILES["x_test"]
    images.write_bytes(images.read_bytes()[:-10])
    with pytest.raises(DataError, match="expected .* bytes"):
        load_mnist(tmp_path, full=False)
    images.write_bytes(b"this is not idx")
    with pytest.raises(DataError, match="not an IDX"):
        load_mnist(tmp_path, full=False)


def test_idx_folder_missing_a_file(tmp_path):
    with pytest.raises(DataError, match="train-images-idx3-ubyte"):
        load_mnist(tmp_path)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("y_test"), "missing arrays y_test"),
    (lambda d: d.update(x_train=d["x_train"].astype(np.float32)), "must be uint8"),
    (lambda d: d.update(x_test=d["x_test"][:, :20]), "N×28×28"),
    (lambda d: d.update(y_train=d["y_train"][:-1]), "one label per image"),
    (lambda d: d.update(y_test=d["y_test"] + 5), "outside 0-9"),
])
def test_validation_names_what_is_wrong(tiny_arrays, change, message):
    arrays = dict(tiny_arrays)
    change(arrays)
    with pytest.raises(DataError, match=message):
        validate(arrays, "test", full=False)


def test_not_an_npz(tmp_path):
    bad = tmp_path / "mnist.npz"
    bad.write_text("hello")
    with pytest.raises(DataError, match=r"not a readable .npz file \(not a zip archive\)"):
        load_mnist(bad)


def test_a_single_npy_array_is_named_as_such(tmp_path, tiny_arrays):
    bad = tmp_path / "x_train.npy"
    np.save(bad, tiny_arrays["x_train"])
    with pytest.raises(DataError, match="one .npy array, not an .npz"):
        load_mnist(bad)


def test_keras_cache_is_used_when_no_path_given(tmp_path, monkeypatch, tiny_arrays):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    np.savez(tmp_path / "datasets" / "mnist.npz", **tiny_arrays)
    data = load_mnist(full=False, allow_download=False)
    assert data.source.endswith("mnist.npz") and len(data.x_train) == 300


def test_nothing_found_says_how_to_get_data(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(DataError, match="--data"):
        load_mnist(allow_download=False)
