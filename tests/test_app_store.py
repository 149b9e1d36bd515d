"""Save and Correct: never overwritten, never half-written, loud on a full disk."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app.store import save_answer  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

# Builds a drawing and its answer without a model: what save_answer needs.
SETUP = """
import numpy as np
from edge_app.app.answer import Answer
from edge_app.app.canvas import Canvas
from edge_app.classifier import Prediction
from edge_app.segment.number import ReadDigit

def drawn(digits=(7,)):
    canvas = Canvas((300, 300))
    read = []
    for k, d in enumerate(digits):
        x0 = 20 + 90 * k
        canvas.begin((x0, 40))
        canvas.extend((x0 + 60, 40))
        canvas.end((x0 + 20, 250))
        p = np.full(10, 0.01, np.float32)
        p[d] = 0.91
        read.append(ReadDigit((x0, 40, x0 + 61, 251), Prediction(d, 0.91, p),
                              np.eye(28, dtype=np.float32)))
    return canvas, Answer(tuple(read), 1.0, canvas.version)
"""
namespace: dict = {}
exec(SETUP, namespace)
drawn = namespace["drawn"]


def test_a_write_that_hits_the_file_size_limit_fails_and_leaves_nothing(tmp_path):
    """pygame's own `image.save` reports success there and leaves a truncated PNG."""
    folder = tmp_path / "drawings"
    script = SETUP + textwrap.dedent(f"""
        import resource, signal
        from edge_app.app.store import save_answer
        canvas, answer = drawn()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
        try:
            save_answer({str(folder)!r}, canvas, answer, "cnn_int8")
        except OSError as exc:
            print("error", exc.errno)
        else:
            print("saved")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split() == ["error", str(errno.EFBIG)], result.stderr
    assert list(folder.iterdir()) == []


def test_an_io_error_on_a_later_file_keeps_none_of_the_group(tmp_path, monkeypatch):
    import edge_app.files

    real_fsync, calls = edge_app.files.os.fsync, []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(edge_app.files.os, "fsync", failing_fsync)
    canvas, answer = drawn()
    with pytest.raises(OSError):
        save_answer(tmp_path, canvas, answer, "cnn_int8")
    assert list(tmp_path.iterdir()) == []


def test_plain_save_is_an_unconfirmed_example_and_names_never_clash(tmp_path):
    canvas, answer = drawn()
    first = save_answer(tmp_path, canvas, answer, "cnn int8/x")
    second = save_answer(tmp_path, canvas, answer, "cnn int8/x")
    assert len(set(first + second)) == 6 and all(p.parent == tmp_path for p in first)
    assert all(" " not in p.name and "digit7" in p.name for p in first)
    record = json.loads(next(p for p in first if p.suffix == ".json").read_text())
    assert record["label"] == 7 and record["confirmed"] is False and record["answer"] == 7
    assert np.allclose(record["strokes"][0], canvas.strokes[0], atol=0.01)
    small = pygame.image.load(str(next(p for p in first if p.name.endswith("_28x28.png"))))
    assert small.get_size() == (28, 28) and small.get_at((3, 3))[:3] == (255, 255, 255)


def test_a_correction_is_confirmed_with_the_true_label(tmp_path):
    canvas, answer = drawn()
    paths = save_answer(tmp_path, canvas, answer, "cnn_int8", label=1)
    record = json.loads(next(p for p in paths if p.suffix == ".json").read_text())
    assert record["label"] == 1 and record["confirmed"] is True and record["answer"] == 7
    assert "digit1" in paths[0].name


def test_a_number_is_saved_under_its_number(tmp_path):
    canvas, answer = drawn((4, 2))
    assert answer.number == "42"
    paths = save_answer(tmp_path, canvas, answer, "cnn_int8")
    assert all("number42" in p.name for p in paths)
    inputs = pygame.image.load(str(paths[1]))
    assert inputs.get_size() == (56, 28)
    record = json.loads(paths[2].read_text())
    assert record["number"] == "42" and [d["digit"] for d in record["digits"]] == [4, 2]
