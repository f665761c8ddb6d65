#![no_main]
//! See `oms_edge_tests::fuzz_bodies::tuf`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| oms_edge_tests::fuzz_bodies::tuf(data));
