"""Is a mark a digit at all? One geometric judgement shared by the stroke and image paths."""

from __future__ import annotations

import math
from dataclasses import dataclass

from edge_app.errors import NotADigitError
from edge_app.segment.boxes import MAX_ASPECT

TOO_SMALL = "Too small - draw bigger"
NOT_A_DIGIT = "Not a digit"
JOINED = "Lift the pen between digits"

# The digit's centreline box (its longer side) as a fraction of the canvas's shorter side. The
# app asks for digits of 20-90 % of the canvas; a tap or a tiny mark spans a few per cent.
MIN_EXTENT = 0.09
# A digit in a row of digits (a number) is judged against its neighbours instead: people write
# a year or a phone number smaller than one digit, down to 7 % of the canvas in the number
# evaluation. It must be ROW_SHARE of the row's median size, and the row at least ROW_MIN of
# the canvas, so that a row of taps is still too small.
ROW_SHARE = 0.6
ROW_MIN = 0.05
# A piece of a row under ROW_SPECK of the row's median size is no digit of it, however big the
# canvas makes it: a speck or a broken-off bit beside a digit (an MNIST 1 with a blot beside it
# was read as "11"), to be joined to its neighbour or left out. Measured with the int8 CNN: the
# stroke evaluation's digits read as a number or refused 38 → 28 of 11,500 (0.45: 32);
# stroke-drawn and picture numbers of 2-6 digits (4,000 and 2,000, all gaps) and UNIPEN read
# as before, one number more or fewer in a cell.
ROW_SPECK = 0.55
# Centreline length over the box's longer side: a "1" is 1.0, an "8" about 4; a mark that is
# much shorter than its box is a few separate dots, one much longer is a scribble.
MIN_LENGTH = 0.75
MAX_LENGTH = 7.0
# A line-like mark (minor over major spread of the centreline) that lies further from the
# vertical than this is a dash or a slash; a steeper one is a "1".
LINE_SPREAD = 0.12
MAX_ONE_ANGLE = 42.0  # degrees from the vertical
# Both long and bendy (a zig-zag of a few strokes) is a scribble too; an "8" is one or the other.
BENDY_TURNING = 1.9
BENDY_LENGTH = 4.2
MAX_TURNING = 3.3  # whole turns of the pen's path: more is a scribble. MNIST test 8s traced into
# one stroke turn up to 3.27 (wobbles at the crossing); the scribbles of the stroke evaluation
# turn 2.9 or more but are also long, which BENDY_LENGTH catches. An 8 drawn as two rings, one
# on the other, turns 3.3-3.7 (each ring goes round a little more than once, and a pen lands
# and lifts with a hook), in two strokes or in one: 18 of UNIPEN's 8s in two strokes and 5 in
# one were refused so. A drawing of two strokes may turn up to RINGS_TURNING, and one of one
# stroke whose box is no wider than RINGS_ASPECT times its height: two rings side by side in
# one stroke are "00" written without lifting the pen, which no grouping can cut in two: asked
# to lift the pen up to RINGS_TURNING (JOINED, see `_side_by_side`), "Not a digit" beyond.
# UNIPEN's other digits of several strokes turn 3.22 at most. Not more strokes: four rings in
# a row ("0000" drawn as one digit) turn 3.7. No mark of the stroke evaluation, nor of its
# fast- and slow-finger drawings (seeds 0-2, 3,000 marks each), turns 3.3-3.8 without being
# long; of 30,000 more, one slow looping scribble does.
RINGS_TURNING = 3.8
RINGS_ASPECT = 1.0
# Two 0s written without lifting the pen ("00", a year's "2001") turn 2-3.2, under MAX_TURNING,
# and were read as one 0 ("2001" as "201"): the person is asked to lift the pen (JOINED). One
# stroke wider than a digit may be (JOINED_ASPECT) that turns more than JOINED_TURNING is such a
# pair (UNIPEN's one-stroke digits that wide turn 2.49 at most: lying 0s whose slash runs on, a
# 2 begun over its hook). Tall 0s close together are narrower (down to 0.81 of the height) and
# turn 1.9-2.8: one stroke RINGS_WIDE as wide as tall or more, turning over JOINED_RINGS_TURNING,
# whose input encloses paper left and right (`loops.holes_apart`) RINGS_APART of its height
# apart or more, RINGS_LEVEL up or down at most, a waist RINGS_WAIST deep between, is such a
# pair; a digit's paper left and right lies either side of a 0's slash, with no waist (README).
JOINED_ASPECT = MAX_ASPECT
JOINED_TURNING = 2.5
JOINED_RINGS_TURNING = 1.8
RINGS_WIDE = 0.75
RINGS_APART = 0.3
RINGS_LEVEL = 0.25
RINGS_WAIST = 0.05
# A 0 gone round twice (people go over a digit to make it bold) is long and bendy too, but
# its second round lies on its first. A smooth path (no turn sharper than RETRACE_SHARP
# degrees: a zig-zag reverses) is judged by its ink instead, the length it covers once
# (`Shape.ink_length`): at most RETRACE_INK times its box. 0s gone round 1.8-2.1 times cover
# 2.98 or less (100 drawn as the evaluation poses its digits: 24 % were read before, all now;
# with the second round a sixth bigger or smaller and shifted, 34 % and all); the
# evaluation's looping scribbles that turn under MAX_TURNING cover 4.03 or more. At 3.5,
# 17 more of 200 scribbles of 2-3 loops moving along passed, at 3.3 6, at 3.2 none but 3 of
# those shifted 0s were refused.
RETRACE_SHARP = 120.0
RETRACE_INK = 3.3
# A long, bendy path measured for its ink that does not lie on itself is long only beyond
# WIDE_LENGTH times its box. Real 8s begun at their crossing and run on past their start, and
# 0s whose slash goes on from the ring in one stroke, travel 4.2-5 times their box (UNIPEN:
# 48 of 1,494 8s and 39 0s were refused at BENDY_LENGTH); the evaluation's looping scribbles
# travel 5.27 times theirs or more, its zig-zags 5.5.
WIDE_LENGTH = 5.0
# Any digit gone over a second time (the whole digit again, stroke by stroke, or each stroke round
# again) turns and travels twice as far as it did once, and the gate refused it: 24 % of 600
# drawings of the hand-built styles drawn twice over (9s and two-stroke 5s 75-100 %, 8s 25 %). A
# path that covers new ink for at most OVERDRAWN of its length lies on itself and is judged as
# drawn once: its length is the ink it covers, its turning scaled alike. Such digits cover 0.55 of
# their path anew (median; 95 % under 0.65), 3,000 MNIST test digits traced into strokes 0.79 or
# more. A zig-zag also goes back over itself, but by reversing, so a path with more than
# OVERDRAWN_SHARP turns sharper than RETRACE_SHARP is never judged so: the evaluation's zig-zags
# make 4 or more, a 9 or a 5 drawn twice 3 at most. A patch coloured in with round turns reverses
# too, over a few points: a turn counts as sharp when it takes no more than 2 pixels of the
# 28-pixel field (`strokes.STEP`) however many points it spans; counted at single points, 6-8
# lines drawn closer than the pen passed as drawn once (11 of 160), now none. The evaluation's
# looping scribbles that lie on themselves that much still turn 2.6 or more and cover 4.5 heights
# of ink or more once (refused as long and bendy); digits gone over cover 4.1 at most. At 0.6, 3 %
# of those digits drawn twice were still refused; at 0.66, 8 of 200 smooth random curves through
# 6-9 points pass that did not (137 passed already).
OVERDRAWN = 0.66
OVERDRAWN_SHARP = 3
OVERDRAWN_TURNING = 2 * MAX_TURNING  # beyond it the ink is not measured: refused as it turns

# A picture has no pen path to turn, but a line across a scribble drawn back and forth crosses
# its ink many times. Counted as the third most-crossed row or column of the ink (two odd
# lines do not make a scribble): through `preprocess` no digit of MNIST's 70,000 or of the
# stroke evaluation's 11,500 goes above 5 (the middle of a wide "8" and a few sloppy 3s and
# 5s reach it), 65 of the 99 zig-zags, loops and taps that the rest of the gate let through
# reach 6 or more.
MAX_CROSSINGS = 5
# Back and forth in lines close together leaves much ink for the mark's height. Measured as
# the ink's area over its height squared (the box's share covered, times width over height),
# through `preprocess`: MNIST's 70,000 digits and the stroke evaluation's 11,500 reach 1.03
# (bold, wide 2s), and 0.53 where a row or column crosses them 4 times or more (tall 8s); the
# zig-zags and coils a brush filled in that the rules above let through reach 1.39 and more,
# and 0.66 and more where crossed 4 times.
SOLID = 1.2
SCRIBBLE_CROSSINGS = 4
DENSE = 0.6
# A zig-zag drawn with a thin pen is neither dense nor crossed more than MAX_CROSSINGS times:
# five lines cross a row five times. Ink crossed ZIGZAG_CROSSINGS times without a loop in it
# is such a zig-zag: of MNIST's 70,000 digits and the stroke evaluation's 11,500, the 5 that
# reach 5 crossings are three 8s, which have loops, and two squiggly 3s, now refused; of 200
# five-line zig-zags drawn with a pen of 1-20 pixels on pictures of 100-500 pixels, 189
# passed the gate before and 7 now.
ZIGZAG_CROSSINGS = 5

# A picture's ink whose pen, once brought into MNIST's range (`pen.normalise`), is still wider
# than this share of the ink's extent is a blob: a scribble a thick brush filled in, a smudge.
# Through `preprocess` MNIST's 70,000 digits reach 0.272 (two training 8s that are solid blobs),
# the stroke evaluation's digits 0.23; about two thirds of the scribbles and dots that the rest
# of the gate lets through on the image path are above 0.28.
MAX_PEN = 0.28


@dataclass(frozen=True)
class Shape:
    """What the gate needs to know about a mark, in any one unit of length (pixels).

    Attributes:
        extent: the longer side of the box around the mark's centreline.
        length: the total length of the centreline (the pen's path while touching).
        spread: minor over major standard deviation of the centreline's points (0 = a line).
        angle: the main axis' angle from the vertical, degrees in [0, 90].
        canvas: the shorter side of the canvas or picture the mark was made on.
        turning: the total turning of the pen's path in whole turns (a "0" about 1, an "8"
            about 2, a scribble many); None where it cannot be measured (a picture).
        row: the median extent of the digits in the row the mark is part of, in the same
            unit; None for a mark drawn alone.
        crossings: how many times the third most-crossed row or column of a picture
            crosses the ink; None for strokes (their turning tells a scribble).
        aspect: the box of a picture's ink, or of strokes' centreline, width over height.
        fill: the share of that box the ink covers; None for strokes.
        dots: a picture's ink is only separate dots (several taps); strokes leave taps to
            `segment.strokes.without_taps` and MIN_LENGTH.
        loopless: a picture's ink, crossed ZIGZAG_CROSSINGS times, has no loop (measured
            only then); None otherwise.
        ink_length: the centreline's length with what is drawn over twice counted once
            (measured only for a long, bendy path with few sharp turns that may be a digit
            gone over twice); None otherwise.
        sharp_turns: how many times the pen's path turns sharper than RETRACE_SHARP within
            a short stretch (counted only for a long, bendy path; 0 otherwise).
        strokes: how many strokes the pen drew it in (1 for a picture).
        rings: for one stroke at least RINGS_WIDE wide turning over JOINED_RINGS_TURNING,
            where the paper it encloses lies left and right (`loops.holes_apart`); else None.
    """

    extent: float
    length: float
    spread: float
    angle: float
    canvas: float
    turning: float | None = None
    row: float | None = None
    crossings: int | None = None
    aspect: float | None = None
    fill: float | None = None
    dots: bool = False
    loopless: bool | None = None
    ink_length: float | None = None
    sharp_turns: int = 0
    strokes: int = 1
    rings: tuple[float, float, float] | None = None


def verdict(shape: Shape) -> str | None:
    """The reason a mark is not a digit, or None when it may be one.

    Args:
        shape: the mark's geometry.

    Returns:
        TOO_SMALL, NOT_A_DIGIT, JOINED or None.
    """
    if shape.extent < MIN_EXTENT * shape.canvas and not _fits_row(shape):
        return TOO_SMALL
    if shape.row is not None and shape.extent < ROW_SPECK * shape.row:
        return TOO_SMALL
    length, turning, ink = shape.length, shape.turning, shape.ink_length
    overdrawn = (ink is not None and ink <= OVERDRAWN * length
                 and shape.sharp_turns <= OVERDRAWN_SHARP)
    if overdrawn:  # gone over again: judged as drawn once
        length, turning = ink, None if turning is None else turning * ink / length
    ratio = length / shape.extent
    if ratio < MIN_LENGTH or ratio > MAX_LENGTH:
        return NOT_A_DIGIT
    if shape.spread < LINE_SPREAD and shape.angle > MAX_ONE_ANGLE:
        return NOT_A_DIGIT
    long = ratio > BENDY_LENGTH
    if ink is not None and not overdrawn:  # a long, bendy path that does not lie on itself
        long = ratio > WIDE_LENGTH and (
            shape.sharp_turns > 0 or ink > RETRACE_INK * shape.extent)
    if turning is not None:
        if _side_by_side(shape, turning):  # first: two rings turn far and are long too
            return JOINED
        if turning > (RINGS_TURNING if _rings(shape) else MAX_TURNING):
            return NOT_A_DIGIT
        if turning > BENDY_TURNING and long:
            return NOT_A_DIGIT
        if _joined(shape, turning):
            return JOINED
    if shape.dots:
        return NOT_A_DIGIT
    if shape.crossings is not None and shape.crossings > MAX_CROSSINGS:
        return NOT_A_DIGIT
    if shape.loopless and (shape.crossings or 0) >= ZIGZAG_CROSSINGS:
        return NOT_A_DIGIT
    if shape.aspect is not None and shape.fill is not None:
        density = shape.aspect * shape.fill
        if density > SOLID or (
                (shape.crossings or 0) >= SCRIBBLE_CROSSINGS and density >= DENSE):
            return NOT_A_DIGIT
    return None


def _rings(shape: Shape) -> bool:
    """Strokes that may be an 8 drawn as two rings (see RINGS_TURNING)."""
    return shape.strokes == 2 or (
        shape.strokes == 1 and shape.aspect is not None and shape.aspect <= RINGS_ASPECT)


def _joined(shape: Shape, turning: float) -> bool:
    """One stroke as wide as two digits that goes round like two rings (see JOINED_TURNING)."""
    return (turning > JOINED_TURNING and shape.strokes == 1
            and shape.aspect is not None and shape.aspect > JOINED_ASPECT)


def _side_by_side(shape: Shape, turning: float) -> bool:
    """One stroke that goes round two rings side by side (see JOINED_RINGS_TURNING)."""
    rings = shape.rings
    return (rings is not None and shape.strokes == 1
            and JOINED_RINGS_TURNING < turning <= RINGS_TURNING and rings[0] >= RINGS_APART
            and rings[1] <= RINGS_LEVEL and rings[2] >= RINGS_WAIST)


def _fits_row(shape: Shape) -> bool:
    """A digit about as big as the others in a row that is itself big enough to read."""
    row = shape.row
    return row is not None and row >= ROW_MIN * shape.canvas and shape.extent >= ROW_SHARE * row


def check(shape: Shape) -> None:
    """Raises NotADigitError (with a message for the person drawing) unless `verdict` passes."""
    reason = verdict(shape)
    if reason is not None:
        raise NotADigitError(reason)


def check_pen(share: float) -> None:
    """Raises NotADigitError when a picture's normalised pen is too wide (MAX_PEN) for a digit.

    Args:
        share: the pen's width over the ink's extent (`edge_app.pen.share`).
    """
    if share > MAX_PEN:
        raise NotADigitError(NOT_A_DIGIT)


def axes(sxx: float, syy: float, sxy: float) -> tuple[float, float]:
    """Spread ratio and angle from the vertical of a 2-D second-moment (covariance) matrix.

    Args:
        sxx, syy, sxy: the variances of x and y and their covariance.

    Returns:
        (minor/major standard deviation, main axis' angle from the vertical in degrees).
    """
    half_trace, det = (sxx + syy) / 2, sxx * syy - sxy * sxy
    root = math.sqrt(max(half_trace * half_trace - det, 0.0))
    major, minor = half_trace + root, max(half_trace - root, 0.0)
    spread = math.sqrt(minor / major) if major > 0 else 0.0
    # Main axis direction (x, y): angle from the y axis, folded into [0, 90].
    angle = 0.5 * math.degrees(math.atan2(2 * sxy, syy - sxx))
    return spread, abs(angle)
