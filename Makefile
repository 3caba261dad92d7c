# Set-up is part of every target: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ADFLOW := $(BIN)/adflow
SAMPLES := $(wildcard samples/*.adflow)

.PHONY: setup system-deps demo-deps demo demo-broken reference schemas records test test-fast lint bench fuzz clean

# The VS Code extension's client library and the TextMate grammar test tools
# (tests/test_editor_grammar.py), from the lock file.
EDITOR_TOOLS := editors/vscode/node_modules/.package-lock.json
# Microsoft's SARIF multitool, which validates `check --format sarif`
# (tests/test_formats.py), from the lock file.
SARIF_TOOLS := tools/sarif/node_modules/.package-lock.json

setup: $(STAMP) system-deps

$(EDITOR_TOOLS): editors/vscode/package-lock.json | system-deps
	cd editors/vscode && npm ci --no-audit --no-fund --silent

$(SARIF_TOOLS): tools/sarif/package-lock.json | system-deps
	cd tools/sarif && npm ci --no-audit --no-fund --silent

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@# Byte-compile now: with PYTHONDONTWRITEBYTECODE set, every run would
	@# otherwise compile adflow's modules again (a large share of a cold start).
	-$(BIN)/python -m compileall -q compiler grammar emitters >/dev/null
	touch $(STAMP)

# Debian tools `make demo` runs: the bundle's curl, jq and flock (bash and
# coreutils are everywhere). Installed when missing and we may.
DEMO_TOOLS := jq:jq curl:curl flock:util-linux
# Debian tools the tests drive for real (command:package): the demo's and more.
SYSTEM_TOOLS := shellcheck:shellcheck $(DEMO_TOOLS) dot:graphviz chromium:chromium \
		node:nodejs npm:npm nvim:neovim
# Installs (or asks for) the packages of the listed command:package pairs.
define install_missing
	@missing=""; for t in $(1); do \
	  command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install:$$missing" >&2; exit 1; fi; \
	fi
endef
system-deps:
	$(call install_missing,$(SYSTEM_TOOLS))
demo-deps:
	$(call install_missing,$(DEMO_TOOLS))

# The broken samples must fail the check (exit status 1): their findings are
# the point, so that outcome is the expected one, and any other is a demo bug.
BROKEN := samples/broken/
demo-broken: $(STAMP)
	@echo "== adflow check $(BROKEN) (diagnostics on purpose)"
	@status=0; $(ADFLOW) check $(BROKEN) || status=$$?; \
	if [ $$status = 1 ]; then echo "== exit status 1, as expected: those files are broken on purpose"; \
	else echo "expected exit status 1 from adflow check $(BROKEN), got $$status" >&2; exit 1; fi

demo: $(STAMP) demo-deps
	@echo "== adflow check samples/ (clean samples)"
	$(ADFLOW) check $(SAMPLES)
	@$(MAKE) --no-print-directory demo-broken
	@mkdir -p build
	@for f in $(SAMPLES); do \
	  n=$$(basename $$f .adflow); \
	  $(ADFLOW) compile $$f --emit json -o build/$$n.plan.json || exit 1; \
	  echo "wrote build/$$n.plan.json"; \
	  $(ADFLOW) compile $$f --emit curl -o build/$$n.sh || exit 1; \
	  echo "wrote build/$$n.sh"; \
	  $(ADFLOW) graph $$f -o build/$$n.mmd || exit 1; \
	  $(ADFLOW) graph $$f --format dot -o build/$$n.dot || exit 1; \
	  echo "wrote build/$$n.mmd build/$$n.dot"; \
	  $(ADFLOW) preview $$f -o build/$$n.html || exit 1; \
	  echo "wrote build/$$n.html"; \
	  if grep -qE '^lead_form |^ *welcome ' $$f; then \
	    $(ADFLOW) paths $$f -o build/$$n.paths.txt || exit 1; \
	    rm -rf build/$$n.transcripts; \
	    $(ADFLOW) simulate $$f --all-paths -o build/$$n.transcripts || exit 1; \
	    echo "wrote build/$$n.paths.txt build/$$n.transcripts/"; \
	  fi; \
	done
	@echo "== build/seed_lead_form.sh against a local Graph API (adflow sandbox)"
	@rm -f build/sandbox.out build/sandbox.err build/sandbox-record.jsonl build/seed_lead_form.sh.state
	@# Its note to a person (how to run a bundle against it) is for the terminal, not the demo.
	@$(ADFLOW) sandbox --port 0 --record build/sandbox-record.jsonl > build/sandbox.out \
	  2> build/sandbox.err & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 100); do [ -s build/sandbox.out ] && break; sleep 0.1; done; \
	url=$$(sed -n '1s/^listening on //p' build/sandbox.out); \
	test -n "$$url" || { cat build/sandbox.err >&2; echo "the sandbox did not start" >&2; exit 1; }; \
	GRAPH_API_URL=$$url META_ACCESS_TOKEN=demo-token bash build/seed_lead_form.sh && \
	echo "== adflow plan against the state it just created (read back from the sandbox)" && \
	GRAPH_API_URL=$$url META_ACCESS_TOKEN=demo-token $(ADFLOW) plan samples/seed_lead_form.adflow \
	  --state build/seed_lead_form.sh.state --refresh && \
	echo "== adflow plan for an edited copy (a higher budget): what a pull request would show" && \
	sed 's/daily_budget 2000 /daily_budget 3500 /' samples/seed_lead_form.adflow > build/seed_lead_form.v2.adflow && \
	$(ADFLOW) plan build/seed_lead_form.v2.adflow --state build/seed_lead_form.sh.state && \
	echo "== adflow apply: the edit carried out from Python over the bundle's state (no bash, curl or jq)" && \
	GRAPH_API_URL=$$url META_ACCESS_TOKEN=demo-token $(ADFLOW) apply build/seed_lead_form.v2.adflow \
	  --state build/seed_lead_form.sh.state --yes && \
	echo "== adflow plan right after: nothing to change" && \
	$(ADFLOW) plan build/seed_lead_form.v2.adflow --state build/seed_lead_form.sh.state
	@echo "== done: run adflow as $(ADFLOW), or put it on PATH with: . $(BIN)/activate"

# The language reference, from compiler/bodies/fields.py (tests/test_reference.py
# fails when it is stale).
reference: setup
	$(BIN)/python -m adflow.compiler.tools.reference -o docs/reference.md

# The request schemas' enums and limits, from compiler/facts/ (each schema
# object's `x-facts`; tests/test_schemas.py fails when a file is stale).
schemas: setup
	$(BIN)/python -m adflow.compiler.facts.write_schemas

# After changing a record class: its __init__, compiled with the package.
records: setup
	$(BIN)/python -m adflow.compiler.write_records

test: setup $(EDITOR_TOOLS) $(SARIF_TOOLS)
	$(BIN)/python -m pytest -q

# The inner loop: all but the tests marked `tools` (they drive bash, curl,
# Chromium, Node.js ...) or `slow` (pyproject.toml). `make test` runs them too.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not tools and not slow"

# The house alone (also part of `make test`): ruff, mypy --strict, the import graph.
lint: setup
	$(BIN)/python -m pytest -q tests/test_house.py

# Builds a wheel, installs it in a fresh virtualenv in a temporary folder and
# measures that (the yardstick is its own `python -c pass`). ROWS="cold_check
# peers" measures only those rows.
bench: setup
	$(BIN)/python benchmarks/bench.py $(ROWS)

# 10,000 examples per property (the "fuzz" profile in tests/conftest.py).
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_flow_properties.py

clean:
	rm -rf build .pytest_cache .hypothesis .mypy_cache .ruff_cache
