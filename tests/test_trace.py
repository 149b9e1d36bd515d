"""The tracer: MNIST bitmaps thinned and traced into the strokes a pen would make."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edge_app import loops, trace
from edge_app.strokes import render


def ring(side: int = 28) -> np.ndarray:
    yy, xx = np.mgrid[:side, :side]
    r = np.hypot(yy - side / 2, xx - side / 2)
    return ((np.abs(r - 8) < 1.5) * 255).astype(np.uint8)


def test_skeleton_of_a_ring_traces_to_one_closed_loop():
    lines = trace.digit_strokes(ring()[None])[0]
    assert len(lines) == 1
    loop = lines[0]
    assert np.abs(loop[0] - loop[-1]).max() <= 1.5  # ends where it started
    r = np.hypot(*(loop - trace.UPSCALE * 14).T)
    assert np.abs(r - 2 * 8).max() < 3  # on the ring, at twice the resolution


def disk(image: np.ndarray, cy: float, cx: float, radius: float) -> None:
    yy, xx = np.mgrid[:image.shape[0], :image.shape[1]]
    image[np.hypot(yy - cy, xx - cx) <= radius] = 255


def loop_count(skeleton: np.ndarray) -> int:
    """Closed loops of a skeleton: the paper it encloses, in separate pieces."""
    return len(loops.components(np.pad(~skeleton, 1, constant_values=True))) - 1


def test_a_loop_filled_by_a_bold_pen_is_traced_as_a_loop():
    nine = np.zeros((28, 28), np.uint8)
    disk(nine, 9, 13, 5.0)  # the head, filled in by the pen
    for t in np.linspace(0, 1, 60):  # the stem
        disk(nine, 9 + 15 * t, 17.5 - 1.5 * t, 1.6)
    ink = np.asarray(Image.fromarray(nine).resize((56, 56), Image.Resampling.BILINEAR)) > 127
    assert loop_count(trace.thin(ink[None])[0]) == 0  # plain thinning: a stem, as a 7
    skeleton = trace.skeletons(nine[None])[0]
    assert loop_count(skeleton) == 1
    lines = trace.pen_strokes(trace.trace(skeleton))
    # The loop goes round the head, where the pen went: about its radius out (at 2×).
    head = np.concatenate(lines)
    head = head[head[:, 1] < 2 * 13]
    r = np.hypot(head[:, 0] - 2 * 13, head[:, 1] - 2 * 9)
    assert 4 < np.median(r) < 11


def test_a_thick_stretch_of_a_bold_zero_gets_no_second_loop():
    yy, xx = np.mgrid[:28, :28]
    r = np.hypot(yy - 14, (xx - 14) * 1.3)
    side = np.abs(np.degrees(np.arctan2(yy - 14, xx - 14))) < 50
    zero = ((np.abs(r - 8) < np.where(side, 3.2, 1.5)) * 255).astype(np.uint8)
    ink = np.asarray(Image.fromarray(zero).resize((56, 56), Image.Resampling.BILINEAR)) > 127
    deep = loops.depth(ink[None])[0]
    assert deep.max() >= 2 * np.median(deep[trace.thin(ink[None])[0]])  # deep enough to cut
    assert loop_count(trace.skeletons(zero[None])[0]) == 1


def bold_eight(inside: int) -> np.ndarray:
    """Two rings of a bold pen, one over the other, with `inside` grey left in each."""
    eight = np.zeros((28, 28), np.uint8)
    yy, xx = np.mgrid[:28, :28]
    for cy, radius in ((8.5, 4.5), (18.5, 5.5)):
        r = np.hypot(yy - cy, xx - 14)
        eight[r <= radius] = 255
        eight[r <= radius - 2.8] = inside
    return eight


@pytest.mark.parametrize("inside", [0, 150, 170])
def test_grey_paper_inside_a_bold_eight_is_traced_as_its_two_loops(inside):
    eight = bold_eight(inside)
    ink = np.asarray(Image.fromarray(eight).resize((56, 56), Image.Resampling.BILINEAR))
    if inside:  # at the 0.5 threshold the rings are solid: thinning alone loses them
        assert loop_count(trace.thin((ink > trace.THRESHOLD * 255)[None])[0]) == 0
    assert loop_count(trace.skeletons(eight[None])[0]) == 2
    if inside:  # the training's tracing, as it was
        assert loop_count(trace.skeletons(eight[None], grey_loops=False)[0]) < 2


def test_a_filled_ring_beside_an_open_one_is_traced_as_a_loop():
    # A bold 8: the top ring open, the bottom one filled solid by the pen. Where the rings
    # meet, the filled one's core reaches towards the top ring's paper; its middle does not.
    eight = np.zeros((28, 28), np.uint8)
    yy, xx = np.mgrid[:28, :28]
    top = np.hypot(yy - 8.5, xx - 14)
    eight[top <= 4.5] = 255
    eight[top <= 2.0] = 0
    eight[np.hypot(yy - 18.0, xx - 14) <= 5.5] = 255
    assert loop_count(trace.skeletons(eight[None])[0]) == 2
    # The training's tracing, as it was: judged by the core's nearest pixel, a wall.
    assert loop_count(trace.skeletons(eight[None], grey_loops=False)[0]) == 1


def test_a_loop_with_a_grey_rim_is_traced_along_the_pen_not_the_rim():
    zero = ring()  # the pen: 6.5-9.5 pixels from the centre
    r = np.hypot(*(np.mgrid[:28, :28] - 14))
    zero[(r < 6.5) & (r >= 3.5)] = 160  # a grey rim inside, around paper
    big = np.asarray(Image.fromarray(zero).resize((56, 56), Image.Resampling.BILINEAR))

    def radius(skeleton: np.ndarray) -> float:
        yy, xx = np.nonzero(skeleton)
        return float(np.median(np.hypot(yy - 28, xx - 28))) / trace.UPSCALE

    # Thinning the ink at the 0.5 threshold goes round the middle of pen and rim together.
    assert radius(trace.thin((big > trace.THRESHOLD * 255)[None])[0]) < 7
    skeleton = trace.skeletons(zero[None])[0]
    assert loop_count(skeleton) == 1
    assert 7.5 < radius(skeleton) < 8.5


def test_traced_mnist_digits_render_like_the_originals(test_split):
    x, y = test_split
    lines = trace.digit_strokes(x[:20])
    for original, strokes in zip(x[:20], lines):
        redrawn = render(strokes, (56, 56), judge=False)
        ink = original > 127
        # Most of the original's ink lies under the redrawn pen (within a pixel; a bold pen's
        # ink is wider than the redrawn one), and the redrawn pen on the original's ink.
        assert (grown(redrawn > 0.2) & ink).sum() >= 0.8 * ink.sum()
        pen = redrawn > 0.5
        assert (pen & grown(ink)).sum() >= 0.85 * pen.sum()


def test_a_stroke_drawn_lightly_is_traced_whole():
    # A 7 whose bar the writer drew lightly: grey, under half of full ink, beside a black stem.
    seven = np.zeros((28, 28), np.uint8)
    seven[5:7, 7:21] = 100
    for y in range(6, 23):
        x = round(20 - (y - 6) * 0.45)
        seven[y, x - 1:x + 1] = 255
    def left(lines):  # the traced ink's left end, in pixels of the 28-pixel digit
        return np.concatenate(lines)[:, 0].min() / trace.UPSCALE

    assert left(trace.digit_strokes(seven[None], faint=False)[0]) > 12  # the stem alone
    assert left(trace.digit_strokes(seven[None])[0]) < 9  # the bar, from x = 7, too


def test_a_grey_seam_between_black_strokes_stays_paper():
    # An open 4's arm ending beside its upright: the grey between two black strokes is their
    # anti-aliased edges, not a stroke drawn lightly, and must not close the loop.
    u = np.zeros((28, 28), np.uint8)
    u[6:20, 8:11] = u[6:20, 13:16] = u[18:21, 8:16] = 255
    u[6:9, 11:13] = 110
    for faint in (True, False):
        assert loop_count(trace.skeletons(u[None], faint=faint)[0]) == 0


def test_local_peak_is_the_brightest_pixel_around():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (2, 9, 11), np.uint8)
    got = trace.local_peak(images, 2, 40.0)
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2)))
    want = np.max([padded[:, dy:dy + 9, dx:dx + 11] for dy in range(5) for dx in range(5)], 0)
    assert np.array_equal(got, np.maximum(want, 40).astype(np.float32))


def grown(mask: np.ndarray) -> np.ndarray:
    """A (28, 28) mask grown by one pixel, diagonals included."""
    padded = np.pad(mask, 1)
    return np.max([padded[dy:dy + 28, dx:dx + 28] for dy in range(3) for dx in range(3)], 0)


def rings_image(centres: list[tuple[int, int]], radius: int = 5) -> np.ndarray:
    """Rings of `radius` pixels (a pen of about 2) at (row, column) `centres` on a 28×28 field."""
    yy, xx = np.mgrid[:28, :28]
    ink = np.zeros((28, 28), bool)
    for cy, cx in centres:
        r = np.hypot(yy - cy, xx - cx)
        ink |= (r >= radius - 1) & (r <= radius + 1)
    return ink


def test_holes_apart_tells_rings_side_by_side_from_rings_stacked_and_a_slashed_ring():
    across, level, waist = loops.holes_apart(rings_image([(14, 8), (14, 18)]))
    assert across == pytest.approx(10 / 13, abs=0.05) and level < 0.05 and waist > 0.2
    # An 8's outline has no waist at its top or bottom, nor has a 0's.
    assert loops.holes_apart(rings_image([(8, 14), (19, 14)])) is None
    assert loops.holes_apart(rings_image([(14, 14)])) is None
    # A slash that runs out of the ring notches the outline beside it, but not between the
    # paper it leaves either side.
    slashed = rings_image([(14, 14)], radius=7)
    slashed[np.arange(3, 26), np.arange(3, 26)[::-1]] = True  # the slash, past the ring
    slashed[np.arange(3, 25), np.arange(3, 25)[::-1]] = True  # two pixels: no diagonal gap
    across, _, waist = loops.holes_apart(slashed)
    assert across > 0.1 and waist == 0
