# Sanad — the two commands of the README are `make demo` and `make test`.
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= 2
DEMO_DB ?= var/demo.db
DEMO_HOUSEHOLDS ?= 20000
PORT   ?= 8080

.PHONY: all deps configure build web demo test test-unit package bench lint clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure web
	@cmake --build $(BUILD) -j$(JOBS)
	@echo "built bin/sanad"

web: deps
	@cd web && npm run --silent build

# The demo needs only the binary and the web build, not the test programs.
demo: configure web
	@cmake --build $(BUILD) -j$(JOBS) --target sanad
	@mkdir -p var
	@bin/sanad demo --db sqlite:$(DEMO_DB) --households $(DEMO_HOUSEHOLDS) --country MA --region MA-03 --seed 1
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in with an account above (Ctrl+C stops the server)."
	@bin/sanad serve --db sqlite:$(DEMO_DB) --port $(PORT) --access-log var/access.log

# Everything: unit tests, the storage suite on SQLite and on a real PostgreSQL, HTTP tests, the CLI
# test and the browser end-to-end test.
test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-unit: build
	@ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS) -L unit

# The Debian package: $(BUILD)/sanad_<version>_amd64.deb (binary, web build, reference data, systemd
# unit, /etc/sanad/sanad.conf); docs/operations.md. Only the binary is built, not the test programs.
package: configure web
	@cmake --build $(BUILD) -j$(JOBS) --target sanad
	@cd $(BUILD) && cpack -G DEB
	@ls -l $(BUILD)/sanad_*_amd64.deb

# Benchmarks print their figures against the baselines named in the issues (long: minutes each).
bench: build
	@cmake --build $(BUILD) -j$(JOBS) --target benchmarks
	@for b in $(BUILD)/bench/*; do [ -x "$$b" ] && [ -f "$$b" ] && { echo "== $$b"; "$$b"; }; done; true
	@for b in bench/*.sh; do echo "== $$b"; bash $$b; done

# clang-format on every C++ file and clang-tidy (.clang-tidy) on every source (scripts/lint.sh;
# LINT_TIDY=changed checks only what differs from main, LINT_TIDY=off skips clang-tidy). clang-tidy needs
# one compile command per source: build/lint is configured (not built) without the unity build.
lint: deps
	@cmake --preset $(PRESET) -B build/lint -DSANAD_UNITY_BUILD=OFF >/dev/null
	@scripts/lint.sh build/lint

clean:
	@rm -rf build bin web/dist
