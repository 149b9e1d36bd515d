#!/usr/bin/env bash
# The app under a real Wayland compositor: sway with its headless backend (wlroots, as labwc on
# Raspberry Pi OS), SDL's wayland driver, input from a wlroots virtual pointer, screenshots taken
# through the compositor with grim. Needs sway and grim (sudo apt install sway grim) and the
# edge profile (make run). Run: make wayland-check. Results and screenshots: build/wayland/.
#   1. probe.py opens a window through edge_app.display with no SDL_VIDEODRIVER set: it must
#      choose wayland; the pointer's events must arrive as mouse events not marked as touch.
#   2. The app itself (SDL_VIDEODRIVER=wayland, fullscreen): draw a 7, see it answered and saved
#      as digit7, open the settings row with a long press and Quit: exit status 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
OUT=${OUT:-$REPO/build/wayland}
say() { printf '\n== %s\n' "$*"; }
die() { printf 'wayland-check: %s\n' "$*" >&2; exit 2; }
fail() { printf 'wayland-check: FAILED: %s\n' "$*" >&2; exit 1; }

for tool in sway swaymsg grim; do
  command -v $tool >/dev/null || die "needs $tool: sudo apt install sway grim"
done
[[ -x $PYTHON ]] || die "no $PYTHON: run make run first (or set PYTHON=path/to/python)"
mkdir -p "$OUT" && rm -f "$OUT"/*.png "$OUT"/*.log "$OUT"/*.jsonl "$OUT"/report.txt
RUNTIME=$(mktemp -d /tmp/digits-wayland.XXXXXX)
# sway will not run as root; then the compositor runs as nobody, and clients connect anyway.
as_compositor=()
if [[ $(id -u) == 0 ]]; then
  chown nobody "$RUNTIME"
  as_compositor=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 700 "$RUNTIME"
cat > "$RUNTIME/sway.conf" <<'EOF'
output HEADLESS-1 resolution 800x480 position 0 0
default_border none
xwayland disable
EOF
chmod 644 "$RUNTIME/sway.conf"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUNTIME"
}
trap cleanup EXIT
wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
  local until=$((SECONDS + $1)); shift
  until "$@"; do (( SECONDS < until )) || return 1; sleep 0.2; done
}
await_exit() {  # await_exit PID SECONDS: sets $status once PID ends; fails if it does not
  local until=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do (( SECONDS < until )) || fail "pid $1 still running"; sleep 0.2; done
  status=0; wait "$1" || status=$?
}

windows() {  # windows NAME: sway's view of the client windows; one must be native Wayland
  swaymsg -t get_tree > "$OUT/tree-$1.json"
  "$PYTHON" - "$OUT/tree-$1.json" <<'EOF'
import json, sys
def walk(node):
    yield node
    for child in node.get("nodes", []) + node.get("floating_nodes", []):
        yield from walk(child)
windows = [n for n in walk(json.load(open(sys.argv[1]))) if n.get("pid")]
for n in windows:
    rect = n["rect"]
    print(f"window: app_id {n.get('app_id')}, shell {n.get('shell')}, "
          f"{rect['width']}x{rect['height']}, fullscreen_mode {n.get('fullscreen_mode')}")
assert any(n.get("shell") == "xdg_shell" for n in windows), "no native Wayland window"
EOF
}

say "sway $(sway --version | sed 's/sway version //'), headless backend, 800x480, XWayland off"
env -i PATH=/usr/bin:/bin HOME="$RUNTIME" XDG_RUNTIME_DIR="$RUNTIME" WLR_BACKENDS=headless \
  WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 "${as_compositor[@]}" \
  sway -c "$RUNTIME/sway.conf" > "$OUT/sway.log" 2>&1 &
pids+=($!)
socket() { compgen -G "$RUNTIME/wayland-[0-9]" >/dev/null; }
wait_for 15 socket || fail "sway did not start (see $OUT/sway.log)"
export XDG_RUNTIME_DIR=$RUNTIME
WAYLAND_DISPLAY=$(basename "$(compgen -G "$RUNTIME/wayland-[0-9]" | head -n 1)")
SWAYSOCK=$(compgen -G "$RUNTIME/sway-ipc.*.sock" | head -n 1)
export WAYLAND_DISPLAY SWAYSOCK
unset DISPLAY SDL_VIDEODRIVER
export PYGAME_HIDE_SUPPORT_PROMPT=1

say "1. edge_app.display under Wayland, no SDL_VIDEODRIVER: driver and pointer events"
"$PYTHON" tests/wayland/probe.py "$OUT/probe.jsonl" 2 2> "$OUT/probe.log" &
probe=$!; pids+=($probe)
wait_for 30 test -s "$OUT/probe.jsonl" || fail "probe opened no window (see $OUT/probe.log)"
windows probe
"$PYTHON" tests/wayland/drive.py probe
await_exit $probe 20
[[ $status == 0 ]] || fail "probe failed (see $OUT/probe.log)"
"$PYTHON" - "$OUT/probe.jsonl" <<'EOF'
import json, sys
first, *events = [json.loads(line) for line in open(sys.argv[1])]
kinds = sorted({e["type"] for e in events})
print(f"driver: {first['driver']}, window {first['size'][0]}x{first['size'][1]}; events: "
      f"{', '.join(kinds)}; mouse events marked touch: "
      f"{sum(bool(e['touch']) for e in events if e['type'].startswith('mouse'))}")
assert first["driver"] == "wayland", "open_window did not choose wayland"
downs = [e for e in events if e["type"] == "mouse_down"]
assert len(downs) == 2 and not any(e["touch"] for e in downs), "pointer presses missing/marked"
assert not any(e["type"].startswith("finger") for e in events), "a pointer became a finger"
EOF

say "2. digits-app --fullscreen with SDL_VIDEODRIVER=wayland, driven by a virtual pointer"
mkdir -p "$RUNTIME/saved"
SDL_VIDEODRIVER=wayland "$PYTHON" -m edge_app.app --fullscreen --save_dir "$RUNTIME/saved" \
  2> "$OUT/app.log" &
app=$!; pids+=($app)
wait_for 90 grep -q "digits-app: ready" "$OUT/app.log" || fail "app not ready (see $OUT/app.log)"
windows app
"$PYTHON" tests/wayland/drive.py app "$OUT" "$RUNTIME/saved"
await_exit $app 20
[[ $status == 0 ]] || fail "the app exited with status $status (see $OUT/app.log)"
echo "Quit: the app exited with status 0"

versions=$("$PYTHON" -c 'import pygame, sys; print(f"pygame-ce {pygame.version.ver}, SDL "
  + ".".join(map(str, pygame.get_sdl_version())) + f", Python {sys.version.split()[0]}")')
echo "Wayland check passed on $(date -u +%Y-%m-%d): sway $(sway --version | sed 's/sway version //') headless, SDL wayland driver; $versions" \
  | tee "$OUT/report.txt"
