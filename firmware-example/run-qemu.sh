#!/usr/bin/env bash
# Builds the firmware for the QEMU mps2-an386 board (Cortex-M4,
# thumbv7em-none-eabihf; release profile: opt-level "z", fat LTO, one
# codegen unit, panic = abort), linked for the nRF52840 within each
# variant's budget (fw/memory-*.x), and shows in QEMU, with the emulated
# NOR flash kept in a host file across runs (fw/src/board.rs):
#
# 1. the stack guard: fw-overflow recurses and must HardFault;
# 2. refusals, each on a fresh flash, with the flash operations counted:
#    those checkable from the bundle and VERSION make none;
# 3. the persistent sequence: flash v1, boot v1 (trial, confirmed), update
#    to v2, a power cut at every flash operation of that update (each
#    time the next boot runs v1 or v2, never neither), a trial that is
#    not confirmed reverts, and a replayed v1 is refused with zero flash
#    operations;
# 4. the sigstore variant's trust state (TUF): the production build applies
#    Sigstore's real update 2025-10-15 -> 2026-08-21 (root 13 -> 15); the
#    test build starts with no trust state (sigstore refused), applies a
#    trust package of the test TUF repository (root 1 -> 2), then the model
#    sequence of 3 (Rekor v1, then Rekor v2 + TSA, no clock; the time floor
#    refuses the older one); then a trust update with a power cut at every
#    flash operation (each next boot has the old or the new trust state and
#    verifies the model), and tampered, replayed and expired (below the
#    time floor) trust packages refused with zero flash operations, as is
#    everything on a damaged trust state (a bit flipped at rest);
# 5. fw-key's static stack bound (stack-bound.py, when llvm-objdump is
#    there) and the footprint against the budgets (footprint.sh), with the
#    stack and heap peaks every run reported.
#
#   firmware-example/run-qemu.sh [KNOWN...]
#
# KNOWN: footprint cells not met yet that do not fail the run (see
# footprint.sh). Needs qemu-system-arm, GNU tar and readelf. Exits
# non-zero when any run does not behave as expected or a budget is
# exceeded.
set -euo pipefail
cd "$(dirname "$0")"
target=thumbv7em-none-eabihf
# Wherever cargo puts them: target/ here, or $CARGO_TARGET_DIR (.ci/run
# shares one target dir between both workspaces).
target_dir=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
elf_dir=$target_dir/$target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peaks=$work/peaks
: >"$peaks"
failures=0

# The production build first: Sigstore's real TUF update (its heap is the
# budget's), with the 2025-10-15 root (v13) compiled in instead of the
# production root (v15) so that the update rotates the root 13 -> 14 ->
# 15; kept apart, since the test build below has the same binary name.
# (The production build pins its signer at build time; any identity does
# for measuring.)
prod=../testdata/tuf/sigstore-prod
OMS_EDGE_TUF_ROOT=$PWD/$prod/2025-10-15/metadata/root.json \
  OMS_EDGE_IDENTITY=signer@example.com OMS_EDGE_ISSUER=https://accounts.google.com \
  cargo build --release -q -p oms-edge-fw --target "$target" --bin fw-sigstore --features sigstore
cp "$elf_dir/fw-sigstore" "$work/fw-sigstore-production"
n=$prod/2026-08-21
./pack-trust.sh "$work/prod.tar" $n/metadata/root_history/{14,15}.root.json \
  $n/metadata/{timestamp,snapshot,targets}.json $n/targets/trusted_root.json
qemu_out() { # ELF ARGS... (a name in the target dir, or a path)
  local elf=$1
  shift
  [[ $elf == */* ]] || elf=$elf_dir/$elf
  timeout 120 qemu-system-arm -M mps2-an386 -nographic \
    -semihosting-config enable=on,target=native \
    -kernel "$elf" -append "$*" </dev/null 2>&1
}
cargo build --release -q -p oms-edge-fw --target "$target" --bin fw-sigstore --features sigstore,test-trust
cargo build --release -q -p oms-edge-fw --target "$target" --bin fw-key --bin fw-overflow

# The check name of a code the firmware prints: the core's (docs/checks.md)
# or the loader's (loader/src/error.rs). The firmware links no names.
check_name() {
  local n
  n=$(sed -n "s/^| $1 | \`\([^\`]*\)\`.*/\1/p" ../docs/checks.md)
  [ -n "$n" ] || n=$(sed -n "s/^ *($1, \"\([^\"]*\)\"),.*/\1/p" loader/src/error.rs)
  echo "${n:-unknown}"
}

# in_order TEXT PATTERN...: each extended regex matches a line of TEXT,
# in this order.
in_order() {
  local text=$1 line
  shift
  while IFS= read -r line && [ $# -gt 0 ]; do
    if [[ $line =~ $1 ]]; then shift; fi
  done <<<"$text"
  [ $# -eq 0 ]
}

# run NAME ELF FLASH EXPECT [ARGS...]: boots ELF on the flash file FLASH
# with ARGS; EXPECT is extended regexes separated by ' ;; ' that lines of
# the output must match in order. Records the stack and heap peaks; sets
# $out.
run() {
  local name=$1 elf=$2 flash=$3 expect=$4 s h
  local -a want
  shift 4
  IFS=$'\x1f' read -r -a want <<<"${expect// ;; /$'\x1f'}"
  out=$(qemu_out "$elf" "flash=$flash" "$@") || true
  # Name every refusal code.
  out=$(printf '%s\n' "$out" | while IFS= read -r l; do
    if [[ $l =~ ^([A-Z ]*REFUSED)\ ([0-9]+)(.*)$ ]]; then
      l="${BASH_REMATCH[1]} ${BASH_REMATCH[2]} $(check_name "${BASH_REMATCH[2]}")${BASH_REMATCH[3]}"
    fi
    printf '%s\n' "$l"
  done)
  printf '%s\n' "$out" | sed "s/^/  [$name] /"
  if in_order "$out" "${want[@]}" && ! grep -Eq '^(HARDFAULT|PANIC)' <<<"$out"; then
    echo "ok   $name"
  else
    echo "FAIL $name: expected /$expect/" >&2
    failures=$((failures + 1))
  fi
  s=$(printf '%s\n' "$out" | sed -n 's/^STACK peak \([0-9]*\).*/\1/p')
  h=$(printf '%s\n' "$out" | sed -n 's/.*heap peak \([0-9]*\).*/\1/p')
  local key
  key=$(basename "$elf")
  key=${key%-production}
  [ -z "$s" ] || echo "$key stack $s" >>"$peaks"
  [ -z "$h" ] || echo "$key heap $h" >>"$peaks"
}

# cut_sweep NAME ELF BASE WHAT OPS STEP BOOTED: for every STEP-th n in
# 1..OPS, a copy of the flash file BASE, the run WHAT (update=PKG: a model
# update; trust=PKG: a trust update) with power cut at operation n, then a
# reboot that must match BOOTED (the old or the new model, or trust state)
# and verify the model.
cut_sweep() {
  local name=$1 elf=$2 base=$3 what=$4 ops=$5 step=$6 booted=$7 n after bad=0 cuts=0
  for n in $(seq 1 "$step" "$ops"); do
    cuts=$((cuts + 1))
    cp "$base" "$work/cut.nor"
    after=$(qemu_out "$elf" "flash=$work/cut.nor" "$what" "cut=$n") || true
    if ! grep -q "^POWERCUT at flash operation $n\$" <<<"$after"; then
      echo "FAIL $name power cut at operation $n: it did not happen" >&2
      bad=$((bad + 1))
    fi
    after=$(qemu_out "$elf" "flash=$work/cut.nor") || true
    if ! grep -Eq "$booted" <<<"$after" || ! grep -q '^ACTIVE verified' <<<"$after"; then
      echo "FAIL $name power cut at operation $n: the next boot had neither the old nor the new:" >&2
      sed 's/^/  /' <<<"$after" >&2
      bad=$((bad + 1))
    fi
  done
  if [ "$bad" -eq 0 ]; then
    echo "ok   $name-power-cuts: $cuts cuts of $ops operations, each next boot had the old or the new"
  else
    failures=$((failures + 1))
  fi
}

flip() { # FILE OFFSET: flips the lowest bit of the byte at OFFSET
  local b
  b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# A copy of model DIR with one byte of FILE flipped.
tampered() { # DIR FILE OUT
  cp -r "$1" "$3"
  flip "$3/$2" 100
}

echo "== stack guard and division"
out=$(qemu_out fw-overflow "") || true
printf '%s\n' "$out" | sed 's/^/  [overflow] /'
if grep -q '^DIVIDE ok' <<<"$out" &&
  grep -q '^HARDFAULT stack overflow' <<<"$out" &&
  ! grep -q SURVIVED <<<"$out"; then
  echo "ok   overflow: HardFault, statics untouched"
else
  echo "FAIL overflow: expected DIVIDE ok and HARDFAULT stack overflow" >&2
  failures=$((failures + 1))
fi

m=testdata
for v in 1 2 3; do ./pack.sh $m/model-v$v.sig $m/model-v$v "$work/v$v.tar"; done

echo "== key variant: refusals on a fresh flash"
tampered $m/model-v1 weights.bin "$work/tampered"
./pack.sh $m/model-v1.sig "$work/tampered" "$work/tampered.tar"
run key-tampered fw-key "$work/t1.nor" '^REFUSED [0-9]+ model\.digest_mismatch' "update=$work/tampered.tar"
./pack.sh $m/model-v1.sig $m/model-v2 "$work/other.tar"
run key-other-model fw-key "$work/t2.nor" '^REFUSED [0-9]+ model\.' "update=$work/other.tar"
cp -r $m/model-v1 "$work/extra" && echo unsigned >"$work/extra/zz-extra.txt"
./pack.sh $m/model-v1.sig "$work/extra" "$work/extra.tar"
run key-unsigned-file fw-key "$work/t3.nor" '^REFUSED [0-9]+ model\.' "update=$work/extra.tar"
./pack.sh ../testdata/sample/model.sig ../testdata/sample/model "$work/no-version.tar"
run key-no-version fw-key "$work/t4.nor" '^REFUSED [0-9]+ loader\.no_version ;; FLASH ops 0$' \
  "update=$work/no-version.tar"
sed 's/"sig": *"M/"sig": "N/' $m/model-v1.sig >"$work/bad.sig"
./pack.sh "$work/bad.sig" $m/model-v1 "$work/bad-signature.tar"
run key-bad-signature fw-key "$work/t5.nor" '^REFUSED [0-9]+ dsse\. ;; FLASH ops 0$' \
  "update=$work/bad-signature.tar"
head -c 8000 "$work/v1.tar" >"$work/truncated.tar"
run key-truncated fw-key "$work/t6.nor" '^REFUSED [0-9]+ (package|model)\.' "update=$work/truncated.tar"

echo "== key variant: persistent flash (v1, v2, power cuts, trial, replay)"
nor=$work/key.nor
run key-flash-v1 fw-key "$nor" '^FLASHED slot 0 version 1 .* pending' "update=$work/v1.tar"
run key-boot-v1 fw-key "$nor" '^BOOT trial slot 0 version 1 ;; ^ACTIVE verified ;; ^CONFIRMED'
run key-boot-v1-again fw-key "$nor" '^BOOT confirmed slot 0 version 1 ;; FLASH ops 0$'
cp "$nor" "$work/v1-confirmed.nor"
run key-update-v2 fw-key "$nor" '^FLASHED slot 1 version 2 .* pending' "update=$work/v2.tar"
ops=$(sed -n 's/^FLASH ops \([0-9]*\)$/\1/p' <<<"$out")
cut_sweep key fw-key "$work/v1-confirmed.nor" "update=$work/v2.tar" "$ops" 1 \
  '^BOOT (confirmed slot 0 version 1|trial slot 1 version 2)'
run key-boot-v2-unconfirmed fw-key "$nor" '^BOOT trial slot 1 version 2 ;; ^NOT CONFIRMED' no-confirm
run key-reverted fw-key "$nor" '^BOOT reverted from version 2 to slot 0 version 1 ;; ^ACTIVE verified slot 0 version 1'
run key-update-v2-again fw-key "$nor" '^FLASHED slot 1 version 2 .* pending' "update=$work/v2.tar"
run key-boot-v2 fw-key "$nor" '^BOOT trial slot 1 version 2 ;; ^CONFIRMED floor 2'
run key-replay-v1 fw-key "$nor" \
  '^BOOT confirmed slot 1 version 2 ;; ^REFUSED 9203 loader\.rollback confirmed 2 offered 1 ;; FLASH ops 0$' \
  "update=$work/v1.tar"
run key-update-v3 fw-key "$nor" '^FLASHED slot 0 version 3 .* pending' "update=$work/v3.tar"

echo "== sigstore variant, production build: Sigstore's TUF update 2025-10-15 -> 2026-08-21"
run production-trust-13-to-15 "$work/fw-sigstore-production" "$work/prod.nor" \
  '^TRUST UPDATED root 13 -> 15 timestamp [0-9]+ .* freshness not checked ;; ^HEAP trust update peak ;; ^TRUST root 15 ;; ^HEAP trusted root parsed' \
  "trust=$work/prod.tar"
h=$(printf '%s\n' "$out" | sed -n 's/^HEAP trust update peak: \([0-9]*\).*/\1/p')
echo "  the trust update 13 -> 15 peaked at ${h:-?} bytes of heap"
run production-trusted-root "$work/fw-sigstore-production" "$work/prod.nor" \
  '^TRUST root 15 ;; ^HEAP trusted root parsed ;; FLASH ops 0$'
h=$(printf '%s\n' "$out" | sed -n 's/^HEAP trusted root parsed: \([0-9]*\).*/\1/p')
echo "  the production trusted root, parsed from flash, holds ${h:-?} bytes of heap"

echo "== sigstore variant (test PKI, no clock): trust packages of the test TUF repository"
t=../testdata/tuf/firmware
trust_pkg() { # DIR OUT: the trust package of testdata/tuf/firmware/DIR
  local f=() n
  for n in 2.root.json timestamp.json snapshot.json targets.json trusted_root.json; do
    if [ -f "$t/$1/$n" ]; then f+=("$t/$1/$n"); fi
  done
  ./pack-trust.sh "$2" "${f[@]}"
}
for d in update-1 update-2 expired; do trust_pkg $d "$work/$d.tar"; done
run trust-none fw-sigstore "$work/t0.nor" '^TRUST REFUSED 9208 loader\.no_trust ;; FLASH ops 0$'
run trust-rotate fw-sigstore "$work/trusted.nor" \
  '^TRUST UPDATED root 1 -> 2 timestamp 1 .* freshness not checked ;; ^TRUST root 2 timestamp 1 ;; ^BOOT none' \
  "trust=$work/update-1.tar"
for f in s3 s4 sig; do cp "$work/trusted.nor" "$work/$f.nor"; done

echo "== sigstore variant (test PKI, no clock): persistent flash"
s=../testdata/sigstore
./pack.sh $s/cases/v1-dsse-model/bundle.sigstore.json $s/models/tiny-model "$work/s1.tar"
./pack.sh $s/cases/v2-dsse-model-tsa/bundle.sigstore.json $s/models/tiny-model "$work/s2.tar"
./pack.sh $s/cases/model-digest/bundle.sigstore.json $s/models/tampered/tiny-model "$work/s-tampered.tar"
./pack.sh $s/cases/dsse-signature/bundle.sigstore.json $s/models/tiny-model "$work/s-bad-signature.tar"
run sigstore-tampered fw-sigstore "$work/s3.nor" '^REFUSED [0-9]+ model\.' "update=$work/s-tampered.tar"
run sigstore-bad-signature fw-sigstore "$work/s4.nor" '^REFUSED [0-9]+ dsse\. ;; FLASH ops 0$' \
  "update=$work/s-bad-signature.tar"
snor=$work/sig.nor
run sigstore-rekor-v1 fw-sigstore "$snor" '^FLASHED slot 0 .* pending' "update=$work/s1.tar"
run sigstore-boot-v1 fw-sigstore "$snor" '^BOOT trial slot 0 ;; ^CONFIRMED floor'
cp "$snor" "$work/s1-confirmed.nor"
run sigstore-rekor-v2-tsa fw-sigstore "$snor" '^FLASHED slot 1 .* pending' "update=$work/s2.tar"
ops=$(sed -n 's/^FLASH ops \([0-9]*\)$/\1/p' <<<"$out")
# Every third operation (a sigstore run verifies twice, about 0.3 s; the
# loader's host tests cut at every one).
cut_sweep sigstore fw-sigstore "$work/s1-confirmed.nor" "update=$work/s2.tar" "$ops" 3 \
  '^BOOT (confirmed slot 0|trial slot 1)'
run sigstore-boot-v2 fw-sigstore "$snor" '^BOOT trial slot 1 ;; ^CONFIRMED floor'
run sigstore-replay-v1 fw-sigstore "$snor" \
  '^BOOT confirmed slot 1 ;; ^REFUSED 9203 loader\.rollback ;; FLASH ops 0$' "update=$work/s1.tar"

echo "== sigstore variant: trust update on the persistent flash (models verified: time floor set)"
cp "$snor" "$work/trust-base.nor"
mkdir "$work/tt"
cp $t/update-2/* "$work/tt/"
tampered "$t/update-2" trusted_root.json "$work/tt-target"
./pack-trust.sh "$work/t-target.tar" "$work/tt/"{2.root.json,timestamp.json,snapshot.json,targets.json} \
  "$work/tt-target/trusted_root.json"
# The timestamp's signed version changed (2 -> 3): its signature fails.
sed -i 's/"version": 2$/"version": 3/' "$work/tt/timestamp.json"
./pack-trust.sh "$work/t-timestamp.tar" "$work/tt/"{2.root.json,timestamp.json,snapshot.json,targets.json,trusted_root.json}
run trust-tampered-target fw-sigstore "$snor" \
  '^TRUST REFUSED 1520 tuf\.hash role target_file ;; ^TRUST root 2 timestamp 1 ;; ^ACTIVE verified ;; FLASH ops 0$' \
  "trust=$work/t-target.tar"
run trust-tampered-timestamp fw-sigstore "$snor" \
  '^TRUST REFUSED 1511 tuf\.threshold role timestamp ;; ^ACTIVE verified ;; FLASH ops 0$' \
  "trust=$work/t-timestamp.tar"
run trust-update-2 fw-sigstore "$snor" \
  '^TRUST UPDATED root 2 -> 2 timestamp 2 .* expiry checked at [0-9]+ ;; ^TRUST root 2 timestamp 2 ;; ^ACTIVE verified' \
  "trust=$work/update-2.tar"
ops=$(sed -n 's/^TRUST UPDATED .* ops \([0-9]*\) .*/\1/p' <<<"$out")
cut_sweep trust fw-sigstore "$work/trust-base.nor" "trust=$work/update-2.tar" "$ops" 1 \
  '^TRUST root 2 timestamp (1 .* area 0 seq 1|2 .* area 1 seq 2)$'
run trust-replay-1 fw-sigstore "$snor" \
  '^TRUST REFUSED 1515 tuf\.rollback role timestamp ;; ^TRUST root 2 timestamp 2 ;; ^ACTIVE verified ;; FLASH ops 0$' \
  "trust=$work/update-1.tar"
run trust-replay-2 fw-sigstore "$snor" \
  '^TRUST REFUSED 9210 loader\.trust_unchanged ;; ^ACTIVE verified ;; FLASH ops 0$' "trust=$work/update-2.tar"
# Expired on 2021-01-01, before the verified signing times (the time
# floor): certainly expired, though the device has no clock.
run trust-expired-below-floor fw-sigstore "$snor" \
  '^TRUST REFUSED 1514 tuf\.expired role timestamp ;; ^ACTIVE verified ;; FLASH ops 0$' "trust=$work/expired.tar"
# Damage at rest: one bit of the newest trust area's (area 1, seq 2) TUF
# root flipped. Refused, the trust package and the model alike, rather
# than replaced by area 0's older state (fw/src/board.rs: area 1 starts
# after the two 256 KiB slots, the two 4 KiB log sectors and area 0).
cp "$snor" "$work/damaged.nor"
flip "$work/damaged.nor" $(((2 * 256 + 2 * 4 + 24) * 1024 + 100))
run trust-damaged fw-sigstore "$work/damaged.nor" \
  '^TRUST REFUSED 9212 loader\.trust_damaged area 1 ;; ^TRUST REFUSED 9212 loader\.trust_damaged area 1 ;; FLASH ops 0$' \
  "trust=$work/expired.tar"

echo "== static stack bound of fw-key (STACK.md)"
if command -v llvm-objdump >/dev/null; then
  if python3 stack-bound.py "$elf_dir/fw-key" --budget 8192 >"$work/bound.txt" 2>&1; then
    grep '^static stack bound' "$work/bound.txt"
    echo "ok   fw-key static stack bound within 8192 bytes"
  else
    cat "$work/bound.txt" >&2
    echo "FAIL fw-key static stack bound" >&2
    failures=$((failures + 1))
  fi
else
  echo "skipped: no llvm-objdump"
fi

echo "== footprint (nRF52840 link, release: opt-level z, fat LTO)"
if ! ./footprint.sh "$elf_dir" "$peaks" "$@"; then
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all QEMU runs behaved as expected; every budget met (or listed as known)"
