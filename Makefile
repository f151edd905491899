# The two commands: `make run` and `make test`. Both install what is missing first
# (scripts/setup.sh, idempotent), so they work on a fresh machine and are quick the second time.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

# The sub-path GitHub Pages serves the site under; the browser tests use the same.
PUBLIC_URL ?= /nats-topology/

.PHONY: run test setup setup-test lint native-test build browser-test size bench screenshots clean fuzz

## run: install what is missing, build, serve the designer at http://127.0.0.1:8080/
run: setup
	trunk serve --offline --address 127.0.0.1 --port 8080

## test: install what is missing, then every check
test: setup-test lint native-test build browser-test

setup:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

lint:
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown -- -D warnings
	if rustup target list --installed | grep -qx x86_64-apple-darwin; then \
	  cargo check --locked --target x86_64-apple-darwin --bin nats-topology; \
	else \
	  echo "==> NOT CHECKED: the CLI on macOS (rustup could not install x86_64-apple-darwin here)"; \
	fi
	shellcheck scripts/*.sh .ci/run

native-test:
	cargo test --locked

## build: the release site in dist/, as GitHub Pages serves it
build:
	trunk build --release --offline --public-url $(PUBLIC_URL)

browser-test:
	node --test --test-concurrency=1 e2e/

## size: what the release build transfers at the first load and on first use, time to the first cluster shape
size: build
	node scripts/size.mjs

## bench: criterion benchmarks of the model, then the browser benchmarks on the release build
bench: build
	cargo bench --locked
	node scripts/size.mjs
	node scripts/load-bench.mjs 50x1000
	node scripts/canvas-bench.mjs 50x1000

screenshots: build
	node scripts/screenshot.mjs

## fuzz: each fuzz target (fuzz/) for FUZZ_SECONDS, one after the other; not part of `make test`.
## cargo-fuzz needs nightly features: a nightly toolchain, else stable with RUSTC_BOOTSTRAP=1.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= design_file share_link conf helm_values script round_trip
FUZZ_TOOLCHAIN ?= $(shell rustup toolchain list 2>/dev/null | grep -q '^nightly' && echo +nightly)
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	cd fuzz && for target in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$target && \
	  $(if $(FUZZ_TOOLCHAIN),,RUSTC_BOOTSTRAP=1) cargo $(FUZZ_TOOLCHAIN) fuzz run -O $$target corpus/$$target seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 || exit 1; \
	done

clean:
	cargo clean
	rm -rf dist
