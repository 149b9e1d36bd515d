"""`digits-app`: the touchscreen app as small parts: canvas, pointer, models, panel, controller."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no pygame banner on stdout
