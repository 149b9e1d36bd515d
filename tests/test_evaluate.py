"""`digits-eval`: accuracy per folder of labelled drawings, one-line errors, exit codes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from edge_app import evaluate, examples, writers
from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.strokes import render

WRITER = writers.writer("continental")


@pytest.fixture(scope="module")
def drawn():
    """The continental writer's digits 0-9, twice: (strokes, label)."""
    return writers.drawings(WRITER, 2, seed=7)


def fill(folder, drawn, confirmed=True, label_of=lambda label: label):
    for strokes, label in drawn:
        rec = examples.record(label_of(label), confirmed=confirmed, answer=None,
                              model="cnn_int8", canvas_size=WRITER.canvas, strokes=strokes)
        examples.save(folder, b"canvas", b"28x28", rec)


def run(argv, capsys):
    status = evaluate.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def expected_right(drawn, model="cnn_int8"):
    classifier = DigitClassifier(ClassifierOptions(model=model))
    x = np.stack([render(s, WRITER.canvas) for s, _ in drawn])
    answers = classifier.predict_batch(x).argmax(axis=1)
    return answers, int((answers == np.array([label for _, label in drawn])).sum())


@pytest.mark.parametrize("model", ["cnn_int8", "mlp_int8"])
def test_accuracy_per_folder_matches_the_model(tmp_path, drawn, capsys, model):
    fill(tmp_path, drawn)
    status, out, err = run(["--labelled", tmp_path, "-m", model], capsys)
    answers, right = expected_right(drawn, model)
    assert status == 0 and err == ""
    assert f"{right}/20 correct ({100 * right / 20:.1f}%) with {model}" in out
    ones = int((answers[[i for i, (_, y) in enumerate(drawn) if y == 1]] == 1).sum())
    assert f"1: {ones}/2" in out


def test_plain_saves_count_only_when_asked(tmp_path, drawn, capsys):
    fill(tmp_path, drawn[:10])
    fill(tmp_path, drawn[10:], confirmed=False)
    _, out, _ = run(["--labelled", tmp_path], capsys)
    assert "/10 correct" in out
    _, out, _ = run(["--labelled", tmp_path, "--unconfirmed"], capsys)
    assert "/20 correct" in out


def test_mistakes_are_listed_by_name(tmp_path, drawn, capsys):
    fill(tmp_path, drawn, label_of=lambda label: (label + 1) % 10)  # every label wrong
    status, out, _ = run(["--labelled", tmp_path, "--mistakes"], capsys)
    listed = re.findall(r"^  (\S+): is (\d), read as (\d)$", out, re.MULTILINE)
    answers, _ = expected_right(drawn)
    wrong = sum(int(a) != (label + 1) % 10 for a, (_, label) in zip(answers, drawn))
    assert status == 0 and len(listed) == wrong > 15
    assert all("_digit" + is_ in name for name, is_, _ in listed)


def test_a_bad_folder_is_one_line_and_the_others_still_count(tmp_path, drawn, capsys):
    good, broken = tmp_path / "good", tmp_path / "broken"
    fill(good, drawn[:10])
    broken.mkdir()
    (broken / "x.json").write_text("{")
    status, out, err = run(["--labelled", tmp_path / "missing", broken, good], capsys)
    assert status == 1 and "/10 correct" in out
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("digits-eval: ") for line in lines)
    assert "missing: no such folder" in lines[0] and "x.json: unreadable" in lines[1]
    assert "no labelled drawings" in lines[2]


def test_an_unknown_model_exits_2(tmp_path, capsys):
    status, out, err = run(["--labelled", tmp_path, "-m", "no_such_model"], capsys)
    assert status == 2 and out == "" and len(err.splitlines()) == 1


def test_an_unsure_drawing_gets_the_apps_second_look_at_its_saved_canvas(tmp_path, capsys):
    import io

    from PIL import Image

    from edge_app import strokeset
    from tests.helpers import flagged_one

    strokes, pixels = flagged_one()  # its strokes read "7?", its picture "1"
    png = io.BytesIO()
    Image.fromarray(pixels).save(png, format="PNG")
    rec = examples.record(1, confirmed=True, answer=None, model="cnn_int8",
                          canvas_size=strokeset.CANVASES[0], strokes=strokes)
    examples.save(tmp_path / "saved", png.getvalue(), b"28x28", rec)
    _, out, _ = run(["--labelled", tmp_path / "saved", "--mistakes"], capsys)
    assert "1/1 correct" in out
    # Without a readable canvas, the strokes' answer stands.
    examples.save(tmp_path / "lost", b"not a png", b"28x28", rec)
    _, out, _ = run(["--labelled", tmp_path / "lost", "--mistakes"], capsys)
    assert "0/1 correct" in out and "is 1, read as 7" in out
