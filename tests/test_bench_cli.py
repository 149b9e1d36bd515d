"""`digits-bench` as a command: bad input refused before measuring, short real runs, --check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from edge_app.bench import cli, machine, stages
from tests.helpers import fake_stats

QUICK = ["-n", "3", "-w", "1"]


@pytest.fixture
def no_measuring(monkeypatch):
    """Makes any measurement fail the test: for errors that must come before it."""
    def refuse(*args, **kwargs):
        raise AssertionError("measured before refusing")

    monkeypatch.setattr(cli, "_measure", refuse)


@pytest.mark.parametrize("argv, message", [
    (["--json", "/no/such/dir/x.json"], "--json /no/such/dir/x.json: cannot write to /no/such/dir"),
    (["--csv", "/no/such/dir/x.csv"], "--csv /no/such/dir/x.csv: cannot write"),
    (["--plot", "/no/such/dir/x.png"], "--plot /no/such/dir/x.png: cannot write"),
    (["--plot", "{tmp}/x.txt"], "use a .png, .svg, .pdf file"),
    (["--json", "{tmp}"], "is a folder"),
    (["--json", "{tmp}/file.txt/x.json"], "cannot write to"),
    (["--json", "-", "--csv", "-"], "can go to standard output"),
    (["--markdown", "/no/such/dir/x.md"], "--markdown /no/such/dir/x.md: cannot write"),
    (["--check", "{tmp}/none.json"], "no such reference file"),
    (["--no-stages", "--no-frame"], "nothing to measure"),
    (["-m", "cnn_int4"], "unknown model 'cnn_int4'"),
    (["-m", "/nonexistent/model.tflite"], "no such model file"),
])
def test_bad_input_fails_at_once_in_one_line(argv, message, tmp_path, capsys, no_measuring):
    (tmp_path / "file.txt").write_text("")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert cli.main(["-m", "cnn_int8", *argv]) == 2
    err = capsys.readouterr().err
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "file.txt"]  # nothing left behind


@pytest.mark.parametrize("argv", [["-w", "-3"], ["-n", "0"], ["-t", "0"], ["-k"],
                                  ["--tolerance", "0"]])
def test_bad_numbers_and_flags_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.parse_args(argv)
    assert exit_.value.code == 2 and "usage: digits-bench" in capsys.readouterr().err


def test_options_are_the_shared_ones():
    args = cli.parse_args(["-m", "a", "-m", "b", "-r", "litert", "-t", "1,2", "-n", "5",
                           "-w", "0", "--accuracy", "--compare_keras"])
    assert (args.model, args.runtime, args.threads) == (["a", "b"], ["litert"], [1, 2])
    assert (args.iterations, args.warmup, args.accuracy, args.compare_keras) == (5, 0, True, True)


def test_real_short_run_writes_json_csv_and_plot(tmp_path, capsys):
    import pygame

    display_before = pygame.display.get_init()
    out_json, out_csv, out_png = tmp_path / "b.json", tmp_path / "b.csv", tmp_path / "b.png"
    status = cli.main(["-m", "cnn_int8", "-m", "mlp_int8", *QUICK, "-t", "1,2", "--accuracy",
                       "--json", str(out_json), "--csv", str(out_csv), "--plot", str(out_png)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "machine:" in err and "[4/4]" in err and "frame: mlp_int8 on 720x1280" in err
    result = json.loads(out_json.read_text())
    assert result["machine"]["cores"] >= 1 and result["iterations"] == 3
    assert {(r["model"], r["threads"]) for r in result["stages"]} == {
        ("cnn_int8", 1), ("cnn_int8", 2), ("mlp_int8", 1), ("mlp_int8", 2)}
    for r in result["stages"]:
        for stage in ("bare_invoke", "classifier", "preprocess", "image_path"):
            s = r[f"{stage}_ms"]
            assert 0 < s["min"] <= s["p50"] <= s["p90"] <= s["p99"] <= s["max"]
        assert r["ratios"]["image_path"] == pytest.approx(
            r["image_path_ms"]["p50"] / r["bare_invoke_ms"]["p50"])
        assert r["digits"]["image_path"] == 4
        assert r["accuracy"] > 0.98 and r["peak_memory_mb"] > 0
        if stages.stroke_renderer() is not None:  # the same drawing, from its strokes
            assert r["stroke_path_ms"]["min"] > 0 and r["render_ms"]["min"] > 0
            assert r["digits"]["stroke_path"] == 4
    assert [(f["model"], f["screen"]) for f in result["frames"]] == [
        ("cnn_int8", [800, 480]), ("cnn_int8", [720, 1280]),
        ("mlp_int8", [800, 480]), ("mlp_int8", [720, 1280])]
    for f in result["frames"]:
        assert f["answered"] == f["stroke_ends"] == 3
        assert f["answer_ms"]["min"] > 0 and f["redraw_ms"]["min"] > 0
        assert f["drawing_frame_ms"]["min"] > 0 and 0 < f["pause_s"] < 1
    assert len(out_csv.read_text().splitlines()) == 1 + 4 + 4
    assert out_png.read_bytes()[:4] == b"\x89PNG"
    assert "image/bare" in out and "answer p50" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv", "b.json", "b.png"]
    assert pygame.display.get_init() == display_before  # the frame leaves pygame as it was


def test_json_to_stdout_is_pure_json(capsys):
    assert cli.main(["-m", "cnn_int8", *QUICK, "--no-frame", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["stages"][0]["model"] == "cnn_int8" and result["frames"] == []
    assert "image/bare" in err  # the table moves to stderr


def test_stroke_path_is_timed_when_strokes_render(monkeypatch, capsys):
    seen = []

    def render(strokes, size, row=None):
        seen.append((len(strokes), size))
        return np.zeros((28, 28), np.float32)

    monkeypatch.setattr(stages, "stroke_renderer", lambda: render)
    assert cli.main(["-m", "mlp_int8", *QUICK, "--no-frame", "--json", "-"]) == 0
    record = json.loads(capsys.readouterr().out)["stages"][0]
    assert seen[0] == (2, (456, 456)) and len(seen) > 2 * 3
    assert record["stroke_path_ms"]["p50"] > 0 and record["render_ms"]["p50"] > 0
    assert record["ratios"]["stroke_path"] > 0
    assert record["number_strokes_ms"]["p50"] > 0 and record["number_image_ms"]["p50"] > 0


def test_a_four_digit_number_is_timed_and_read_on_both_paths(capsys):
    assert cli.main(["-m", "cnn_int8", *QUICK, "--no-frame", "--json", "-"]) == 0
    record = json.loads(capsys.readouterr().out)["stages"][0]
    assert record["digits"]["number_image"] == record["digits"]["number_strokes"] == "4712"
    assert record["number_strokes_ms"]["p50"] > record["stroke_path_ms"]["p50"]


def write_reference(folder, p50_ms: float) -> str:
    """A reference result for mlp_int8 with every stage and one frame at `p50_ms`."""
    ref = {"machine": machine.machine_info(), "stages": [], "frames": []}
    stage = {"model": "mlp_int8", "runtime": "litert", "threads": 1}
    stage.update({f"{s}_ms": fake_stats(p50_ms) for s in stages.STAGES})
    ref["stages"].append(stage)
    ref["frames"].append({"model": "mlp_int8", "screen": [800, 480],
                          "answer_ms": fake_stats(p50_ms)})
    path = folder / f"ref{p50_ms}.json"
    path.write_text(json.dumps(ref))
    return str(path)


CHECK_ARGV = ["-m", "mlp_int8", "-r", "litert", *QUICK]


def test_check_passes_and_fails_against_a_reference(tmp_path, capsys):
    argv = CHECK_ARGV
    assert cli.main([*argv, "--check", write_reference(tmp_path, 1e6)]) == 0
    out, err = capsys.readouterr()
    assert "p50s within 35 % of the reference" in out and "slower:" not in err
    assert cli.main([*argv, "--check", write_reference(tmp_path, 1e-6)]) == 1
    err = capsys.readouterr().err
    # the stage record and the frame record, twice each: the slowdown repeats
    assert "measured 4 combination(s) again before judging" in err
    assert "slower: mlp_int8 (litert, 1 thread) image_path: p50" in err
    assert "slower: frame mlp_int8 on 800x480 answer: p50" in err
    assert "slower: frame mlp_int8 on 720x1280" not in err  # not in the reference


@pytest.mark.parametrize("stolen, hint", [(0, False), (40, True)])
def test_a_failed_check_on_a_host_busy_with_other_guests_says_to_run_again(
        stolen, hint, tmp_path, capsys, monkeypatch):
    ticks = iter(range(0, 10_000, 100))  # 100 ticks of CPU time per reading, `stolen` of them

    def cpu_times(root=None):
        total = next(ticks)
        return total * stolen // 100, total

    idle = {**machine.machine_info(), "load": [0.1, 0.1, 0.1]}
    monkeypatch.setattr(machine, "machine_info", lambda root=None: idle)
    monkeypatch.setattr(machine, "cpu_times", cpu_times)
    assert cli.main([*CHECK_ARGV, "--check", write_reference(tmp_path, 1e-6)]) == 1
    out, err = capsys.readouterr()
    assert ("run --check again when the machine is idle" in err) == hint
    assert (f"the host took {stolen} % of the CPU time" in err) == hint
    assert f"steal {stolen} %" in out  # the run's summary names it either way


def test_missing_runtime_is_one_line(monkeypatch, capsys):
    from edge_app import runtime

    monkeypatch.setattr(cli, "installed_runtimes", lambda: [])
    monkeypatch.setattr(runtime, "_import", lambda name: (_ for _ in ()).throw(
        runtime.RuntimeUnavailableError(f"{name} is not installed")))
    assert cli.main(["-m", "cnn_int8"]) == 2
    err = capsys.readouterr().err
    assert "pip install ai-edge-litert" in err and "Traceback" not in err


def test_missing_optional_tools_fail_before_measuring(monkeypatch, capsys, no_measuring):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in (
        "tensorflow", "matplotlib") else real(name, *a))
    assert cli.main(["-m", "cnn_int8", "--compare_keras"]) == 2
    assert "needs TensorFlow" in capsys.readouterr().err
    assert cli.main(["-m", "cnn_int8", "--plot", "x.png"]) == 2
    assert "needs matplotlib" in capsys.readouterr().err


def test_entry_point_is_the_package_main(monkeypatch):
    import edge_app.bench

    monkeypatch.setattr(cli, "main", lambda argv=None: 42)
    assert edge_app.bench.main([]) == 42


@pytest.mark.workstation
def test_compare_keras_reports_a_speedup(capsys):
    pytest.importorskip("tensorflow")
    assert cli.main(["-m", "cnn_int8", *QUICK, "--no-frame", "--compare_keras"]) == 0
    out = capsys.readouterr().out
    assert "keras-predict" in out and "keras-call" in out
    assert "faster than keras-predict" in out
