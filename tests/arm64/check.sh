#!/usr/bin/env bash
# Proof that the device side runs on arm64: Debian arm64 root filesystems (Bookworm, Python 3.11,
# and Trixie, Python 3.13, as Raspberry Pi OS) under qemu-user emulation, the edge profile
# installed from PyPI for aarch64 inside each, digits-predict and the device-side tests run
# there, and every shipped model's predictions on the shipped test split compared with this
# (x86-64) machine's. Run as root: make arm64-check; SUITES=trixie for one distribution.
# Timings under emulation are not Pi timings and are not reported as such.
# Under emulation a float CNN takes ~0.3 s an image (qemu does floating point in software), so
# each model gets SECONDS_PER_MODEL (default 300) to go through as much of the split as it can, in
# order; the report says how many images each model was compared on.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
SUITES=${SUITES:-bookworm trixie}
PYTHON=${PYTHON:-$REPO/.venv/bin/python}  # this machine's side of the comparison
export PYTHONPATH=$REPO  # this checkout's code and models, whichever venv runs them
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECONDS_PER_MODEL=${SECONDS_PER_MODEL:-300}
OUT=$REPO/build/arm64
say() { printf '\n== %s\n' "$*"; }
die() { printf 'arm64-check: %s\n' "$*" >&2; exit 2; }

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, chroot, mounts): sudo make arm64-check"
command -v debootstrap >/dev/null || die "needs debootstrap: apt-get install debootstrap"
[[ -x /usr/bin/qemu-aarch64-static ]] || die "needs qemu-user-static: apt-get install qemu-user-static binfmt-support"
[[ -x $PYTHON ]] || die "no $PYTHON: run make test first (the x86-64 side of the comparison)"
mkdir -p "$OUT"
BINFMT=/proc/sys/fs/binfmt_misc
mountpoint -q $BINFMT || mount -t binfmt_misc binfmt_misc $BINFMT

# qemu before 8 (Debian bookworm has 7.2) crashes inside LiteRT 2.x's Interpreter(); 10.0
# runs it. With an old system qemu, take Debian trixie's qemu-user into build/ (private apt
# state, nothing installed) and register it with binfmt_misc for this run only.
QEMU=/usr/bin/qemu-aarch64-static
qemu_major=$($QEMU --version | sed -nE 's/.*version ([0-9]+).*/\1/p')
restore_binfmt() { :; }
if (( qemu_major < 8 )); then
  QEMU=$REPO/build/qemu/usr/bin/qemu-aarch64
  if [[ ! -x $QEMU ]]; then
    say "system qemu is $qemu_major.x; fetching Debian trixie's qemu-user into build/qemu"
    apt_dir=$REPO/build/qemu-apt && mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
    echo "deb $MIRROR trixie main" > "$apt_dir/sources.list"
    apt_opts=(-o Dir::State::Lists="$apt_dir/lists" -o Dir::Etc::SourceList="$apt_dir/sources.list"
              -o Dir::Etc::SourceParts=/nonexistent -o Dir::Cache::Archives="$apt_dir/archives")
    apt-get "${apt_opts[@]}" update >/dev/null
    (cd "$apt_dir" && apt-get "${apt_opts[@]}" download qemu-user >/dev/null 2>&1)
    dpkg -x "$apt_dir"/qemu-user_*.deb "$REPO/build/qemu"
  fi
  echo "using $($QEMU --version | head -n 1)"
  [[ -e $BINFMT/qemu-aarch64 ]] && echo 0 > $BINFMT/qemu-aarch64
  [[ -e $BINFMT/digits-aarch64 ]] && echo -1 > $BINFMT/digits-aarch64
  # The ELF header of aarch64 executables; F: the interpreter is opened now, outside the chroot.
  printf '%s' ':digits-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:'"$QEMU"':OCF' > $BINFMT/register
  restore_binfmt() {
    [[ -e $BINFMT/digits-aarch64 ]] && echo -1 > $BINFMT/digits-aarch64
    [[ -e $BINFMT/qemu-aarch64 ]] && echo 1 > $BINFMT/qemu-aarch64
    return 0
  }
elif [[ ! -e $BINFMT/qemu-aarch64 ]]; then
  update-binfmts --enable qemu-aarch64 || die "cannot register qemu-aarch64 with binfmt_misc"
fi
trap restore_binfmt EXIT

say "this machine's predictions (x86-64, $("$PYTHON" --version))"
"$PYTHON" tests/arm64/predictions.py dump "$OUT/x86_64.json" >/dev/null
# Trust what this machine's pip trusts (a network with a TLS-inspecting proxy has its own CA).
HOST_CA=${PIP_CERT:-$("$PYTHON" -m pip config get global.cert 2>/dev/null || true)}
HOST_CA=${HOST_CA:-/etc/ssl/certs/ca-certificates.crt}
mounted=()
cleanup() {
  for root in "${mounted[@]}"; do
    for m in dev/pts dev sys proc; do umount "$root/$m" 2>/dev/null || true; done
  done
  restore_binfmt
}
trap cleanup EXIT

check_suite() {  # check_suite SUITE: one distribution, results in $OUT/SUITE/
  local suite=$1 rootfs=$REPO/build/arm64-rootfs-$1 out=$OUT/$1
  mkdir -p "$out"
  if [[ ! -x $rootfs/usr/bin/python3 ]]; then
    say "$suite: debootstrap arm64 into $rootfs (slow under emulation: ~10 min)"
    debootstrap --arch=arm64 --variant=minbase \
      --include=python3,python3-venv,python3-pip,ca-certificates "$suite" "$rootfs" "$MIRROR"
  fi

  say "$suite: copy the project (its files as in the working tree, ignored ones left out)"
  rm -rf "$rootfs/opt/digits" && mkdir -p "$rootfs/opt/digits"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - \
    | tar -xf - -C "$rootfs/opt/digits"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  cp "$HOST_CA" "$rootfs/opt/host-ca.crt"
  mounted+=("$rootfs")
  for m in proc sys dev dev/pts; do
    mountpoint -q "$rootfs/$m" || mount --bind "/$m" "$rootfs/$m"
  done
  in_arm64() {  # a clean environment: nothing of this machine's Python set-up leaks in
    chroot "$rootfs" /usr/bin/env -i HOME=/root PATH=/opt/venv/bin:/usr/bin:/bin \
      PIP_CERT=/opt/host-ca.crt ${HTTPS_PROXY:+HTTPS_PROXY=$HTTPS_PROXY} \
      ${HTTP_PROXY:+HTTP_PROXY=$HTTP_PROXY} SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
      PYTHONDONTWRITEBYTECODE=1 /bin/sh -c "cd /opt/digits && $*"
  }

  say "$suite: machine inside: $(in_arm64 'uname -m; python3 --version' | tr '\n' ' ')"
  say "$suite: install the edge profile (+ pytest) from PyPI for aarch64"
  in_arm64 "test -x /opt/venv/bin/python || python3 -m venv /opt/venv; \
    pip install -q --disable-pip-version-check -e '.[edge,dev]' && \
    pip list 2>/dev/null | grep -iE 'ai-edge-litert|numpy|pillow|pygame|tensorflow|tflite' " \
    | tee "$out/packages.txt"

  say "$suite: digits-predict on arm64"
  in_arm64 "python -c \"
import numpy as np; from PIL import Image; from edge_app.synthetic import redraw
d = np.load('models/mnist_test.npz'); rng = np.random.default_rng(7)
for i in (0, 1, 2):
    Image.fromarray(redraw(d['x_test'][i], rng)).save(f'/tmp/drawn{i}_label{d[\\\"y_test\\\"][i]}.png')
\" && digits-predict /tmp/drawn*.png" | tee "$out/predict-arm64.jsonl"

  say "$suite: every shipped model on the shipped test split ($SECONDS_PER_MODEL s a model)"
  in_arm64 "python tests/arm64/predictions.py dump /tmp/arm64.json $SECONDS_PER_MODEL"
  cp "$rootfs/tmp/arm64.json" "$out/arm64.json"
  local same=0
  "$PYTHON" tests/arm64/predictions.py compare "$OUT/x86_64.json" "$out/arm64.json" \
    | tee "$out/compare.txt" || same=$?

  say "$suite: device-side tests on arm64"
  local tests
  tests=$(cd tests && ls test_app*.py test_pointer.py test_predict.py test_preprocess.py \
    test_adapters.py test_files.py test_display.py test_kiosk.py 2>/dev/null | sed 's|^|tests/|' \
    || true)
  local passed=0
  in_arm64 "python -m pytest -q -p no:cacheprovider -m 'not workstation' $(echo $tests)" \
    | tee "$out/pytest-arm64.txt" || passed=$?

  { echo "arm64 check on $(date -u +%Y-%m-%d): Debian $suite arm64 under qemu-user," \
      "$(in_arm64 'python --version')"; cat "$out/compare.txt"; tail -n 1 "$out/pytest-arm64.txt"
  } > "$out/report.txt"
  [[ $same == 0 ]] || { failed+=("$suite: predictions differ (see $out/compare.txt)"); }
  [[ $passed == 0 ]] || { failed+=("$suite: tests failed (see $out/pytest-arm64.txt)"); }
}

failed=()
for suite in $SUITES; do check_suite "$suite"; done
cat "$OUT"/*/report.txt > "$OUT/report.txt"
(( ${#failed[@]} == 0 )) || die "$(printf '%s; ' "${failed[@]}")"
say "passed on $SUITES: $OUT/report.txt"
