# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench check catalogs extract lint lock clean

# Installed at the versions in constraints.txt, so every checkout (CI's too) tests what was measured.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Newest releases of everything pyproject.toml allows, written to constraints.txt (in a scratch venv).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ sed -n '/^#/p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^vraagbaak'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .lock-venv

# Catalogs are compiled from the committed .po files, never committed compiled.
catalogs: $(STAMP)
	$(BIN)/python -m bot.catalogs

run: catalogs
	$(BIN)/vraagbaak run

test: catalogs
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Benchmarks run in a venv of their own on BENCH_PYTHON, an interpreter built as the image's is
# (python:3.11-slim: profile-guided and link-time optimised). Debian's python3.11 is built so; a
# default pyenv build is not, and the bot spends ~13 % more CPU per update on it. Another one:
# `make bench BENCH_PYTHON=python3` (the figures say which interpreter they were taken on).
BENCH_PYTHON ?= /usr/bin/python3.11
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-$(notdir $(BENCH_PYTHON))

$(BENCH_STAMP): pyproject.toml constraints.txt $(STAMP)
	rm -rf $(BENCH_VENV) && $(BENCH_PYTHON) -m venv --without-pip $(BENCH_VENV)
	$(BIN)/pip --python $(BENCH_VENV)/bin/python install --quiet -c constraints.txt -e .
	touch $(BENCH_STAMP)

bench: catalogs $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m benchmarks

check: catalogs
	$(BIN)/vraagbaak kb check

# Re-extract interface strings after changing code; then translate the .po files.
extract: $(STAMP)
	$(BIN)/pybabel extract --project vraagbaak --keywords "_ __ gettext lazy_gettext ngettext:1,2" \
		--output locales/messages.pot bot flows handoff knowledge playground
	$(BIN)/pybabel update --domain messages --input-file locales/messages.pot --output-dir locales --no-fuzzy-matching

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) $(BENCH_VENV) locales/*/LC_MESSAGES/*.mo
