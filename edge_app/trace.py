"""MNIST bitmaps turned into pen strokes: thinned to a skeleton, traced, smoothed, deslanted."""

from __future__ import annotations

import numpy as np
from PIL import Image

UPSCALE = 2  # the skeleton is found at 2× MNIST's resolution, where it follows curves better
THRESHOLD = 0.5  # fraction of full ink that counts as stroke
SPUR = 3  # skeleton pixels: a branch this short that ends in nothing is thinning noise
NEIGHBOURS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))
# A bold pen fills a small loop (a 9's head, a 6's belly, the corner of a loopy 2) and thinning
# then leaves a stem where the writer drew a loop: a 9 traces as a 7, a 6 as an L. Ink deeper
# than the pen's own half-width by CORE_DEPTH skeleton pixels, over at least CORE_AREA of them
# and CORE_WIDTH across (the standard deviation of its pixels along its narrower axis), and not
# right beside paper the ink already encloses (a long core, or one beside a hole, is a stretch
# of thick wall, e.g. of a bold 0), is such a loop: its core is cut out so that thinning goes
# round it as the pen did. Measured with the int8 CNN shipped before it, on renderings of the
# traces of 10,000 MNIST training digits: 21 more read right, 4 fewer, and the gate refuses
# as many of 20,000 as before (4). Without the width and hole rules: 29 more, 12 fewer, and 14
# of the 20,000 refused; depth 3 changed a quarter as many digits; a smaller area added as
# many errors as it removed.
CORE_DEPTH = 2
CORE_AREA = 8
CORE_WIDTH = 0.7
# A small loop drawn with a bold pen often keeps a little grey paper inside (an 8's rings, a
# 6's belly): at THRESHOLD it is ink, and thinning drew the 8 as an S or a 6, or went round
# a loop smaller than the pen's. Ink that the strong ink (above REVEAL) encloses, in pieces of
# REVEAL_AREA pixels or more, is cut out first, so that thinning goes round the loop as the
# pen did. Measured with the int8 CNN shipped before it, on the stroke evaluation's 10,000
# traced MNIST test digits: 29 more read right and 9 fewer; 0.65: 25 and 11; 0.85: 23 and 7;
# with specks too (no REVEAL_AREA) 27 and 11; only where no paper was enclosed at THRESHOLD
# (new loops, not wider ones) 10 and 3.
REVEAL = 0.75
REVEAL_AREA = 2


def skeletons(images: np.ndarray, grey_loops: bool = True) -> np.ndarray:
    """One-pixel-wide skeletons of many digits at once (Zhang-Suen thinning), with grey and
    filled loops opened first (`loop_paper`, `open_filled_loops`).

    Args:
        images: (N, 28, 28) uint8, white on black.
        grey_loops: open the grey inside loops (REVEAL); the training traces without it.

    Returns:
        (N, 56, 56) bool.
    """
    side = images.shape[1] * UPSCALE
    big = np.stack([np.asarray(Image.fromarray(x).resize((side, side), Image.Resampling.BILINEAR))
                    for x in images])
    ink = big > THRESHOLD * 255
    if grey_loops:
        ink &= ~loop_paper(big > REVEAL * 255, ink)
    first = thin(ink)
    opened = open_filled_loops(ink, first)
    redo = (opened != ink).any(axis=(1, 2))
    if redo.any():
        first[redo] = thin(opened[redo])
    return first


def depth(ink: np.ndarray, edge: bool = False) -> np.ndarray:
    """Each pixel's chessboard distance to the nearest pixel outside `ink`, in pixels (1 on
    the ink's edge).

    Args:
        ink: (N, H, W) bool.
        edge: what lies beyond the image's edge: paper (False) or more ink (True).

    Returns:
        (N, H, W) int16, 0 off the ink; at most H + W (ink with no paper in reach).
    """
    out = np.zeros(ink.shape, np.int16)
    m = ink.copy()
    h, w = ink.shape[1:]
    for _ in range(h + w):
        if not m.any():
            break
        out += m
        p = np.pad(m, ((0, 0), (1, 1), (1, 1)), constant_values=edge)
        for dy in range(3):
            for dx in range(3):
                m &= p[:, dy:dy + h, dx:dx + w]
    return out


def holes(ink: np.ndarray) -> np.ndarray:
    """The paper that the ink encloses (a 0's middle), as (N, H, W) bool."""
    paper = ~ink
    outside = np.zeros_like(paper)
    outside[:, [0, -1], :] = paper[:, [0, -1], :]
    outside[:, :, [0, -1]] = paper[:, :, [0, -1]]
    while True:  # flood the paper from the image's edge, four ways
        grown = outside.copy()
        grown[:, 1:] |= outside[:, :-1]
        grown[:, :-1] |= outside[:, 1:]
        grown[:, :, 1:] |= outside[:, :, :-1]
        grown[:, :, :-1] |= outside[:, :, 1:]
        grown &= paper
        if (grown == outside).all():
            return paper & ~outside
        outside = grown


def loop_paper(strong: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The grey inside loops: ink that the strong ink encloses (see REVEAL).

    Args:
        strong: (N, H, W) bool, the ink above REVEAL.
        ink: (N, H, W) bool, the ink above THRESHOLD (it contains `strong`).

    Returns:
        (N, H, W) bool: the pixels to cut out of `ink`, in pieces of REVEAL_AREA or more.
    """
    grey = holes(strong) & ink
    for i in np.flatnonzero(grey.any(axis=(1, 2))):
        for part in _components(grey[i]):
            if len(part) < REVEAL_AREA:  # a speck: the pen's own unevenness
                grey[i][tuple(np.transpose(part))] = False
    return grey


def open_filled_loops(ink: np.ndarray, skeleton: np.ndarray) -> np.ndarray:
    """The ink with the core of every filled loop cut out (see CORE_DEPTH).

    Args:
        ink: (N, H, W) bool.
        skeleton: (N, H, W) bool, its thinned skeleton: the pen's half-width is the median
            depth along it.

    Returns:
        A copy of `ink`, holes cut where a bold pen filled a loop.
    """
    deep = depth(ink)
    out = ink.copy()
    halves = {int(i): int(np.median(deep[i][skeleton[i]]))
              for i in np.flatnonzero(skeleton.any(axis=(1, 2)))}
    candidates = [i for i, half in halves.items() if deep[i].max() >= half + CORE_DEPTH]
    if not candidates:
        return out
    # How far each pixel is from paper that the ink already encloses: a deep core right beside
    # a hole is a stretch of thick wall (a bold 0's side), not a loop filled in.
    near = depth(~holes(ink[candidates]), edge=True)
    for k, i in enumerate(candidates):
        core = deep[i] >= halves[i] + CORE_DEPTH
        for part in _components(core):
            if len(part) < CORE_AREA or _narrower_spread(part) < CORE_WIDTH:
                continue
            at = tuple(np.transpose(part))
            if near[k][at].min() > deep[i][at].max() + 1:
                out[i][at] = False
    return out


def _narrower_spread(part: list[tuple[int, int]]) -> float:
    """The standard deviation of pixels along their narrower principal axis."""
    return float(np.sqrt(max(np.linalg.eigvalsh(np.cov(np.transpose(part)))[0], 0.0)))


def _components(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """The 4-connected parts of a small 2-D mask, as lists of (row, column)."""
    left = {(int(y), int(x)) for y, x in zip(*np.nonzero(mask))}
    parts = []
    while left:
        todo = [left.pop()]
        part = []
        while todo:
            y, x = todo.pop()
            part.append((y, x))
            for q in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if q in left:
                    left.remove(q)
                    todo.append(q)
        parts.append(part)
    return parts


def thin(ink: np.ndarray) -> np.ndarray:
    """One-pixel-wide skeletons of (N, H, W) bool masks (Zhang-Suen, then the two-pixel-thick
    spots it leaves removed)."""
    s = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    while True:
        changed = False
        for step in (0, 1):
            p = [s[:, 1 + dy:s.shape[1] - 1 + dy, 1 + dx:s.shape[2] - 1 + dx] for dy, dx in
                 NEIGHBOURS]  # P2..P9 clockwise from north
            count = sum(x.astype(np.uint8) for x in p)
            ring = p + p[:1]
            transitions = sum((~a & b).astype(np.uint8) for a, b in zip(ring, ring[1:]))
            if step == 0:
                side_a, side_b = p[0] & p[2] & p[4], p[2] & p[4] & p[6]
            else:
                side_a, side_b = p[0] & p[2] & p[6], p[0] & p[4] & p[6]
            centre = s[:, 1:-1, 1:-1]
            drop = centre & (count >= 2) & (count <= 6) & (transitions == 1) & ~side_a & ~side_b
            if drop.any():
                centre &= ~drop
                changed = True
        if not changed:
            break
    # Zhang-Suen leaves two-pixel-thick spots (staircases, corners, small triangles). Remove
    # every pixel whose neighbours stay 8-connected without it (Yokoi's connectivity number
    # is 1) and that is no line end, one checkerboard colour at a time so that no two
    # neighbours go at once.
    parity = (np.add.outer(np.arange(s.shape[1]), np.arange(s.shape[2])) % 2).astype(bool)
    for _ in range(3):
        changed = False
        for colour in (False, True):
            n, ne, e, se, so, sw, w, nw = (
                s[:, 1 + dy:s.shape[1] - 1 + dy, 1 + dx:s.shape[2] - 1 + dx]
                for dy, dx in NEIGHBOURS)
            ring = [~e, ~ne, ~n, ~nw, ~w, ~sw, ~so, ~se, ~e, ~ne]  # from east, anticlockwise
            yokoi = sum((ring[k] & ~(ring[k + 1] & ring[k + 2])).astype(np.uint8)
                        for k in (0, 2, 4, 6))
            count = sum(x.astype(np.uint8) for x in (n, ne, e, se, so, sw, w, nw))
            corner = (n & e) | (e & so) | (so & w) | (w & n)
            end = (count < 2) | ((count == 2) & ~corner)
            centre = s[:, 1:-1, 1:-1]
            drop = centre & (yokoi == 1) & ~end & (parity[1:-1, 1:-1] == colour)
            if drop.any():
                centre &= ~drop
                changed = True
        if not changed:
            break
    return s[:, 1:-1, 1:-1]


def trace(skeleton: np.ndarray) -> list[np.ndarray]:
    """The skeleton's branches as polylines, in skeleton pixels (x, y).

    Args:
        skeleton: (H, W) bool, one pixel wide.

    Returns:
        Polylines (n, 2) float32, spurs and specks left out.
    """
    pixels = {(int(y), int(x)) for y, x in zip(*np.nonzero(skeleton))}
    nbrs = {p: [(p[0] + dy, p[1] + dx) for dy, dx in NEIGHBOURS
                if (p[0] + dy, p[1] + dx) in pixels] for p in pixels}
    nodes = {p for p, n in nbrs.items() if len(n) != 2}
    used: set[frozenset] = set()
    paths = []
    for start in sorted(nodes) + sorted(pixels):  # then loops, which have no node
        for nxt in nbrs[start]:
            if frozenset((start, nxt)) in used:
                continue
            path = [start, nxt]
            used.add(frozenset((start, nxt)))
            while path[-1] not in nodes and path[-1] != start:
                ahead = [n for n in nbrs[path[-1]] if frozenset((path[-1], n)) not in used]
                if not ahead:
                    break
                used.add(frozenset((path[-1], ahead[0])))
                path.append(ahead[0])
            paths.append(path)
    # Spurs: short branches from a junction to a free end.
    ends = {p for p, n in nbrs.items() if len(n) == 1}
    kept = [p for p in paths
            if not (len(p) <= SPUR and (p[0] in ends) != (p[-1] in ends))]
    lines = [np.array(path, np.float32)[:, ::-1] for path in kept]
    return [_smooth(line) for line in lines if len(line) >= 2]


def _smooth(line: np.ndarray) -> np.ndarray:
    """A 3-point moving average that keeps the ends where they are (loops stay closed)."""
    if len(line) < 3:
        return line
    out = line.copy()
    out[1:-1] = (line[:-2] + 2 * line[1:-1] + line[2:]) / 4
    return out


def deslant(lines: list[np.ndarray]) -> list[np.ndarray]:
    """Removes a drawing's slant (the shear that makes its main axis upright), in place of
    the writer's own; the evaluation and the training then add a lean of their choosing."""
    points = np.concatenate(lines)
    centre = points.mean(axis=0)
    c = points - centre
    vy = float((c[:, 1] ** 2).mean())
    if vy <= 0:
        return lines
    shear = float((c[:, 0] * c[:, 1]).mean()) / vy  # x grows this much per unit of y
    shear = float(np.clip(shear, -0.6, 0.6))
    return [np.stack([line[:, 0] - shear * (line[:, 1] - centre[1]), line[:, 1]], axis=1)
            for line in lines]


def digit_strokes(images: np.ndarray, grey_loops: bool = True) -> list[list[np.ndarray]]:
    """MNIST digits (N, 28, 28) uint8 as strokes in skeleton pixels (56-pixel field); see
    `skeletons` for `grey_loops`."""
    return [trace(s) for s in skeletons(images, grey_loops)]


PEN_JOIN = 1.5  # skeleton pixels: fragments whose ends are this close are one stroke


def pen_strokes(lines: list[np.ndarray]) -> list[np.ndarray]:
    """The tracer's fragments joined end to end into the few strokes a pen would make: the
    longest first, each end extended by the fragment that carries on straightest."""
    left = sorted((np.asarray(ln, np.float64) for ln in lines), key=len, reverse=True)
    strokes = []
    while left:
        stroke = left.pop(0)
        for _ in range(2):  # grow the end, then (reversed) the start
            while True:
                best, pick = None, None
                for i, ln in enumerate(left):
                    for piece in (ln, ln[::-1]):
                        if np.hypot(*(piece[0] - stroke[-1])) > PEN_JOIN:
                            continue
                        turn = _turn(stroke, piece)
                        if best is None or turn < best:
                            best, pick = turn, (i, piece)
                if pick is None:
                    break
                stroke = np.vstack([stroke, pick[1][1:]])
                del left[pick[0]]
            stroke = stroke[::-1]
        strokes.append(stroke)
    return strokes


def _turn(stroke: np.ndarray, piece: np.ndarray) -> float:
    """How far `piece` turns away from the direction in which `stroke` ends (0 = straight on)."""
    a = stroke[-1] - stroke[max(0, len(stroke) - 4)]
    b = piece[min(len(piece) - 1, 3)] - piece[0]
    norm = float(np.hypot(*a) * np.hypot(*b))
    return 1.0 - float(a @ b) / norm if norm else 1.0
