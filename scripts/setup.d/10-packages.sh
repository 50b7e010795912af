#!/usr/bin/env bash
# System packages: a C toolchain for cgo, libjpeg-turbo for the fast JPEG
# decode path, ffmpeg for selfie video frames, curl and jq for the
# README's walk-through.
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
command -v go >/dev/null || { echo "setup: Go is required (https://go.dev/dl); /usr/local/go/bin must be on PATH" >&2; exit 1; }
need_pkg gcc libc6-dev pkg-config libturbojpeg0-dev ffmpeg curl jq ca-certificates
