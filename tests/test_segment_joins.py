"""Joining pieces of one digit that the grouping keeps apart: the rules and the model's say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edge_app.segment.strokes import group_strokes
from tests.test_segment_strokes import (
    four,
    line,
    owners,
    render_456,
    seven_crossed,
    two,
)


def slanted_four(x: float, y: float, h: float = 100) -> list[np.ndarray]:
    """A 4 whose upright leans right and meets the bar at its end: the boxes of its two
    strokes overlap too little to join them as parts of one digit."""
    return [line((x + 0.42 * h, y), (x, y + 0.65 * h), (x + 0.52 * h, y + 0.65 * h)),
            line((x + 0.75 * h, y), (x + 0.40 * h, y + h))]


def test_pieces_the_model_reads_better_whole_are_joined():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment.joins import rejoin
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    assert len(group_strokes(slanted_four(40, 60))) == 2
    assert len(rejoin(classifier, group_strokes(slanted_four(40, 60)), render_456)) == 1
    strokes = seven_crossed(20, 60) + slanted_four(130, 60) + two(260, 60)
    assert read_strokes(classifier, strokes, render_456).text == "742"


class FakeJudge:
    """A classifier sure of "4" to the degree given for a group of 1 or 2 strokes, and the
    renderer that tells it which group each input came from."""

    def __init__(self, confidence: dict[int, float]) -> None:
        self.confidence = confidence
        self.sizes: dict[bytes, int] = {}  # by the input's bytes: not every input is classified

    def render(self, group: list[np.ndarray], row: float | None) -> np.ndarray:
        image = render_456(group, row)
        self.sizes[image.tobytes()] = len(group)
        return image

    def predict_batch(self, batch: np.ndarray) -> np.ndarray:
        out = np.zeros((len(batch), 10), np.float32)
        out[:, 4] = [self.confidence[self.sizes[x.tobytes()]] for x in batch]
        return out


@pytest.mark.parametrize("piece, whole, pieces", [
    (0.3, 0.95, 1),  # poor pieces, a sure whole: one digit
    (0.3, 0.85, 2),  # the whole not sure enough
    (0.99, 0.97, 2),  # two sure digits beat a whole a little less sure than both
])
def test_a_join_follows_the_judge(piece, whole, pieces):
    from edge_app.segment.joins import rejoin

    judge = FakeJudge({1: piece, 2: whole})
    assert len(rejoin(judge, group_strokes(slanted_four(40, 60)), judge.render)) == pieces


def wide_slanted_four(x: float, y: float, stretch: float) -> list[np.ndarray]:
    """`slanted_four` stretched sideways: wider than TIE_ASPECT of its height."""
    return [np.column_stack([x + (s[:, 0] - x) * stretch, s[:, 1]]) for s in slanted_four(x, y)]


@pytest.mark.parametrize("shorter, pieces", [
    (0.65, 1),  # the bar's stroke well under TIE_SHORTER of the upright: one digit
    (0.75, 2),  # nearly as tall: as likely two touching digits, kept apart
])
def test_a_tie_joins_a_piece_much_shorter_than_the_other(shorter, pieces):
    from edge_app.segment.joins import TIE_ASPECT, TIE_SHORTER, rejoin

    bar, upright = wide_slanted_four(40, 60, 1.4)
    bar = np.column_stack([bar[:, 0], 60 + (bar[:, 1] - 60) * shorter / 0.65])
    box = np.concatenate([bar, upright])
    assert np.ptp(box[:, 0]) > TIE_ASPECT * np.ptp(box[:, 1])
    assert (np.ptp(bar[:, 1]) < TIE_SHORTER * np.ptp(upright[:, 1])) == (pieces == 1)
    assert len(group_strokes([bar, upright])) == 2
    judge = FakeJudge({1: 1.0, 2: 1.0})  # sure of both pieces and of the whole
    assert len(rejoin(judge, group_strokes([bar, upright]), judge.render)) == pieces


def two_with_long_base(x: float, y: float, h: float = 120) -> list[np.ndarray]:
    """A 2 whose base, drawn as a stroke of its own, reaches far out on both sides."""
    t = np.radians(np.linspace(-160, 40, 20))
    arc = [(x + 0.3 * h + 0.3 * h * np.cos(a), y + 0.3 * h + 0.3 * h * np.sin(a)) for a in t]
    return [line(*arc, (x, y + h)), line((x - 74, y + h + 6), (x + 0.62 * h + 80, y + h + 6))]


def test_a_piece_refused_on_its_own_joins_its_neighbour():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.errors import NotADigitError
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    strokes = two_with_long_base(150, 100)
    assert len(group_strokes(strokes)) == 2  # too wide to be one digit by the boxes
    with pytest.raises(NotADigitError):
        render_456(strokes[1:], None)  # the base alone is a dash
    assert read_strokes(classifier, strokes, render_456).text == "2"
    # Beside other digits the base still goes to the 2, and a dash far from any digit is
    # still refused.
    assert read_strokes(classifier, four(10, 100) + strokes + two(380, 100),
                        render_456).text == "422"
    with pytest.raises(NotADigitError):
        read_strokes(classifier, four(40, 60) + [line((200, 300), (400, 300))], render_456)


def leaning(x: float, h: float = 100) -> np.ndarray:
    """A stroke leaning right, 30 pixels wide and `h` tall, its foot at x."""
    return line((x, 160), (x + 30, 160 - h))


@pytest.mark.parametrize("others, offered", [
    ((10, 175), [1]),  # the rest of the row 40 pixels apart: the overlapping pair is offered
    ((55, 130), []),  # every neighbour overlapping: a row of touching digits, none offered
])
def test_overlapping_pieces_are_offered_only_in_a_spaced_row(others, offered):
    from edge_app.segment.joins import ROW_SPACING, TIE_SHORTER
    from edge_app.segment.strokes import crowded, joinable

    strokes = [leaning(others[0]), leaning(80), leaning(105), leaning(others[1])]
    groups = group_strokes(strokes)
    assert owners(groups, strokes) == [[0], [1], [2], [3]]
    assert joinable(groups) == []  # as tall as each other: no piece of another digit
    assert crowded(groups, ROW_SPACING, TIE_SHORTER) == offered


@pytest.mark.parametrize("height, offered", [(100, []), (60, [0])])
def test_an_overlapping_pair_alone_is_offered_when_one_is_much_shorter(height, offered):
    from edge_app.segment.joins import ROW_SPACING, TIE_SHORTER
    from edge_app.segment.strokes import crowded

    groups = group_strokes([leaning(80), leaning(105, height)])
    assert len(groups) == 2
    assert crowded(groups, ROW_SPACING, TIE_SHORTER) == offered


@pytest.mark.parametrize("second, piece, pieces", [
    (105, 0.6, 1),  # boxes overlap, the whole (0.95) far better than both pieces (0.36)
    (105, 0.9, 2),  # better than both (0.81) by less than ALONE_GAIN: as likely two digits
    (125, 0.6, 2),  # boxes apart: two digits, however the model reads them
])
def test_two_touching_pieces_alone_join_only_when_the_whole_reads_far_better(second, piece,
                                                                             pieces):
    from edge_app.segment.joins import ALONE_GAIN, rejoin

    groups = group_strokes([leaning(80), leaning(second)])
    assert len(groups) == 2
    judge = FakeJudge({1: piece, 2: 0.95})
    if second == 105:
        assert (0.95 - piece * piece > ALONE_GAIN) == (pieces == 1)
    assert len(rejoin(judge, groups, judge.render)) == pieces


@pytest.mark.parametrize("others, groups", [((10, 175), 3), ((55, 130), 4)])
def test_overlapping_pieces_in_a_spaced_row_join_when_the_model_reads_them_whole(others,
                                                                                 groups):
    from edge_app.segment.joins import rejoin

    strokes = [leaning(others[0]), leaning(80), leaning(105), leaning(others[1])]
    judge = FakeJudge({1: 0.3, 2: 0.95})  # poor pieces, a sure whole
    joined = rejoin(judge, group_strokes(strokes), judge.render)
    assert len(joined) == groups
    if groups == 3:
        assert owners(joined, strokes) == [[0], [1, 2], [3]]


def six_apart(x: float, y: float) -> list[np.ndarray]:
    """A 6 in two strokes, 104 pixels tall: the stem, then a loop that misses it by 20 pixels
    while the two boxes still overlap."""
    t = np.radians(np.linspace(180, 540, 28))
    loop = [(x + 42 + 26 * np.cos(a), y + 82 + 24 * np.sin(a)) for a in t]
    return [line((x + 20, y), (x + 10, y + 23), (x + 3, y + 53), (x, y + 80), (x + 4, y + 102)),
            line(*loop)]


def test_a_digit_in_two_pieces_with_a_gap_reads_whole_in_a_spaced_number():
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    strokes = two(33, 168, 112) + four(118, 170, 114) + six_apart(240, 170)
    assert len(group_strokes(strokes)) == 4  # the 6's stem and loop are two groups
    assert read_strokes(classifier, strokes, render_456).text == "246"


def open_four_short_bar(x: float, y: float, bar: float, h: float = 120) -> list[np.ndarray]:
    """An open 4 whose bar, at `bar` of the height, stops a tenth of the height short of the
    upright: the L and the upright are two groups whose boxes barely touch."""
    return [line((x + 0.05 * h, y), (x, y + bar * h), (x + 0.45 * h, y + bar * h)),
            line((x + 0.57 * h, y), (x + 0.57 * h, y + h))]


@pytest.mark.parametrize("bar, pieces", [
    (0.55, 1),  # the L ends 0.45 of the height above the upright's foot: it hangs beside it
    (0.8, 2),  # it ends near the line the digits stand on: as likely a digit of its own
])
def test_a_piece_hanging_beside_the_other_joins_on_a_tie(bar, pieces):
    from edge_app.segment.joins import HANG_RISE, HANG_TOP, rejoin
    from edge_app.segment.strokes import hanging

    groups = group_strokes(open_four_short_bar(150, 100, bar))
    assert len(groups) == 2
    assert (hanging(groups, HANG_RISE, HANG_TOP) == [0]) == (pieces == 1)
    judge = FakeJudge({1: 1.0, 2: 1.0})  # sure of both pieces and of the whole
    assert len(rejoin(judge, groups, judge.render)) == pieces


def test_an_open_four_whose_bar_stops_short_reads_as_a_four(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    four_apart = open_four_short_bar(150, 100, 0.55)
    assert read_strokes(classifier, four_apart, render_456).text == "4"
    monkeypatch.setattr(joins, "HANG_RISE", 2.0)  # without the rule (and without an L
    monkeypatch.setattr(joins, "OPEN_RISE", 2.0)  # rising beside an upright): two digits
    assert len(read_strokes(classifier, four_apart, render_456).text) == 2


def nine_apart(x: float, y: float, h: float = 120) -> list[np.ndarray]:
    """A 9 drawn as a loop, then a stem that starts lower down and misses the loop by a
    tenth of the height."""
    t = np.radians(np.linspace(0, -360, 36))
    loop = [(x + 0.3 * h + 0.25 * h * np.cos(a), y + 0.25 * h + 0.25 * h * np.sin(a)) for a in t]
    return [line(*loop), line((x + 0.65 * h, y + 0.25 * h), (x + 0.62 * h, y + h))]


def test_a_nine_whose_loop_misses_its_stem_reads_as_a_nine(monkeypatch):
    from edge_app.classifier import ClassifierOptions, DigitClassifier
    from edge_app.segment import joins
    from edge_app.segment.number import read_strokes

    classifier = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    strokes = nine_apart(150, 100)
    assert len(group_strokes(strokes)) == 2
    assert read_strokes(classifier, strokes, render_456).text == "9"
    monkeypatch.setattr(joins, "HANG_RISE", 2.0)  # without the rule: a 0 and a 1
    assert len(read_strokes(classifier, strokes, render_456).text) == 2


def test_reading_a_number_does_not_import_numpy_ma():
    # np.median's first call imports numpy.ma: 20 ms on a person's first number in the app.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from edge_app.classifier import ClassifierOptions, DigitClassifier\n"
        "from edge_app.segment.number import read_pixels, read_strokes\n"
        "from tests.test_segment_joins import four, open_four_short_bar, render_456, two\n"
        "import numpy as np\n"
        "c = DigitClassifier(ClassifierOptions(model='cnn_int8'))\n"
        "assert read_strokes(c, open_four_short_bar(150, 100, 0.55), render_456).text == '4'\n"
        "read_strokes(c, four(10, 100) + two(150, 100) + four(300, 100), render_456)\n"
        "page = np.full((200, 400), 255, np.uint8)\n"
        "page[50:150, 60:70] = 0\n"
        "page[50:150, 260:270] = 0\n"
        "assert read_pixels(c, page).text == '11'\n"
        "print('numpy.ma' in sys.modules)\n")
    root = Path(__file__).resolve().parents[1]  # where `tests` imports from
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "False"
