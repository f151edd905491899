#!/usr/bin/env bash
# Copies the release site (dist/, from `make build`) to OUT with the designer's wasm optimised
# again from wasm-bindgen's output with its names section kept (wasm-opt -g), so that CPU
# profiles name the Rust functions (problems-bench.mjs --profile). The integrity hash in
# index.html is updated to match. Usage: scripts/profile-build.sh OUT
#   then: DIST=OUT node scripts/problems-bench.mjs 50x1000 5 --profile
set -euo pipefail
out=${1:?usage: scripts/profile-build.sh OUT}
cd "$(dirname "$0")/.."
named=target/wasm-bindgen/release/designer_bg.wasm
[[ -f dist/index.html && -f $named ]] || { echo "run 'make build' first" >&2; exit 1; }
rm -rf "$out"
cp -a dist "$out"
wasm=$(ls "$out"/designer-*_bg.wasm)
old=$(openssl dgst -sha384 -binary "$wasm" | base64 -w0)
node_modules/.bin/wasm-opt -Oz -g --output="$wasm" "$named"
new=$(openssl dgst -sha384 -binary "$wasm" | base64 -w0)
sed -i "s|sha384-$old|sha384-$new|g" "$out/index.html"
grep -q "sha384-$new" "$out/index.html" || { echo "integrity of $wasm not found in index.html" >&2; exit 1; }
echo "$out: the release site with a named designer wasm"
