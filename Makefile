# Quick start: `make demo` runs the main job, `make test` runs the tests.
# Both create the virtual environment .venv on first use (Python >= 3.11, pip only).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Pin torch in the same pip command as everything else, or pip may pick another build.
PINS := torch==2.9.1 openmm==8.6.1 openmmtorch==1.5 torchani==2.2.4

.PHONY: demo test models venv
venv: $(STAMP)

$(STAMP): setup.py
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "asteroid_openmm needs Python >= 3.11; run make PYTHON=python3.11 ..."'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(PINS) -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/asteroid-openmm demo --out demo-output

test: $(STAMP)
	$(PY) -m pytest -q tests

models: $(STAMP)
	$(PY) benchmarks/forecast_quality.py --systems ethanol alanine-dipeptide aspirin --train-minutes 20 --threads 1 --install
