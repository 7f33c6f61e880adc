# Two commands take a fresh clone to done:  make book   and   make test
# Both create (or reuse) the virtual environment .venv and install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= quick
# A data folder beside the clone is used when present (see README, "Data").
DIMCLUST_DATA ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)
KERAS_BACKEND ?= tensorflow
export DIMCLUST_DATA KERAS_BACKEND
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: book full test check-site data env clean gpu-kit

book: $(STAMP) data   ## execute every chapter with papermill, then build the site in _build/html
	$(BIN)/python book/build.py --scale $(SCALE)

# The thesis's scale on a GPU: every chapter with KERAS_BACKEND=jax, run records in results/full.
full: $(STAMP) data
	$(BIN)/python -m pip install -q -r requirements-gpu.txt
	KERAS_BACKEND=jax $(BIN)/python book/build.py --scale full --records results/full

# One short loan of a GPU machine without network: wheels and data in .kit/ (see gpu/README.md).
gpu-kit: $(STAMP) data
	$(BIN)/python gpu/kit.py build

check-site:           ## look at the built site in headless Chromium (needs chromium)
	$(BIN)/python book/check_site.py

test: $(STAMP) data   ## lint, then run the test suite
	$(BIN)/ruff check dimclust tests book benchmarks gpu
	$(BIN)/python -m pytest -q -ra

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

# Fashion-MNIST from Debian's package, when possible and not yet present; elsewhere the
# loaders download through keras.datasets on first use.
data:
	@if [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	  (apt-get install -y -qq dataset-fashion-mnist > /dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist > /dev/null)) \
	  && echo "installed Debian package dataset-fashion-mnist"; fi

clean:
	rm -rf _build
