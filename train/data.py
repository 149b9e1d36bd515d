"""Load and validate MNIST from an .npz, a folder of IDX files, the Keras cache or a download."""

from __future__ import annotations

import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TRAIN_SIZE = 60_000
TEST_SIZE = 10_000
IMAGE_SIDE = 28  # pixels

# The original file names of the IDX distribution; each may also be found gzipped.
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}

HOW_TO_GET_DATA = (
    "get mnist.npz (Keras layout) or the four IDX files from the MNIST site and pass "
    "the file or folder with --data, or copy mnist.npz to ~/.keras/datasets/"
)


class DataError(Exception):
    """MNIST could not be found, read or validated."""


@dataclass(frozen=True)
class Mnist:
    """The MNIST splits as uint8 arrays: images (N, 28, 28), labels (N,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def subset(self, n_train: int, n_test: int) -> Mnist:
        """Returns the first `n_train` training and `n_test` test examples (for quick runs)."""
        return Mnist(self.x_train[:n_train], self.y_train[:n_train],
                     self.x_test[:n_test], self.y_test[:n_test], self.source)


def keras_cache_path() -> Path:
    """Where Keras keeps its downloaded copy of MNIST."""
    keras_home = os.environ.get("KERAS_HOME", str(Path.home() / ".keras"))
    return Path(keras_home) / "datasets" / "mnist.npz"


def load_mnist(path: str | os.PathLike | None = None, *, allow_download: bool = True,
               full: bool = True) -> Mnist:
    """Loads MNIST from `path`, else the Keras cache, else Keras' own download.

    Args:
        path: an `.npz` in Keras layout or a folder holding the four IDX files (gzipped or not).
        allow_download: whether Keras may try to download MNIST when nothing local is found.
        full: require the official 60000/10000 split (off only for tests on tiny data).

    Returns:
        The validated splits.

    Raises:
        DataError: nothing could be loaded, or what was loaded is not MNIST.
    """
    if path is not None:
        path = Path(path).expanduser()
        if path.is_dir():
            data = _load_idx_folder(path)
        elif path.is_file():
            data = _load_npz(path)
        else:
            raise DataError(f"{path}: no such file or folder; {HOW_TO_GET_DATA}")
        return validate(data, str(path), full=full)

    cached = keras_cache_path()
    if cached.is_file():
        return validate(_load_npz(cached), str(cached), full=full)
    if allow_download:
        return validate(_download_with_keras(), "keras download", full=full)
    raise DataError(f"MNIST not found; {HOW_TO_GET_DATA}")


def validate(data: dict[str, np.ndarray], source: str, *, full: bool = True) -> Mnist:
    """Checks shapes, dtypes, label range and split sizes.

    Args:
        data: arrays named x_train, y_train, x_test, y_test.
        source: where they came from, for messages.
        full: require exactly 60000 training and 10000 test examples.

    Returns:
        The splits as an `Mnist`.

    Raises:
        DataError: naming the first thing that is wrong.
    """
    missing = [k for k in IDX_FILES if k not in data]
    if missing:
        raise DataError(f"{source}: missing arrays {', '.join(missing)} (Keras layout expected)")
    for split in ("train", "test"):
        x, y = data[f"x_{split}"], data[f"y_{split}"]
        if x.dtype != np.uint8 or y.dtype != np.uint8:
            raise DataError(f"{source}: {split} arrays must be uint8, got {x.dtype} and {y.dtype}")
        if x.ndim != 3 or x.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            raise DataError(f"{source}: x_{split} must be N×28×28, got {x.shape}")
        if y.ndim != 1 or len(y) != len(x):
            raise DataError(f"{source}: y_{split} must hold one label per image, "
                            f"got {y.shape} for {len(x)} images")
        if len(y) and y.max() > 9:
            raise DataError(f"{source}: y_{split} holds label {int(y.max())}, outside 0-9")
    sizes = (len(data["x_train"]), len(data["x_test"]))
    if full and sizes != (TRAIN_SIZE, TEST_SIZE):
        raise DataError(f"{source}: expected the 60000/10000 split, got {sizes[0]}/{sizes[1]}")
    return Mnist(data["x_train"], data["y_train"], data["x_test"], data["y_test"], source)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    # np.load takes any file that is not a zip or .npy for a pickle and says so, which
    # misleads: name what the file is instead.
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if magic.startswith(b"\x93NUMPY"):
        raise DataError(f"{path}: one .npy array, not an .npz archive holding x_train, "
                        f"y_train, x_test and y_test")
    if not magic.startswith(b"PK"):
        raise DataError(f"{path}: not a readable .npz file (not a zip archive)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except Exception as exc:  # zipfile, pickle and value errors all mean "not a valid npz"
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None


def _load_idx_folder(folder: Path) -> dict[str, np.ndarray]:
    data = {}
    for key, name in IDX_FILES.items():
        # Some mirrors spell the separator as a dot (train-images.idx3-ubyte).
        candidates = [folder / n for base in (name, name.replace("-idx", ".idx"))
                      for n in (base, base + ".gz")]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise DataError(f"{folder}: no {name}[.gz]; {HOW_TO_GET_DATA}")
        data[key] = read_idx(found)
    return data


def read_idx(path: Path) -> np.ndarray:
    """Reads one IDX file (optionally gzipped) of unsigned bytes.

    Args:
        path: the file.

    Returns:
        The array with the shape the file declares.

    Raises:
        DataError: the file is not an IDX file of unsigned bytes or is truncated.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None
    if len(raw) < 4:
        raise DataError(f"{path}: not an IDX file (too short)")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08 or ndim == 0:
        raise DataError(f"{path}: not an IDX file of unsigned bytes")
    header = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    count = int(np.prod(shape))
    if len(raw) - header != count:
        raise DataError(f"{path}: expected {count} bytes of data for shape {shape}, "
                        f"found {len(raw) - header}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _download_with_keras() -> dict[str, np.ndarray]:
    try:
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:  # no network, no Keras, a proxy error: all end the same way
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"MNIST not found locally and the download failed ({reason}); "
                        f"{HOW_TO_GET_DATA}") from None
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
