#!/usr/bin/env bash
# typescript-test.sh lints api/openapi.yaml with @redocly/cli, generates the
# TypeScript client's types from it with openapi-typescript and type-checks
# the client (api/typescript/src) with tsc. make test runs it; the tools
# come from scripts/setup.d/60-typescript.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${KYCQ_CACHE:-$PWD/.cache}/typescript/node_modules/.bin"
[[ -x $tools/tsc ]] || { echo "TypeScript tools missing: run scripts/setup.sh test" >&2; exit 1; }
"$tools/redocly" lint --config api/typescript/redocly.yaml api/openapi.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r api/typescript/src api/typescript/tsconfig.json "$tmp/"
"$tools/openapi-typescript" api/openapi.yaml -o "$tmp/src/schema.d.ts"
"$tools/tsc" -p "$tmp/tsconfig.json"
# The webhook check against the Go implementation's known answer.
echo '{"type":"module"}' >"$tmp/out/package.json"
node "$tmp/out/webhooks.test.js"
echo "typescript: openapi.yaml lints clean; the client type-checks against the generated types"
