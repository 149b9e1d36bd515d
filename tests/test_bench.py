"""`digits-bench`: statistics on known timings, outputs, machine info, errors, a real run."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from edge_app import bench


def test_summarize_known_timings():
    samples = np.arange(1, 101) / 1000.0  # 1 ms ... 100 ms
    s = bench.summarize(samples)
    assert s["p50"] == pytest.approx(50.5)
    assert s["p90"] == pytest.approx(90.1)
    assert s["p99"] == pytest.approx(99.01)
    assert s["mean"] == pytest.approx(50.5)
    assert (s["min"], s["max"]) == (pytest.approx(1), pytest.approx(100))
    assert s["per_s"] == pytest.approx(1000 / 50.5)


def test_summarize_constant_and_empty():
    s = bench.summarize([0.002] * 10)
    assert s["p50"] == s["p99"] == pytest.approx(2) and s["std"] == pytest.approx(0)
    with pytest.raises(ValueError):
        bench.summarize([])


def test_time_calls_warms_up_then_counts():
    calls = []
    samples = bench.time_calls(lambda: calls.append(1), iterations=7, warmup=3)
    assert len(calls) == 10 and samples.shape == (7,) and (samples >= 0).all()


def test_machine_info_reads_a_pi(tmp_path):
    (tmp_path / "proc/device-tree").mkdir(parents=True)
    (tmp_path / "proc/cpuinfo").write_text("processor\t: 0\nModel\t\t: Raspberry Pi 5 Model B\n")
    (tmp_path / "proc/device-tree/model").write_bytes(b"Raspberry Pi 5 Model B Rev 1.0\x00")
    gov = tmp_path / "sys/devices/system/cpu/cpu0/cpufreq"
    gov.mkdir(parents=True)
    (gov / "scaling_governor").write_text("ondemand\n")
    info = bench.machine_info(tmp_path)
    assert info["board"] == "Raspberry Pi 5 Model B Rev 1.0"
    assert info["cpu"] == "Raspberry Pi 5 Model B" and info["governor"] == "ondemand"
    assert "performance" in bench.governor_warning(info)
    assert bench.governor_warning({**info, "governor": "performance"}) is None


def test_machine_info_without_pi_files(tmp_path):
    info = bench.machine_info(tmp_path)
    assert info["board"] is None and info["governor"] is None and info["cores"] >= 1


def fake_record(model="cnn_int8", runtime="litert", threads=1, e2e=0.5):
    stats = lambda p50: {"p50": p50, "p90": p50 * 1.2, "p99": p50 * 1.5, "mean": p50,  # noqa
                         "std": 0.01, "min": p50 * 0.9, "max": p50 * 2, "per_s": 1000 / p50}
    return {"model": model, "runtime": runtime, "threads": threads, "bytes": 83456,
            "load_ms": 3.0, "cold_ms": 4.0, "bare_invoke_ms": stats(0.1),
            "invoke_ms": stats(0.11), "preprocess_ms": stats(0.3), "end_to_end_ms": stats(e2e),
            "peak_memory_mb": 60.0, "machine": {"cpu": "x", "cores": 2}}


def test_table_csv_and_speedups():
    keras_row = {**fake_record("cnn.keras", "keras-predict", None, e2e=25.0),
                 "bare_invoke_ms": None}
    records = [fake_record(), keras_row]
    table = bench.format_table(records)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["model", "runtime", "thr"] and len(lines) == 4
    assert "cnn_int8" in lines[2] and "0.500" in lines[2]
    assert bench.speedups(records) == [
        "cnn_int8 (litert, 1 thread): 50x faster than keras-predict end to end (p50)"]
    rows = list(csv.DictReader(io.StringIO(bench.to_csv(records))))
    assert rows[0]["end_to_end_ms_p50"] == "0.5" and rows[0]["machine_cpu"] == "x"
    assert rows[1]["bare_invoke_ms"] == ""


@pytest.mark.parametrize("text, ok", [("1,2,4", [1, 2, 4]), ("2", [2]), ("0", None),
                                      ("a,b", None), ("", None)])
def test_thread_list(text, ok):
    if ok is None:
        with pytest.raises(Exception):
            bench.thread_list(text)
    else:
        assert bench.thread_list(text) == ok


def test_real_short_run_writes_json_csv_and_plot(tmp_path, capsys):
    status = bench.main(["-m", "cnn_int8", "-m", "mlp_int8", "-n", "20", "-w", "2",
                         "--threads", "1,2", "--accuracy", "--json", str(tmp_path / "b.json"),
                         "--csv", str(tmp_path / "b.csv"), "--plot", str(tmp_path / "b.png")])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "machine:" in err and "[4/4]" in err
    records = json.loads((tmp_path / "b.json").read_text())
    assert isinstance(records, list) and len(records) == 4
    for r in records:
        assert {"model", "runtime", "threads", "invoke_ms", "end_to_end_ms"} <= r.keys()
        for key in ("invoke_ms", "end_to_end_ms", "bare_invoke_ms", "preprocess_ms"):
            s = r[key]
            assert 0 < s["min"] <= s["p50"] <= s["p90"] <= s["p99"] <= s["max"]
        # End to end includes preprocessing and the classifier call.
        assert r["end_to_end_ms"]["p50"] > r["invoke_ms"]["p50"]
        assert r["accuracy"] > 0.98 and r["peak_memory_mb"] > 0
    assert {(r["model"], r["threads"]) for r in records} == {
        ("cnn_int8", 1), ("cnn_int8", 2), ("mlp_int8", 1), ("mlp_int8", 2)}
    assert len((tmp_path / "b.csv").read_text().splitlines()) == 5
    assert (tmp_path / "b.png").read_bytes()[:4] == b"\x89PNG"
    assert "e2e p50" in out


def test_json_to_stdout_is_pure_json(capsys):
    assert bench.main(["-m", "cnn_int8", "-n", "5", "-w", "1", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["model"] == "cnn_int8"
    assert "e2e p50" in err  # the table moves to stderr


@pytest.mark.parametrize("argv, message", [
    (["-m", "cnn_int4"], "unknown model 'cnn_int4'"),
    (["-m", "/nonexistent/model.tflite"], "no such model file"),
])
def test_bad_model_is_one_line(argv, message, capsys):
    assert bench.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_runtime_is_one_line(monkeypatch, capsys):
    from edge_app import runtime

    monkeypatch.setattr(bench, "installed_runtimes", lambda: [])
    monkeypatch.setattr(runtime, "_import", lambda name: (_ for _ in ()).throw(
        runtime.RuntimeUnavailableError(f"{name} is not installed")))
    assert bench.main(["-m", "cnn_int8"]) == 2
    err = capsys.readouterr().err
    assert "pip install ai-edge-litert" in err and "Traceback" not in err


def test_compare_keras_reports_a_speedup(capsys):
    pytest.importorskip("tensorflow")
    assert bench.main(["-m", "cnn_int8", "-n", "20", "-w", "2", "--compare_keras"]) == 0
    out = capsys.readouterr().out
    assert "keras-predict" in out and "keras-call" in out
    assert "faster than keras-predict" in out


def test_missing_optional_tools_fail_before_measuring(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in (
        "tensorflow", "matplotlib") else real(name, *a))
    assert bench.main(["-m", "cnn_int8", "--compare_keras"]) == 2
    err = capsys.readouterr().err
    assert "needs TensorFlow" in err and "[1/1]" not in err
    assert bench.main(["-m", "cnn_int8", "--plot", "x.png"]) == 2
    assert "needs matplotlib" in capsys.readouterr().err
