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
# Known vulnerabilities accepted for now, each written down in docs/audit-exceptions.md:
# --ignore-vuln <id> per entry (none today).
PIP_AUDIT_IGNORE :=

.PHONY: systemd-analyze install build run test test-unit test-e2e lint audit lock image test-image stack stack-bases bench chromium redis-server clean

install: $(STAMPS)/python $(STAMPS)/node

# Exactly the locked versions, each checked against its sha256 (requirements-dev.lock: the
# BFF and every extra); then the checkout itself, editable, without resolving anything again.
$(STAMPS)/python: pyproject.toml requirements-dev.lock
	@mkdir -p $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# After changing pyproject.toml's dependencies: write both lockfiles again (newest versions
# within its bounds, every wheel's sha256). requirements.lock: what the image installs.
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --universal --python-version 3.11
lock: $(STAMPS)/python
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra embedded --extra devstack --extra emulator --extra test -o requirements-dev.lock

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

# The OCI image (Containerfile; Docker builds it unchanged). Here with podman as root on vfs
# (containers in a container), from bases made of Debian's packages: no registry is reachable.
# Elsewhere: `make image PODMAN=podman PODMAN_ENV= IMAGE_BASES=` pulls Containerfile's bases.
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE ?= localhost/borgervideo:$(VERSION)
PODMAN ?= podman --storage-driver vfs --runtime /usr/sbin/runc --cgroup-manager cgroupfs
PODMAN_ENV ?= CONTAINERS_CONF=$(CURDIR)/deploy/containers.conf
DEBIAN_SUITE ?= trixie
# The CA bundle npm and pip trust inside the build (a TLS-inspecting proxy's CA included).
BUILD_CA ?= /etc/ssl/certs/ca-certificates.crt
, := ,
IMAGE_BASES ?= --build-arg NODE_BASE=localhost/bv-node-base:$(DEBIAN_SUITE) \
	--build-arg PYTHON_BASE=localhost/bv-python-base:$(DEBIAN_SUITE)
image:
	@command -v podman >/dev/null && command -v mmdebstrap >/dev/null && command -v newuidmap >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq podman runc mmdebstrap uidmap >/dev/null; }
	$(if $(IMAGE_BASES),$(PODMAN_ENV) DEBIAN_SUITE=$(DEBIAN_SUITE) nice -n 10 deploy/debian-bases $(PODMAN))
	$(PODMAN_ENV) nice -n 10 $(PODMAN) build --format docker --network host $(IMAGE_BASES) \
		$(if $(wildcard $(BUILD_CA)),--secret id=build_ca$(,)src=$(BUILD_CA)) \
		-f Containerfile -t $(IMAGE) .

# The image's own test (build, run read-only on a real Redis, health, SIGTERM) and the
# stack's (two BFF containers, Redis, Caddy's TLS; a two-browser call survives losing a BFF).
test-image: install build chromium redis-server
	$(PY) -m pytest -q e2e/test_image.py e2e/test_stack.py

# The production shape on this host: Redis (appendfsync always), two BFF containers and Caddy
# with TLS (deploy/stack/). STACK_ENV_FILE: the environment file (.env.example).
STACK_ENV_FILE ?= borgervideo.env
stack-bases:
	$(PODMAN_ENV) STACK_BASES=1 DEBIAN_SUITE=$(DEBIAN_SUITE) nice -n 10 deploy/debian-bases $(PODMAN)
stack: image stack-bases
	@test -f $(STACK_ENV_FILE) || { echo "stack: no $(STACK_ENV_FILE): copy .env.example, fill it" \
		"in, add python -m bff.ops.envsecrets' lines" >&2; exit 1; }
	$(PODMAN_ENV) PODMAN="$(PODMAN)" STACK_ENV_FILE=$(abspath $(STACK_ENV_FILE)) \
		STACK_IMAGE=$(IMAGE) deploy/stack/stack up

print-%:
	@echo '$($*)'

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

# Style, format, the BFF's import rules (pyproject's [tool.importlinter]) and its types
# (pyproject's [tool.mypy]: strict on all of bff/; the emulator: mypy's defaults);
# the webapp's and plugins' part (package.json "lint"): ESLint (eslint.config.mjs), Prettier's
# check, and the API's generated types against the BFF's OpenAPI document as it is now.
lint: $(STAMPS)/python $(STAMPS)/node
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(PY) -m mypy --config-file= --ignore-missing-imports --exclude emulator/tests emulator
	npm run --silent lint

# Known vulnerabilities in what we ship: every locked Python package (PyPI's advisories) and the
# npm packages that reach the browser. Both ask an advisory service; when it cannot be reached
# the target fails (pip-audit --strict turns "could not audit" into an error). Not part of
# `make lint`: these machines reach only the package registries, not the advisory services. Exceptions:
# docs/audit-exceptions.md, each with its reason and the --ignore-vuln here.
PYPI_ADVISORIES := https://pypi.org/pypi/pip/24.0/json
audit: $(STAMPS)/python $(STAMPS)/node
	@$(PY) -c "import urllib.request as r; r.urlopen('$(PYPI_ADVISORIES)', timeout=20)" 2>/dev/null \
		|| { echo "audit: PyPI's advisory service ($(PYPI_ADVISORIES)) does not answer" \
		          "from this machine, so nothing was audited: failing" >&2; exit 1; }
	$(PY) -m pip_audit --strict --disable-pip --require-hashes --progress-spinner off \
		-r requirements.lock -r requirements-dev.lock $(PIP_AUDIT_IGNORE)
	npm audit --omit=dev --audit-level=low

# Each test target installs everything its tests start: bff/tests/test_devices.py runs
# Debian's redis-server, the identity tests the OpenID provider (npm, in `install`).
# bff/tests/test_release.py checks the systemd unit with Debian's systemd-analyze.
systemd-analyze:
	@command -v systemd-analyze >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq systemd >/dev/null; }

test-unit: install redis-server systemd-analyze
	npm test --workspace webapp
	$(PY) -m pytest -q -n 2 --durations=10 bff/tests emulator/tests

test-e2e: install build chromium redis-server
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=20 e2e --ignore=e2e/test_image.py --ignore=e2e/test_stack.py

test: lint test-unit test-e2e

bench: install build chromium redis-server
	$(PY) -m bench
	$(PY) -m bench.devices
	$(PY) -m bench.phonebook
	$(PY) -m bench.load

clean:
	rm -rf $(STAMPS) webapp/dist plugins/*/dist e2e/plugin_fixtures/*/dist .pytest_cache .ruff_cache
