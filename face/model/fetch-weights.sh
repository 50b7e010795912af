#!/usr/bin/env bash
# fetch-weights.sh re-fetches the face model weights from the npm registry
# (npm pack @vladmandic/face-api@1.7.15), checks the tarball's and every
# file's sha256 against face/model/weights/SHA256SUMS, and copies the files
# into face/model/weights. With --check it only compares, changing nothing.
set -euo pipefail
cd "$(dirname "$0")/weights"
pkg="@vladmandic/face-api@1.7.15"
tarball_sha=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
echo "$tarball_sha  $tgz" | sha256sum -c --quiet -
tar -xzf "$tgz" -C "$tmp" package/model package/LICENSE
(cd "$tmp/package/model" && sha256sum -c --quiet "$OLDPWD/SHA256SUMS")
if [[ "${1:-}" == --check ]]; then
	sha256sum -c --quiet SHA256SUMS
	cmp -s "$tmp/package/LICENSE" LICENSE.face-api
	echo "face weights: committed files match $pkg"
	exit 0
fi
while read -r _ f; do cp "$tmp/package/model/$f" "$f"; done <SHA256SUMS
cp "$tmp/package/LICENSE" LICENSE.face-api
echo "face weights: copied from $pkg, sums verified"
