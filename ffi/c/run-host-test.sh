#!/usr/bin/env bash
# Builds liboms_edge.a for the host (dev profile, default features: std,
# every algorithm, certificate and sigstore) and the C test program
# against it, under AddressSanitizer and UBSan, and runs it.
#
#   ffi/c/run-host-test.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
target_dir=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
cargo build -q -p oms-edge-ffi
# The system libraries Rust's std needs when linked statically.
libs=$(cargo rustc -q -p oms-edge-ffi -- --print native-static-libs 2>&1 |
  sed -n 's/.*native-static-libs: //p' | tail -1)
out=$target_dir/c-host-test
mkdir -p "$out"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined \
  -fno-sanitize-recover=undefined -I ffi/include ffi/c/host_test.c \
  "$target_dir/debug/liboms_edge.a" $libs -o "$out/host_test"
"$out/host_test" testdata
