#!/usr/bin/env bash
# versitygw: the S3-compatible server the tests run against
# (scripts/test-services.sh starts it). Built once from the version pinned in
# go.mod and cached in .cache/bin; `kycq run` embeds it instead
# (storage/s3embed) and needs no binary.
# modes: test
set -euo pipefail
bin="${KYCQ_CACHE:-$PWD/.cache}/bin/versitygw"
ver=$(go list -m -f '{{.Version}}' github.com/versity/versitygw)
if [[ -x "$bin" && "$(cat "$bin.version" 2>/dev/null)" == "$ver" ]]; then exit 0; fi
mkdir -p "$(dirname "$bin")"
echo "setup: building versitygw $ver (once)" >&2
GOBIN="$(dirname "$bin")" go install "github.com/versity/versitygw/cmd/versitygw@$ver"
echo "$ver" >"$bin.version"
