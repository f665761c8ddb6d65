#!/usr/bin/env bash
# Throughput of `oms-edge verify key` on a single-file model, next to
# `openssl dgst -sha256` (which uses the CPU's SHA extensions) of the same
# file in the same run. The file is hashed from the page cache by both, so
# this compares CPU cost, not disk speed.
#
#   bench/throughput.sh [SIZE_MIB] [ROUNDS]     (defaults: 1024, 5)
#
# Needs only bash, coreutils and openssl: the bundle is built and signed
# here with the test key (DSSE PAE over an OMS statement), the way
# model_signing signs (ECDSA P-256/SHA-256, files serialization, sha256).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
rounds=${2:-5}

cargo build --release -q -p oms-edge
bin=target/release/oms-edge
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

model=$work/model.bin
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$model"
bytes=$(stat -c %s "$model")

# Sign: statement -> PAE -> ECDSA P-256 with SHA-256 -> Sigstore bundle.
digest=$(openssl dgst -sha256 -r "$model" | cut -d' ' -f1)
root=$(printf '%s' "$digest" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"model.bin","digest":{"sha256":"%s"}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false},"resources":[{"name":"model.bin","algorithm":"sha256","digest":"%s"}]}}' \
  "$root" "$digest" >"$work/payload"
plen=$(stat -c %s "$work/payload")
{ printf 'DSSEv1 28 application/vnd.in-toto+json %d ' "$plen"; cat "$work/payload"; } >"$work/pae"
openssl dgst -sha256 -sign testdata/keys/p256.pem -out "$work/sig" "$work/pae"
printf '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"%s","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"%s"}]}}' \
  "$(base64 -w0 "$work/payload")" "$(base64 -w0 "$work/sig")" >"$work/model.sig"

"$bin" verify key --quiet --signature "$work/model.sig" --public-key testdata/keys/p256.pub.pem "$model" >/dev/null
cat "$model" >/dev/null  # warm the page cache

now() { date +%s.%N; }
best_openssl=999999; best_oms=999999
for ((i = 1; i <= rounds; i++)); do
  t0=$(now); openssl dgst -sha256 "$model" >/dev/null; t1=$(now)
  "$bin" verify key --quiet --signature "$work/model.sig" --public-key testdata/keys/p256.pub.pem "$model" >/dev/null
  t2=$(now)
  o=$(echo "$t1 - $t0" | bc -l); v=$(echo "$t2 - $t1" | bc -l)
  printf 'round %d: openssl dgst -sha256 %.3fs, oms-edge verify %.3fs\n' "$i" "$o" "$v"
  best_openssl=$(echo "if ($o < $best_openssl) $o else $best_openssl" | bc -l)
  best_oms=$(echo "if ($v < $best_oms) $v else $best_oms" | bc -l)
done
mbs() { echo "$bytes / $1 / 1000000" | bc -l; }
printf '\n%s MiB file, best of %d rounds:\n' "$size_mib" "$rounds"
printf '  openssl dgst -sha256: %.3fs  %.0f MB/s\n' "$best_openssl" "$(mbs "$best_openssl")"
printf '  oms-edge verify key:  %.3fs  %.0f MB/s\n' "$best_oms" "$(mbs "$best_oms")"
printf '  ratio oms-edge/openssl throughput: %.2f\n' "$(echo "$best_openssl / $best_oms" | bc -l)"
