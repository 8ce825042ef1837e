# `make run` and `make test` work on a fresh machine: they create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run demo test bench system-deps clean

# installing is quiet on stdout, so `make bench > result.json` holds the JSON alone
$(INSTALLED): pyproject.toml
	@echo "installing into $(VENV)" >&2
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip >&2
	@$(BIN)/pip install --quiet -e ".[test]" >&2
	@touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/bilateral run

demo: $(INSTALLED)
	$(BIN)/bilateral demo

test: $(INSTALLED)
	$(BIN)/python -m pytest

bench: $(INSTALLED)
	@$(BIN)/python -m bench

# WeasyPrint's system libraries, the Chromium the browser tests drive and the PostgreSQL the stack test
# starts (Debian/Ubuntu); run as root or with sudo
system-deps:
	apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium postgresql

clean:
	rm -rf $(VENV) var
