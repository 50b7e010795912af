#!/usr/bin/env bash
# PostgreSQL for the tests (storage/sqlstore runs on it for real): the
# Debian server package, for its binaries only. scripts/test-services.sh
# runs a private cluster of its own (own data directory, port and trust
# authentication); the system's clusters and their pg_hba.conf are never
# changed.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
[[ -n "${KYCQ_TEST_DATABASE_URL:-}" ]] && exit 0 # an external server was named
need_pkg postgresql
