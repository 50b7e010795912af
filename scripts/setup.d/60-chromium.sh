#!/usr/bin/env bash
# Headless Chromium for the review console's browser tests (console/,
# driven through chromedp): Debian's chromium and its driver package.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg chromium chromium-driver fonts-noto-cjk
