# Two commands do all set-up on a fresh machine:
#   make run   - creates .venv, installs the edge profile (no TensorFlow), starts the app
#   make test  - creates .venv, installs everything (TensorFlow too), runs the tests
# Both are idempotent: a stamp file records what is installed and setup.cfg changes reinstall.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: run test bench train convert kiosk kiosk-desktop kiosk-remove arm64-check wayland-check clean-venv

run: $(VENV)/.edge-installed
	$(BIN)/digits-app $(ARGS)

test: $(VENV)/.dev-installed
	$(BIN)/ruff check --quiet .
	$(BIN)/python -m pytest $(ARGS)

# Workstation shortcuts (need `make test` first, for TensorFlow); DATA=path/to/mnist.npz
train: $(VENV)/.dev-installed
	$(BIN)/digits-train all $(if $(DATA),--data $(DATA)) $(ARGS)

convert: $(VENV)/.dev-installed
	$(BIN)/digits-convert $(if $(DATA),--data $(DATA)) $(ARGS)

bench: $(VENV)/.edge-installed
	$(BIN)/digits-bench $(ARGS)

# Start the app at boot (see README, "On a Raspberry Pi"); app options go in ARGS.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
kiosk: $(VENV)/.edge-installed
	$(SUDO) $(BIN)/python -m edge_app.kiosk install --venv $(abspath $(VENV)) --user $$(id -un) -- $(ARGS)

kiosk-desktop: $(VENV)/.edge-installed
	$(BIN)/python -m edge_app.kiosk install --desktop --venv $(abspath $(VENV)) -- $(ARGS)

kiosk-remove:
	$(SUDO) $(BIN)/python -m edge_app.kiosk uninstall
	$(BIN)/python -m edge_app.kiosk uninstall --desktop

# The app under a real Wayland compositor (headless sway, or COMPOSITOR=labwc as on Pi OS),
# drawn on with a virtual pointer, screenshots in build/wayland/; needs: sudo apt install sway grim.
wayland-check: $(VENV)/.edge-installed
	PYTHON=$(BIN)/python bash tests/wayland/check.sh

# The device side on emulated arm64, Debian Bookworm and Trixie (rootfs + qemu-user); needs
# root, about 40 min per distribution on 2 cores.
arm64-check: $(VENV)/.dev-installed
	$(SUDO) bash tests/arm64/check.sh

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "Python 3.10 or newer is needed (found $$($(PYTHON) --version 2>&1))"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "venv failed: on Debian/Raspberry Pi OS run: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# PYTHONWARNINGS=ignore: setuptools prints a notice box on every editable install (a folder
# named like the package may shadow it), which is how this checkout is meant to be used.
$(VENV)/.edge-installed: setup.cfg pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[edge]'
	@touch $@

$(VENV)/.dev-installed: setup.cfg pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[edge,train,dev]'
	@touch $@ $(VENV)/.edge-installed

clean-venv:
	rm -rf $(VENV)
