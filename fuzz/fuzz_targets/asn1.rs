#![no_main]
//! See `oms_edge_tests::fuzz_bodies::asn1`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| oms_edge_tests::fuzz_bodies::asn1(data));
