#!/usr/bin/env bash
# Regenerates the key-method test models of the firmware example: three
# versions of one small model, each with a signed VERSION file, signed with
# the test key testdata/keys/p256.pem the way model_signing signs (OMS v1.0
# statement, files serialization, sha256, DSSE PAE, ECDSA P-256/SHA-256).
#
#   firmware-example/testdata/generate.sh
#
# Needs bash, coreutils, xxd and openssl. File contents are deterministic;
# ECDSA signatures are randomized, so a rerun changes model-v*.sig only.
# When the oms-edge CLI builds, every bundle is checked with it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
key=$repo/testdata/keys/p256.pem
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bytes N SEED: N pseudo-random but deterministic bytes (AES-CTR keystream).
bytes() {
  head -c "$1" /dev/zero |
    openssl enc -aes-128-ctr -nosalt -K "$(printf '%032x' "$2")" -iv 00000000000000000000000000000000
}

# Resource order = manifest order (byte order here: no name has a '/'
# that would sort differently).
files=(VERSION config.json tokenizer/vocab.txt weights.bin)

make_model() { # DIR VERSION SEED
  rm -rf "$1"
  mkdir -p "$1/tokenizer"
  printf '%s\n' "$2" >"$1/VERSION"
  printf '{"model_type":"tiny","version":%s}\n' "$2" >"$1/config.json"
  printf 'hello\nworld\nmodel\n' >"$1/tokenizer/vocab.txt"
  bytes 6000 "$3" >"$1/weights.bin"
}

sign() { # MODEL_DIR OUT
  local name resources="" digests="" d root
  name=$(basename "$1")
  for f in "${files[@]}"; do
    d=$(openssl dgst -sha256 -r "$1/$f" | cut -d' ' -f1)
    resources+="${resources:+,}{\"name\":\"$f\",\"algorithm\":\"sha256\",\"digest\":\"$d\"}"
    digests+=$d
  done
  root=$(printf '%s' "$digests" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
  printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"%s","digest":{"sha256":"%s"}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false,"ignore_paths":[]},"resources":[%s]}}' \
    "$name" "$root" "$resources" >"$work/payload"
  { printf 'DSSEv1 28 application/vnd.in-toto+json %d ' "$(stat -c %s "$work/payload")"; cat "$work/payload"; } >"$work/pae"
  openssl dgst -sha256 -sign "$key" -out "$work/sig" "$work/pae"
  printf '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"%s","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"%s"}]}}' \
    "$(base64 -w0 "$work/payload")" "$(base64 -w0 "$work/sig")" >"$2"
  echo "$2: root digest $root"
}

make_model "$here/model-v1" 1 1
make_model "$here/model-v2" 2 2
make_model "$here/model-v3" 3 3
for v in 1 2 3; do sign "$here/model-v$v" "$here/model-v$v.sig"; done

if (cd "$repo" && cargo build -q -p oms-edge 2>/dev/null); then
  for v in 1 2 3; do
    "$repo/target/debug/oms-edge" verify key --quiet --signature "$here/model-v$v.sig" \
      --public-key "$repo/testdata/keys/p256.pub.pem" "$here/model-v$v"
  done
  echo "every bundle verifies with oms-edge"
fi
