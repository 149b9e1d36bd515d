"""Extra training folders: the person's confirmed drawings as MNIST-layout images, a content
hash that follows the files, and oversampling that adds exactly the copies asked for."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from edge_app import examples, writers
from edge_app.strokes import render
from train import extra

WRITER = writers.writer("backhand")


@pytest.fixture(scope="module")
def drawn():
    return writers.drawings(WRITER, 1, seed=11)  # digits 0-9 once


def fill(folder, drawn, confirmed=True):
    for strokes, label in drawn:
        rec = examples.record(label, confirmed=confirmed, answer=None, model="cnn_int8",
                              canvas_size=WRITER.canvas, strokes=strokes)
        examples.save(folder, b"canvas", b"28x28", rec)


def test_confirmed_drawings_become_mnist_layout_images(tmp_path, drawn):
    fill(tmp_path, drawn)
    fill(tmp_path, drawn[:3], confirmed=False)
    got = extra.load_extra(tmp_path)
    assert got.count == 10 and got.images.dtype == np.uint8 and got.images.shape == (10, 28, 28)
    by_label = {int(label): image for label, image in zip(got.labels, got.images)}
    for strokes, label in drawn:
        expected = np.rint(render(strokes, WRITER.canvas) * 255).astype(np.uint8)
        assert np.array_equal(by_label[label], expected)
    assert extra.load_extra(tmp_path, unconfirmed=True).count == 13
    entry = got.manifest_entry(oversample=5)
    assert entry == {"folder": str(tmp_path), "examples": 10, "sha256": got.sha256,
                     "oversample": 5}


def test_the_hash_follows_the_contents_not_the_place(tmp_path, drawn):
    first = tmp_path / "a"
    fill(first, drawn[:4])
    copy = tmp_path / "b"
    shutil.copytree(first, copy)
    assert extra.load_extra(first).sha256 == extra.load_extra(copy).sha256
    record = sorted(copy.glob("*.json"))[0]
    record.write_text(record.read_text().replace('"label":', '"label": ', 1))
    assert extra.load_extra(copy).sha256 != extra.load_extra(first).sha256


def test_oversampling_adds_each_drawing_that_many_times(tmp_path, drawn, test_split):
    fill(tmp_path, drawn)
    got = extra.load_extra(tmp_path)
    x, y = test_split[0][:50], test_split[1][:50]
    x_all, y_all = extra.fold_in(x, y, [got], oversample=3, seed=0)
    assert len(x_all) == 50 + 30 and y_all.dtype == y.dtype
    for image, label in zip(got.images, got.labels):
        copies = np.all(x_all == image, axis=(1, 2))
        assert copies.sum() == 3 and (y_all[copies] == label).all()
    assert sorted(y_all.tolist()) == sorted(y.tolist() + got.labels.tolist() * 3)
    again = extra.fold_in(x, y, [got], oversample=3, seed=0)
    assert np.array_equal(again[0], x_all)
    with pytest.raises(ValueError):
        extra.fold_in(x, y, [got], oversample=0)


def test_unusable_folders_are_one_line_errors(tmp_path, drawn):
    with pytest.raises(extra.ExtraError, match="no such folder"):
        extra.load_extra(tmp_path / "missing")
    fill(tmp_path, drawn[:2], confirmed=False)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(extra.ExtraError, match=r"no labelled drawings \(2 unconfirmed"):
        extra.load_extra(tmp_path)
    got = extra.load_extra(tmp_path, unconfirmed=True)
    assert got.count == 2 and len(got.skipped) == 1 and "broken.json" in got.skipped[0]
