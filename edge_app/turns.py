"""How far a pen's path turns: with the wiggles its pen hides left out, and its sharp turns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# A shaky finger or a noisy panel adds wiggles that the pen covers but the path's turning and
# length count: drawn as the evaluation poses its digits with each motion event 2 or 3 pixels off
# (σ, 456-pixel canvas), 10 % and 31 % of the hand-built styles were refused as scribbles (11 %
# and 37 % before a path lying on itself was judged as drawn once, `gate`). Where the gate asks (a
# long or bendy path), the turns and length are measured again without the points within half the
# pen of the line between their neighbours (`without_wiggles`), and count when they turn under
# NOISY × as much: such paths keep 0.4-0.64 of their turning (median, 1-3 pixels off), a clean
# digit 0.93, smooth waves of 2-4 periods (scribbles) 0.84-0.96.
NOISY = 0.8
# A pen that rests or crawls where it lands or lifts, and a tablet's noise while it does, make
# turns within the pen's own blot: UNIPEN's 2s, 3s and 9s with such an end turned 3.3-6.5
# times and were refused as scribbles. Where the gate asks, the path is measured again with
# its points CALM_GAP pens apart at least (`spaced`) and its wiggles left out, and counts when
# it turns under CALM × as much. Measured with the int8 CNN: UNIPEN's 15,953 digits refused
# 0.56 → 0.39 %, read right 97.19 → 97.34 %; the stroke evaluation's digits and marks (fast
# and slow fingers too) as before; 3,500 harder marks (zig-zags of 4-8 lines, loops moving
# along, coils, hatching, random polylines and curves) refused 57.9 → 57.7 %. At CALM 0.8:
# 97.40 % and 0.33 %, but 53.8 % of those marks; half a pen apart at 0.6: 97.29 %, 0.44 %.
CALM_GAP = 1.0
CALM = 0.6


def without_wiggles(points: np.ndarray, runs: Sequence[tuple[int, int]],
                    tolerance: float) -> tuple[float, float, np.ndarray, np.ndarray]:
    """A path measured without the points that lie within `tolerance` of the line between
    their neighbours (every other point of a stroke at most, never its ends).

    Args:
        points: the path's points as complex numbers (x + iy), strokes one after another.
        runs: each stroke's (first, one past last) index into `points`.
        tolerance: how far off the line a point may lie and still go, same unit as `points`.

    Returns:
        The turning (whole turns), the length, the signed turn at each inner point (radians)
        and the length of each segment, the jumps between strokes counting neither.
    """
    n = len(points)
    may = np.zeros(n, bool)
    for a, b in runs:
        may[a + 1:b - 1:2] = True
    if n > 2:
        chord = points[2:] - points[:-2]
        off = np.abs((chord.conj() * (points[1:-1] - points[:-2])).imag)
        may[1:-1] &= off <= tolerance * np.maximum(np.abs(chord), 1e-6)
    kept = ~may
    z = points[kept]
    u = z[1:] - z[:-1]
    steps = np.abs(u)
    turn = u[1:] * u[:-1].conj()
    turns = np.arctan2(turn.imag, turn.real)
    for b in np.add.accumulate(np.add.reduceat(kept, [a for a, _ in runs]))[:-1].tolist():
        steps[b - 1] = 0
        turns[max(b - 2, 0):b] = 0
    return float(np.abs(turns).sum()) / (2 * np.pi), float(steps.sum()), turns, steps


def sharp_turns(turns: np.ndarray, steps: np.ndarray, within: float, sharper: float) -> int:
    """How many times a path turns round by more than `sharper` degrees within `within` of its
    length: a corner, or a U-turn tighter than the pen however many points it takes.

    Args:
        turns: the signed turn at each inner point, radians.
        steps: the length of each segment (one more than `turns`).
        within: the stretch of path a turn may take, same unit as `steps`.
        sharper: the least turn that counts, degrees.
    """
    at = np.add.accumulate(steps)[:-1]  # how far along the path each turn is
    total = np.concatenate(([0.0], np.add.accumulate(turns)))
    ends = np.searchsorted(at, at + within, side="right")
    sharp = np.abs(total[ends] - total[:-1]) > np.radians(sharper)
    return int(np.count_nonzero(sharp[1:] & ~sharp[:-1])) + int(sharp[:1].sum())


def spaced(points: np.ndarray, runs: Sequence[tuple[int, int]],
           gap: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The path less each point that lies within `gap` of the last point kept of its stroke
    (a pen resting, or crawling, where its ink hides every turn), each stroke's first point
    kept.

    Args:
        points: the path's points as complex numbers (x + iy), strokes one after another.
        runs: each stroke's (first, one past last) index into `points`.
        gap: the least distance between two points kept, same unit as `points`.

    Returns:
        The points kept and each stroke's (first, one past last) index into them.
    """
    kept: list[int] = []
    out_runs = []
    near = gap * gap
    xs, ys = points.real.tolist(), points.imag.tolist()
    for a, b in runs:
        first = len(kept)
        x, y = xs[a], ys[a]
        kept.append(a)
        for i in range(a + 1, b):
            dx, dy = xs[i] - x, ys[i] - y
            if dx * dx + dy * dy >= near:
                kept.append(i)
                x, y = xs[i], ys[i]
        out_runs.append((first, len(kept)))
    return points[kept], out_runs
