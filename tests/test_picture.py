"""Pictures as grey arrays: files, transparency, 16-bit and float pixels, arrays of any type."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edge_app import ImageError, preprocess, read_image
from tests.helpers import drawn_digit


def test_accepts_rgb_rgba_float_and_pil(test_split):
    gray = drawn_digit(6, test_split)
    expected = preprocess(gray)
    rgb = np.stack([gray] * 3, axis=-1)
    assert np.abs(preprocess(rgb) - expected).max() < 1e-6
    assert np.abs(preprocess(Image.fromarray(rgb)) - expected).max() < 1e-6
    assert np.abs(preprocess(gray / 255.0) - expected).max() < 0.01
    rgba = np.dstack([rgb, np.full(gray.shape, 255, np.uint8)])
    assert np.abs(preprocess(rgba) - expected).max() < 1e-6


def test_rejects_unusable_arrays():
    with pytest.raises(ImageError):
        preprocess(np.zeros((2, 3, 5, 7)))
    with pytest.raises(ImageError):
        preprocess(np.zeros((0, 0), np.uint8))


def test_read_image_flattens_transparency_both_ways(tmp_path, test_split):
    gray = drawn_digit(9, test_split)
    ink = 255 - gray
    black_on_clear = np.zeros((*gray.shape, 4), np.uint8)
    black_on_clear[..., 3] = ink  # black strokes, transparent elsewhere
    white_on_clear = black_on_clear.copy()
    white_on_clear[..., :3] = 255
    expected = preprocess(gray)
    for name, rgba in [("b.png", black_on_clear), ("w.png", white_on_clear)]:
        Image.fromarray(rgba, "RGBA").save(tmp_path / name)
        assert np.abs(preprocess(read_image(tmp_path / name)) - expected).mean() < 0.01


def test_deep_pictures_are_scaled_not_clipped(tmp_path, test_split):
    # A 16-bit scan on grey paper, and a float TIFF in [0, 1]: Pillow's own conversion to
    # 8 bits clips them at 255, which turned every grey white ("nothing drawn").
    gray = drawn_digit(3, test_split)
    expected = preprocess(gray)
    deep = (gray.astype(np.uint32) * 150 + 20000).astype(np.uint16)  # greys 20000-58250
    Image.fromarray(deep).save(tmp_path / "scan16.png")
    Image.fromarray(gray.astype(np.float32) / 255.0, "F").save(tmp_path / "float.tif")
    for name in ("scan16.png", "float.tif"):
        assert np.abs(preprocess(read_image(tmp_path / name)) - expected).mean() < 0.01, name
    assert np.abs(preprocess(deep) - expected).mean() < 0.01


def test_read_image_errors(tmp_path):
    with pytest.raises(ImageError, match="no such file"):
        read_image(tmp_path / "missing.png")
    with pytest.raises(ImageError, match="folder"):
        read_image(tmp_path)
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(ImageError, match="not an image"):
        read_image(tmp_path / "notes.txt")
    Image.new("L", (50, 50), 255).save(tmp_path / "ok.png")
    data = (tmp_path / "ok.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError):
        read_image(tmp_path / "cut.png")


def test_a_photo_too_large_to_decode_whole_is_read_reduced(tmp_path, test_split, monkeypatch):
    # A phone photo above the pixel limit is a JPEG that decodes at an eighth of its side; a
    # PNG of the same size has no reduced decoding and stays refused.
    monkeypatch.setattr("edge_app.picture.MAX_PIXELS", 100_000)
    digit = Image.fromarray(drawn_digit(7, test_split, side=800))
    digit.convert("RGB").save(tmp_path / "photo.jpg", quality=90)
    digit.save(tmp_path / "scan.png")
    grey = read_image(tmp_path / "photo.jpg")
    assert grey.shape == (100, 100)
    assert preprocess(grey).shape == (28, 28)
    with pytest.raises(ImageError, match=r"too large \(800×800 pixels\)"):
        read_image(tmp_path / "scan.png")
