#![no_main]
//! See `oms_edge_tests::fuzz_bodies::sigstore`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| oms_edge_tests::fuzz_bodies::sigstore(data));
