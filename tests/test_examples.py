"""Labelled examples: written whole or not at all, never overwritten, read back robustly."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from edge_app import examples, files
from edge_app.strokes import render

CANVAS = (456, 456)
# A "7": the bar, then the stem, in canvas pixels.
SEVEN = [np.array([[120, 100], [330, 100]], np.float32),
         np.array([[330, 100], [260, 220], [200, 360]], np.float32)]


def png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.rint(image * 255).astype(np.uint8)).save(buffer, "png")
    return buffer.getvalue()


def make(label: int = 7, confirmed: bool = True, answer: int | None = 1) -> dict:
    return examples.record(label, confirmed=confirmed, answer=answer, model="cnn_int8",
                           canvas_size=CANVAS, strokes=SEVEN)


def save_one(folder, rec=None):
    x = render(SEVEN, CANVAS)
    return examples.save(folder, b"\x89PNG canvas", png(x), rec or make())


def test_saved_example_reads_back_with_everything(tmp_path):
    paths = save_one(tmp_path)
    suffixes = (".png", "_28x28.png", ".json")
    assert all(p.name.endswith(s) for p, s in zip(paths, suffixes))
    assert "_digit7_cnn_int8" in paths[2].name
    (example,) = examples.load(tmp_path)
    assert (example.label, example.confirmed, example.answer, example.model) == (7, True, 1,
                                                                                 "cnn_int8")
    assert example.canvas_size == CANVAS and example.time.endswith("Z")
    assert [s.tolist() for s in example.strokes] == [s.tolist() for s in SEVEN]
    assert np.allclose(example.model_input(), render(SEVEN, CANVAS))


def test_a_clash_gets_a_new_name_and_nothing_is_overwritten(tmp_path, monkeypatch):
    monkeypatch.setattr(examples, "datetime", FrozenClock)
    first = save_one(tmp_path)
    second = save_one(tmp_path, make(label=1))
    assert second[2].name == first[2].name.replace("_digit7_", "_digit1_")  # differ by label
    third = save_one(tmp_path)
    assert third[2].stem == first[2].stem + "-1"
    assert json.loads(first[2].read_text())["label"] == 7
    assert len(examples.load(tmp_path)) == 3


class FrozenClock:
    """`datetime` whose now() never moves, so that names clash."""

    @staticmethod
    def now(tz=None):
        from datetime import datetime

        return datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=tz)


def test_a_failed_write_leaves_no_part_of_the_example(tmp_path, monkeypatch):
    real = files.write_bytes

    def fail_on_json(path, data, overwrite=True):
        if str(path).endswith(".json"):
            raise OSError(28, "No space left on device")
        real(path, data, overwrite=overwrite)

    save_one(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.setattr(files, "write_bytes", fail_on_json)
    with pytest.raises(OSError):
        save_one(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_invalid_record_is_refused_before_anything_is_written(tmp_path):
    rec = make()
    rec["label"] = 12
    with pytest.raises(ValueError, match="label"):
        save_one(tmp_path, rec)
    assert not any(tmp_path.iterdir())


def test_broken_files_are_skipped_with_one_line_each(tmp_path):
    save_one(tmp_path)
    (tmp_path / "a_not_json.json").write_text("{not json")
    bad = make()
    bad["strokes"] = [[[1, "x"]]]
    (tmp_path / "b_bad_strokes.json").write_text(json.dumps(bad))
    (tmp_path / "c_list.json").write_text("[1, 2]")
    (tmp_path / ".d_half_written.json").write_text('{"label": 7')  # atomic write's temporary
    (tmp_path / "e_number12_cnn_int8.json").write_text('{"number": 12, "digits": []}')
    problems: list[str] = []
    found = examples.load(tmp_path, problems)
    assert [e.label for e in found] == [7]
    assert len(problems) == 3 and all("\n" not in p for p in problems)
    assert "a_not_json.json: unreadable" in problems[0]
    assert "strokes" in problems[1] and "not a JSON object" in problems[2]


def test_without_strokes_the_28x28_png_is_the_input(tmp_path):
    x = np.zeros((28, 28), np.float32)
    x[5:20, 13:15] = 1.0
    rec = make()
    rec["strokes"] = []
    examples.save(tmp_path, b"canvas", png(x), rec)
    (example,) = examples.load(tmp_path)
    assert np.allclose(example.model_input(), x, atol=1 / 255)


def test_inputs_skips_an_example_with_no_usable_input(tmp_path):
    save_one(tmp_path)
    rec = make(label=3)
    rec["strokes"] = []
    paths = examples.save(tmp_path, b"canvas", b"not a png", rec)
    problems: list[str] = []
    x, y, used = examples.inputs(examples.load(tmp_path), problems)
    assert x.shape == (1, 28, 28) and y.tolist() == [7] and used[0].label == 7
    assert len(problems) == 1 and paths[2].stem in problems[0]
