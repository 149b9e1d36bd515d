"""`digits-predict`: JSON lines for good images, one stderr line per bad one, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import warnings
import zlib
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


def test_a_scribble_gets_its_line_and_exit_1(tmp_path, images, capsys):
    from tests.test_preprocess import scribble

    Image.fromarray(scribble()).save(tmp_path / "scribble.png")
    status, records, err = run([tmp_path / "scribble.png", images[8]], capsys)
    assert status == 1 and [r["digit"] for r in records] == [8]
    assert err == f"digits-predict: {tmp_path / 'scribble.png'}: Not a digit\n"


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
                            capture_output=True, text=True, timeout=60, check=False,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["digit"] == 7
    bad = subprocess.run([str(script), "--threads", "zero", str(images[7])],
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "not an integer" in bad.stderr


# --- number mode and the defects of issue 10 ------------------------------------------------

DIGIT_KEYS = {"file", "digit", "confidence", "probabilities", "top", "model", "runtime", "ms"}


def number_picture(labels, test_split, gap=40, side=90) -> np.ndarray:
    """Shipped test digits side by side, dark on light, `gap` pixels apart."""
    tiles = [drawn_digit(d, test_split, side=side) for d in labels]
    paper = np.full((side, gap), 255, np.uint8)
    row = [paper]
    for tile in tiles:
        row += [tile, paper]
    return np.pad(np.concatenate(row, axis=1), ((20, 20), (0, 0)), constant_values=255)


def test_number_mode_reads_every_digit_left_to_right(tmp_path, test_split, capsys):
    path = tmp_path / "year.png"
    Image.fromarray(number_picture([2, 0, 2, 6], test_split)).save(path)
    for flag in ("--number", "-N"):
        status, records, err = run([flag, path], capsys)
        assert status == 0 and err == ""
        (record,) = records
        assert record["number"] == "2026" and record["file"] == str(path)
        digits = record["digits"]
        assert [d["digit"] for d in digits] == [2, 0, 2, 6]
        lefts = [d["box"][0] for d in digits]
        assert lefts == sorted(lefts) and all(len(d["box"]) == 4 for d in digits)
        for d, start in zip(digits, (40, 170, 300, 430)):  # where each tile's ink is
            x0, y0, x1, y1 = d["box"]
            assert start <= x0 < x1 <= start + 90 and 20 <= y0 < y1 <= 110
            assert d["confidence"] == max(d["probabilities"])
            assert sum(d["probabilities"]) == pytest.approx(1, abs=1e-4)


def test_number_mode_on_one_digit_and_on_nothing(tmp_path, images, capsys):
    Image.new("L", (300, 120), 255).save(tmp_path / "blank.png")
    status, records, err = run(["-N", images[7], tmp_path / "blank.png"], capsys)
    assert status == 1 and [r["number"] for r in records] == ["7"]
    assert err.strip().splitlines() == [f"digits-predict: {tmp_path / 'blank.png'}: nothing drawn"]


def test_default_output_is_unchanged_by_number_mode(images, capsys):
    status, records, _ = run([images[4]], capsys)
    assert status == 0 and set(records[0]) == DIGIT_KEYS and records[0]["digit"] == 4


def test_huge_image_gets_our_line_and_no_pillow_warning(tmp_path, images, capsys):
    # A 12000×12000 PNG header (Pillow warns from 89 Mpx): read_image refuses from the header
    # alone, so the pixel data need not exist.
    path = tmp_path / "huge.png"
    path.write_bytes(png_header(12000, 12000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, records, err = run([path, images[1]], capsys)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert status == 1 and [r["digit"] for r in records] == [1]
    assert err == f"digits-predict: {path}: image is too large (12000×12000 pixels)\n"
    assert Image.MAX_IMAGE_PIXELS is not None  # Pillow's own limit is back for everyone else


def png_header(width: int, height: int) -> bytes:
    """The signature and header chunk of a 1-bit grayscale PNG, and no pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_number_boxes_are_in_the_files_pixels_for_a_photo(tmp_path, test_split, capsys):
    # A JPEG is decoded at a reduced size; the boxes still refer to the file's pixels.
    row = np.concatenate([drawn_digit(d, test_split, side=600) for d in (3, 1)], axis=1)
    noisy = np.clip(row * 0.6 + 90 + np.random.default_rng(0).normal(0, 4, row.shape), 0, 255)
    path = tmp_path / "31.jpg"
    Image.fromarray(noisy.astype(np.uint8)).convert("RGB").save(path, quality=85)
    status, records, _ = run(["-N", path], capsys)
    assert status == 0 and records[0]["number"] == "31"
    (a0, a_top, a1, a_bottom), (b0, _, b1, _) = (d["box"] for d in records[0]["digits"])
    assert 30 < a0 < a1 < 600 - 30 < 600 + 30 < b0 < b1 < 1200 - 30
    assert a1 - a0 > 200 and 30 < a_top < a_bottom < 570
