"""The training pipeline: the two networks, augmentation, stroke-drawn images, runs, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from train.data import load_mnist

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from train import cli, drawn, restyle  # noqa: E402
from train.augment import ELASTIC_SIGMA, elastic_warp, make_augmenter, vary_thickness  # noqa: E402
from train.models import (  # noqa: E402
    RECIPES,
    build_cnn,
    build_mlp,
    build_model,
    make_optimizer,
)
from train.pipeline import run  # noqa: E402

# --- networks ---------------------------------------------------------------------------------

def test_parameter_counts():
    assert build_mlp().count_params() == 407_050
    assert build_cnn().count_params() == 71_658


def test_cnn_layers_match_the_design():
    model = build_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Dropout"] * 3 + ["Flatten", "Dense", "Dense"]
    for conv in model.layers[0:9:3]:
        config = conv.get_config()
        assert (config["filters"], tuple(config["kernel_size"]), config["padding"],
                config["activation"]) == (32, (4, 4), "same", "relu")
    assert all(tuple(p.get_config()["pool_size"]) == (2, 2) for p in model.layers[1:9:3])
    assert all(d.get_config()["rate"] == 0.1 for d in model.layers[2:9:3])
    assert [(d.units, d.get_config()["activation"]) for d in model.layers[-2:]] == [
        (128, "relu"), (10, "softmax")]


def test_mlp_layers_match_the_design():
    model = build_mlp()
    assert model.inputs[0].shape[1:] == (784,)
    assert [(d.units, d.get_config()["activation"]) for d in model.layers] == [
        (512, "relu"), (10, "softmax")]


def test_recipes_and_compiled_optimizers():
    assert (RECIPES["mlp"].epochs, RECIPES["mlp"].batch_size) == (25, 128)
    assert (RECIPES["cnn"].epochs, RECIPES["cnn"].batch_size) == (10, 128)
    assert type(build_model("mlp").optimizer).__name__ == "RMSprop"
    cnn = build_model("cnn")
    assert type(cnn.optimizer).__name__ == "Adam"
    assert cnn.loss == "categorical_crossentropy"
    assert float(cnn.optimizer.learning_rate) == pytest.approx(1e-3)


def test_cosine_schedule_decays_to_zero_over_the_run():
    optimizer = make_optimizer("cnn", "cosine", steps=100)
    assert type(optimizer).__name__ == "Adam"
    rate = optimizer.learning_rate  # the schedule's value at the optimizer's step
    schedule = optimizer._learning_rate
    assert float(schedule(0)) == pytest.approx(1e-3)
    assert float(schedule(50)) == pytest.approx(5e-4, rel=1e-3)
    assert float(schedule(100)) == pytest.approx(0, abs=1e-9)
    assert float(rate) == pytest.approx(1e-3)
    with pytest.raises(ValueError):
        make_optimizer("cnn", "cosine")
    with pytest.raises(ValueError):
        make_optimizer("cnn", "step")


# --- augmentation -----------------------------------------------------------------------------

def test_thickness_variation_both_ways(test_split):
    images = tf.constant(test_split[0][:64, ..., None] / 255.0, tf.float32)
    out = vary_thickness(images, tf.random.Generator.from_seed(0)).numpy()
    change = out.sum(axis=(1, 2, 3)) - images.numpy().sum(axis=(1, 2, 3))
    assert (change > 1).any() and (change < -1).any()  # some fatter, some thinner


def test_augmenter_keeps_range_and_is_reproducible(test_split):
    images = tf.constant(test_split[0][:32, ..., None] / 255.0, tf.float32)
    first = make_augmenter(seed=3)(images).numpy()
    second = make_augmenter(seed=3)(images).numpy()
    assert first.shape == (32, 28, 28, 1)
    assert first.min() >= 0 and first.max() <= 1
    assert np.allclose(first, second)
    assert not np.allclose(first, images.numpy())


def test_augmenter_without_elastic_draws_what_it_drew_before(test_split):
    images = tf.constant(test_split[0][:16, ..., None] / 255.0, tf.float32)
    plain = make_augmenter(seed=3)(images).numpy()
    assert np.array_equal(make_augmenter(seed=3, elastic=0.0)(images).numpy(), plain)
    bent = make_augmenter(seed=3, elastic=34.0)(images).numpy()
    assert bent.min() >= 0 and bent.max() <= 1 and not np.allclose(bent, plain)


def test_elastic_warp_bends_smoothly_and_keeps_the_ink(test_split):
    images = tf.constant(test_split[0][:64, ..., None] / 255.0, tf.float32)
    assert np.array_equal(elastic_warp(images, tf.random.Generator.from_seed(1), 0.0).numpy(),
                          images.numpy())
    bent = elastic_warp(images, tf.random.Generator.from_seed(1), 34.0).numpy()
    again = elastic_warp(images, tf.random.Generator.from_seed(1), 34.0).numpy()
    assert np.array_equal(bent, again) and bent.min() >= 0 and bent.max() <= 1
    ink, moved = images.numpy().sum(axis=(1, 2, 3)), bent.sum(axis=(1, 2, 3))
    # Bent, not smeared or lost: a warp squeezes some strokes and stretches others.
    change = np.abs(moved / ink - 1)
    assert change.mean() < 0.15 and change.max() < 0.4
    assert np.abs(bent - images.numpy()).mean() > 0.02
    # A ramp along the columns (values 0.01 per pixel) reads back each pixel's sideways shift.
    ramp = tf.constant(np.tile(np.arange(28, dtype=np.float32) / 100, (8, 28, 1))[..., None])
    shifts = {alpha: (elastic_warp(ramp, tf.random.Generator.from_seed(2), alpha).numpy()
                      - ramp.numpy())[:, 4:24, 4:24, 0] * 100 for alpha in (17.0, 34.0)}
    spread = shifts[34.0].std()
    assert 0.4 < spread < 1.5  # pixels
    assert shifts[17.0].std() == pytest.approx(spread / 2, rel=0.05)  # linear in alpha
    # Smooth: neighbouring pixels move nearly alike (the field's blur is ELASTIC_SIGMA wide).
    step = np.abs(np.diff(shifts[34.0], axis=2)).mean()
    assert step < spread / ELASTIC_SIGMA


# --- training run and CLI ---------------------------------------------------------------------

@pytest.mark.parametrize("name, augment, elastic", [("mlp", False, 0.0), ("cnn", True, 34.0)])
def test_run_one_epoch_writes_every_artefact(tmp_path, tiny_npz, name, augment, elastic):
    data = load_mnist(tiny_npz, full=False)
    result = run(name, data, epochs=1, batch_size=64, augment=augment, out_dir=tmp_path,
                 verbose=0, elastic=elastic)
    for suffix in (".keras", "_history.json", "_curves.png", "_confusion.png", "_report.json"):
        assert (tmp_path / f"{name}{suffix}").stat().st_size > 0
    report = json.loads((tmp_path / f"{name}_report.json").read_text())
    assert report["recipe"]["augment"] is augment and report["recipe"]["epochs"] == 1
    assert report["recipe"]["elastic"] == (
        {"alpha": elastic, "sigma": ELASTIC_SIGMA} if elastic else None)
    assert 0 <= report["test_accuracy"] <= 1
    history = json.loads((tmp_path / f"{name}_history.json").read_text())
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= history.keys()
    reloaded = keras.models.load_model(result.model_path)
    x = data.x_test[:5].astype(np.float32) / 255
    x = x.reshape(5, -1) if name == "mlp" else x[..., None]
    test = data.x_test.astype(np.float32).reshape(len(data.x_test), *reloaded.inputs[0].shape[1:])
    accuracy = (reloaded.predict(test / 255, verbose=0).argmax(1) == data.y_test).mean()
    assert accuracy == pytest.approx(result.test_accuracy)
    assert reloaded.predict(x, verbose=0).shape == (5, 10)


def test_stroke_recipe_adds_redrawn_digits(tmp_path, tiny_npz):
    data = load_mnist(tiny_npz, full=False).subset(60, 20)
    run("cnn", data, epochs=1, batch_size=64, strokes=1, fast_strokes=0.5, slashed_zeros=0.25,
        steep_slashes=0.5, hooked_nines=0.3, validation=0, out_dir=tmp_path, verbose=0,
        schedule="cosine")
    report = json.loads((tmp_path / "cnn_report.json").read_text())
    assert report["recipe"]["strokes"] == 1 and report["recipe"]["validation_fraction"] == 0
    assert report["recipe"]["learning_rate_schedule"] == "cosine"
    assert report["recipe"]["fast_strokes"] == 0.5 and report["recipe"]["slashed_zeros"] == 0.25
    assert report["recipe"]["steep_slashes"] == 0.5 and report["recipe"]["hooked_nines"] == 0.3
    assert report["recipe"]["stroke_drawing"]["fast_step"] == list(drawn.FAST_STEP)
    assert report["recipe"]["stroke_drawing"]["hook_degrees"] == list(restyle.HOOK_TURN)
    assert report["data"]["train"] == 2 * 60 and report["data"]["validation"] == 0
    history = json.loads((tmp_path / "cnn_history.json").read_text())
    assert "val_loss" not in history and len(history["loss"]) == 1


def test_fresh_strokes_are_drawn_anew_for_every_epoch(tmp_path, tiny_npz, monkeypatch):
    from train import pipeline

    seen = []

    def spy(images, labels, **kwargs):
        out = drawn.redrawn(images, labels, **kwargs)
        seen.append((kwargs["epoch"], out))
        return out

    monkeypatch.setattr(pipeline, "redrawn", spy)
    data = load_mnist(tiny_npz, full=False).subset(40, 20)
    common = dict(epochs=2, batch_size=32, strokes=1, mnist_copies=2, validation=0, verbose=0)
    run("cnn", data, out_dir=tmp_path / "once", **common)
    assert [epoch for epoch, _ in seen] == [0]
    run("cnn", data, fresh_strokes=True, out_dir=tmp_path / "fresh", **common)
    assert [epoch for epoch, _ in seen] == [0, 0, 1]
    # Epoch 0 draws what a run that draws once draws; the next epoch, other drawings.
    assert np.array_equal(seen[0][1], seen[1][1])
    assert not np.array_equal(seen[1][1], seen[2][1])
    report = json.loads((tmp_path / "fresh" / "cnn_report.json").read_text())
    assert report["recipe"]["fresh_strokes"] is True
    assert report["data"]["train"] == 3 * 40  # per epoch: 2 MNIST copies + 1 stroke copy
    history = json.loads((tmp_path / "fresh" / "cnn_history.json").read_text())
    assert len(history["loss"]) == 2
    once = json.loads((tmp_path / "once" / "cnn_report.json").read_text())
    assert once["recipe"]["fresh_strokes"] is False and once["data"]["train"] == 3 * 40


def test_moving_average_of_the_weights_replaces_the_last_ones(tmp_path, tiny_npz):
    optimizer = make_optimizer("cnn", "cosine", steps=100, ema=0.99)
    assert optimizer.use_ema and optimizer.ema_momentum == pytest.approx(0.99)
    assert not make_optimizer("cnn").use_ema
    with pytest.raises(ValueError):
        make_optimizer("cnn", ema=1.0)
    # The same run, the same steps: only the weights kept at the end differ.
    data = load_mnist(tiny_npz, full=False).subset(200, 50)
    common = dict(epochs=2, batch_size=32, seed=3, validation=0, verbose=0)
    last = run("mlp", data, out_dir=tmp_path / "last", **common)
    averaged = run("mlp", data, ema=0.9, out_dir=tmp_path / "averaged", **common)
    history = [json.loads((tmp_path / d / "mlp_history.json").read_text())["loss"]
               for d in ("last", "averaged")]
    assert history[0] == history[1]
    w_last = keras.models.load_model(last.model_path).get_weights()
    w_avg = keras.models.load_model(averaged.model_path).get_weights()
    assert not any(np.array_equal(a, b) for a, b in zip(w_last, w_avg))
    assert averaged.report["recipe"]["weights_moving_average"] == 0.9
    assert last.report["recipe"]["weights_moving_average"] == 0.0


@pytest.mark.parametrize("flag", ["--hard_from", "--teacher"])
def test_cli_refuses_a_miner_or_teacher_that_is_not_a_model(flag, tmp_path, tiny_npz, capsys):
    (tmp_path / "bad.keras").write_bytes(b"not a model")
    keras.Sequential([keras.Input((784,)), keras.layers.Dense(3)]).save(tmp_path / "three.keras")
    for path, message in ((tmp_path / "none.keras", "no such model file"),
                          (tmp_path / "bad.keras", "not a Keras model"),
                          (tmp_path / "three.keras", "not a digit classifier")):
        assert cli.main(["cnn", "--data", str(tiny_npz), flag, str(path),
                         "--out", str(tmp_path)]) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and message in err and path.name in err


def test_same_seed_same_model(tmp_path, tiny_npz):
    data = load_mnist(tiny_npz, full=False)
    a = run("mlp", data, epochs=1, batch_size=64, seed=7, out_dir=tmp_path / "a", verbose=0)
    b = run("mlp", data, epochs=1, batch_size=64, seed=7, out_dir=tmp_path / "b", verbose=0)
    wa = keras.models.load_model(a.model_path).get_weights()
    wb = keras.models.load_model(b.model_path).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(wa, wb))


def test_cli_trains_on_a_full_size_split(tmp_path, test_split, capsys):
    x, y = test_split
    # A full-size split (60000/10000) tiled from the shipped test digits: the CLI insists on it.
    np.savez(tmp_path / "mnist.npz", x_train=np.tile(x, (6, 1, 1)), y_train=np.tile(y, 6),
             x_test=x, y_test=y)
    status = cli.main(["mlp", "--data", str(tmp_path / "mnist.npz"), "-e", "1", "-b", "1024",
                       "-o", str(tmp_path / "out")])
    assert status == 0
    assert "mlp: test accuracy" in capsys.readouterr().out
    report = json.loads((tmp_path / "out" / "mlp_report.json").read_text())
    assert report["command"].startswith("digits-train mlp --data")
    assert report["test_accuracy"] > 0.9  # trained on (copies of) the very digits it is tested on


@pytest.mark.parametrize("argv, message", [
    (["cnn", "--data", "does/not/exist.npz"], "no such file or folder"),
    (["mlp", "--epochs", "0"], "must be at least 1"),
    (["rnn"], "invalid choice"),
    (["cnn", "--lr_schedule", "step"], "invalid choice"),
    (["cnn", "--strokes", "1", "--fast_strokes", "1.5"], "must be from 0 to 1"),
    (["cnn", "--fast_strokes", "0.4"], "needs --strokes"),
    (["cnn", "--strokes", "1", "--slashed_zeros", "-0.1"], "must be from 0 to 1"),
    (["mlp", "--slashed_zeros", "0.25"], "needs --strokes"),
    (["cnn", "--strokes", "1", "--hooked_nines", "2"], "must be from 0 to 1"),
    (["mlp", "--hooked_nines", "0.3"], "needs --strokes"),
    (["cnn", "--strokes", "1", "--steep_slashes", "0.3"], "needs --slashed_zeros"),
    (["cnn", "--fresh_strokes"], "needs --strokes"),
    (["cnn", "--ema", "1"], "must be at least 0 and below 1"),
    (["cnn", "-a", "--elastic", "-1"], "must be 0 or more"),
    (["cnn", "--elastic", "34"], "needs -a"),
    (["cnn", "--hard_copies", "3"], "needs --hard_from"),
    (["cnn", "--hard_copies", "0", "--hard_from", "m.keras"], "must be at least 1"),
    (["cnn", "--strokes", "1", "--fresh_strokes", "--hard_from", "m.keras"],
     "does not go with --fresh_strokes"),
])
def test_cli_bad_input_is_one_line_and_nonzero(argv, message, capsys):
    from train.distill import TEACHER_SHARE, TEMPERATURE
    from train.models import SCHEDULES

    assert cli.SCHEDULES == SCHEDULES  # the CLI's copies (it must not import TensorFlow)
    assert (cli.TEACHER_SHARE, cli.TEMPERATURE) == (TEACHER_SHARE, TEMPERATURE)
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    err = capsys.readouterr().err
    assert status != 0 and message in err and "Traceback" not in err


def test_cli_help_names_every_option(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # as one line, whatever argparse wraps
    assert exited.value.code == 0
    for flag in ("--strokes", "--hard_from", "--teacher", "--elastic", "--lr_schedule"):
        assert flag in out
    assert "temperature 2" in out and "50 % of its target" in out


def test_cli_without_tensorflow_says_what_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tensorflow" else real(name, *a))
    assert cli.main(["all"]) == 2
    err = capsys.readouterr().err
    assert "needs TensorFlow" in err and "[train]" in err and len(err.strip().splitlines()) == 1


def test_extra_folders_join_training_only_and_are_recorded(tmp_path, tiny_npz):
    from edge_app import examples, writers
    from train.extra import load_extra

    writer = writers.writer("backhand")
    folder = tmp_path / "drawings"
    for strokes, label in writers.drawings(writer, 1, seed=11):  # digits 0-9 once
        rec = examples.record(label, confirmed=True, answer=None, model="cnn_int8",
                              canvas_size=writer.canvas, strokes=strokes)
        examples.save(folder, b"canvas", b"28x28", rec)
    data = load_mnist(tiny_npz, full=False).subset(60, 20)
    plain = run("mlp", data, epochs=1, validation=0, out_dir=tmp_path / "a", verbose=0)
    extra = load_extra(folder)
    folded = run("mlp", data, epochs=1, validation=0, out_dir=tmp_path / "b", verbose=0,
                 extras=[extra], oversample=3)
    assert folded.report["data"]["train"] == plain.report["data"]["train"] + 3 * 10
    assert folded.report["data"]["test"] == plain.report["data"]["test"]
    # With stroke copies drawn anew each epoch, the person's drawings are kept all the same.
    fresh = run("mlp", data, epochs=1, validation=0, out_dir=tmp_path / "c", verbose=0,
                extras=[extra], oversample=3, strokes=1, fresh_strokes=True)
    assert fresh.report["data"]["train"] == 2 * plain.report["data"]["train"] + 3 * 10
    assert fresh.report["recipe"]["extra"] == folded.report["recipe"]["extra"]
    [entry] = folded.report["recipe"]["extra"]
    assert entry["examples"] == 10 and entry["oversample"] == 3 and entry["sha256"] == extra.sha256


def test_cli_refuses_an_unusable_extra_folder_in_one_line(tmp_path, tiny_npz, capsys):
    from train import cli

    assert cli.main(["mlp", "--data", str(tiny_npz), "--extra", str(tmp_path / "none"),
                     "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "none" in err
