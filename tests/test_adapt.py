"""On-device adaptation: a few corrections fix a person's style, survive a restart, and leave
drawings unlike them alone."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import adapt, features, writers
from edge_app.classifier import ClassifierOptions, DigitClassifier
from tests.helpers import MODELS


@pytest.fixture(scope="module")
def cnn() -> DigitClassifier:
    return DigitClassifier(ClassifierOptions(model="cnn_int8"))


@pytest.fixture(scope="module")
def flagged_ones() -> tuple[np.ndarray, np.ndarray]:
    """The continental writer's flagged 1s: three to correct with, eight to test on."""
    w = writers.writer("continental")
    x, y = writers.inputs(w, 3, writers.CORRECTION_SEED)
    test, labels = writers.inputs(w, 8, writers.TEST_SEED)
    return x[y == 1], test[labels == 1]


class NoOpList:
    """An interpreter that offers only tensor details (as some runtimes do)."""

    def __init__(self, interpreter) -> None:
        self._i = interpreter

    def get_tensor_details(self):
        return self._i.get_tensor_details()

    def get_input_details(self):
        return self._i.get_input_details()


@pytest.mark.parametrize("model, width", [("cnn_int8", 288), ("mlp_int8", 512),
                                          ("cnn_float32", 288)])
def test_features_are_the_first_fully_connected_layers_activation_input(model, width):
    reader = features.FeatureReader(MODELS / f"{model}.tflite")
    assert reader.feature_spec.shape == (1, width)
    by_shapes = features.feature_tensor(NoOpList(reader._interpreter))
    assert by_shapes["index"] == reader.feature_spec.index


def test_features_are_unit_vectors_and_the_answer_matches_the_classifier(cnn, test_split):
    reader = features.FeatureReader(cnn.path)
    x = test_split[0][:3].astype(np.float32) / 255
    for image in x:
        p, f = reader.run(image)
        assert np.isclose(np.linalg.norm(f), 1.0, atol=1e-5) and f.min() >= 0
        assert np.allclose(p, cnn.predict(image).probabilities)
    assert not np.allclose(reader.many(x[:1]), reader.many(x[1:2]))


def test_corrections_pull_drawings_like_them_and_survive_a_restart(cnn, flagged_ones,
                                                                     tmp_path):
    corrections, unseen = flagged_ones
    # The person's own meaning for their mark, whatever the network makes of it: this writer
    # is taken to write 4 this way, which the network does not read as a 4.
    assert [cnn.predict(x).digit for x in corrections].count(4) == 0
    adapter = adapt.Adapter.load(tmp_path, cnn)
    for x in corrections:
        adapter.add(x, 4)
    assert all(adapter.adjust(x, cnn.predict(x)).digit == 4 for x in corrections)
    pulled = [adapter.adjust(x, cnn.predict(x)).probabilities[4] > cnn.predict(x).probabilities[4]
              for x in unseen]
    assert sum(pulled) >= len(unseen) - 1  # drawings like them lean towards 4 too
    after = [adapter.adjust(x, cnn.predict(x)).digit for x in unseen]
    restarted = adapt.Adapter.load(tmp_path, cnn)
    assert restarted.count == len(corrections) and restarted.describe() == "adapted: 3 examples"
    assert [restarted.adjust(x, cnn.predict(x)).digit for x in unseen] == after
    assert [restarted.predict(x).digit for x in unseen] == after


def test_a_drawing_unlike_every_example_keeps_its_answer(cnn, flagged_ones, test_split):
    corrections, _ = flagged_ones
    adapter = adapt.Adapter(cnn)
    for x in corrections:
        adapter.add(x, 1)
    images, labels = test_split
    for i in np.flatnonzero(np.isin(labels, (0, 3, 8)))[:30]:
        x = images[i].astype(np.float32) / 255
        prediction = cnn.predict(x)
        assert adapter.adjust(x, prediction) is prediction


def test_off_and_reset_are_stored(cnn, flagged_ones, tmp_path):
    corrections, unseen = flagged_ones
    adapter = adapt.Adapter.load(tmp_path, cnn)
    adapter.add(corrections[0], 1)
    adapter.enabled = False
    prediction = cnn.predict(unseen[0])
    assert adapter.adjust(unseen[0], prediction) is prediction
    assert adapt.Adapter.load(tmp_path, cnn).describe() == "adaptation off"
    adapter.enabled = True
    adapter.reset()
    assert adapter.count == 0 and adapt.Adapter.load(tmp_path, cnn).count == 0
    assert adapter.adjust(unseen[0], prediction) is prediction


def test_a_failed_write_leaves_the_adapter_and_its_file_as_they_were(cnn, flagged_ones,
                                                                    tmp_path, monkeypatch):
    corrections, _ = flagged_ones
    adapter = adapt.Adapter.load(tmp_path, cnn)
    adapter.add(corrections[0], 1)
    stored = (tmp_path / adapt.FILE_NAME).read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(adapt, "write_bytes", full_disk)
    with pytest.raises(OSError):
        adapter.add(corrections[1], 1)
    with pytest.raises(OSError):
        adapter.reset()
    assert adapter.count == 1 and (tmp_path / adapt.FILE_NAME).read_bytes() == stored


def test_an_unreadable_file_is_kept_aside_and_adaptation_starts_afresh(cnn, tmp_path):
    (tmp_path / adapt.FILE_NAME).write_bytes(b"not an npz")
    adapter = adapt.Adapter.load(tmp_path, cnn)
    assert adapter.count == 0 and "unreadable" in adapter.problem
    kept = list(tmp_path.glob("adaptation-unreadable-*.npz"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"not an npz"
    adapter.add(np.zeros((28, 28), np.float32), 0)
    assert adapt.Adapter.load(tmp_path, cnn).count == 1


def test_labels_must_be_digits(cnn):
    with pytest.raises(ValueError):
        adapt.Adapter(cnn).add(np.zeros((28, 28), np.float32), 10)


def test_vote_is_zero_beyond_the_radius_and_full_on_the_example():
    stored = np.eye(3, dtype=np.float32)
    labels = np.array([4, 5, 6])
    assert features.vote(np.array([0, 0, 1], np.float32), stored, labels, 0.2).tolist() == \
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    tilted = np.array([1, 1, 0], np.float32) / np.sqrt(2)  # 0.29 from both: outside 0.2
    assert not features.vote(tilted, stored, labels, 0.2).any()
    votes = features.vote(stored[0], stored, labels, 0.2)
    p = features.blend(np.full(10, 0.1, np.float32), votes, adapt.WEIGHT)
    assert p.argmax() == 4 and np.isclose(p.sum(), 1.0)


def test_two_adapters_on_one_folder_never_drop_each_others_examples(cnn, flagged_ones,
                                                                   tmp_path):
    corrections, _ = flagged_ones
    mlp_adapter = adapt.Adapter.load(tmp_path, "mlp_int8")
    cnn_adapter = adapt.Adapter.load(tmp_path, cnn)
    mlp_adapter.add(corrections[0], 1)
    cnn_adapter.add(corrections[1], 1)  # takes in the MLP adapter's example first
    mlp_adapter.add(corrections[2], 1)
    assert adapt.Adapter.load(tmp_path, cnn).count == 3 and mlp_adapter.count == 3
