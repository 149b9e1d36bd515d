"""Opens a window the way the app does (edge_app.display) and logs pointer events as JSON lines.

Run by check.sh inside a Wayland compositor with no SDL_VIDEODRIVER set: the first line says
which driver `open_window` chose; each later line is one mouse or finger event, with SDL's
`touch` mark (true for its mouse copies of touches). Exits after `clicks` left-button releases
or `seconds`, whichever comes first.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from edge_app.display import open_window  # noqa: E402


def main(out: Path, clicks: int = 2, seconds: float = 30.0) -> int:
    import pygame

    screen = open_window((800, 480), fullscreen=True)
    screen.fill((20, 90, 60))
    pygame.display.flip()
    names = {pygame.MOUSEBUTTONDOWN: "mouse_down", pygame.MOUSEBUTTONUP: "mouse_up",
             pygame.MOUSEMOTION: "mouse_motion", pygame.FINGERDOWN: "finger_down",
             pygame.FINGERUP: "finger_up", pygame.FINGERMOTION: "finger_motion"}
    with out.open("w") as log:
        log.write(json.dumps({"driver": pygame.display.get_driver(),
                              "size": screen.get_size()}) + "\n")
        log.flush()
        deadline = time.monotonic() + seconds
        while clicks > 0 and time.monotonic() < deadline:
            for event in pygame.event.get():
                if event.type not in names:
                    continue
                record = {"type": names[event.type], "touch": getattr(event, "touch", None)}
                record["pos"] = getattr(event, "pos", None) or [event.x, event.y]
                log.write(json.dumps(record) + "\n")
                clicks -= event.type == pygame.MOUSEBUTTONUP
            time.sleep(0.01)
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *map(int, sys.argv[2:3])))
