#!/usr/bin/env bash
# The firmware's footprint against the budgets of issue 18, from the ELF
# section headers and the peaks the QEMU runs reported:
#
#   firmware-example/footprint.sh ELF_DIR PEAKS [KNOWN...]
#
# ELF_DIR holds fw-key and fw-sigstore. PEAKS is a file of lines
# `<elf> stack <bytes>` and `<elf> heap <bytes>` (run-qemu.sh writes it:
# the highest of every run's painted-stack high-water mark and allocator
# peak). Flash = .vector_table + .text + .rodata + .data (its initial
# values); static RAM = .data + .bss + .uninit (the sigstore heap is a
# static, so it is included); the stack is its own region below the
# statics (memory-*.x) and is checked against its own budget.
#
# Prints a Markdown table with PASS/FAIL per cell and exits 1 on any FAIL,
# except the cells named KNOWN (`fw-sigstore:flash`, ...): those are
# printed as FAIL (known) and do not fail the run. .ci/run names the ones
# this branch does not meet yet; the README says why.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 ELF_DIR PEAKS [KNOWN...]" >&2
  exit 2
fi
dir=$1 peaks=$2
shift 2
known=" $* "
KiB=1024

# Budgets: flash, static RAM, heap, stack (bytes); heap 0 = none allowed.
declare -A budget=(
  [fw-key:flash]=$((64 * KiB)) [fw-key:ram]=$((12 * KiB))
  [fw-key:heap]=0 [fw-key:stack]=$((8 * KiB))
  [fw-sigstore:flash]=$((256 * KiB)) [fw-sigstore:ram]=$((48 * KiB))
  [fw-sigstore:heap]=$((32 * KiB)) [fw-sigstore:stack]=$((16 * KiB))
)

section() { # ELF NAME -> size in bytes
  local hex
  hex=$(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v n="$2" '$1 == n { print $5 }')
  echo $((16#${hex:-0}))
}
peak() { # ELF WHAT -> bytes, or empty
  awk -v e="$1" -v w="$2" '$1 == e && $2 == w { print $3 }' "$peaks" | sort -n | tail -1
}

failed=0 out=
cell() { # ELF ITEM VALUE: sets $out to "value / budget PASS|FAIL"
  local b=${budget[$1:$2]} v=$3 verdict
  if [ -z "$v" ]; then
    verdict="FAIL (not measured)"
  elif [ "$v" -le "$b" ]; then
    verdict=PASS
  else
    verdict=FAIL
  fi
  if [[ $verdict == FAIL* ]]; then
    if [[ $known == *" $1:$2 "* ]]; then
      verdict="$verdict (known)"
    else
      failed=1
    fi
  fi
  out=$(printf '%s / %s %s' "${v:-?}" "$b" "$verdict")
}

echo "| variant | flash (bytes) | static RAM | heap peak | stack peak |"
echo "|---|---|---|---|---|"
for elf in fw-key fw-sigstore; do
  f=$dir/$elf
  vt=$(section "$f" .vector_table) tx=$(section "$f" .text) ro=$(section "$f" .rodata)
  da=$(section "$f" .data) bs=$(section "$f" .bss) un=$(section "$f" .uninit)
  heap=$(peak "$elf" heap)
  # The key variant links no allocator: its heap is none (0).
  [ "$elf" = fw-key ] && heap=${heap:-0}
  cell "$elf" flash $((vt + tx + ro + da)) && c1=$out
  cell "$elf" ram $((da + bs + un)) && c2=$out
  cell "$elf" heap "$heap" && c3=$out
  cell "$elf" stack "$(peak "$elf" stack)" && c4=$out
  printf '| %s | %s | %s | %s | %s |\n' "$elf" "$c1" "$c2" "$c3" "$c4"
done
if [ "$failed" -ne 0 ]; then
  echo "footprint: a budget is exceeded" >&2
  exit 1
fi
