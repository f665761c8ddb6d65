#!/usr/bin/env bash
# Builds both firmware variants for the QEMU mps2-an386 board (Cortex-M4,
# thumbv7em-none-eabihf; release profile: opt-level "z", fat LTO, one
# codegen unit, panic = abort), packs valid and bad model packages with
# pack.sh, runs each package through the firmware in QEMU and checks the
# verdict, then prints the footprint of each variant.
#
#   firmware-example/run-qemu.sh
#
# Needs qemu-system-arm, GNU tar, openssl and readelf. Exits non-zero when
# any run does not behave as expected.
set -euo pipefail
cd "$(dirname "$0")"
target=thumbv7em-none-eabihf
# Wherever cargo puts them: target/ here, or $CARGO_TARGET_DIR (.ci/run
# shares one target dir between both workspaces).
target_dir=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
elf_dir=$target_dir/$target/release
staging=0x21000000          # fw/src/lib.rs: STAGING (PSRAM)
staging_len=$((1024 * 1024)) # fw/src/lib.rs: STAGING_LEN

cargo build --release -q -p oms-edge-fw --target "$target" --bin fw-key
cargo build --release -q -p oms-edge-fw --target "$target" --bin fw-sigstore --features sigstore,test-trust

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# The root digest a bundle signs: the in-toto subject's sha256 (the first
# sha256 of the DSSE payload).
signed_root() {
  grep -o '"payload": *"[^"]*"' "$1" | sed 's/.*"\([^"]*\)"$/\1/' | base64 -d |
    grep -o '"sha256": *"[0-9a-f]*"' | head -1 | sed 's/.*"\([0-9a-f]*\)"$/\1/'
}

# A copy of model DIR with one byte of FILE flipped.
tampered() { # DIR FILE OUT
  cp -r "$1" "$3"
  local b
  b=$(od -An -tu1 -j 100 -N 1 "$3/$2" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$3/$2" bs=1 seek=100 conv=notrunc status=none
}

# run NAME ELF PACKAGE EXPECT: EXPECT is "FLASHED <root>" or "REFUSED <check>".
declare -A stack heap
run() {
  local name=$1 elf=$2 pkg=$3 expect=$4 out rc=0
  if [ "$(stat -c %s "$pkg")" -gt "$staging_len" ]; then
    echo "FAIL $name: package larger than the staging area" >&2
    failures=$((failures + 1))
    return
  fi
  out=$(timeout 120 qemu-system-arm -M mps2-an386 -nographic \
    -semihosting-config enable=on,target=native \
    -kernel "$elf_dir/$elf" -device loader,file="$pkg",addr=$staging </dev/null 2>&1) || rc=$?
  printf '%s\n' "$out" | sed "s/^/  [$name] /"
  local want_rc=1
  [[ $expect == FLASHED* ]] && want_rc=0
  if [ "$rc" -eq "$want_rc" ] && printf '%s\n' "$out" | grep -q "^$expect"; then
    echo "ok   $name: $expect (exit $rc)"
  else
    echo "FAIL $name: expected '$expect' and exit $want_rc, got exit $rc" >&2
    failures=$((failures + 1))
  fi
  local s h
  s=$(printf '%s\n' "$out" | sed -n 's/^STACK peak \([0-9]*\).*/\1/p')
  h=$(printf '%s\n' "$out" | sed -n 's/.*heap peak \([0-9]*\).*/\1/p')
  if [ -n "$s" ] && [ "${stack[$elf]:-0}" -lt "$s" ]; then stack[$elf]=$s; fi
  if [ -n "$h" ] && [ "${heap[$elf]:-0}" -lt "$h" ]; then heap[$elf]=$h; fi
}

echo "== key variant (no heap)"
m=testdata
./pack.sh $m/model-v1.sig $m/model-v1 "$work/key-valid.tar"
run key-valid fw-key "$work/key-valid.tar" "FLASHED $(signed_root $m/model-v1.sig)"
tampered $m/model-v1 weights.bin "$work/key-tampered"
./pack.sh $m/model-v1.sig "$work/key-tampered" "$work/key-tampered.tar"
run key-tampered fw-key "$work/key-tampered.tar" "REFUSED model"
./pack.sh $m/model-v1.sig $m/model-v2 "$work/key-other-model.tar"
run key-other-model fw-key "$work/key-other-model.tar" "REFUSED model"
cp -r $m/model-v1 "$work/key-extra" && echo unsigned >"$work/key-extra/zz-extra.txt"
./pack.sh $m/model-v1.sig "$work/key-extra" "$work/key-extra.tar"
run key-unsigned-file fw-key "$work/key-extra.tar" "REFUSED model"
./pack.sh ../testdata/sample/model.sig ../testdata/sample/model "$work/key-no-version.tar"
run key-no-version fw-key "$work/key-no-version.tar" "REFUSED version"
# Cut inside weights.bin: the rest of the staging area reads as zeros, so
# the file ends early and the archive "ends" with a missing file.
head -c 8000 "$work/key-valid.tar" >"$work/key-truncated.tar"
run key-truncated fw-key "$work/key-truncated.tar" "REFUSED model"

echo "== sigstore variant (static heap)"
s=../testdata/sigstore
./pack.sh $s/cases/v1-dsse-model/bundle.sigstore.json $s/models/tiny-model "$work/sig-v1.tar"
run sigstore-rekor-v1 fw-sigstore "$work/sig-v1.tar" \
  "FLASHED $(signed_root $s/cases/v1-dsse-model/bundle.sigstore.json)"
if [ -f $s/cases/v2-dsse-model-tsa/bundle.sigstore.json ]; then
  ./pack.sh $s/cases/v2-dsse-model-tsa/bundle.sigstore.json $s/models/tiny-model "$work/sig-v2.tar"
  run sigstore-rekor-v2-tsa fw-sigstore "$work/sig-v2.tar" \
    "FLASHED $(signed_root $s/cases/v2-dsse-model-tsa/bundle.sigstore.json)"
fi
./pack.sh $s/cases/model-digest/bundle.sigstore.json $s/models/tampered/tiny-model "$work/sig-tampered.tar"
run sigstore-tampered fw-sigstore "$work/sig-tampered.tar" "REFUSED model"
./pack.sh $s/cases/dsse-signature/bundle.sigstore.json $s/models/tiny-model "$work/sig-bad-signature.tar"
run sigstore-bad-signature fw-sigstore "$work/sig-bad-signature.tar" "REFUSED dsse"

# Footprint from the ELF section headers: flash = .vector_table + .text +
# .rodata + .data (its initial values); static RAM = .data + .bss + .uninit.
section() {
  local hex
  hex=$(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v n="$2" '$1 == n { print $5 }')
  echo $((16#${hex:-0}))
}
echo "== footprint (release, opt-level z, fat LTO)"
printf '%-12s %10s %10s %12s %12s %10s\n' variant flash '.text' 'static RAM' 'peak stack' 'peak heap'
for elf in fw-key fw-sigstore; do
  f=$elf_dir/$elf
  vt=$(section "$f" .vector_table) tx=$(section "$f" .text) ro=$(section "$f" .rodata)
  da=$(section "$f" .data) bs=$(section "$f" .bss) un=$(section "$f" .uninit)
  printf '%-12s %10d %10d %12d %12s %10s\n' "$elf" $((vt + tx + ro + da)) "$tx" $((da + bs + un)) \
    "${stack[$elf]:-?}" "${heap[$elf]:-none}"
done

if [ "$failures" -ne 0 ]; then
  echo "$failures QEMU run(s) did not behave as expected" >&2
  exit 1
fi
echo "all QEMU runs behaved as expected"
