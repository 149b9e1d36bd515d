"""Training guided by a trained model: the hard digits it picks, the targets it softens."""

from __future__ import annotations

import numpy as np
import pytest

from train.data import load_mnist

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from train.models import build_model  # noqa: E402
from train.pipeline import run  # noqa: E402


def test_unsure_picks_digits_with_any_drawing_below_the_bar():
    from train.hard import UNSURE, unsure

    labels = np.array([3, 7, 1])
    # Two drawings each: all digits' first drawings, then all their second ones.
    right = np.array([0.9, UNSURE + 0.01, 0.99, 0.95, 0.99, UNSURE - 0.01])
    probabilities = np.zeros((6, 10))
    probabilities[np.arange(6), np.tile(labels, 2)] = right
    assert unsure(probabilities, labels, 2).tolist() == [2]
    probabilities[0] = np.eye(10)[8]  # the 3's first drawing read as a sure 8
    assert unsure(probabilities, labels, 2).tolist() == [0, 2]
    assert unsure(np.tile(np.eye(10)[labels], (2, 1)), labels, 2).tolist() == []


def test_hard_digits_are_drawn_again_and_recorded(tmp_path, tiny_npz):
    from train.hard import MINE_DRAWINGS, hard_copies

    data = load_mnist(tiny_npz, full=False).subset(40, 20)
    x, y = data.x_train, data.y_train
    asked = []

    def miner(drawings):  # unsure of every 4 and 9 only
        asked.append(len(drawings))
        labels = np.tile(y, MINE_DRAWINGS)
        out = np.eye(10)[labels]
        out[np.isin(labels, (4, 9))] = 0.1
        return out

    drawn, labels, picked = hard_copies(miner, x, y, seed=1, copies=3)
    assert asked == [MINE_DRAWINGS * len(y)]
    assert np.array_equal(picked, np.flatnonzero(np.isin(y, (4, 9)))) and len(picked)
    assert drawn.shape == (3 * len(picked), 28, 28) and drawn.dtype == np.uint8
    assert np.array_equal(labels, np.tile(y[picked], 3))
    assert not np.array_equal(drawn[0], drawn[len(picked)])  # each copy drawn anew
    # A run with a trained model as the miner adds its picks' drawings and names the model.
    miner_run = run("cnn", data, epochs=1, batch_size=32, validation=0, out_dir=tmp_path / "m",
                    verbose=0)
    result = run("cnn", data, epochs=1, batch_size=32, strokes=1, validation=0, verbose=0,
                 out_dir=tmp_path / "h", hard_from=miner_run.model_path, hard_copies_each=2)
    entry = result.report["recipe"]["hard_strokes"]
    assert entry["from"] == "cnn.keras" and entry["copies"] == 2 and len(entry["sha256"]) == 64
    assert result.report["data"]["train"] == 2 * 40 + 2 * entry["digits"]
    assert 0 < entry["digits"] <= 40  # one epoch on 40 digits leaves it unsure of some
    assert miner_run.report["recipe"]["hard_strokes"] is None
    with pytest.raises(ValueError, match="fresh_strokes"):
        run("cnn", data, epochs=1, strokes=1, fresh_strokes=True, out_dir=tmp_path / "f",
            hard_from=miner_run.model_path)


def test_soft_targets_mix_the_label_with_the_flattened_teacher():
    from train.distill import soft_targets

    labels = np.eye(10, dtype=np.float32)[[1, 4]]
    teacher = np.full((2, 10), 0.0, np.float32)
    teacher[0, [1, 7]] = 0.9, 0.1  # a 1 that the teacher finds a little like a 7
    teacher[1, 9] = 1.0  # a 4 that the teacher reads as a sure 9; its other digits underflowed
    mixed = soft_targets(labels, teacher, share=0.5, temperature=1.0).numpy()
    assert np.allclose(mixed.sum(axis=1), 1) and np.isfinite(mixed).all()
    assert np.allclose(mixed[0, [1, 7]], [0.95, 0.05], atol=1e-6)
    assert np.allclose(mixed[1, [4, 9]], [0.5, 0.5], atol=1e-6)
    assert np.allclose(soft_targets(labels, teacher, share=0.0).numpy(), labels)
    assert np.allclose(soft_targets(labels, teacher, share=1.0, temperature=1.0).numpy(),
                       teacher, atol=1e-6)
    # A higher temperature gives the teacher's runner-up more of the target, not the order.
    hot = soft_targets(labels, teacher, share=1.0, temperature=2.0).numpy()
    assert 0.1 < hot[0, 7] < hot[0, 1] and hot[0, 0] < hot[0, 7]
    for share, temperature in ((1.5, 2.0), (0.5, 0.0)):
        with pytest.raises(ValueError):
            soft_targets(labels, teacher, share, temperature)


@pytest.mark.parametrize("network", ["mlp", "cnn"])
def test_teacher_targets_read_the_images_the_student_sees(network):
    from train.distill import soft_targets, teacher_targets

    teacher = build_model(network)  # untrained: its answers still differ image to image
    images = tf.random.stateless_uniform((5, 28, 28, 1), seed=(1, 2))
    labels = tf.one_hot([0, 1, 2, 3, 4], 10)
    seen = tf.reshape(images, (5, 784)) if network == "mlp" else images
    expected = soft_targets(labels, teacher(seen, training=False))
    assert np.allclose(teacher_targets(teacher)(images, labels).numpy(), expected.numpy())


def test_a_teacher_changes_only_the_targets(tmp_path, tiny_npz, monkeypatch):
    data = load_mnist(tiny_npz, full=False).subset(64, 20)
    teacher = run("cnn", data, epochs=1, batch_size=32, validation=0, out_dir=tmp_path / "t",
                  verbose=0)
    alone = run("cnn", data, epochs=1, batch_size=32, strokes=1, augment=True, validation=0,
                out_dir=tmp_path / "a", verbose=0)
    taught = run("cnn", data, epochs=1, batch_size=32, strokes=1, augment=True, validation=0,
                 out_dir=tmp_path / "b", verbose=0, teacher=teacher.model_path)
    entry = taught.report["recipe"]["teacher"]
    assert entry["from"] == "cnn.keras" and len(entry["sha256"]) == 64
    assert alone.report["recipe"]["teacher"] is None
    w_alone = keras.models.load_model(alone.model_path).get_weights()
    w_taught = keras.models.load_model(taught.model_path).get_weights()
    assert not any(np.array_equal(a, b) for a, b in zip(w_alone, w_taught))
    # With the teacher's answers ignored, the run is the one without a teacher: loading the
    # teacher moves neither the student's first weights nor its batches.
    monkeypatch.setattr("train.pipeline.teacher_targets", lambda model: lambda x, y: y)
    ignored = run("cnn", data, epochs=1, batch_size=32, strokes=1, augment=True, validation=0,
                  out_dir=tmp_path / "c", verbose=0, teacher=teacher.model_path)
    w_ignored = keras.models.load_model(ignored.model_path).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(w_alone, w_ignored))
