"""The gate on drawn strokes: digits drawn in unusual ways are read (gone round twice, as two
rings, by a shaky, slow or resting finger), while the scribbles that look like them are refused."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app import NotADigitError
from edge_app.gate import NOT_A_DIGIT
from edge_app.strokes import render
from edge_app.styles import STYLES, arc, spline, styled

CANVAS = (456, 456)


def test_a_zero_gone_round_twice_is_a_digit_but_loops_moving_along_are_not():
    from edge_app.strokes import measure

    zero = arc(228, 228, 70, 100, -80, -80 - 2 * 360, 80).astype(np.float32)
    shape = measure([zero], CANVAS)
    assert shape.length > 5 * shape.extent and shape.ink_length < 3.3 * shape.extent
    assert render([zero], CANVAS).max() > 0.9
    t = np.linspace(0, 2 * np.pi * 3, 160)  # three loops, each 20 px further right
    loops = np.stack([150 + 50 * np.cos(t) + 20 * t / (2 * np.pi), 228 + 50 * np.sin(t)], 1)
    shape = measure([loops.astype(np.float32)], CANVAS)
    assert shape.ink_length > 4 * shape.extent  # each loop covers ink of its own
    with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
        render([loops.astype(np.float32)], CANVAS)
    zigzag = np.array([[100 + 150 * (i % 2), 100 + 40 * i] for i in range(8)], np.float32)
    assert measure([zigzag], CANVAS).ink_length is None  # it reverses: no second round


def test_a_wide_eight_run_on_past_its_start_is_a_digit_but_loops_moving_along_are_not():
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.strokes import measure

    # Begun at its crossing with a tick, round the top, across, round the bottom and on past
    # the start: 8s drawn so (UNIPEN's writers) travel 4.2-5 times their width.
    path = spline([(0.78, 0.22), (0.85, 0.06), (0.5, 0.0), (0.08, 0.12), (0.3, 0.38),
                   (0.75, 0.62), (0.88, 0.88), (0.5, 1.0), (0.12, 0.86), (0.35, 0.6),
                   (0.75, 0.32), (0.86, 0.1)], 12) * [1.3, 1.0]
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    start = np.vstack([[path[0] + [0.05, 0.05]], path])
    for eight in (start, np.vstack([start, [path[-1] + [-0.06, 0.02]]])):  # a flick at the end
        strokes = [(eight * 150 + 60).astype(np.float32)]
        shape = measure(strokes, CANVAS)
        assert 4.5 < shape.length / shape.extent < 5 and shape.turning > 1.9
        assert shape.ink_length > 3.3 * shape.extent  # it does not lie on itself
        assert classifier.predict(render(strokes, CANVAS)).digit == 8
    t = np.linspace(0, 2 * np.pi * 3, 160)  # longer still: loops moving along
    loops = np.stack([150 + 50 * np.cos(t) + 20 * t / (2 * np.pi), 228 + 50 * np.sin(t)], 1)
    shape = measure([loops.astype(np.float32)], CANVAS)
    assert shape.length > 5 * shape.extent and shape.ink_length > 3.3 * shape.extent
    with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
        render([loops.astype(np.float32)], CANVAS)


def test_an_eight_drawn_as_two_rings_in_one_stroke_is_read_but_two_zeros_are_not():
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.gate import JOINED, MAX_TURNING, RINGS_TURNING
    from edge_app.strokes import measure

    # As some of UNIPEN's writers draw it: a hook where the pen lands on top of the lower
    # ring, round that ring a little more than once, on up and round the upper ring.
    hook = arc(250, 205, 12, 12, 180, 360, 8)
    lower = arc(228, 290, 80, 75, -80, 340, 70)
    upper = arc(228, 160, 60, 55, 160, 520, 60)
    eight = [np.vstack([hook, lower, upper]).astype(np.float32)]
    assert MAX_TURNING < measure(eight, CANVAS).turning < RINGS_TURNING
    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert classifier.predict(render(eight, CANVAS)).digit == 8
    # The same rings side by side are "00" written without lifting the pen: one stroke cannot
    # be cut into two digits, so it is refused rather than read as one, and the person is
    # asked to lift the pen, though it turns further than one digit may.
    left = arc(150, 228, 60, 78, -80, 340, 70)
    right = arc(290, 228, 60, 78, 160, 520, 60)
    zeros = [np.vstack([hook - [78, -23], left, right]).astype(np.float32)]
    assert MAX_TURNING < measure(zeros, CANVAS).turning < RINGS_TURNING
    with pytest.raises(NotADigitError, match=JOINED):
        render(zeros, CANVAS)


def read_text(strokes: list[np.ndarray], canvas: tuple[int, int] = CANVAS) -> str:
    """What the app reads from strokes (one digit or a number), with the int8 CNN."""
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    return read_strokes(classifier, strokes, lambda g, row: render(g, canvas, row=row)).text


def test_two_zeros_written_without_lifting_the_pen_are_not_read_as_one():
    from edge_app.gate import JOINED, MAX_TURNING
    from edge_app.strokes import measure

    # "2001" whose two 0s are one stroke: round the first 0 and on round the second. Read as
    # drawn it was "201", the pair taken for one 0.
    two = np.array([[60, 300], [90, 270], [130, 275], [140, 310], [120, 350], [60, 420],
                    [150, 420]], np.float32)
    first = arc(230, 345, 45, 70, -90, -470, 60)
    second = arc(340, 345, 45, 70, -90, -470, 60)
    one = np.array([[450, 275], [450, 420]], np.float32)
    canvas = (700, 700)
    zeros = np.vstack([first, second]).astype(np.float32)
    assert measure([zeros], canvas).turning < MAX_TURNING
    with pytest.raises(NotADigitError, match=JOINED):
        read_text([two, zeros, one], canvas)
    with pytest.raises(NotADigitError, match=JOINED):
        read_text([zeros], canvas)
    # Lifted between them, the same 0s are read as the number.
    lifted = [two, first.astype(np.float32), second.astype(np.float32), one]
    assert read_text(lifted, canvas) == "2001"


def test_tall_zeros_written_close_together_without_lifting_the_pen_are_not_read_as_one():
    from edge_app.gate import JOINED, JOINED_ASPECT
    from edge_app.strokes import measure

    # "100" whose 0s are one stroke, each 0 tall and the two close: no wider than one digit
    # may be, so the width alone does not tell them from one 0.
    one = np.array([[90, 230], [95, 400]], np.float32)
    first = arc(200, 315, 45, 80, -90, -440, 60)
    second = arc(295, 315, 45, 80, -90, -440, 60)
    zeros = np.vstack([first, second]).astype(np.float32)
    assert measure([zeros], CANVAS).aspect < JOINED_ASPECT
    with pytest.raises(NotADigitError, match=JOINED):
        read_text([one, zeros])
    assert read_text([one, first.astype(np.float32), second.astype(np.float32)]) == "100"
    # With the 1 close beside them the whole "100" is no wider than one digit either; the 0s
    # still hold two digits, so it is neither joined to the 1 nor read whole as one digit.
    close = np.array([[120, 230], [125, 400]], np.float32)
    with pytest.raises(NotADigitError, match=JOINED):
        read_text([close, zeros])
    # A 0 whose slash runs on from the ring in one stroke encloses paper left and right too,
    # with no waist between: still a 0. So is an 8, whose rings lie one above the other.
    slashed = np.vstack([arc(228, 228, 60, 90, -90, -450, 60), [[300, 120]],
                         [[160, 340]]]).astype(np.float32)
    assert read_text([slashed]) == "0"
    eight = np.vstack([arc(228, 160, 50, 55, 90, 90 + 360, 40),
                       arc(228, 265, 60, 50, -90, -90 - 360, 40)]).astype(np.float32)
    assert read_text([eight]) == "8"


def test_a_slow_line_wiggles_but_is_still_a_line():
    rng = np.random.default_rng(5)
    dash = np.array([[100.0, 220.0], [300.0, 235.0]])
    slash = np.array([[100.0, 330.0], [330.0, 170.0]])
    stem = np.array([[228.0, 80.0], [236.0, 380.0]])
    for seed in range(3):
        rng = np.random.default_rng(seed)
        for mark in (dash, slash):  # an event every pixel, each a pixel off: 2-2.6 times as long
            with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
                render(shaky([mark], rng, sigma=1.0, step=1.0), CANVAS)
        assert render(shaky([stem], rng, sigma=1.0, step=1.0), CANVAS).max() > 0.9  # a 1


def gone_over(strokes: list[np.ndarray], shift: float = 4.0) -> list[np.ndarray]:
    """The digit drawn again over itself, stroke by stroke, `shift` pixels off."""
    return strokes + [s + np.float32([shift, -shift]) for s in strokes]


@pytest.mark.parametrize("index", [i for i, (label, _, _) in enumerate(STYLES)
                                   if label in (5, 8, 9)])
def test_a_digit_gone_over_again_is_read_as_drawn_once(index):
    from edge_app import ClassifierOptions, DigitClassifier
    from edge_app.strokes import measure

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    label = STYLES[index][0]
    rng = np.random.default_rng(index)
    once = [(s * 300 + 80).astype(np.float32) for s in styled(index, rng)]
    twice = gone_over(once)
    shape = measure(twice, CANVAS)
    assert shape.ink_length is not None and shape.ink_length < 0.66 * shape.length
    assert classifier.predict(render(once, CANVAS)).digit == label
    assert classifier.predict(render(twice, CANVAS)).digit == label


def hatching(lines: int, spacing: float, width: float = 300.0) -> np.ndarray:
    """Back and forth across `width` pixels, `spacing` pixels lower each time, turning round
    in a half circle: a patch coloured in."""
    points = []
    for k in range(lines):
        y, right = 100 + k * spacing, k % 2 == 0
        points += [(x, y) for x in np.linspace(80, 80 + width, 12)[::1 if right else -1]]
        t = np.linspace(-np.pi / 2, np.pi / 2, 6)[1:-1]
        x0 = 80 + width if right else 80
        points += [(x0 + (1 if right else -1) * spacing / 2 * np.cos(a),
                    y + spacing / 2 * (1 + np.sin(a))) for a in t]
    return np.array(points)


def test_scribbles_that_lie_on_themselves_are_still_refused():
    # Loops going round in place, each a little bigger: on itself, but ever turning.
    t = np.linspace(0, 2 * np.pi * 6, 300)
    coil = np.stack([228 + (60 + 4 * t) * np.cos(t), 228 + (60 + 4 * t) * np.sin(t)], 1)
    # A zig-zag drawn back over itself reverses at every line, and so does a patch coloured in
    # with lines closer than the pen, though each turn round is a half circle.
    zigzag = np.array([[100 + 150 * (i % 2), 100 + 8 * (i % 10)] for i in range(30)])
    for mark in (coil, zigzag, hatching(6, 15.0), hatching(8, 15.0)):
        with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
            render([mark.astype(np.float32)], CANVAS)


def shaky(strokes: list[np.ndarray], rng: np.random.Generator, sigma: float = 2.0,
          step: float = 3.0) -> list[np.ndarray]:
    """Strokes as a shaky finger or a noisy panel reports them: a motion event every `step`
    pixels, each `sigma` pixels off (σ)."""
    out = []
    for s in strokes:
        p = np.asarray(s, np.float64)
        at = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))))
        t = np.arange(0.0, at[-1], step)
        q = np.stack([np.interp(t, at, p[:, 0]), np.interp(t, at, p[:, 1])], 1)
        out.append((q + rng.normal(0, sigma, q.shape)).astype(np.float32))
    return out


@pytest.mark.parametrize("index", [i for i, (label, _, _) in enumerate(STYLES)
                                   if label in (2, 3, 8, 9)])
def test_a_digit_from_a_shaky_finger_is_read_not_refused(index):
    from edge_app import ClassifierOptions, DigitClassifier

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    for seed in range(4):
        rng = np.random.default_rng(seed)
        strokes = shaky([s * 150 + 150 for s in styled(index, rng)], rng)
        assert classifier.predict(render(strokes, CANVAS)).digit == STYLES[index][0]


def test_a_shaky_scribble_is_still_refused():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 2 * np.pi * 3, 160)  # three loops moving along
    loops = np.stack([150 + 50 * np.cos(t) + 20 * t / (2 * np.pi), 228 + 50 * np.sin(t)], 1)
    zigzag = np.array([[100 + 150 * (i % 2), 100 + 8 * i] for i in range(20)], np.float64)
    for mark in (loops, zigzag):
        with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
            render(shaky([mark], rng), CANVAS)
    # Drawn slowly, an event every pixel a pixel off, the loops travel 1.4 times as far as
    # they do: measured so, they looked like a digit gone over again.
    for seed in range(3):
        with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
            render(shaky([loops], np.random.default_rng(seed), sigma=1.0, step=1.0), CANVAS)


@pytest.mark.parametrize("index", [i for i, (_, name, _) in enumerate(STYLES)
                                   if name in ("2", "3", "round 9")])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_pen_resting_in_a_stroke_is_no_scribble(index, where, monkeypatch):
    from edge_app import ClassifierOptions, DigitClassifier, strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    rng = np.random.default_rng(index)
    # A fast finger (a dozen motion events a stroke) that rests a moment where it lands, on
    # its way or before it lifts: the panel reports its noise, whole pixels about the same
    # place (UNIPEN's pens did so), 30 reports: half a second on a 60 Hz panel.
    lines = [(s * 300 + 80)[::max(1, len(s) // 12)] for s in styled(index, rng)]
    line = lines[-1]
    at = {"start": 0, "middle": len(line) // 2, "end": len(line) - 1}[where]
    rest = line[at] + rng.integers(-2, 3, (30, 2))
    lines[-1] = np.vstack([line[:at + 1], rest, line[at + 1:]])
    assert classifier.predict(render(lines, CANVAS)).digit == STYLES[index][0]
    monkeypatch.setattr(strokes, "CALM", 0.0)  # measured with every point of the rest
    with pytest.raises(NotADigitError, match=NOT_A_DIGIT):
        render(lines, CANVAS)
