"""The result panel: what it shows for each kind of view, drawn over its once-made base."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app import panel as panel_module  # noqa: E402
from edge_app.app.layout import compute_layout  # noqa: E402
from edge_app.app.panel import NumberDigit, Panel, View  # noqa: E402
from edge_app.classifier import Prediction  # noqa: E402


@pytest.fixture(params=[(800, 480), (720, 1280)])
def panel(request):
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(request.param)
    yield Panel(screen, compute_layout(*request.param))
    pygame.quit()


def answer(digit: int, confidence: float = 0.9) -> Prediction:
    """The rest of the probability on the next digit; none on the others."""
    p = np.zeros(10, np.float32)
    p[digit], p[(digit + 1) % 10] = confidence, 1 - confidence
    return Prediction(digit, confidence, p)


def bar_colours(panel: Panel) -> list[tuple[int, int, int]]:
    """The colour at the top and at the bottom of each bar's slot."""
    xs, top, bar_w, full_h = panel._bar_geometry()
    screen = panel.screen
    return [(tuple(screen.get_at((x + bar_w // 2, top + 2)))[:3],
             tuple(screen.get_at((x + bar_w // 2, top + full_h - 2)))[:3]) for x in xs]


def test_bars_show_the_answer_over_their_grey_slots(panel):
    panel.draw(View("cnn_int8", prediction=answer(4, 0.97), model_input=np.zeros((28, 28))))
    colours = bar_colours(panel)
    assert colours[4] == (panel_module.BAR, panel_module.ACCENT)  # 97 %, settled
    assert colours[5] == (panel_module.BAR, panel_module.MUTED)  # 3 %: a stub
    assert colours[3] == (panel_module.BAR, panel_module.BAR)  # nothing: an empty slot
    panel.draw(View("cnn_int8", prediction=answer(7, 0.97), settled=False))
    colours = bar_colours(panel)
    assert colours[7][1] == panel_module.MUTED  # interim: muted
    assert colours[4] == (panel_module.BAR, panel_module.BAR)  # the last answer is gone


def test_each_kind_of_view_gets_its_own_background(panel):
    digits = tuple(NumberDigit(d, 0.99, None, np.zeros((28, 28), np.float32)) for d in (2, 0))
    panel.draw(View("cnn_int8", number=digits, message="a number"))
    xs, top, _, full_h = panel._bar_geometry()
    # A number shows each digit's input where the bars were: no grey slot is left there.
    assert all(panel_module.BAR not in c for c in bar_colours(panel))
    # A message too long for the status line takes the bars' place, on plain background.
    long = "Could not load model broken.tflite: " + "not a valid TFLite model " * 6
    panel.draw(View("cnn_int8", prediction=answer(1), message=long, warn=True))
    assert all(panel_module.BAR not in c and panel_module.ACCENT not in c
               for c in bar_colours(panel))
    # Back to a single digit: the slots and the caption of the model input are there again.
    panel.draw(View("cnn_int8", prediction=answer(1)))
    assert bar_colours(panel)[0] == (panel_module.BAR, panel_module.BAR)
    assert len(panel._bases) == 3  # made once each, then reused
    panel.draw(View("cnn_int8", prediction=answer(2)))
    assert len(panel._bases) == 3


def test_the_strip_over_a_number_hides_the_digits_inputs(panel):
    ink = np.ones((28, 28), np.float32)  # white inputs: they would show between the buttons
    digits = tuple(NumberDigit(d, 0.99, None, ink) for d in (6, 1))
    panel.draw(View("cnn_int8", number=digits, message="One digit?", strip=True))
    strip = panel.layout.strip
    area = strip[0].unionall(strip[1:])
    between = [(x, y) for x in range(area.left, area.right, 2)
               for y in range(area.top, area.bottom, 2)
               if not any(r.collidepoint(x, y) for r in strip)]
    assert between and all(tuple(panel.screen.get_at(p))[:3] == panel_module.BACKGROUND
                           for p in between)


def test_the_status_line_states_the_confidence_the_panel_shows():
    from edge_app.app.answer import Answer
    from edge_app.segment.number import ReadDigit

    read = ReadDigit((0, 0, 10, 10), answer(1, 0.996), np.zeros((28, 28), np.float32))
    # The panel shows 99.6 % beside the digit; the line under it must not say 100 %.
    assert Answer((read,), 0.5, 1).describe() == "1 with 99.6% confidence"
