"""Isolated digits of a UNIPEN tree (on-line handwriting, e.g. train_r01_v07's set 1a) as strokes.

UNIPEN files are text: a data file under `data/<set>/<site>/` names the file that holds the pen's
points (`.INCLUDE`, relative to `include/`) and labels runs of its pen-down components
(`.SEGMENT CHARACTER 169-170 ? "5"`); the included file lists the components (`.PEN_DOWN`, then
one "x y ..." line per point; `.PEN_UP`, with or without points). Only for evaluation: the
project trains on MNIST alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# `.SEGMENT <level> <components> <quality> "<label>"`; components as "7", "169-170", "3:5-4:12"
# (component:point) or comma-separated runs of those.
_SEGMENT = re.compile(r'^\.SEGMENT\s+\S+\s+(\S+)\s+\S+\s+"(.)"')


@dataclass(frozen=True)
class Sample:
    """One labelled digit.

    Attributes:
        label: the digit, 0-9.
        strokes: each an (n, 2) float64 array of (x, y) in the tablet's units, y down.
        site: the folder under the set, the site that collected it (a writer population).
        file: the data file, relative to the tree's root.
    """

    label: int
    strokes: list[np.ndarray]
    site: str
    file: str


def components(text: str) -> list[np.ndarray | None]:
    """The components of a UNIPEN file, in order: each pen-down one as an (n, 2) array of
    (x, y), and None for each pen-up one that has points (a tablet that reports the pen
    hovering); segments count both. A `.PEN_UP` with no points only ends a pen-down one.

    Points are the first two numbers of each line of a component; anything else (comments,
    timing) is skipped.
    """
    found: list[tuple[bool, list[tuple[float, float]]]] = []
    current: list[tuple[float, float]] | None = None
    for line in text.splitlines():
        if line.startswith("."):
            keyword = line.split(maxsplit=1)[0]
            current = [] if keyword in (".PEN_DOWN", ".PEN_UP") else None
            if current is not None:
                found.append((keyword == ".PEN_DOWN", current))
            continue
        if current is not None:
            numbers = line.split()
            try:
                current.append((float(numbers[0]), float(numbers[1])))
            except (IndexError, ValueError):
                continue  # a blank or malformed line inside a component
    return [np.array(points, np.float64).reshape(-1, 2) if down else None
            for down, points in found if down or points]


def select(components: list[np.ndarray | None], spec: str) -> list[np.ndarray] | None:
    """The strokes a segment's component list names, or None where it names one not there.

    Args:
        components: the file's components (`components`), None for pen-up ones.
        spec: "7", "169-170", "3:5-4:12" (from point 5 of component 3 to point 12 of 4), or
            comma-separated runs of those.
    """
    strokes = []
    for run in spec.split(","):
        first, _, last = run.partition("-")
        last = last or first
        start, _, start_point = first.partition(":")
        stop, _, stop_point = last.partition(":")
        try:
            a, b = int(start), int(stop)
            lo = int(start_point) if start_point else 0
            hi = int(stop_point) + 1 if stop_point else None
        except ValueError:
            return None
        if not 0 <= a <= b < len(components):
            return None
        for index in range(a, b + 1):
            component = components[index]
            if component is None:  # the pen moving above the tablet: no ink
                continue
            points = component[lo if index == a else 0:hi if index == b else None]
            if len(points):
                strokes.append(points)
    return strokes or None


def load(root: str | Path, category: str = "1a", y_up: bool = True) -> list[Sample]:
    """Every digit segment of a UNIPEN tree's `data/<category>` set that can be read.

    Args:
        root: the tree, holding `data/` and `include/`.
        category: the set ("1a": isolated digits).
        y_up: the tablets report y upwards (every site of train_r01_v07's 1a does): flip it.

    Returns:
        The samples, in file order; segments whose points cannot be found are left out.
    """
    root = Path(root)
    cache: dict[Path, list[np.ndarray | None]] = {}
    samples = []
    for path in sorted((root / "data" / category).rglob("*.dat")):
        site = path.relative_to(root / "data" / category).parts[0]
        parts: list[np.ndarray | None] = []
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith(".INCLUDE"):
                included = root / "include" / line.split()[1]
                if included not in cache:
                    cache[included] = (components(included.read_text(encoding="latin-1"))
                                       if included.is_file() else [])
                parts = cache[included]
                continue
            match = _SEGMENT.match(line)
            if not match or not match.group(2).isdigit():
                continue
            strokes = select(parts, match.group(1))
            if strokes is not None:
                if y_up:
                    strokes = [s * (1.0, -1.0) for s in strokes]
                samples.append(Sample(int(match.group(2)), strokes, site,
                                      str(path.relative_to(root))))
    return samples
