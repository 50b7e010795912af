#!/usr/bin/env bash
# versitygw: the S3-compatible server the tests run against. Built once from
# the version pinned in go.mod and cached in .cache/bin.
set -euo pipefail
bin="$KYCQ_CACHE/bin/versitygw"
ver=$(go list -m -f '{{.Version}}' github.com/versity/versitygw)
if [[ -x "$bin" && "$(cat "$bin.version" 2>/dev/null)" == "$ver" ]]; then exit 0; fi
echo "setup: building versitygw $ver (once)" >&2
GOBIN="$KYCQ_CACHE/bin" go install "github.com/versity/versitygw/cmd/versitygw@$ver"
echo "$ver" >"$bin.version"
