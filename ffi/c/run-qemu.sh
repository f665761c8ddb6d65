#!/usr/bin/env bash
# Builds liboms_edge.a for Cortex-M4 (thumbv7em-none-eabihf, key method
# only, no heap, profile release-size) and the C firmware (ffi/c/fw) with
# arm-none-eabi-gcc, packs model packages with firmware-example/pack.sh,
# runs each through the firmware in QEMU (mps2-an386) and checks the
# verdict line, then prints the footprint from the ELF's sections.
#
#   ffi/c/run-qemu.sh
#
# Needs arm-none-eabi-gcc (Debian gcc-arm-none-eabi), qemu-system-arm,
# GNU tar and readelf.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target=thumbv7em-none-eabihf
target_dir=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
cargo build -q -p oms-edge-ffi --profile release-size --target "$target" --no-default-features
lib=$target_dir/$target/release-size/liboms_edge.a
out=$target_dir/c-firmware
mkdir -p "$out"
elf=$out/fw-c.elf
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 \
  -std=c11 -Os -g -Wall -Wextra -Werror -ffreestanding -ffunction-sections -fdata-sections \
  -nostdlib -nostartfiles -Wl,--gc-sections -Wl,-z,noexecstack -T ffi/c/fw/link.ld \
  -DKEY_DER="\"$root/testdata/keys/p256.pub.der\"" -I ffi/include -I ffi/c/fw \
  ffi/c/fw/startup.c ffi/c/fw/main.c "$lib" -o "$elf"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
staging=0x21000000 # fw/main.c: STAGING, the package area in PSRAM
failures=0 peak=0
pack=firmware-example/pack.sh
m=firmware-example/testdata

# The root digest a bundle signs: the in-toto subject's sha256.
signed_root() {
  grep -o '"payload": *"[^"]*"' "$1" | sed 's/.*"\([^"]*\)"$/\1/' | base64 -d |
    grep -o '"sha256": *"[0-9a-f]*"' | head -1 | sed 's/.*"\([0-9a-f]*\)"$/\1/'
}

# run NAME PACKAGE EXPECT: EXPECT is "FLASHED <root>" or "REFUSED <check>".
run() {
  local name=$1 pkg=$2 expect=$3 out rc=0
  out=$(timeout 60 qemu-system-arm -M mps2-an386 -nographic \
    -semihosting-config enable=on,target=native \
    -kernel "$elf" -device loader,file="$pkg",addr=$staging </dev/null 2>&1) || rc=$?
  printf '%s\n' "$out" | sed "s/^/  [$name] /"
  local want_rc=1
  [[ $expect == FLASHED* ]] && want_rc=0
  if [ "$rc" -eq "$want_rc" ] && printf '%s\n' "$out" | grep -qx "$expect"; then
    echo "ok   $name: $expect (exit $rc)"
  else
    echo "FAIL $name: expected '$expect' and exit $want_rc, got exit $rc" >&2
    failures=$((failures + 1))
  fi
  local s
  s=$(printf '%s\n' "$out" | sed -n 's/^STACK peak \([0-9]*\).*/\1/p')
  if [ -n "$s" ] && [ "$peak" -lt "$s" ]; then peak=$s; fi
}

$pack $m/model-v1.sig $m/model-v1 "$work/valid.tar"
run valid "$work/valid.tar" "FLASHED $(signed_root $m/model-v1.sig)"
cp -r $m/model-v1 "$work/tampered"
printf '\x00' | dd of="$work/tampered/weights.bin" bs=1 seek=100 conv=notrunc status=none
$pack $m/model-v1.sig "$work/tampered" "$work/tampered.tar"
run tampered "$work/tampered.tar" "REFUSED model.digest_mismatch"
$pack $m/model-v1.sig $m/model-v2 "$work/other-model.tar"
run other-model "$work/other-model.tar" "REFUSED model.digest_mismatch"
cp -r $m/model-v1 "$work/extra" && echo unsigned >"$work/extra/zz-extra.txt"
$pack $m/model-v1.sig "$work/extra" "$work/extra.tar"
run unsigned-file "$work/extra.tar" "REFUSED model.unsigned_file"
cp -r $m/model-v1 "$work/missing" && rm "$work/missing/config.json"
$pack $m/model-v1.sig "$work/missing" "$work/missing.tar"
run missing-file "$work/missing.tar" "REFUSED model.missing_file"
# Signed by the P-384 test key; the firmware pins the P-256 one.
$pack testdata/vectors/key-p384/model.sig testdata/vectors/key-p384/model "$work/other-key.tar"
run other-key "$work/other-key.tar" "REFUSED key.hint_mismatch"
$pack testdata/vectors/shards-sha256/model.sig testdata/vectors/shards-sha256/model "$work/shards.tar"
run shards "$work/shards.tar" "FLASHED $(signed_root testdata/vectors/shards-sha256/model.sig)"
# Files that sort before VERSION, which the package carries first.
early=ffi/c/testdata
$pack $early/model-early.sig $early/model-early "$work/early.tar"
run version-not-first "$work/early.tar" "FLASHED $(signed_root $early/model-early.sig)"

# Footprint from the ELF section headers: flash = .vector_table + .text +
# .rodata + .ARM.exidx + .data (its initial values); static RAM = .data +
# .bss.
section() {
  local hex
  hex=$(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v n="$2" '$1 == n { print $5 }')
  echo $((16#${hex:-0}))
}
vt=$(section "$elf" .vector_table) tx=$(section "$elf" .text) ro=$(section "$elf" .rodata)
ex=$(section "$elf" .ARM.exidx) da=$(section "$elf" .data) bs=$(section "$elf" .bss)
echo "== C firmware footprint (liboms_edge.a: opt-level z, fat LTO; C: -Os)"
printf '%-8s %10s %10s %10s %12s %12s %10s\n' elf flash .text .rodata 'static RAM' 'peak stack' heap
printf '%-8s %10d %10d %10d %12d %12s %10s\n' fw-c $((vt + tx + ro + ex + da)) "$tx" "$ro" \
  $((da + bs)) "$peak" none
if [ "$failures" -ne 0 ]; then
  echo "$failures QEMU run(s) did not behave as expected" >&2
  exit 1
fi
echo "all C firmware QEMU runs behaved as expected"
