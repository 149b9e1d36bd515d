#!/usr/bin/env bash
# The app under a real Wayland compositor with its headless backend: sway (Debian bookworm) or
# labwc (the Raspberry Pi OS desktop; COMPOSITOR=labwc), both wlroots; SDL's wayland driver;
# input from a wlroots virtual pointer; screenshots taken through the compositor with grim.
# Needs grim and sway (sudo apt install sway grim) or labwc and wlr-randr, and the edge profile
# (make run). Where labwc is not packaged (bookworm), root can run it from a Debian trixie root
# that this script debootstraps into build/labwc-rootfs (~5 min, once). Run: make wayland-check
# [COMPOSITOR=labwc]. Results and screenshots: build/wayland/.
#   1. probe.py opens a window through edge_app.display with no SDL_VIDEODRIVER set: it must
#      choose wayland; the pointer's events must arrive as mouse events not marked as touch.
#   2. The app itself (SDL_VIDEODRIVER=wayland, fullscreen): draw a 7, see it answered and saved
#      as digit7, open the settings row with a long press and Quit: exit status 0.
#   3. The same with the output turned 90° by the compositor (as wlr-randr --transform 90 on a
#      Pi): the app gets a 480x800 portrait screen and the pointer lands where it should.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
OUT=${OUT:-$REPO/build/wayland}
COMPOSITOR=${COMPOSITOR:-sway}
LABWC_ROOT=${LABWC_ROOT:-$REPO/build/labwc-rootfs}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
say() { printf '\n== %s\n' "$*"; }
die() { printf 'wayland-check: %s\n' "$*" >&2; exit 2; }
fail() { printf 'wayland-check: FAILED: %s\n' "$*" >&2; exit 1; }
need() { for tool; do command -v "$tool" >/dev/null || die "needs $tool: sudo apt install $tool"; done; }

need grim
[[ -x $PYTHON ]] || die "no $PYTHON: run make run first (or set PYTHON=path/to/python)"
chrooted=
case $COMPOSITOR in
  sway) need sway swaymsg ;;
  labwc)
    if ! command -v labwc >/dev/null; then
      [[ $(id -u) == 0 ]] || die "needs labwc and wlr-randr (Debian trixie, Raspberry Pi OS), or root to use a trixie root in $LABWC_ROOT"
      if [[ ! -x $LABWC_ROOT/usr/bin/labwc ]]; then
        need debootstrap
        say "debootstrap a Debian trixie root with labwc into $LABWC_ROOT (~5 min, once)"
        debootstrap --variant=minbase --include=labwc,wlr-randr trixie "$LABWC_ROOT" "$MIRROR" >/dev/null
      fi
      chrooted=1
    else
      need wlr-randr
    fi ;;
  *) die "COMPOSITOR is sway or labwc, not $COMPOSITOR" ;;
esac
mkdir -p "$OUT" && rm -rf "$OUT"/*.png "$OUT"/*.log "$OUT"/*.jsonl "$OUT"/*.json "$OUT"/portrait \
  "$OUT"/report.txt
RUNTIME=$(mktemp -d /tmp/digits-wayland.XXXXXX)
# sway will not run as root; then the compositor runs as nobody, and clients connect anyway.
as_compositor=()
if [[ $COMPOSITOR == sway && $(id -u) == 0 ]]; then
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
mkdir -p "$RUNTIME/labwc"  # labwc's config folder: empty, so no user's autostart or rc.xml

pids=()
mounts=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  mountpoint -q "$RUNTIME" || rm -rf "$RUNTIME"
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
  [[ $COMPOSITOR == sway ]] || return 0  # labwc has no such query
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

in_root() {  # in_root COMMAND...: a tool of the compositor's system (the trixie root's)
  if [[ -n $chrooted ]]; then
    chroot "$LABWC_ROOT" env -i PATH=/usr/bin:/bin HOME=/root XDG_RUNTIME_DIR=/run/digits-wayland \
      ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY} "$@"
  else
    "$@"
  fi
}
if [[ $COMPOSITOR == sway ]]; then
  version="sway $(sway --version | sed 's/sway version //')"
  say "$version, headless backend, 800x480, XWayland off"
  env -i PATH=/usr/bin:/bin HOME="$RUNTIME" XDG_RUNTIME_DIR="$RUNTIME" WLR_BACKENDS=headless \
    WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 "${as_compositor[@]}" \
    sway -c "$RUNTIME/sway.conf" > "$OUT/compositor.log" 2>&1 &
else
  if [[ -n $chrooted ]]; then
    mkdir -p "$LABWC_ROOT/run/digits-wayland"
    for m in proc dev run/digits-wayland; do
      mountpoint -q "$LABWC_ROOT/$m" && continue
      mount --bind "$([[ $m == run/* ]] && echo "$RUNTIME" || echo "/$m")" "$LABWC_ROOT/$m"
      mounts=("$LABWC_ROOT/$m" "${mounts[@]}")
    done
  fi
  version="$(in_root labwc --version | head -n 1)${chrooted:+ (Debian trixie root)}"
  say "$version, headless backend, 800x480"
  if [[ -n $chrooted ]]; then
    chroot "$LABWC_ROOT" env -i PATH=/usr/bin:/bin HOME=/root XDG_RUNTIME_DIR=/run/digits-wayland \
      WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
      labwc -C /run/digits-wayland/labwc > "$OUT/compositor.log" 2>&1 &
  else
    env -i PATH=/usr/bin:/bin HOME="$RUNTIME" XDG_RUNTIME_DIR="$RUNTIME" WLR_BACKENDS=headless \
      WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 labwc -C "$RUNTIME/labwc" \
      > "$OUT/compositor.log" 2>&1 &
  fi
fi
pids+=($!)
socket() { compgen -G "$RUNTIME/wayland-[0-9]" >/dev/null; }
wait_for 15 socket || fail "$COMPOSITOR did not start (see $OUT/compositor.log)"
export XDG_RUNTIME_DIR=$RUNTIME
WAYLAND_DISPLAY=$(basename "$(compgen -G "$RUNTIME/wayland-[0-9]" | head -n 1)")
export WAYLAND_DISPLAY
if [[ $COMPOSITOR == sway ]]; then
  SWAYSOCK=$(compgen -G "$RUNTIME/sway-ipc.*.sock" | head -n 1); export SWAYSOCK
  turn() { swaymsg -q output HEADLESS-1 transform "$1"; }
else
  wait_for 5 in_root wlr-randr --output HEADLESS-1 --custom-mode 800x480 \
    || fail "wlr-randr cannot set the output's mode"
  turn() { in_root wlr-randr --output HEADLESS-1 --transform "$1"; }
fi
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

run_app() {  # run_app OUT SIZE: the app full screen, driven and checked by drive.py
  mkdir -p "$1" "$RUNTIME/saved-$2"
  SDL_VIDEODRIVER=wayland "$PYTHON" -m edge_app.app --fullscreen --save_dir "$RUNTIME/saved-$2" \
    2> "$1/app.log" &
  local app=$!; pids+=($app)
  wait_for 90 grep -qs "digits-app: ready" "$1/app.log" || fail "app not ready (see $1/app.log)"
  windows "app-$2"
  "$PYTHON" tests/wayland/drive.py app "$1" "$RUNTIME/saved-$2" "$2"
  await_exit $app 20
  [[ $status == 0 ]] || fail "the app exited with status $status (see $1/app.log)"
  echo "Quit: the app exited with status 0"
}

say "2. digits-app --fullscreen with SDL_VIDEODRIVER=wayland, driven by a virtual pointer"
run_app "$OUT" 800x480

say "3. the same on the output turned 90 degrees by the compositor (portrait 480x800)"
turn 90
run_app "$OUT/portrait" 480x800

versions=$("$PYTHON" -c 'import pygame, sys; print(f"pygame-ce {pygame.version.ver}, SDL "
  + ".".join(map(str, pygame.get_sdl_version())) + f", Python {sys.version.split()[0]}")')
echo "Wayland check passed on $(date -u +%Y-%m-%d): $version, headless; SDL wayland driver; $versions" \
  | tee "$OUT/report.txt"
