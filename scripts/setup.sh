#!/usr/bin/env bash
# setup.sh installs what kycq needs on a fresh Debian machine and is safe to
# run again: each step in scripts/setup.d checks before it installs.
#
#   scripts/setup.sh run    what `make run` needs (build tools, libjpeg-turbo, ffmpeg)
#   scripts/setup.sh test   that, plus what the tests need (Redis, PostgreSQL,
#                           versitygw, Prometheus, test photos)
#
# Steps are numbered and own one concern each. A step whose header has a
# line "# modes: test" runs only for the tests; the others run for both.
# Set KYCQ_SETUP_SKIP=1 to skip the whole thing.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${KYCQ_SETUP_SKIP:-}" == 1 ]] && exit 0
mode="${1:-test}"
case "$mode" in run | test) ;; *) echo "usage: $0 [run|test]" >&2; exit 2 ;; esac
export PATH="/usr/local/go/bin:$PATH"
export KYCQ_ROOT="$PWD"
export KYCQ_CACHE="${KYCQ_CACHE:-$PWD/.cache}"
mkdir -p "$KYCQ_CACHE/bin"
for step in scripts/setup.d/*.sh; do
	modes=$(sed -n 's/^# modes: *//p' "$step" | head -1)
	if [[ -n "$modes" && " $modes " != *" $mode "* ]]; then
		continue
	fi
	echo "setup: $(basename "$step")" >&2
	bash "$step"
done
