"""The stroke evaluation: tracing, hand-built styles, marks, drawing through the app's canvas."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from convert.evaluate import close_calls, score_strokes
from edge_app import loops, strokeset, styles, trace
from edge_app.strokes import measure, render


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


def test_every_style_is_a_digit_and_every_mark_is_not():
    rng = np.random.default_rng(0)
    for index, (_, name, _) in enumerate(styles.STYLES):
        strokes = [s * 200 + 100 for s in styles.styled(index, rng)]
        assert render(strokes, (456, 456)).max() > 0, name
    for kind in styles.MARKS:
        marks = styles.mark(kind, rng, 456)
        with pytest.raises(Exception, match="Too small|Not a digit"):
            render(marks, (456, 456))


@pytest.fixture(scope="module")
def small_set(test_split):
    x, y = test_split
    return strokeset.build(x, y, digits=8, styled=15, marks=7, seed=1)


def test_the_set_is_drawn_through_the_app_canvas(small_set):
    digits = [d for d in small_set if d.label >= 0]
    marks = [d for d in small_set if d.label < 0]
    assert len(digits) == 23 and len(marks) == 7
    for d in small_set:
        assert d.canvas in strokeset.CANVASES
        assert d.pixels.shape == d.canvas[::-1] and d.pixels.dtype == np.uint8
        assert d.pixels.min() < 50 and d.pixels.max() == 255  # dark ink on white
    for d in digits:
        shape = measure(d.strokes, d.canvas)
        ink = shape.extent + strokeset.brush_of(d.canvas)
        assert abs(ink / d.canvas[0] - d.size) < 0.05  # drawn at the size it is filed under
        assert strokeset.SIZES[0] <= d.size <= strokes_max()


def test_a_drawing_is_the_same_whatever_else_the_set_holds(test_split):
    x, y = test_split
    alone = strokeset.build(x, y, digits=8, styled=0, marks=0, seed=1)
    small_set = strokeset.build(x, y, digits=8, styled=3, marks=2, seed=1)
    assert [d.kind for d in small_set].count("mnist") == 8
    # The same MNIST digits drawn the same way, with or without styles and marks after them...
    for a, b in zip(alone, small_set):
        assert a.label == b.label and a.canvas == b.canvas and len(a.strokes) == len(b.strokes)
        assert all(np.array_equal(s, t) for s, t in zip(a.strokes, b.strokes))
    # ... and another seed draws them otherwise.
    other = strokeset.build(x, y, digits=8, styled=0, marks=0, seed=2)
    assert any(len(a.strokes) != len(b.strokes) or not np.array_equal(a.strokes[0], b.strokes[0])
               for a, b in zip(alone, other))


def test_a_fast_finger_draws_the_same_digits_with_fewer_points(test_split):
    x, y = test_split
    slow = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1)
    fast = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1, fast=True)
    for a, b in zip(slow, fast):
        assert (a.label, a.kind, a.canvas, a.size) == (b.label, b.kind, b.canvas, b.size)
        assert sum(map(len, b.strokes)) < sum(map(len, a.strokes))
        # Motion events lie the fast finger's distance apart, a share of the digit's size.
        digit = b.size * b.canvas[0] - strokeset.brush_of(b.canvas)
        gaps = np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in b.strokes if len(s) > 2])
        assert 0.6 * strokeset.FAST_STEP[0] < np.median(gaps) / digit < strokeset.FAST_STEP[1]
        # Posed alike: the same box, less what the straight lines cut off the curves.
        box = lambda d: np.ptp(np.concatenate(d.strokes), axis=0)  # noqa: E731
        assert np.allclose(box(a), box(b), atol=0.1 * box(a).max())


def test_a_slow_finger_on_a_noisy_panel_draws_the_same_digits_with_many_points(test_split):
    x, y = test_split
    usual = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1)
    slow = strokeset.build(x, y, digits=6, styled=4, marks=0, seed=1, slow=True)

    def wiggle(d) -> float:  # how far each motion event lies off its neighbours' midpoint
        return float(np.median(np.concatenate([
            np.hypot(*(s[1:-1] - (s[:-2] + s[2:]) / 2).T) for s in d.strokes if len(s) > 2])))

    for a, b in zip(usual, slow):
        assert (a.label, a.kind, a.canvas, a.size) == (b.label, b.kind, b.canvas, b.size)
        # Motion events 1-2 pixels apart (at the 456-pixel scale), each about a pixel off.
        scale = b.canvas[0] / strokeset.CANVASES[0][0]
        gaps = np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in b.strokes if len(s) > 2])
        assert strokeset.SLOW_STEP[0] * scale <= np.median(gaps) < 2.5 * strokeset.SLOW_STEP[1]
        assert wiggle(b) > 0.6 * strokeset.SLOW_JITTER
        assert sum(map(len, b.strokes)) > sum(map(len, a.strokes))
        box = lambda d: np.ptp(np.concatenate(d.strokes), axis=0)  # noqa: E731
        assert np.allclose(box(a), box(b), atol=0.1 * box(a).max())


def strokes_max() -> float:
    return strokeset.SIZES[1]


def test_inputs_and_scores(small_set):
    inputs = strokeset.model_inputs(small_set)
    n = len(small_set)
    assert inputs.stroke.shape == inputs.image.shape == (n, 28, 28)
    digits = inputs.labels >= 0
    assert not inputs.stroke_refused[digits].any()
    assert inputs.stroke_refused[~digits].all()
    assert len(inputs.first_index) > 0 and (inputs.labels[inputs.first_index] >= 0).all()
    # Scores of an oracle and of an always-wrong model.
    oracle = np.eye(10, dtype=np.float32)[np.maximum(inputs.labels, 0)]
    scored = score_strokes(inputs, oracle, oracle)
    assert scored["stroke"]["accuracy"] == 1 and scored["stroke"]["marks_refused"] == 1
    assert scored["digits"] == int(digits.sum()) and len(scored["stroke"]["bands"]) == 7
    wrong = np.roll(oracle, 1, axis=1)
    assert score_strokes(inputs, wrong, wrong)["stroke"]["accuracy"] == 0
    # What the app shows for digits its grouping cuts replaces the stroke path's answer:
    # read as a number or refused is wrong there, the one right digit is right.
    first, second, third = np.flatnonzero(digits)[:3]
    split = {first: f"{inputs.labels[first]}1", second: "", third: str(inputs.labels[third])}
    scored = score_strokes(inputs, oracle, oracle, split=split)
    assert scored["stroke"]["accuracy"] == pytest.approx(1 - 2 / digits.sum(), abs=1e-6)
    assert scored["stroke"]["read_as_number"] == pytest.approx(1 / digits.sum(), abs=1e-6)
    assert scored["stroke"]["false_refusals"] == pytest.approx(1 / digits.sum(), abs=1e-6)
    assert scored["image"]["accuracy"] == 1


def test_digits_the_app_would_cut_are_read_as_the_app_reads_them():
    from convert.evaluate import read_split
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from tests.test_segment_joins import slanted_four
    from tests.test_segment_strokes import line

    # A slanted 4 that the boxes cut in two, two 1s side by side drawn as "one digit", a 7
    # with a tap beside it (left out before grouping, as the app does), and a 1 with a dash
    # far off (refused).
    canvas = (456, 456)
    tap = np.array([[300.0, 240.0]])
    cases = ((slanted_four(100, 100), 4, "four"),
             ([line((100, 100), (100, 250)), line((250, 100), (250, 250))], 1, "ones"),
             ([line((100, 100), (200, 100), (140, 250)), tap], 7, "seven"),
             ([line((100, 100), (100, 250)), line((250, 180), (400, 180))], 1, "dash"))
    drawn = [strokeset.Drawing(*strokeset.draw(strokes, canvas), canvas, label, kind, 0.3)
             for strokes, label, kind in cases]
    inputs = strokeset.model_inputs(drawn)
    assert sorted(inputs.split) == [0, 1, 3]
    seven = strokeset.model_inputs([strokeset.Drawing(
        *strokeset.draw(cases[2][0][:1], canvas), canvas, 7, "seven", 0.3)])
    assert np.array_equal(inputs.stroke[2], seven.stroke[0])
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert read_split(classifier, inputs) == {0: "4", 1: "11", 3: ""}


def test_close_call_counts():
    probs = np.array([[0.55, 0.45] + [0] * 8, [0.9, 0.1] + [0] * 8, [0.1, 0.9] + [0] * 8])
    found = close_calls(probs, np.array([1, 0, 0]), margin=0.2)
    assert found["fires"] == pytest.approx(1 / 3) and found["errors"] == 2
    assert found["catches"] == 0.5 and found["runner_up_right"] == 1
