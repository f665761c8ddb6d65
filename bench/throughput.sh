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

# sign SERIALIZATION RESOURCES OUT: statement -> DSSE PAE -> ECDSA P-256
# with SHA-256 (as model_signing pairs them) -> Sigstore bundle.
sign() {
  local digests root
  digests=$(printf '%s' "$2" | grep -o '"digest":"[0-9a-f]*"' | cut -d'"' -f4 | tr -d '\n')
  root=$(printf '%s' "$digests" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
  printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"model.bin","digest":{"sha256":"%s"}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{"serialization":%s,"resources":[%s]}}' \
    "$root" "$1" "$2" >"$work/payload"
  { printf 'DSSEv1 28 application/vnd.in-toto+json %d ' "$(stat -c %s "$work/payload")"; cat "$work/payload"; } >"$work/pae"
  openssl dgst -sha256 -sign testdata/keys/p256.pem -out "$work/sig" "$work/pae"
  printf '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"%s","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"%s"}]}}' \
    "$(base64 -w0 "$work/payload")" "$(base64 -w0 "$work/sig")" >"$3"
}

# Files serialization: one resource for the whole file.
digest=$(openssl dgst -sha256 -r "$model" | cut -d' ' -f1)
sign '{"method":"files","hash_type":"sha256","allow_symlinks":false}' \
  "{\"name\":\"model.bin\",\"algorithm\":\"sha256\",\"digest\":\"$digest\"}" "$work/model.sig"

# Shard serialization: 256 MiB shards, hashed in parallel by oms-edge.
shard=$((256 * 1024 * 1024))
resources=""
for ((start = 0; start < bytes; start += shard)); do
  end=$((start + shard < bytes ? start + shard : bytes))
  d=$(dd if="$model" iflag=skip_bytes,count_bytes skip="$start" count="$((end - start))" bs=4M status=none |
    openssl dgst -sha256 -r | cut -d' ' -f1)
  resources+="${resources:+,}{\"name\":\"model.bin:$start:$end\",\"algorithm\":\"sha256\",\"digest\":\"$d\"}"
done
sign "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"shard_size\":$shard,\"allow_symlinks\":false}" \
  "$resources" "$work/sharded.sig"

verify() { "$bin" verify key --quiet --signature "$1" --public-key testdata/keys/p256.pub.pem "$model" >/dev/null; }
verify "$work/model.sig"
verify "$work/sharded.sig"
cat "$model" >/dev/null  # warm the page cache

now() { date +%s.%N; }
min() { echo "if ($1 < $2) $1 else $2" | bc -l; }
best_openssl=999999; best_files=999999; best_shards=999999
for ((i = 1; i <= rounds; i++)); do
  t0=$(now); openssl dgst -sha256 "$model" >/dev/null
  t1=$(now); verify "$work/model.sig"
  t2=$(now); verify "$work/sharded.sig"
  t3=$(now)
  o=$(echo "$t1 - $t0" | bc -l); f=$(echo "$t2 - $t1" | bc -l); s=$(echo "$t3 - $t2" | bc -l)
  printf 'round %d: openssl dgst -sha256 %.3fs, oms-edge verify (files) %.3fs, (256 MiB shards) %.3fs\n' "$i" "$o" "$f" "$s"
  best_openssl=$(min "$o" "$best_openssl"); best_files=$(min "$f" "$best_files"); best_shards=$(min "$s" "$best_shards")
done
mbs() { echo "$bytes / $1 / 1000000" | bc -l; }
ratio() { echo "$best_openssl / $1" | bc -l; }
printf '\n%s MiB single-file model, %d cores, best of %d rounds:\n' "$size_mib" "$(nproc)" "$rounds"
printf '  openssl dgst -sha256:               %.3fs  %5.0f MB/s  (baseline)\n' "$best_openssl" "$(mbs "$best_openssl")"
printf '  oms-edge verify key, files:         %.3fs  %5.0f MB/s  %.2fx openssl\n' "$best_files" "$(mbs "$best_files")" "$(ratio "$best_files")"
printf '  oms-edge verify key, 256 MiB shards: %.3fs  %5.0f MB/s  %.2fx openssl\n' "$best_shards" "$(mbs "$best_shards")" "$(ratio "$best_shards")"
