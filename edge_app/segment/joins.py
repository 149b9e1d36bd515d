"""Join pieces of one digit that the grouping kept apart, when the model reads them better whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from edge_app.classifier import DigitClassifier
from edge_app.gate import JOINED, NOT_A_DIGIT
from edge_app.loops import holes
from edge_app.segment.boxes import Box
from edge_app.segment.halves import halves
from edge_app.segment.judge import input_or_none, refusal, top_predictions
from edge_app.segment.pairs import (
    narrow_or_short,
    on_one_line,
    one_above_other,
    rises,
    shorter,
)
from edge_app.segment.strokes import (
    StrokeBoxes,
    crowded,
    ends_on,
    hanging,
    joinable,
    neighbours,
    row_extent,
)

JOINED_SURE = 0.9  # a join needs the classifier at least this confident of the joined digit
# When the model is as sure of both pieces as of the whole (all at its ceiling: a 4 and the "1"
# of its upright), pieces that together are no wider than this × their height join: two digits
# side by side are wider. Measured on numbers of 2-6 stroke-drawn digits: 5 more pieces joined
# right for 3 more pairs of digits joined wrongly, out of 1,183 candidate pairs.
TIE_ASPECT = 0.8
# ... and so do touching pieces of which one is under this fraction of the other's height: a
# digit half the height of the one it touches is far more often the upright of a 4 or the
# base of a 2 than a digit of its own. Measured on the stroke evaluation's multi-stroke
# digits (2,151, int8 CNN): 8 fewer read as numbers; on 4,000 stroke-drawn numbers of 2-6
# digits none fewer right (0.65-0.7 the same; 0.8 cost 6 points on touching digits).
TIE_SHORTER = 0.7
# A piece the gate refuses on its own (a 2's base as a dash, a 5's flag, a speck) cannot be a
# digit of the number; within this many heights of a neighbour it is offered to it as a join,
# judged as any other (a refused piece counts 0). Measured as above: 9 fewer multi-stroke
# digits refused, numbers unchanged or better.
REFUSED_NEAR = 0.25
# Pieces whose boxes touch or overlap, in a row whose other digits stand at least this many
# heights apart (median), are offered as a join too, judged as any other: a person who spaces
# the digits of a number does not run two of them together, but a 4 or a 6 drawn with a gap
# inside it comes apart into two such pieces. A pair alone (two groups, nothing to compare
# with) is offered only when one piece is under TIE_SHORTER of the other's height. Measured on
# 4,000 stroke-drawn numbers of 2-6 digits (int8 CNN, seeds 5 and 6): at 0.1, touching pairs
# one fewer right of 200, every other kind the same or up to a point better, traced single
# digits split 0.70 % of the time instead of 0.82 %; 0.05 read 0.5-1.5 points more close
# numbers right than 0.1 and none fewer; 0.02 lost a point on touching ones. Offering every
# overlapping pair merged twice as many touching and overlapping digits (4-digit touching
# numbers 82 % → 70 % right).
ROW_SPACING = 0.05
# A drawing of two pieces whose boxes touch (within ALONE_GAP × the taller one's height),
# neither much the shorter, is as likely a digit drawn in two strokes (a 4's bar and its
# upright) as two digits written touching; such a pair joins only when the model reads the
# whole better than both pieces by ALONE_GAIN. Measured with the int8 CNN: the stroke
# evaluation's multi-stroke digits read as numbers 19 → 13 of 5,500; traced single digits
# split (5,000 each, seeds 0-2) 0.36/0.44/0.48 % → 0.32/0.40/0.38 %; stroke-drawn numbers of 2
# digits (1,000 per gap, seed 5) the same overlapping and close, 92.7 → 92.4 % touching. A
# smaller gain (0.05-0.1) read at most one more of those 5,500 digits right and, among the
# pieces of 1,600 stroke-drawn 2-digit numbers, joined twice as many pairs of digits (6, not 3).
ALONE_GAP = 0.02
ALONE_GAIN = 0.2
# In a drawing of two pieces, one that ends at least HANG_RISE of the taller one's height
# above the other's foot and starts no more than HANG_TOP of it below the other's top, within
# REFUSED_NEAR of it, is offered as a join too, judged as any other (ALONE_GAIN left out) and
# joining on a tie: the digits of a number stand on one line, while the L of an open 4 whose
# bar stops short of the upright, or a 9's loop drawn apart from its stem, stops short of it.
# Drawn alone with a gap of 5-10 % / 10-15 % of the height (100 each, int8 CNN), such 4s were
# read as one 4 83 % / 25 % of the time, now 95 % / 79 %, such 9s 82 % / 63 %, now 100 %; the
# stroke evaluation's digits read as a number 0.33 → 0.23 %. Stroke-drawn 2-digit numbers
# whose digits sit up to 0.12 of the height off the line (the number evaluation; 8,000, seed
# 6) read exactly as before, up to 0.18 off a tenth of a point fewer, up to 0.25 off 0.9-1.3
# points fewer. At 0.3: 4s 100 % / 94 %, but 0.5-0.7 and 0.9-2.3 points of those numbers.
HANG_RISE = 0.35
HANG_TOP = 0.15
# In a row of three pieces or more, a hanging piece must also be under ROW_HANG_SHORTER of
# its neighbour's height (the L of a 4 stops at its bar, a 9's loop is half of it; a digit
# written a little high is as tall as the others). Numbers with such a 4 or 9 ("14", "42",
# "94", "2024", ...; 100 each, gaps 3-12 % of the height) were read right 46-75 % of the time
# when only a pair alone was offered, now 89-98 %; stroke-drawn numbers of 2-6 digits
# (14,400, seed 6) 6 more right, the stroke evaluation and its traced single digits as before;
# 3-4 digit numbers whose digits sit up to 0.18 / 0.25 of the height off the line (1,800
# each) two more / four fewer. Without the height rule those lost 0.7-1.3 / 1.3-6.3 points.
ROW_HANG_SHORTER = 0.75
# The L of a 4 drawn as an L and an upright apart is a sure 6 to the model (MNIST's 4s have
# round corners), the upright a sure 1, and a sure 4 whole gains nothing over them: UNIPEN's
# writers had 19 4s read as "61", and in a number such a 4 was never read. Neighbours within
# REFUSED_NEAR of each other whose left one ends at least OPEN_RISE of the taller one's height
# above the right one's foot (the L stops at the 4's bar; digits stand on one line) are offered
# as a join, and for it a left piece read as a digit with a loop (LOOP_DIGITS) whose input
# encloses no paper, beside one read as 1, counts at OPEN_LOOP of its confidence.
LOOP_DIGITS = frozenset((0, 6, 8, 9))
OPEN_LOOP = 0.5
OPEN_RISE = 0.2
# Some hands leave the upright further off (UNIPEN's writer "app", 0.33-0.5 of the height), so
# such pairs are offered up to RISE_NEAR apart; and an L the model is unsure of (under
# JOINED_SURE: read 2 or 5) or that the gate refuses (in "14", under gate.ROW_SPECK of the
# 1s' height) beside a 1 is judged as any other pair, a pair alone too (no ALONE_GAIN),
# unless it reads as a 1 narrower than L_WIDE of its height (a 1 with a flag beside another
# 1: "4110" read "440"). Hand-built 4s so, the bar 0.25-0.4 / 0.4-0.55 of the height short
# of the upright (100 each, int8 CNN), read right 27 / 0 %, now 95 / 91 %; UNIPEN's grouping
# cost 0.132 → 0.094 points; 4,000 stroke-drawn numbers 3,386 → 3,390 (seed 0) right.
RISE_NEAR = 0.55
L_WIDE = 0.5
# The digits of a number stand about as tall as each other; a piece the model reads as 1 that
# is under SHORT_ONE of the height of a neighbour it does not touch (within REFUSED_NEAR) is
# far more often a slip of the pen beside a digit (a traced MNIST 7 with a short stroke by its
# foot, read "71") than a digit of its own. Such a pair is offered as a join, judged as any
# other, with the 1 counting at OPEN_LOOP of its confidence. Measured with the int8 CNN / MLP
# (AMD EPYC), the grouping's cost in points: a fast finger's 3,500 digits 0.143 / 0.057 →
# 0.086 / -0.029, a slow finger's 0.086 / 0.114 → 0.086 / 0.086, the stroke evaluation 0.087
# → 0.078 each, UNIPEN 0.138 / 0.107 → 0.132 / 0.107; stroke-drawn numbers 4 fewer of 4,000
# (what it costs a 1 drawn small: README, Numbers). A piece read as 1 that hangs beside a
# piece it touches (`hanging`: a 7's tick or a 1's flag drawn on its own) counts at OPEN_LOOP
# too: a digit stands on the line.
SHORT_ONE = 0.5
# The other way round, the model reads a digit with a smaller one touching it as a sure
# reading of the first (a 4 and a 1 at 0.7 of its height as a 4 at 1.00), so that "14" written
# touching lost its 1 whenever the 1 read a little less sure than that, and "75", "94" or "480"
# their smaller digit. A pair of which one piece reads as the digit of their whole is never
# joined when the other, read as another digit but 0 and at least SHORT_ONE of its height,
# stands on its line (feet within FOOT_LEVEL of the taller one's height), unless the two are
# a hanging piece, a 0's or an 8's halves or a broken stroke: the whole adds only a digit's
# strokes to a digit already read, and a part of a digit that reads as one (a 4's arm, a 9's
# stem) ends above or below the other part's foot. A 6's or an 8's lower loop does stand
# on the line, hence not 0 (a traced 6 whose loop came apart was read "60"). Measured with the
# int8 CNN (AMD EPYC), 2-3 digit numbers, 100 per gap, with a 1 at 0.6-0.7 / 0.7-0.8 of the
# others' height read right touching 48 → 85 % / 67 → 87 %, close 87 → 100 % / 89 → 96 %; with
# another digit that small, touching 73 → 86 % / 87 → 89 %; 4,000 stroke-drawn numbers of 2-6
# digits 3,332 → 3,386 (seed 0) and 3,326 → 3,384 (seed 6); the stroke evaluation one digit
# fewer (a traced 2 in pieces read "21"), its finger sets, UNIPEN and 15,000 traced single
# digits as before or better (other levels: README, Numbers).
FOOT_LEVEL = 0.15
# The digits of a number stand side by side, never one above the other. Two pieces that do
# (overlapping up and down by less than boxes.STACKED of the shorter one's height), at most
# STACK_GAP of their joint height apart up and down and STACK_SIDE of it sideways, each read
# as a digit on its own, are a stroke broken where the finger or the pen skipped, e.g. a
# slanted 1 whose halves do not overlap sideways (which the grouping asks of pieces one above
# the other); they are offered as a join as a hanging piece is, alone or in a row. Measured
# with the int8 CNN: the 10,000 traced MNIST test digits drawn alone three times were split
# 60 times, now 51; one stroke of 2,000 of the stroke evaluation's digits broken where two
# motion events were lost, read right 94.8 %, now 96.0 % (as a number, mostly "11": 54 → 30);
# stroke-drawn 2-digit numbers (1,000 per gap) with digits up to 0.12 / 0.18 / 0.25 of the
# height off the line and the number grid read as before or better.
STACK_GAP = 0.4
STACK_SIDE = 0.2
# A 4 drawn as an L and an upright, the bar low (0.7-0.95 of the height) and stopping at the
# upright, comes apart into an L the model reads as a sure 6 or 2 and a sure 1; the box rules
# above miss it (the L's foot is within OPEN_RISE of the upright's), and its whole, a sure 4,
# gains nothing over them: "61", "21". A left piece with a stroke that ends on the right
# piece's line (within TEE_CONTACT × its height) in the lowest TEE_LOW of its height, beside a
# piece read as 1, is offered as a join when the whole reads as 4, and then counts at OPEN_LOOP
# of its confidence unless it is a digit of its own (`tee_factor`). Hand-built such 4s (300 per
# band of bar height, posed as the stroke evaluation poses its digits, AMD EPYC), the bar at
# 0.7-0.8 / 0.8-0.9 / 0.88-0.96 of the height, read right with the int8 CNN 97.0 / 82.3 / 72.0 %
# of the time, now 100 / 100 / 99.7 % (MLP 98.0 / 83.0 / 78.0 → 98.0 / 85.3 / 81.7 %: it reads
# most of the rest's L as a 1 or a sure 4); the bar at 0.8-0.9 crossing the upright by up to
# 0.15 of the height, 96.3 → 98.7 % (MLP 95.0 → 95.7 %). The stroke evaluation and UNIPEN read
# exactly as before; stroke-drawn numbers of 2-6 digits (4,000, seeds 0 and 6; MLP seed 0) one
# fewer right (a traced 6 whose loop stays open, ending on a 1: "4"); 2,000 numbers "d1" whose
# left digit (hand-built, full size or 0.6-0.75 of it) sits up to 0.4 of the height high and
# touches the 1, exactly as before. Judging an L read as 1 too (as wide as `ell_factor` asks)
# read the MLP's lowest-bar 4s 95 % right, but read 4-8 of those numbers' "11" as a 4 (a
# flagged 1's foot ends on the next 1's foot).
TEE_LOW = 0.4
TEE_CONTACT = 0.06

# Draws one digit's strokes as the model's (28, 28) input, given the median extent of the
# row's digits (small digits are judged against it), e.g. `edge_app.strokes.render` with the
# canvas size bound.
Renderer = Callable[[Sequence[np.ndarray], float | None], np.ndarray]


def rejoin(classifier: DigitClassifier, groups: Sequence[Sequence[np.ndarray]],
           render: Renderer) -> list[list[np.ndarray]]:
    """Joins neighbouring groups that the classifier reads better as one digit than as two.

    Candidates are neighbours that may be pieces of one digit (`joinable`), a refused piece
    and a near neighbour (REFUSED_NEAR), overlapping pieces in a spaced row (`crowded`,
    ROW_SPACING), the two touching pieces of a drawing of two (ALONE_GAP, ALONE_GAIN), a piece
    hanging beside another (`hanging`, HANG_RISE, HANG_TOP, ROW_HANG_SHORTER), the halves of a
    0 or an 8 (`halves`), pieces one above the other (STACK_GAP, STACK_SIDE), a left piece
    ending above the other's foot (OPEN_RISE, RISE_NEAR, `ell_factor`) and a much shorter
    near one (SHORT_ONE). A pair joins when the classifier is sure of the whole (JOINED_SURE)
    and surer of it than of both pieces together (the product of their confidences: a refused
    piece counts 0, a much shorter or hanging 1 OPEN_LOOP of its own), as `find_digits` decides
    cuts; a tie joins pieces together narrow (TIE_ASPECT), one much the shorter (TIE_SHORTER),
    hanging, stacked or halves. Never joined: a piece refused as two digits in one stroke
    (`gate.JOINED`), two pieces each refused as no digit's shape (`gate.NOT_A_DIGIT`), a digit
    on the line of one the whole reads as (FOOT_LEVEL). All candidates are judged in one
    batched invoke, the best join first, until none is left.

    Args:
        classifier: the loaded model.
        groups: strokes grouped into digits, left to right (`group_strokes`).
        render: draws one digit's strokes as its (28, 28) model input.

    Returns:
        The groups, some joined (the left piece's strokes, then the right's), left to right.
    """
    groups = [list(g) for g in groups]
    boxes = StrokeBoxes()
    row = row_extent(groups, boxes)

    def model_input(group: Sequence[np.ndarray]) -> np.ndarray:
        return render(group, row)

    def pair_boxes(i: int) -> tuple[Box, Box]:
        return boxes.group(groups[i]), boxes.group(groups[i + 1])

    while len(groups) > 1:
        touching = joinable(groups, boxes)
        near = [i for i in neighbours(groups, REFUSED_NEAR, boxes) if i not in touching]
        risen = {i for i in touching + neighbours(groups, RISE_NEAR, boxes)
                 if rises(*pair_boxes(i), OPEN_RISE)}
        pieces = {j: input_or_none(model_input, groups[j])
                  for j in sorted({j for i in {*touching, *near, *risen} for j in (i, i + 1)})}
        spaced = set(crowded(groups, ROW_SPACING, TIE_SHORTER, boxes))
        hangs = set(hanging(groups, HANG_RISE, HANG_TOP, boxes,
                            1.0 if len(groups) == 2 else ROW_HANG_SHORTER))
        hung = hangs | {i for i in range(len(groups) - 1) if halves(groups[i:i + 2], boxes)}
        stacked = {i for i in range(len(groups) - 1)
                   if one_above_other(*pair_boxes(i), STACK_GAP, STACK_SIDE)}
        for j in {j for i in stacked for j in (i, i + 1)}.difference(pieces):
            pieces[j] = input_or_none(model_input, groups[j])
        # A piece the gate refuses has its own offer (REFUSED_NEAR); offered here too, a
        # speck below the arm of a 4 took the arm from the 4 and made a "6" of it.
        stacked = {i for i in stacked if pieces[i] is not None and pieces[i + 1] is not None}
        hung |= stacked
        # A piece that is two digits drawn without lifting the pen (the gate's JOINED) is
        # never part of one: "100" whose 0s are one stroke was joined to its 1 and read "0".
        reasons = {j: refusal(model_input, groups[j]) for j, x in pieces.items() if x is None}
        two = {j for j, why in reasons.items() if why == JOINED}
        alone = ({0} if len(groups) == 2 and not touching and not spaced
                 and neighbours(groups, ALONE_GAP, boxes) == [0] else set())
        pairs = sorted(stacked.union(
            touching, [i for i in near if pieces[i] is None or pieces[i + 1] is None
                       or i in spaced or i in alone or i in hung]))
        short = {i: j for i in near if (j := shorter(*pair_boxes(i), SHORT_ONE)) is not None}
        short.update({i: j for i in hangs.intersection(touching)
                      if (j := shorter(*pair_boxes(i), 1.0)) is not None})
        tees = set(ends_on(groups, TEE_LOW, TEE_CONTACT, boxes))
        for j in {j for i in tees for j in (i, i + 1)}.difference(pieces):
            pieces[j] = input_or_none(model_input, groups[j])
        maybe_open = risen.union(short, tees).difference(pairs)
        # Nor are two pieces each refused on its own as no digit's shape: a dash beside a long
        # stroke was read as a sure "2" (README: "Two pieces that the gate refuses").
        shapeless = {j for j in reasons if {j - 1, j + 1} & reasons.keys()
                     and refusal(lambda g: render(g, None), groups[j]) == NOT_A_DIGIT}
        pairs = [i for i in sorted(pairs + list(maybe_open))
                 if not two & {i, i + 1} and not {i, i + 1} <= shapeless]
        if not pairs:
            break
        wanted = sorted({j for i in pairs for j in (i, i + 1)})
        scores, digits = top_predictions(
            classifier, [pieces[j] for j in wanted]
            + [input_or_none(model_input, groups[i] + groups[i + 1]) for i in pairs])
        one = dict(zip(wanted, scores.tolist()))
        read = dict(zip(wanted, digits.tolist()))
        gains = []
        wholes = zip(scores[len(wanted):].tolist(), digits[len(wanted):].tolist())
        for i, (whole, whole_digit) in zip(pairs, wholes):
            if i not in hung and _stands_beside(*pair_boxes(i), (read[i], read[i + 1]),
                                               whole_digit):
                continue
            pair = [one[i], one[i + 1]]
            discounted = False
            if i in short and read[i + short[i]] == 1:  # a refused piece reads -1
                pair[short[i]] *= OPEN_LOOP
                discounted = True
            ell = (ell_factor((read[i], read[i + 1]), one[i], pair_boxes(i)[0], pieces[i])
                   if i in risen else None)
            if ell is None and i in tees and whole_digit == 4 and not discounted:
                ell = tee_factor((read[i], read[i + 1]), one[i], pieces[i])
            if ell is not None:
                pair[0] *= ell
            elif i in maybe_open and not discounted:
                continue
            gain = whole - pair[0] * pair[1]
            if i in alone and i not in hung and ell is None:
                gain -= ALONE_GAIN
            if whole >= JOINED_SURE and (gain > 0 or (gain == 0 and (
                    i in hung or narrow_or_short(*pair_boxes(i), TIE_ASPECT, TIE_SHORTER)))):
                gains.append((gain, i))
        if not gains:
            break
        _, best = max(gains)
        groups[best:best + 2] = [groups[best] + groups[best + 1]]
    return groups


def ell_factor(reads: tuple[int, int], confidence: float, box: Box,
               ink: np.ndarray | None) -> float | None:
    """How a left piece that rises beside another (OPEN_RISE) counts in a join, as a factor of
    its `confidence`: OPEN_LOOP beside a 1 when it reads as a digit with a loop (LOOP_DIGITS)
    whose `ink` (over 0.5) encloses no paper, 1 beside a 1 when the model is unsure of it (under
    JOINED_SURE) and it is no narrow 1 (L_WIDE); None when it is a digit of its own."""
    if reads[1] != 1:
        return None
    if reads[0] in LOOP_DIGITS and ink is not None and not holes(ink[None] > 0.5).any():
        return OPEN_LOOP
    if confidence < JOINED_SURE and (reads[0] != 1 or box.width >= L_WIDE * box.height):
        return 1.0
    return None


def tee_factor(reads: tuple[int, int], confidence: float,
               ink: np.ndarray | None) -> float | None:
    """How a left piece with a stroke ending on the foot of a piece read as 1 (TEE_LOW) counts
    in a join that reads as a 4, as a factor of its `confidence`.

    Args:
        reads: the digits the two pieces read as (-1: refused).
        confidence: the model's confidence in the left piece's digit.
        ink: the left piece's model input, or None when the gate refuses it.

    Returns:
        OPEN_LOOP, or None when the left piece is a digit of its own beside the 1: a 1 ("11":
        a flagged 1's foot ends on the next 1's), a sure 4 ("41"), a digit with a loop whose
        ink (over 0.5) encloses paper (a 6, a 0).
    """
    if reads[1] != 1 or reads[0] in (-1, 1):
        return None
    if reads[0] == 4 and confidence >= JOINED_SURE:
        return None
    if reads[0] in LOOP_DIGITS and (ink is None or holes(ink[None] > 0.5).any()):
        return None
    return OPEN_LOOP


def _stands_beside(a: Box, b: Box, reads: tuple[int, int], whole: int) -> bool:
    """Whether one of two pieces reads as `whole`, the digit of their whole, and the other,
    read as another digit but 0, stands on its line (FOOT_LEVEL) at least SHORT_ONE of its
    height."""
    if whole not in reads or min(reads) < 0 or reads[0] == reads[1]:
        return False
    beside = 0 if reads[1] == whole else 1
    one, other = (a, b) if beside == 0 else (b, a)
    return (reads[beside] != 0 and on_one_line(a, b, FOOT_LEVEL)
            and one.height >= SHORT_ONE * other.height)
