"""A Wayland client that moves and clicks a virtual pointer (wlr-virtual-pointer-unstable-v1).

wlroots compositors (sway, labwc, cage) take input from such a pointer as from a mouse, so the
app receives real wl_pointer events through SDL's wayland driver. Only the few requests used
here are spoken, straight on the socket: no pywayland, no wlrctl (Debian has none).
"""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path

BTN_LEFT = 0x110  # linux/input-event-codes.h
PRESSED, RELEASED = 1, 0
MANAGER = "zwlr_virtual_pointer_manager_v1"
# Opcodes of the requests used, from the protocols' XML.
DISPLAY_SYNC, DISPLAY_GET_REGISTRY, REGISTRY_BIND = 0, 1, 0
CREATE_VIRTUAL_POINTER, MOTION_ABSOLUTE, BUTTON, FRAME = 0, 1, 2, 4


def _string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)


def _read_string(payload: bytes, at: int) -> tuple[str, int]:
    (size,) = struct.unpack_from("=I", payload, at)
    text = payload[at + 4:at + 4 + size - 1].decode()
    return text, at + 4 + size + (-size % 4)


class VirtualPointer:
    """One virtual pointer on the compositor's default seat, in output-layout pixels."""

    def __init__(self, socket_path: Path, extent: tuple[int, int]) -> None:
        self.extent = extent
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.connect(str(socket_path))
        self._buffer = b""
        self._ids = iter(range(2, 1 << 24))  # 1 is wl_display
        registry = next(self._ids)
        self._send(1, DISPLAY_GET_REGISTRY, struct.pack("=I", registry))
        globals_ = {}
        for obj, opcode, payload in self._roundtrip():
            if obj == registry and opcode == 0:  # wl_registry.global
                (name,) = struct.unpack_from("=I", payload)
                interface, at = _read_string(payload, 4)
                globals_[interface] = (name, struct.unpack_from("=I", payload, at)[0])
        if MANAGER not in globals_:
            raise RuntimeError(f"the compositor offers no {MANAGER} (not wlroots-based?)")
        manager = next(self._ids)
        self._send(registry, REGISTRY_BIND, struct.pack("=I", globals_[MANAGER][0])
                   + _string(MANAGER) + struct.pack("=II", 1, manager))
        self._pointer = next(self._ids)
        self._send(manager, CREATE_VIRTUAL_POINTER, struct.pack("=II", 0, self._pointer))
        self._roundtrip()

    def _send(self, obj: int, opcode: int, payload: bytes) -> None:
        self._sock.sendall(struct.pack("=II", obj, (8 + len(payload)) << 16 | opcode) + payload)

    def _roundtrip(self) -> list[tuple[int, int, bytes]]:
        """Waits until the compositor has handled everything sent; returns its events."""
        callback = next(self._ids)
        self._send(1, DISPLAY_SYNC, struct.pack("=I", callback))
        events = []
        while True:
            while len(self._buffer) < 8 or len(self._buffer) < self._size():
                chunk = self._sock.recv(65536)
                if not chunk:
                    raise RuntimeError("the compositor closed the connection")
                self._buffer += chunk
            size = self._size()
            obj, _ = struct.unpack_from("=II", self._buffer)
            opcode = struct.unpack_from("=I", self._buffer, 4)[0] & 0xFFFF
            payload, self._buffer = self._buffer[8:size], self._buffer[size:]
            if obj == 1 and opcode == 0:  # wl_display.error
                raise RuntimeError(f"protocol error: {_read_string(payload, 8)[0]}")
            if obj == callback:
                return events
            events.append((obj, opcode, payload))

    def _size(self) -> int:
        return struct.unpack_from("=I", self._buffer, 4)[0] >> 16

    def _now(self) -> int:
        return int(time.monotonic() * 1000) & 0xFFFFFFFF  # milliseconds, wrapping

    def move(self, x: float, y: float) -> None:
        """Puts the pointer at (x, y)."""
        w, h = self.extent
        self._send(self._pointer, MOTION_ABSOLUTE,
                   struct.pack("=IIIII", self._now(), round(x), round(y), w, h))
        self._send(self._pointer, FRAME, b"")
        self._roundtrip()

    def button(self, pressed: bool) -> None:
        """Presses or releases the left button where the pointer is."""
        self._send(self._pointer, BUTTON,
                   struct.pack("=III", self._now(), BTN_LEFT, PRESSED if pressed else RELEASED))
        self._send(self._pointer, FRAME, b"")
        self._roundtrip()

    def stroke(self, points: list[tuple[float, float]], step: float = 6.0,
               pause: float = 0.008) -> None:
        """Drags with the left button through `points`, a motion every `step` pixels."""
        self.move(*points[0])
        self.button(True)
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            n = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / step))
            for i in range(1, n + 1):
                self.move(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n)
                time.sleep(pause)  # seconds: a hand's pace, a few motions per frame
        self.button(False)

    def click(self, x: float, y: float, hold: float = 0.1) -> None:
        """Presses and releases at (x, y) after `hold` seconds."""
        self.move(x, y)
        self.button(True)
        time.sleep(hold)
        self.button(False)

    def close(self) -> None:
        self._sock.close()


def socket_path() -> Path:
    """$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY, or $WAYLAND_DISPLAY itself when absolute."""
    display = os.environ.get("WAYLAND_DISPLAY", "wayland-0")
    return Path(display) if display.startswith("/") else Path(
        os.environ["XDG_RUNTIME_DIR"]) / display
