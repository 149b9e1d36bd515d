"""The one table of what the app can do: button label, colour, keys, and the method it calls."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    """One thing a person can do, by button or key.

    Attributes:
        name: the controller method it calls (`DigitApp.<name>()`).
        label: the button's text; "" for key-only actions.
        colour: the button's RGB colour.
        keys: pygame key names (`pygame.key.key_code` spelling) that do the same.
    """

    name: str
    label: str
    colour: tuple[int, int, int]
    keys: tuple[str, ...] = ()


# The buttons under the result, in screen order.
MAIN = (
    Action("classify", "Classify", (46, 125, 200), ("space", "return", "enter")),
    Action("undo", "Undo", (90, 100, 120), ("u", "backspace")),
    Action("clear", "Clear", (190, 70, 70), ("c",)),
    Action("next_model", "Model", (110, 90, 170), ("m",)),
    Action("save", "Save", (60, 150, 90), ("s",)),
    Action("correct", "Correct", (200, 140, 40), ("k",)),
)
# The settings row a long press on the header opens: how a kiosk without a keyboard is left.
MENU = (
    Action("toggle_live", "Live", (46, 125, 200), ("l",)),
    Action("toggle_adaptation", "Adapt", (200, 140, 40), ("a",)),
    Action("forget", "Forget", (150, 80, 60)),
    Action("quit", "Quit", (190, 70, 70), ("escape", "q")),
    Action("close_menu", "Back", (90, 100, 120)),
)
ALL = MAIN + MENU
ROW_SIZE = max(len(MAIN), len(MENU))  # button slots the layout makes room for


def key_table(key_code) -> dict[int, Action]:
    """Maps pygame key codes to actions.

    Args:
        key_code: `pygame.key.key_code`, which turns a key name into its code.
    """
    return {key_code(k): action for action in ALL for k in action.keys}
