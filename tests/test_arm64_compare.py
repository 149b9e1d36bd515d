"""The arm64 check's comparison of prediction dumps (the emulated run is `make arm64-check`)."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "arm64" / "predictions.py"


def run(*args: str) -> int:
    argv = sys.argv
    sys.argv = [str(SCRIPT), *args]
    try:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    except SystemExit as exc:
        return exc.code or 0
    finally:
        sys.argv = argv
    return 0


def test_identical_dumps_pass_and_a_changed_prediction_fails(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run("dump", str(a), "0") == 0  # no time: one chunk a model
    b.write_text(a.read_text())
    assert run("compare", str(a), str(b)) == 0
    data = json.loads(b.read_text())
    first = data["models"]["cnn_int8"]["predictions"]
    first[0] = (first[0] + 1) % 10
    b.write_text(json.dumps(data))
    assert run("compare", str(a), str(b)) == 1
    assert "cnn_int8" in capsys.readouterr().out


def test_dumps_of_different_lengths_are_compared_on_what_both_cover(tmp_path, capsys):
    short, full = tmp_path / "short.json", tmp_path / "full.json"
    assert run("dump", str(short), "0") == 0
    data = json.loads(short.read_text())
    assert {len(m["predictions"]) for m in data["models"].values()} == {500}
    for model in data["models"].values():  # a longer dump that agrees where both have answers
        model["predictions"] += [(p + 1) % 10 for p in model["predictions"][:300]]
    full.write_text(json.dumps(data))
    assert run("compare", str(short), str(full)) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if "_" in line]
    assert rows and all(row[1] == "500" for row in rows if row[0].endswith("int8"))


@pytest.mark.parametrize("args", [[], ["dump"], ["bogus", "x", "y"], ["compare", "x"]])
def test_usage(args):
    assert "usage" in str(run(*args))
