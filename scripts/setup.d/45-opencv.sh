#!/usr/bin/env bash
# OpenCV for the speed comparison of internal/eval/cvcompare (its test runs
# the same document checks with OpenCV on a couple of photos): Debian's
# Python bindings, NumPy, and the Haar face cascades of opencv-data. The
# harness runs /usr/bin/python3, the interpreter these packages serve.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg python3 python3-opencv python3-numpy opencv-data
