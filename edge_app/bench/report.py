"""What `digits-bench` prints and writes: tables, ratios, CSV rows and the latency plot."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np

from edge_app.errors import DigitsError
from edge_app.files import atomic_path

PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def check_writable(text: str | Path | None, option: str) -> None:
    """Fails before measuring when an output file could not be written at the end.

    Args:
        text: the path given, or None / "-" (nothing to check).
        option: the option's name, for the message.

    Raises:
        DigitsError: a folder, a missing folder, or one that cannot be written to.
    """
    if text is None or str(text) == "-":
        return
    path = Path(text)
    if path.is_dir():
        raise DigitsError(f"{option} {path}: is a folder")
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise DigitsError(f"{option} {path}: cannot write to {path.parent} "
                          f"({exc.strerror or exc})") from None


def _ms(stats: dict[str, float] | None, key: str = "p50") -> str:
    return "-" if stats is None else f"{stats[key]:.3f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], left: int) -> str:
    """Fixed-width columns: the first `left` left-aligned, the rest right-aligned."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header)]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def stages_table(records: list[dict[str, object]]) -> str:
    """One row per (model, runtime, threads): p50 of every stage in ms, and the ratios."""
    header = ("model", "runtime", "thr", "KiB", "cold", "bare", "classifier", "preproc",
              "image", "image p99", "render", "stroke", "image/bare", "stroke/bare", "digit",
              "4712 image", "4712 strokes", "acc %", "MiB")
    rows = []
    for r in records:
        ratios = r.get("ratios") or {}
        digits = r.get("digits") or {}
        answered = "/".join("-" if digits.get(p) is None else str(digits[p])
                            for p in ("image_path", "stroke_path"))
        rows.append((
            str(r["model"]), str(r["runtime"]), "-" if r["threads"] is None else str(r["threads"]),
            f"{r['bytes'] / 1024:.0f}", f"{r['cold_ms']:.2f}", _ms(r["bare_invoke_ms"]),
            _ms(r["classifier_ms"]), _ms(r["preprocess_ms"]), _ms(r["image_path_ms"]),
            _ms(r["image_path_ms"], "p99"), _ms(r["render_ms"]), _ms(r["stroke_path_ms"]),
            _ratio(ratios.get("image_path")), _ratio(ratios.get("stroke_path")),
            answered if digits else "-",
            _ms(r.get("number_image_ms")), _ms(r.get("number_strokes_ms")),
            "-" if r.get("accuracy") is None else f"{100 * r['accuracy']:.2f}",
            f"{r['peak_memory_mb']:.0f}"))
    return _table(header, rows, left=2)


def frames_table(frames: list[dict[str, object]]) -> str:
    """One row per screen: stroke end → answer (p50, p99), its parts, the drawing frame."""
    header = ("screen", "canvas", "model", "answer p50", "answer p99", "classify", "redraw",
              "redraw p99", "redraw/classify", "drawing p50", "drawing p99", "pause ms",
              "answered")
    rows = [(
        "x".join(map(str, f["screen"])), "x".join(map(str, f["canvas"])), str(f["model"]),
        _ms(f["answer_ms"]), _ms(f["answer_ms"], "p99"), _ms(f["classify_ms"]),
        _ms(f["redraw_ms"]), _ms(f["redraw_ms"], "p99"), _ratio(f.get("redraw_per_classify")),
        _ms(f["drawing_frame_ms"]),
        _ms(f["drawing_frame_ms"], "p99"), f"{1000 * f['pause_s']:.0f}",
        f"{f['answered']}/{f['stroke_ends']}") for f in frames]
    return _table(header, rows, left=3)


def speedups(records: list[dict[str, object]]) -> list[str]:
    """Lines like 'cnn_int8 (litert, 1 thread): 52x faster than keras-predict (image path, p50)'."""
    keras_rows = {r["runtime"]: r for r in records if str(r["runtime"]).startswith("keras")}
    lines = []
    for r in records:
        if str(r["runtime"]).startswith("keras"):
            continue
        network = str(r["model"]).split("_")[0]
        for name, k in keras_rows.items():
            if not str(k["model"]).startswith(network):
                continue
            factor = k["image_path_ms"]["p50"] / r["image_path_ms"]["p50"]
            lines.append(f"{r['model']} ({r['runtime']}, {r['threads']} thread"
                         f"{'s' if r['threads'] != 1 else ''}): {factor:.0f}x faster than "
                         f"{name} (image path, p50)")
    return lines


def to_csv(results: dict[str, object]) -> str:
    """One row per stage record and per frame record (column `kind`); nested values become
    columns like image_path_ms_p50, machine_cpu."""
    flat = []
    for kind in ("stages", "frames"):
        for record in results.get(kind) or []:
            row: dict[str, object] = {"kind": kind}
            for key, value in {**record, "machine": results.get("machine")}.items():
                if isinstance(value, dict):
                    row.update({f"{key}_{k}": _cell(v) for k, v in value.items()})
                else:
                    row[key] = _cell(value)
            flat.append(row)
    fields = list(dict.fromkeys(k for row in flat for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list):  # sizes read 800x480; other lists (the load) 0.1 0.2 0.2
        sep = "x" if all(isinstance(v, int) for v in value) else " "
        return sep.join(str(v) for v in value)
    return "" if value is None else value


def plot(samples: dict[str, np.ndarray], path: Path) -> None:
    """Box plots of each path's latency per combination, written atomically to `path`.

    Args:
        samples: label → seconds per call.
        path: a .png, .svg or .pdf file.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(samples)
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(labels) + 2), 4.5))
    data = [samples[k] * 1000 for k in labels]
    ax.boxplot(data, showfliers=False)
    ax.set_xticks(range(1, len(labels) + 1), labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("latency (ms)")
    if max(np.percentile(d, 99) for d in data) > 20 * min(np.percentile(d, 1) for d in data):
        ax.set_yscale("log")  # only when the spread needs it; a narrow range reads better linear
    ax.grid(alpha=0.3, which="both", axis="y")
    ax.set_title("drawing → model input → invoke → probabilities")
    fig.tight_layout()
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=100)
    finally:
        plt.close(fig)


def markdown(results: dict[str, object]) -> str:
    """The README's tables: stages and frames as Markdown, under a line naming the machine."""
    from edge_app.bench.machine import describe

    lines = [f"Measured with `digits-bench` on {describe(results['machine'])}; ms, p50 unless "
             f"marked, {results['iterations']} calls after {results['warmup']} warm-up.", ""]
    stages = results.get("stages") or []
    if stages:
        lines += ["| model | runtime | threads | bare invoke | classifier | preprocess | image "
                  "path | image p99 | render | stroke path | stroke p99 | image / bare | "
                  "stroke / bare | 4-digit number, image | 4-digit number, strokes |",
                  "|---|---|---:|" + "---:|" * 12]
        for r in stages:
            ratios = r.get("ratios") or {}
            lines.append("| " + " | ".join((
                str(r["model"]), str(r["runtime"]), "-" if r["threads"] is None
                else str(r["threads"]), _ms(r["bare_invoke_ms"]), _ms(r["classifier_ms"]),
                _ms(r["preprocess_ms"]), _ms(r["image_path_ms"]),
                _ms(r["image_path_ms"], "p99"), _ms(r["render_ms"]), _ms(r["stroke_path_ms"]),
                _ms(r["stroke_path_ms"], "p99"), _ratio(ratios.get("image_path")),
                _ratio(ratios.get("stroke_path")), _ms(r.get("number_image_ms")),
                _ms(r.get("number_strokes_ms")))) + " |")
        lines.append("")
    frames = results.get("frames") or []
    if frames:
        lines += ["| screen | canvas | model | stroke end → answer p50 | p99 | classification "
                  "| panel redraw | redraw p99 | drawing frame p50 | p99 |",
                  "|---|---|---|" + "---:|" * 7]
        for f in frames:
            lines.append("| " + " | ".join((
                "x".join(map(str, f["screen"])), "x".join(map(str, f["canvas"])),
                str(f["model"]), _ms(f["answer_ms"]), _ms(f["answer_ms"], "p99"),
                _ms(f["classify_ms"]), _ms(f["redraw_ms"]), _ms(f["redraw_ms"], "p99"),
                _ms(f["drawing_frame_ms"]), _ms(f["drawing_frame_ms"], "p99"))) + " |")
        lines.append("")
    return "\n".join(lines)
