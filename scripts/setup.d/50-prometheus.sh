#!/usr/bin/env bash
# modes: test
# Prometheus: promtool checks and unit-tests the alert rules in
# deploy/prometheus, and the operator tests start a real prometheus server
# of their own on a free loopback port. Debian's package would also start a
# system service on :9090 where an init system runs; kycq does not want that
# one, so it is stopped and disabled right after a fresh install.
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
	exit 0
fi
need_pkg prometheus
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
	$sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
elif command -v service >/dev/null; then
	$sudo service prometheus stop >/dev/null 2>&1 || true
fi
command -v promtool >/dev/null || { echo "setup: promtool missing after installing prometheus" >&2; exit 1; }
