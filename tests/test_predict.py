"""`digits-predict`: JSON lines for good images, one stderr line per bad one, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from edge_app import predict
from tests.helpers import MODELS, drawn_digit


@pytest.fixture()
def images(tmp_path, test_split):
    """PNG files of drawn digits 0-9 (dark on light) plus a photo-like JPEG of a 7."""
    paths = {}
    for label in range(10):
        paths[label] = tmp_path / f"digit{label}.png"
        Image.fromarray(drawn_digit(label, test_split)).save(paths[label])
    photo = drawn_digit(7, test_split, side=600).astype(np.float32)
    photo = np.clip(photo * 0.6 + 90 + np.random.default_rng(0).normal(0, 4, photo.shape), 0, 255)
    paths["photo"] = tmp_path / "photo7.jpg"
    Image.fromarray(photo.astype(np.uint8)).convert("RGB").save(paths["photo"], quality=85)
    return paths


def run(argv, capsys):
    status = predict.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_classifies_every_digit(images, capsys):
    status, records, err = run([images[d] for d in range(10)], capsys)
    assert status == 0 and err == ""
    assert [r["digit"] for r in records] == list(range(10))
    for r in records:
        assert len(r["probabilities"]) == 10
        assert sum(r["probabilities"]) == pytest.approx(1, abs=1e-4)
        assert r["confidence"] == max(r["probabilities"])
        assert r["model"] == "cnn_int8" and r["file"].endswith(".png")


def test_photo_of_grey_paper(images, capsys):
    status, records, _ = run([images["photo"]], capsys)
    assert status == 0 and records[0]["digit"] == 7


@pytest.mark.parametrize("model", ["mlp_int8", "cnn_float16", str(MODELS / "mlp_float32.tflite")])
def test_other_models_by_name_or_path(model, images, capsys):
    status, records, _ = run(["--model", model, "--top", "2", images[3]], capsys)
    assert status == 0 and records[0]["digit"] == 3
    assert records[0]["model"] == Path(model).stem and len(records[0]["top"]) == 2


def test_bad_files_get_one_line_each_and_the_rest_still_run(tmp_path, images, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    Image.new("L", (200, 200), 255).save(tmp_path / "blank.png")
    argv = [images[1], tmp_path / "missing.png", tmp_path / "notes.txt", tmp_path / "blank.png",
            images[2]]
    status, records, err = run(argv, capsys)
    assert status == 1
    assert [r["digit"] for r in records] == [1, 2]
    lines = err.strip().splitlines()
    assert len(lines) == 3 and "Traceback" not in err
    assert "missing.png: no such file" in lines[0]
    assert "notes.txt: not an image" in lines[1]
    assert "blank.png: nothing drawn" in lines[2]


def test_missing_or_corrupt_model_exits_2(tmp_path, images, capsys):
    status, records, err = run(["--model", tmp_path / "none.tflite", images[0]], capsys)
    assert status == 2 and records == [] and len(err.strip().splitlines()) == 1
    shutil.copy(MODELS / "manifest.json", tmp_path)
    (tmp_path / "cnn_int8.tflite").write_bytes(b"garbage")
    status, _, err = run(["--models_dir", tmp_path, images[0]], capsys)
    assert status == 2 and "cnn_int8.tflite" in err and len(err.strip().splitlines()) == 1


def test_console_script_end_to_end(images):
    script = Path(sys.executable).parent / "digits-predict"
    if not script.exists():
        pytest.skip("console scripts not installed (pip install -e .)")
    result = subprocess.run([str(script), str(images[7]), "--threads", "2"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["digit"] == 7
    bad = subprocess.run([str(script), "--threads", "zero", str(images[7])],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "not an integer" in bad.stderr
