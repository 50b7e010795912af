#!/usr/bin/env bash
# Document reading (docread): libtesseract with its English and simplified
# Chinese models for the mainland ID and visual zones, the OCR-B font the
# MRZ recogniser's templates and the tests' renderings come from, and the
# Noto CJK fonts the tests render Chinese text with.
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg libtesseract-dev tesseract-ocr-eng tesseract-ocr-chi-sim fonts-ocr-b fonts-noto-cjk
