#!/usr/bin/env bash
# test.sh is `make test`: it installs what is missing, makes sure Redis,
# PostgreSQL and an S3 server (versitygw) run on loopback, then runs every
# check and test against them and prints a summary.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export KYCQ_ROOT="$PWD" KYCQ_CACHE="${KYCQ_CACHE:-$PWD/.cache}"
mkdir -p "$KYCQ_CACHE"

bash scripts/setup.sh test || { echo "test: setup failed" >&2; exit 1; }
# shellcheck source=/dev/null
source scripts/test-services.sh || { echo "test: could not start the test services" >&2; exit 1; }

status=0
if [[ -f scripts/promtool-test.sh ]]; then
	echo "== promtool: alert rules"
	bash scripts/promtool-test.sh || status=1
fi

if [[ -f scripts/typescript-test.sh ]]; then
	echo "== typescript: OpenAPI lint, generated client type check"
	bash scripts/typescript-test.sh || status=1
fi

echo "== go vet"
go vet ./... || status=1

echo "== go test"
log="$KYCQ_CACHE/test.log"
go test -count=1 -timeout 15m -json ./... >"$log.json" 2>"$log.stderr"
gotest=$?
# Human-readable: package lines, plus the output of every failed test.
go run ./internal/tools/testsummary <"$log.json" | tee "$log"
[[ -s "$log.stderr" ]] && cat "$log.stderr" >&2
((gotest != 0)) && status=1
exit $status
