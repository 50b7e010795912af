#!/usr/bin/env bash
# Redis for the tests (asynq queues, metrics): the Debian server package.
# Starting it is scripts/test-services.sh's job.
# modes: test
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
[[ -n "${KYCQ_TEST_REDIS:-}" ]] && exit 0 # an external server was named
need_pkg redis-server
