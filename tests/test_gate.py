"""The not-a-digit gate's judgement of a mark's geometry (`edge_app.gate`), on given measures."""

from __future__ import annotations

import pytest

from edge_app.gate import JOINED, NOT_A_DIGIT, TOO_SMALL, Shape, axes, verdict


def bendy(turning: float, **measures) -> Shape:
    """A mark 4 times as long as its box, turning `turning` whole turns (an 8 or a scribble)."""
    return Shape(extent=100, length=400, spread=0.5, angle=0, canvas=456, turning=turning,
                 **measures)


@pytest.mark.parametrize("shape, expected", [
    (Shape(extent=100, length=100, spread=0.0, angle=5, canvas=456), None),  # a 1
    (Shape(extent=100, length=100, spread=0.0, angle=80, canvas=456), NOT_A_DIGIT),  # a dash
    (Shape(extent=100, length=100, spread=0.3, angle=80, canvas=456), None),  # not a line
    (Shape(extent=30, length=30, spread=0.0, angle=0, canvas=456), TOO_SMALL),
    # In a number, a small digit is judged against the row of its neighbours ...
    (Shape(extent=30, length=30, spread=0.0, angle=0, canvas=456, row=35), None),
    (Shape(extent=30, length=30, spread=0.0, angle=0, canvas=456, row=60), TOO_SMALL),
    # ... but a row of tiny marks is still too small.
    (Shape(extent=15, length=15, spread=0.0, angle=0, canvas=456, row=15), TOO_SMALL),
    # A speck beside digits is no digit of the row, even where the canvas alone would pass it.
    (Shape(extent=60, length=60, spread=0.0, angle=0, canvas=456, row=120), TOO_SMALL),
    (Shape(extent=70, length=70, spread=0.0, angle=0, canvas=456, row=120), None),
    (Shape(extent=100, length=50, spread=0.5, angle=0, canvas=456), NOT_A_DIGIT),  # taps
    (bendy(3.0), None),  # an 8
    # An 8 drawn as two rings, one on the other, turns more than one drawn as a figure 8,
    # in two strokes or in one ...
    (bendy(3.6, strokes=2), None),
    (bendy(3.6, aspect=0.6), None),
    (bendy(3.9, strokes=2), NOT_A_DIGIT),
    (bendy(3.9, aspect=0.6), NOT_A_DIGIT),
    # ... but one stroke's rings side by side are "00" written without lifting the pen ...
    (bendy(3.6, aspect=1.5), NOT_A_DIGIT),
    # ... and more strokes that turn as far are more than one digit's rings.
    (bendy(3.5, strokes=3), NOT_A_DIGIT),
    (bendy(3.6, strokes=4), NOT_A_DIGIT),  # four rings in a row
    # Under 3.3 turns, one stroke wider than a digit that goes round like two rings is two
    # 0s written without lifting the pen: the person is asked to lift it ...
    (bendy(2.8, aspect=1.5), JOINED),
    # ... not for a digit as narrow as one, a lying 0 whose slash runs on, or two strokes
    # (the grouping tells those apart).
    (bendy(2.8, aspect=1.2), None),
    (bendy(2.4, aspect=1.5), None),
    (bendy(2.8, aspect=1.5, strokes=2), None),
    # Narrower, one stroke is two rings when its input encloses paper left and right, level,
    # with a waist between them ...
    (bendy(2.2, aspect=1.2, rings=(0.5, 0.05, 0.15)), JOINED),
    # ... not a 0 and its slash (no waist), an 8 (one above the other), nor a digit that
    # turns less than two rings.
    (bendy(2.2, aspect=1.2, rings=(0.5, 0.05, 0.0)), None),
    (bendy(2.2, aspect=0.7, rings=(0.1, 0.5, 0.15)), None),
    (bendy(1.6, aspect=1.2, rings=(0.5, 0.05, 0.15)), None),
    # Such rings turning further than one digit may are still asked to lift the pen (refused
    # as "Not a digit", a number read them with the 1 beside them as one "0"), up to as far
    # as an 8's two rings may turn.
    (bendy(3.6, aspect=1.2, rings=(0.5, 0.05, 0.15)), JOINED),
    (bendy(3.9, aspect=1.2, rings=(0.5, 0.05, 0.15)), NOT_A_DIGIT),
    (Shape(extent=100, length=450, spread=0.5, angle=0, canvas=456, turning=2.0), NOT_A_DIGIT),
    # A long, bendy path measured for its ink that does not lie on itself (a wide 8 run on
    # past its start) may be up to 5 times as long as its box, not 4.2 ...
    (Shape(extent=100, length=470, spread=0.5, angle=0, canvas=456, turning=2.4,
           ink_length=400, sharp_turns=1), None),
    (Shape(extent=100, length=520, spread=0.5, angle=0, canvas=456, turning=2.4,
           ink_length=430, sharp_turns=1), NOT_A_DIGIT),
    # ... and then, with no sharp turn, covering at most 3.3 times its box in ink.
    (Shape(extent=100, length=520, spread=0.5, angle=0, canvas=456, turning=2.4,
           ink_length=320), None),
    # A smooth path gone round twice is judged by the ink it covers once.
    (Shape(extent=100, length=550, spread=0.5, angle=0, canvas=456, turning=2.0,
           ink_length=280), None),
    (Shape(extent=100, length=550, spread=0.5, angle=0, canvas=456, turning=2.0,
           ink_length=400), NOT_A_DIGIT),
    # A path that lies on itself is judged as drawn once, a 9 gone over twice ...
    (Shape(extent=100, length=520, spread=0.5, angle=0, canvas=456, turning=3.6,
           ink_length=270, sharp_turns=2), None),
    # ... but not a zig-zag, which reverses at every line, nor ink no digit covers once.
    (Shape(extent=100, length=520, spread=0.5, angle=0, canvas=456, turning=3.6,
           ink_length=270, sharp_turns=4), NOT_A_DIGIT),
    (Shape(extent=100, length=900, spread=0.5, angle=0, canvas=456, turning=5.0,
           ink_length=450), NOT_A_DIGIT),
    (Shape(extent=100, length=800, spread=0.5, angle=0, canvas=456), NOT_A_DIGIT),
    # A picture: lines across an "8" cross its ink up to 5 times, across a scribble more...
    (Shape(extent=100, length=400, spread=0.5, angle=0, canvas=456, crossings=5), None),
    (Shape(extent=100, length=400, spread=0.5, angle=0, canvas=456, crossings=6), NOT_A_DIGIT),
    # ... or 4 times, with lines so close that the ink is dense for its height.
    (Shape(extent=100, length=400, spread=0.5, angle=0, canvas=456, crossings=4, aspect=0.8,
           fill=0.5), None),
    (Shape(extent=100, length=400, spread=0.5, angle=0, canvas=456, crossings=4, aspect=1.4,
           fill=0.5), NOT_A_DIGIT),
    # A wide mark filling its box is a scribble a brush filled in; a wide "2" is not that full.
    (Shape(extent=100, length=300, spread=0.5, angle=0, canvas=456, aspect=1.6, fill=0.6), None),
    (Shape(extent=100, length=300, spread=0.5, angle=0, canvas=456, aspect=1.6, fill=0.8),
     NOT_A_DIGIT),
    (Shape(extent=100, length=100, spread=0.0, angle=0, canvas=456, dots=True), NOT_A_DIGIT),
])
def test_gate_verdicts(shape, expected):
    assert verdict(shape) == expected


def test_gate_axes():
    assert axes(0.0, 4.0, 0.0) == (0.0, 0.0)  # vertical line
    spread, angle = axes(4.0, 0.0, 0.0)
    assert spread == 0 and angle == pytest.approx(90)
    spread, angle = axes(1.0, 1.0, 1.0)  # the diagonal x = y
    assert spread == pytest.approx(0, abs=1e-6) and angle == pytest.approx(45)
