"""`digits-bench`'s parts: statistics, machine info, the drawing, tables, the regression check."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from edge_app.bench import check, machine, report, sample, stages, stats
from tests.helpers import fake_stats


def fake_stage_record(model="cnn_int8", runtime="litert", threads=1, scale=1.0):
    record = {"model": model, "runtime": runtime, "threads": threads, "bytes": 83456,
              "load_ms": 3.0, "cold_ms": 4.0, "peak_memory_mb": 60.0,
              "digits": {"image_path": 4, "stroke_path": 4}}
    for stage, p50 in (("bare_invoke", 0.2), ("classifier", 0.25), ("preprocess", 0.3),
                       ("image_path", 0.5), ("render", 0.02), ("stroke_path", 0.24)):
        record[f"{stage}_ms"] = fake_stats(p50 * scale)
    record["ratios"] = stages.ratios(record)
    return record


def fake_frame_record(model="cnn_int8", screen=(800, 480), scale=1.0):
    return {"model": model, "runtime": "litert", "threads": 1, "screen": list(screen),
            "canvas": [456, 456], "answer_ms": fake_stats(1.5 * scale),
            "classify_ms": fake_stats(0.8 * scale), "redraw_ms": fake_stats(0.7 * scale),
            "drawing_frame_ms": fake_stats(0.02 * scale), "redraw_per_classify": 0.875,
            "pause_s": 0.15,
            "stroke_ends": 10, "answered": 10}


def fake_result(scale=1.0, cpu="AMD EPYC"):
    return {"machine": {"cpu": cpu, "cores": 2, "board": None},
            "stages": [fake_stage_record(scale=scale),
                       fake_stage_record("mlp_int8", scale=scale)],
            "frames": [fake_frame_record(scale=scale),
                       fake_frame_record(screen=(720, 1280), scale=scale)]}


# --- statistics and machine -------------------------------------------------------------------

def test_summarize_known_timings():
    s = stats.summarize(np.arange(1, 101) / 1000.0)  # 1 ms ... 100 ms
    assert (s["p50"], s["p90"], s["p99"]) == (pytest.approx(50.5), pytest.approx(90.1),
                                              pytest.approx(99.01))
    assert s["mean"] == pytest.approx(50.5) and s["per_s"] == pytest.approx(1000 / 50.5)
    assert (s["min"], s["max"]) == (pytest.approx(1), pytest.approx(100))
    constant = stats.summarize([0.002] * 10)
    assert constant["p50"] == constant["p99"] == pytest.approx(2)
    with pytest.raises(ValueError):
        stats.summarize([])


def test_time_calls_warms_up_then_counts():
    calls = []
    samples = stats.time_calls(lambda: calls.append(1), iterations=7, warmup=3)
    assert len(calls) == 10 and samples.shape == (7,) and (samples >= 0).all()


def test_machine_info_reads_a_pi(tmp_path):
    (tmp_path / "proc/device-tree").mkdir(parents=True)
    (tmp_path / "proc/cpuinfo").write_text(
        "processor\t: 0\nFeatures\t: fp asimd evtstrm asimddp\nModel\t\t: Raspberry Pi 5 Model B\n")
    (tmp_path / "proc/device-tree/model").write_bytes(b"Raspberry Pi 5 Model B Rev 1.0\x00")
    gov = tmp_path / "sys/devices/system/cpu/cpu0/cpufreq"
    gov.mkdir(parents=True)
    (gov / "scaling_governor").write_text("ondemand\n")
    info = machine.machine_info(tmp_path)
    assert info["board"] == "Raspberry Pi 5 Model B Rev 1.0"
    assert info["cpu"] == "Raspberry Pi 5 Model B" and info["governor"] == "ondemand"
    assert info["simd"] == "neon-dotprod"  # the board names the class, not the SIMD
    assert "Raspberry Pi 5 Model B Rev 1.0" in machine.describe(info)
    assert check.machine_slug(info) == f"raspberry-pi-5-model-b-rev-1-0-{info['cores']}core"
    quiet = {**info, "governor": "performance", "load": [0.1, 0.1, 0.1]}
    assert machine.warnings(quiet) == []
    assert "performance" in machine.warnings({**quiet, "governor": "ondemand"})[0]
    assert "load average 3.50" in machine.warnings({**quiet, "load": [3.5, 1, 1]})[0]


@pytest.mark.parametrize("flags, simd", [
    ("fpu sse2 avx avx2 fma", "avx2"),
    ("fpu avx2 avx512f avx512bw avx512_vnni", "avx512-vnni"),
    ("fpu sse2", None),
])
def test_one_cpu_name_with_different_simd_is_two_machine_classes(tmp_path, flags, simd):
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc/cpuinfo").write_text(
        f"processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: {flags}\n"
        f"processor\t: 1\nmodel name\t: AMD EPYC\nflags\t\t: {flags}\n")
    info = machine.machine_info(tmp_path)
    assert info["cpu"] == "AMD EPYC" and info["simd"] == simd
    cores = info["cores"]
    assert check.machine_slug(info) == (f"amd-epyc-{simd}-{cores}core" if simd
                                        else f"amd-epyc-{cores}core")
    assert (f", {simd})" in machine.describe(info)) == (simd is not None)


def test_steal_is_the_share_of_cpu_time_the_host_gave_to_others(tmp_path):
    (tmp_path / "proc").mkdir()
    stat = tmp_path / "proc/stat"
    stat.write_text("cpu  100 0 50 800 10 0 0 40 7 0\ncpu0 50 0 25 400 5 0 0 20 0 0\n")
    before = machine.cpu_times(tmp_path)
    assert before == (40, 1000)  # guest time is part of user time, not added again
    stat.write_text("cpu  160 0 70 900 10 0 0 100 7 0\n")
    after = machine.cpu_times(tmp_path)
    assert machine.steal_share(before, after) == pytest.approx(60 / 240)
    assert machine.steal_share(before, before) is None
    assert machine.steal_share(None, after) is None
    assert machine.cpu_times(tmp_path / "nowhere") is None
    info = {**machine.machine_info(tmp_path), "load": [0.1, 0.1, 0.1]}
    assert not machine.busy({**info, "steal": 0.01})
    assert machine.busy({**info, "steal": 0.25})
    assert machine.busy({**info, "load": [3.0, 1, 1], "steal": None})
    assert "steal 25 %" in machine.describe({**info, "steal": 0.25})
    assert "steal" not in machine.describe(info)
    assert "the host took 25 %" in machine.warnings({**info, "steal": 0.25})[0]


def test_machine_info_without_pi_files(tmp_path):
    info = machine.machine_info(tmp_path)
    assert info["board"] is None and info["governor"] is None and info["cores"] >= 1


# --- the drawing --------------------------------------------------------------------------------

def test_pointer_path_is_dense_and_keeps_the_corners():
    path = sample.pointer_path(((0.0, 0.0), (1.0, 0.0), (1.0, 0.5)), side=301)
    steps = np.hypot(*np.diff(path, axis=0).T)
    assert steps.max() <= sample.STEP * 301 + 1e-3 and steps.min() > 0
    assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (300, 150)
    assert any(tuple(p) == (300, 0) for p in path)


def test_drawing_is_recorded_by_the_apps_canvas():
    strokes, pixels = sample.draw(side=200)
    assert len(strokes) == len(sample.FOUR) and pixels.shape == (200, 200)
    for recorded, pointer in zip(strokes, sample.pointer_paths(200)):
        assert np.allclose(recorded, pointer, atol=0.5)
    assert pixels.min() < 50 and pixels.max() == 255  # dark ink on white paper


# --- tables, CSV ----------------------------------------------------------------------------

def test_tables_csv_and_speedups():
    keras = {**fake_stage_record("cnn.keras", "keras-predict", None, scale=50),
             "bare_invoke_ms": None, "render_ms": None, "stroke_path_ms": None, "ratios": None}
    records = [fake_stage_record(), keras]
    lines = report.stages_table(records).splitlines()
    assert lines[0].split()[:3] == ["model", "runtime", "thr"] and len(lines) == 4
    assert "cnn_int8" in lines[2] and "2.50x" in lines[2] and "1.20x" in lines[2]
    md = report.markdown({"machine": {"cpu": "AMD EPYC", "cores": 2, "arch": "x86_64",
                                      "python": "3.11", "load": [0.3, 0.2, 0.2]},
                          "iterations": 500, "warmup": 50, "stages": records,
                          "frames": [fake_frame_record()]}).splitlines()
    assert md[0].startswith("Measured with `digits-bench` on AMD EPYC (2 cores, x86_64)")
    assert "load 0.30" in md[0] and md[2].startswith("| model | runtime |")
    assert md[4].startswith("| cnn_int8 | litert | 1 | 0.200 | 0.250 |")
    assert md[5].startswith("| cnn.keras | keras-predict | - | - |")
    assert md[9].startswith("| 800x480 | 456x456 | cnn_int8 | 1.500 |")
    assert report.speedups(records) == [
        "cnn_int8 (litert, 1 thread): 50x faster than keras-predict (image path, p50)"]
    frames = report.frames_table([fake_frame_record()]).splitlines()
    assert frames[2].split()[:3] == ["800x480", "456x456", "cnn_int8"] and "10/10" in frames[2]
    assert "0.88x" in frames[2]
    rows = list(csv.DictReader(io.StringIO(report.to_csv(
        {"machine": {"cpu": "x"}, "stages": records, "frames": [fake_frame_record()]}))))
    assert [r["kind"] for r in rows] == ["stages", "stages", "frames"]
    assert rows[0]["image_path_ms_p50"] == "0.5" and rows[0]["machine_cpu"] == "x"
    assert rows[1]["bare_invoke_ms"] == "" and rows[2]["screen"] == "800x480"


def test_ratios_are_each_path_over_the_bare_invoke():
    r = fake_stage_record()
    assert r["ratios"] == {"classifier": pytest.approx(1.25), "image_path": pytest.approx(2.5),
                           "stroke_path": pytest.approx(1.2)}
    assert stages.ratios({**r, "stroke_path_ms": None})["stroke_path"] is None


# --- the regression check -------------------------------------------------------------------

def test_check_passes_within_tolerance_and_names_each_slower_stage():
    reference = fake_result()
    failures, compared = check.compare(fake_result(scale=1.2), reference, tolerance=0.3)
    assert failures == [] and compared == 2 * 6 + 2 * 4
    slow = fake_result()
    slow["stages"][0]["image_path_ms"] = fake_stats(0.8)  # +60 %
    slow["frames"][1]["redraw_ms"] = fake_stats(1.4)  # +100 %
    failures, _ = check.compare(slow, reference, tolerance=0.3)
    assert len(failures) == 2
    assert failures[0].startswith("cnn_int8 (litert, 1 thread) image_path: p50 0.800 ms, "
                                  "reference 0.500 ms (+60 %")
    assert failures[1].startswith("frame cnn_int8 on 720x1280 redraw: p50 1.400 ms")


def test_check_ignores_noise_below_the_floor_and_stages_not_in_the_reference():
    reference = fake_result()
    tiny = fake_result()
    tiny["stages"][0]["render_ms"] = fake_stats(0.02 + check.FLOOR_MS / 2)  # > 10 %, < floor
    tiny["stages"].append(fake_stage_record("cnn_float32", scale=100))
    assert check.compare(tiny, reference, tolerance=0.1) == ([], 20)
    assert check.compare(fake_result(), {"stages": [], "frames": []}) == ([], 0)


def test_confirm_measures_again_and_only_a_repeated_slowdown_fails():
    reference = fake_result()
    burst = fake_result()
    burst["stages"][0]["preprocess_ms"] = fake_stats(0.6)  # +100 % once: another program
    calls = []

    def steady(record):
        calls.append(record["model"])
        return fake_stage_record(record["model"])

    assert check.confirm(burst, reference, steady) == 1 and calls == ["cnn_int8"]
    assert check.compare(burst, reference) == ([], 20)
    slow = fake_result()
    slow["frames"][0]["redraw_ms"] = fake_stats(1.4)  # +100 % every time: a regression
    again = []
    assert check.confirm(slow, reference, lambda r: again.append(1) or fake_frame_record(
        scale=2.0), rounds=2) == 2 and len(again) == 2
    assert len(check.compare(slow, reference)[0]) == 1
    assert check.confirm(fake_result(), reference, steady) == 0


def test_load_reference_errors_are_one_line(tmp_path):
    with pytest.raises(check.DigitsError, match="no such reference file"):
        check.load_reference(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(check.DigitsError, match="not JSON"):
        check.load_reference(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(check.DigitsError, match="not a digits-bench result"):
        check.load_reference(tmp_path / "list.json")


def test_shipped_references_are_results_of_every_model_and_screen():
    files = sorted(check.REFERENCE_DIR.glob("*.json"))
    assert files
    for path in files:
        ref = check.load_reference(path)
        assert path.stem == check.machine_slug(ref["machine"])
        assert {r["model"] for r in ref["stages"]} >= {"cnn_int8", "mlp_int8"}
        assert {tuple(f["screen"]) for f in ref["frames"]} == {(800, 480), (720, 1280)}
