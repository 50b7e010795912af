#!/usr/bin/env bash
# The TypeScript client's tools (api/typescript/package.json, pinned by its
# package-lock.json): openapi-typescript generates the types from
# api/openapi.yaml, tsc type-checks the client, @redocly/cli lints the
# OpenAPI file. They are installed with npm ci into
# $KYCQ_CACHE/typescript (outside the repository: go ./... must not walk
# node_modules), with npm's cache in $KYCQ_CACHE/npm, so that once fetched
# they install again offline. Also makes sure node and npm are installed.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
command -v npm >/dev/null || need_pkg nodejs npm

src="$PWD/api/typescript"
cache="${KYCQ_CACHE:-$PWD/.cache}"
dir="$cache/typescript"
mkdir -p "$dir"
if cmp -s "$src/package-lock.json" "$dir/package-lock.json" && [[ -x "$dir/node_modules/.bin/tsc" ]]; then
	exit 0
fi
echo "setup: installing the TypeScript client's tools into $dir" >&2
cp "$src/package.json" "$src/package-lock.json" "$dir/"
(cd "$dir" && npm ci --cache "$cache/npm" --prefer-offline --no-audit --no-fund --loglevel=error)
