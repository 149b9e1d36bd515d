"""Shipped models against their manifest and the bars; conversion of a small model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from edge_app import ClassifierOptions, DigitClassifier
from edge_app.manifest import load_manifest, sha256_file
from tests.helpers import MODELS, TEST_SPLIT

MANIFEST = load_manifest(MODELS)
ENTRIES = MANIFEST.models
BARS = {"mlp": 0.982, "cnn": 0.991}  # int8 test accuracy the issue asks for


@pytest.mark.parametrize("name", list(ENTRIES))
def test_shipped_file_matches_manifest(name):
    entry = ENTRIES[name]
    path = MODELS / entry["file"]
    assert path.stat().st_size == entry["bytes"]
    assert sha256_file(path) == entry["sha256"]
    assert entry["input"]["shape"][-1] in (784, 1)
    assert int(np.prod(entry["input"]["shape"][1:])) == 784
    assert int(np.prod(entry["output"]["shape"][1:])) == 10
    source = MODELS / entry["source"]["file"]
    assert sha256_file(source) == entry["source"]["sha256"], "models/*.keras changed: reconvert"


def test_int8_files_are_integer_in_and_out_with_the_unit_range():
    for net in ("mlp", "cnn"):
        spec = ENTRIES[f"{net}_int8"]["input"]
        assert spec["dtype"] in ("int8", "uint8")
        lowest = -128 if spec["dtype"] == "int8" else 0
        assert spec["scale"] * (lowest - spec["zero_point"]) == pytest.approx(0, abs=1e-6)
        assert spec["scale"] * (lowest + 255 - spec["zero_point"]) == pytest.approx(1, abs=1e-6)
        assert ENTRIES[f"{net}_int8"]["output"]["dtype"] == spec["dtype"]


@pytest.mark.parametrize("net", ["mlp", "cnn"])
def test_bars_hold_on_the_shipped_files(net, test_split):
    x, y = test_split
    int8 = DigitClassifier(ClassifierOptions(model=f"{net}_int8")).predict_batch(x / 255.0)
    f32 = DigitClassifier(ClassifierOptions(model=f"{net}_float32")).predict_batch(x / 255.0)
    int8_acc = (int8.argmax(1) == y).mean()
    f32_acc = (f32.argmax(1) == y).mean()
    assert int8_acc >= BARS[net]
    assert f32_acc - int8_acc <= 0.003
    assert (int8.argmax(1) == f32.argmax(1)).mean() >= 0.995
    assert ENTRIES[f"{net}_int8"]["bytes"] <= 0.30 * ENTRIES[f"{net}_float32"]["bytes"]


def test_manifest_records_how_everything_was_made():
    assert MANIFEST.data["command"].startswith("digits-convert")
    assert sha256_file(TEST_SPLIT) == MANIFEST.data["test_split"]["sha256"]
    for entry in ENTRIES.values():
        assert entry["source"]["command"].startswith("digits-train")
        assert entry["source"]["recipe"]["epochs"] in (10, 25)
        strokes = entry["strokes"]
        assert 0.9 < strokes["stroke"]["accuracy"] <= 1 and 0.9 < strokes["image"]["accuracy"] <= 1
        assert len(strokes["stroke"]["bands"]) == 7
    assert ENTRIES["cnn_int8"]["calibration"]["split"] == "train"


def test_shipped_test_split_is_the_official_one(test_split):
    x, y = test_split
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- conversion itself (needs TensorFlow) -----------------------------------------------------

@pytest.fixture(scope="module")
def small_trained(test_split):
    """A briefly trained CNN of the shipped design (peaked outputs make the comparison fair)."""
    pytest.importorskip("tensorflow")
    import keras

    from train.models import build_model

    keras.utils.set_random_seed(0)
    x, y = test_split
    model = build_model("cnn")
    model.fit(x[:2000, ..., None] / 255.0, keras.utils.to_categorical(y[:2000], 10),
              epochs=2, batch_size=128, verbose=0)
    return model


@pytest.mark.parametrize("quantization, tolerance", [
    ("float32", 1e-5), ("float16", 5e-3), ("dynamic", 0.05), ("int8", 0.05)])
def test_tflite_matches_keras(tmp_path, small_trained, test_split, quantization, tolerance):
    from convert.tflite import calibration_images, convert

    x = test_split[0][5000:5200] / 255.0
    path = tmp_path / f"m_{quantization}.tflite"
    path.write_bytes(convert(small_trained, quantization,
                             calibration_images(test_split[0][:1000], 200)))
    tflite = DigitClassifier(ClassifierOptions(model=path)).predict_batch(x)
    keras_out = small_trained.predict(x[..., None], verbose=0)
    assert np.abs(tflite - keras_out).max() <= tolerance
    assert (tflite.argmax(1) == keras_out.argmax(1)).mean() >= 0.98


def test_int8_needs_calibration(small_trained):
    from convert.tflite import ConvertError, convert

    with pytest.raises(ConvertError, match="calibration"):
        convert(small_trained, "int8", None)


def test_convert_cli_end_to_end(tmp_path, small_trained, test_split, capsys, monkeypatch):
    from convert import cli
    from edge_app import strokeset

    seeds = []  # each draw's seed: --stroke_seed must reach all three (strokes, fast, slow)
    build = strokeset.build
    monkeypatch.setattr(strokeset, "build",
                        lambda *a, **k: seeds.append(k["seed"]) or build(*a, **k))

    x, y = test_split
    np.savez(tmp_path / "mnist.npz", x_train=np.tile(x, (6, 1, 1)), y_train=np.tile(y, 6),
             x_test=x, y_test=y)
    small_trained.save(tmp_path / "cnn.keras")
    out = tmp_path / "out"
    status = cli.main(["--data", str(tmp_path / "mnist.npz"), "--keras_dir", str(tmp_path),
                       "--out", str(out), "--networks", "cnn", "--stroke_digits", "40",
                       "--stroke_styles", "30", "--stroke_marks", "14", "--fast_digits", "20",
                       "--slow_digits", "10", "--calibration_samples", "100",
                       "--stroke_seed", "3"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "| cnn_int8 |" in printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["models"]) == ["cnn_float32", "cnn_float16", "cnn_dynamic", "cnn_int8"]
    for name, entry in manifest["models"].items():
        assert sha256_file(out / entry["file"]) == entry["sha256"]
        # The manifest's figure is what the file measures through the interpreter.
        measured = (DigitClassifier(ClassifierOptions(model=name, models_dir=out))
                    .predict_batch(x / 255.0).argmax(1) == y).mean()
        assert measured == pytest.approx(entry["mnist_accuracy"], abs=1e-6)
        strokes = entry["strokes"]
        assert strokes["digits"] == 70 and strokes["marks"] == 14
        assert 0 <= strokes["stroke"]["accuracy"] <= 1 and strokes["stroke"]["marks_refused"] > 0.5
        assert set(strokes["stroke"]["styles"]) >= {"mnist", "flagged 1", "crossed 7"}
        # A fast finger's drawings: the 20 digits and the 30 styles again, scored apart.
        assert strokes["fast"]["digits"] == 50 and 0 <= strokes["fast"]["accuracy"] <= 1
        assert set(strokes["fast"]["styles"]) >= {"mnist", "flagged 1"}
        # ... and a slow finger's: 10 digits and the 30 styles.
        assert strokes["slow"]["digits"] == 40 and 0 <= strokes["slow"]["accuracy"] <= 1
    assert manifest["stroke_evaluation"]["digits"] == 70
    assert manifest["stroke_evaluation"]["seed"] == 3 and seeds == [3, 3, 3]
    assert manifest["stroke_evaluation"]["fast"]["digits"] == 50
    assert manifest["stroke_evaluation"]["slow"]["digits"] == 40
    assert "slow finger" in printed
    assert (out / "accuracy_vs_size.png").stat().st_size > 0
    with np.load(out / "mnist_test.npz") as shipped:
        assert np.array_equal(shipped["y_test"], y)


def test_convert_cli_refuses_a_negative_stroke_seed(capsys):
    from convert import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(["--stroke_seed", "-1"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "must be 0 or more" in err
    assert cli.parse_args([]).stroke_seed == cli.STROKE_SEED


@pytest.mark.parametrize("make_bad, message", [
    (lambda d: None, "no such file"),
    (lambda d: (d / "cnn.keras").write_text("not a zip"), "not a Keras model"),
])
def test_convert_cli_bad_models(tmp_path, test_split, capsys, make_bad, message):
    from convert import cli

    x, y = test_split
    np.savez(tmp_path / "mnist.npz", x_train=np.tile(x, (6, 1, 1)), y_train=np.tile(y, 6),
             x_test=x, y_test=y)
    make_bad(tmp_path)
    status = cli.main(["--data", str(tmp_path / "mnist.npz"), "--keras_dir", str(tmp_path),
                       "--networks", "cnn", "--stroke_digits", "0"])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
