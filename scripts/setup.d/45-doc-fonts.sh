#!/usr/bin/env bash
# Fonts the document generator prints with (internal/docgen): OCR-B for
# machine-readable zones (fonts-ocr-b, public domain) and Noto Sans CJK
# for the mainland resident ID (fonts-noto-cjk, SIL OFL 1.1).
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg fonts-ocr-b fonts-noto-cjk
