#!/usr/bin/env bash
# PostgreSQL for the tests (storage/sqlstore runs on it for real): the
# Debian server package, and trust authentication for TCP connections from
# loopback so that tests connect as postgres@127.0.0.1 without a password.
# Starting the server is scripts/test-services.sh's job.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
[[ -n "${KYCQ_TEST_DATABASE_URL:-}" ]] && exit 0 # an external server was named
need_pkg postgresql
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
marker="# kycq-test: trust TCP from loopback"
for hba in /etc/postgresql/*/main/pg_hba.conf; do
	[[ -f "$hba" ]] || continue
	if $sudo grep -qE '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" &&
		$sudo grep -qE '^host[[:space:]]+all[[:space:]]+all[[:space:]]+::1/128[[:space:]]+trust' "$hba"; then
		continue
	fi
	$sudo grep -qF "$marker" "$hba" && continue
	echo "setup: $hba: trusting TCP connections from loopback (test machine)" >&2
	tmp=$(mktemp)
	{
		echo "$marker"
		echo "host all all 127.0.0.1/32 trust"
		echo "host all all ::1/128 trust"
		$sudo cat "$hba"
	} >"$tmp"
	$sudo cp "$tmp" "$hba"
	rm -f "$tmp"
	ver=$(basename "$(dirname "$(dirname "$hba")")")
	# Reload a running cluster; a stopped one reads the file when started.
	$sudo pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null 2>&1 || true
done
