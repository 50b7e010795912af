#!/usr/bin/env bash
# setup.sh installs everything kycq needs on a fresh Debian machine and is
# safe to run again: each step in scripts/setup.d checks before it installs.
# Steps are numbered; each owns one concern (system packages, services,
# model weights, ...). Set KYCQ_SETUP_SKIP=1 to skip the whole thing.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${KYCQ_SETUP_SKIP:-}" == 1 ]] && exit 0
export KYCQ_ROOT="$PWD"
export KYCQ_CACHE="${KYCQ_CACHE:-$PWD/.cache}"
mkdir -p "$KYCQ_CACHE/bin"
for step in scripts/setup.d/*.sh; do
	echo "setup: $(basename "$step")" >&2
	bash "$step"
done
