# Two commands on a fresh machine: `make run` (the demo) and `make test` (everything tested).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WEBAPP_SOURCES := $(shell find webapp/src webapp/index.html webapp/vite.config.ts webapp/tsconfig.json -type f 2>/dev/null)
# First-party plugins: one npm workspace each (plugins/<name>/), built into plugins/<name>/dist/.
PLUGIN_DIRS := $(patsubst %/package.json,%,$(wildcard plugins/*/package.json))
PLUGIN_BUILDS := $(addsuffix /dist/index.html,$(PLUGIN_DIRS))

.PHONY: install build run test test-unit test-e2e lint bench chromium redis-server clean

install: $(STAMPS)/python $(STAMPS)/node

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[emulator,test]'
	@touch $@

$(STAMPS)/node: package.json package-lock.json webapp/package.json $(wildcard plugins/*/package.json) e2e/plugin_fixtures/package.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

build: webapp/dist/index.html $(PLUGIN_BUILDS)

webapp/dist/index.html: $(STAMPS)/node $(WEBAPP_SOURCES)
	npm run build --workspace webapp

# Each plugin rebuilds only when its own sources change.
.SECONDEXPANSION:
plugins/%/dist/index.html: $(STAMPS)/node $$(shell find plugins/shared plugins/$$*/src plugins/$$*/index.html plugins/$$*/vite.config.ts plugins/$$*/tsconfig.json plugins/$$*/package.json -type f 2>/dev/null)
	npm run build --workspace plugins/$*

# A Chromium for the browser tests: CHROMIUM_PATH when set, else the system's, else Debian's package.
chromium: $(STAMPS)/python
	@$(PY) -c "from devstack.stack import chromium_path; print('browser:', chromium_path())" 2>/dev/null \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; \
		     $(PY) -c "from devstack.stack import chromium_path; print('browser:', chromium_path())"; }

# Debian's redis-server for the tests of several instances, Redis faults and Redis Cluster, and
# for `make bench`: REDIS_SERVER when set, else the system's, else Debian's package.
redis-server: $(STAMPS)/python
	@$(PY) -c "from devstack.redis import redis_server_path; print('redis:', redis_server_path())" 2>/dev/null \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server >/dev/null; \
		     $(PY) -c "from devstack.redis import redis_server_path; print('redis:', redis_server_path())"; }

# LAN=1: on every interface, the BFF over HTTPS for the LAN address (try it from a phone).
run: install build
	LAN=$(LAN) $(PY) -m devstack

lint: $(STAMPS)/python
	$(PY) -m ruff check .

# Each test target installs everything its tests start: bff/tests/test_devices.py runs
# Debian's redis-server, the identity tests the OpenID provider (npm, in `install`).
test-unit: install redis-server
	npm test --workspace webapp
	$(PY) -m pytest -q -n 2 --durations=10 bff/tests emulator/tests

test-e2e: install build chromium redis-server
	$(PY) -m pytest -q --durations=20 e2e

test: lint test-unit test-e2e

bench: install build chromium redis-server
	$(PY) -m bench
	$(PY) -m bench.devices
	$(PY) -m bench.phonebook
	$(PY) -m bench.load

clean:
	rm -rf $(STAMPS) webapp/dist plugins/*/dist e2e/plugin_fixtures/*/dist .pytest_cache .ruff_cache
