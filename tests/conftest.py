"""Shared fixtures: data from the shipped test split only, headless SDL, temporary folders."""

from __future__ import annotations

import os

import numpy as np
import pytest

# Headless pygame for every test; set before anything imports pygame.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from tests.helpers import TEST_SPLIT  # noqa: E402

WORKSTATION_MODULES = {"test_train", "test_convert"}  # everything in them needs TensorFlow


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in WORKSTATION_MODULES:
            item.add_marker(pytest.mark.workstation)


@pytest.fixture(scope="session")
def test_split() -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test split the repository ships (uint8 images, labels)."""
    with np.load(TEST_SPLIT) as data:
        return data["x_test"], data["y_test"]


@pytest.fixture(scope="session")
def tiny_arrays(test_split) -> dict[str, np.ndarray]:
    """A small dataset in Keras layout carved from the shipped test split."""
    x, y = test_split
    return {"x_train": x[:300], "y_train": y[:300], "x_test": x[300:400], "y_test": y[300:400]}


@pytest.fixture()
def tiny_npz(tmp_path, tiny_arrays):
    """`tiny_arrays` saved as an .npz file."""
    path = tmp_path / "tiny.npz"
    np.savez(path, **tiny_arrays)
    return path


@pytest.fixture()
def make_app(tmp_path):
    """Makes headless apps on a display of a given size; pygame is shut down after the test."""
    pygame = pytest.importorskip("pygame")
    from edge_app.app.controller import DigitApp
    from edge_app.rotation import Rotation
    from tests.apphelpers import FakeClock

    pygame.display.init()
    pygame.font.init()

    def make(size=(800, 480), rotate=0, **kwargs):
        physical = pygame.display.set_mode(size)
        rotation = Rotation(rotate, size)
        screen = physical if rotate == 0 else pygame.Surface(rotation.logical_size)
        kwargs.setdefault("save_dir", tmp_path / "saved")
        app = DigitApp(screen, rotation=rotation, clock=FakeClock(), **kwargs)
        app.draw()
        return app

    yield make
    pygame.quit()
