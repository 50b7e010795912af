#!/usr/bin/env bash
# modes: test
# The fraud evaluation's held-out document set is made by other tools than
# kycq's own encoder (internal/eval/fraudeval/othertools.go): ImageMagick
# and GraphicsMagick (draw, recolour, paste, re-save), Debian's Python
# imaging library and cjpeg/djpeg/jpegtran from libjpeg-turbo; ffmpeg
# comes with 10-packages.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg imagemagick graphicsmagick python3-pil libjpeg-turbo-progs
