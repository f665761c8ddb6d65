//! Peak heap of the TUF workflow (`oms_edge_core::tuf`, which uses
//! `alloc`): a real Sigstore update, and hostile documents at the size
//! limits built to maximise it. The stated bound (core/src/tuf/mod.rs): a
//! step's peak is at most 8 × its document's size plus 64 KiB.
//!
//! Each measurement runs in its own process (this binary, re-executed with
//! `OMS_TUF_HEAP_CASE`), because the allocator's peak is process-wide.

use std::alloc::System;
use std::process::Command;

use cap::Cap;
use oms_edge_core::limits;
use oms_edge_core::tuf::{Expiry, HeldState, Role, UpdateSet, metadata_info, update};
use oms_edge_tests::testdata;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const CASES: [&str; 4] = [
    "sigstore-update",
    "object-members",
    "nested-objects",
    "long-strings",
];

fn main() {
    if let Ok(case) = std::env::var("OMS_TUF_HEAP_CASE") {
        child(&case);
        return;
    }
    for case in CASES {
        let out = Command::new(std::env::current_exe().expect("exe"))
            .env("OMS_TUF_HEAP_CASE", case)
            .output()
            .expect("run child");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{case}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (peak, size) = text
            .trim()
            .split_once(' ')
            .and_then(|(p, s)| Some((p.parse::<u64>().ok()?, s.parse::<u64>().ok()?)))
            .unwrap_or_else(|| panic!("child said {text:?}"));
        println!(
            "heap: tuf {case:16} largest document {size:8} bytes: peak {peak:8} bytes ({:.2} x)",
            peak as f64 / size as f64
        );
        assert!(
            peak <= 8 * size + 64 * 1024,
            "{case}: peak {peak} above 8 x {size} + 64 KiB"
        );
    }
}

/// A targets document of exactly `limit` bytes whose `signed` holds `body`
/// (repeated `unit` until the size is reached).
fn hostile(open: &str, unit: &str, close: &str, limit: usize) -> Vec<u8> {
    let head = format!(
        "{{\"signatures\":[],\"signed\":{{\"_type\":\"targets\",\"spec_version\":\"1.0\",\
         \"version\":1,\"expires\":\"2099-01-01T00:00:00Z\",\"targets\":{{}},\"x\":{open}"
    );
    let tail = format!("{close}}}}}");
    let mut doc = head.into_bytes();
    while doc.len() + unit.len() + tail.len() <= limit {
        doc.extend_from_slice(unit.as_bytes());
    }
    // Drop a trailing comma, pad with spaces to the limit.
    if doc.last() == Some(&b',') {
        doc.pop();
    }
    doc.extend_from_slice(tail.as_bytes());
    doc.resize(limit, b' ');
    doc
}

/// Measures one case; prints `peak size`.
fn child(case: &str) {
    let size: u64;
    match case {
        "sigstore-update" => {
            let read =
                |p: &str| std::fs::read(testdata().join("tuf/sigstore-prod").join(p)).unwrap();
            let files = [
                "2025-10-15/metadata/root.json",
                "2025-10-15/metadata/timestamp.json",
                "2025-10-15/metadata/snapshot.json",
                "2026-08-21/metadata/root_history/14.root.json",
                "2026-08-21/metadata/root_history/15.root.json",
                "2026-08-21/metadata/timestamp.json",
                "2026-08-21/metadata/snapshot.json",
                "2026-08-21/metadata/targets.json",
                "2026-08-21/targets/trusted_root.json",
            ]
            .map(read);
            size = files.iter().map(|f| f.len() as u64).max().unwrap_or(0);
            let base = ALLOCATOR.allocated();
            let roots = [files[3].as_slice(), files[4].as_slice()];
            let out = update(
                HeldState {
                    root: &files[0],
                    timestamp: Some(&files[1]),
                    snapshot: Some(&files[2]),
                },
                UpdateSet {
                    roots: &roots,
                    timestamp: &files[5],
                    snapshot: &files[6],
                    targets: &files[7],
                    target: ("trusted_root.json", &files[8]),
                },
                Expiry::Enforce { now: 1_787_356_800 },
            )
            .expect("update");
            assert_eq!(out.root_to, 15);
            println!("{} {size}", ALLOCATOR.max_allocated() - base);
        }
        // The most members per byte: `"":0,` is 5 bytes (all named alike,
        // refused as duplicates only after they are collected and sorted).
        "object-members" => {
            let doc = hostile("{", "\"\":0,", "}", limits::MAX_TUF_TARGETS_BYTES);
            size = doc.len() as u64;
            let base = ALLOCATOR.allocated();
            assert!(metadata_info(&doc, Role::Targets).is_err());
            println!("{} {size}", ALLOCATOR.max_allocated() - base);
        }
        // Objects nested to the depth limit, each with many members.
        "nested-objects" => {
            let unit = "{\"a\":0,\"b\":0,\"c\":0,\"d\":";
            let mut s = String::from(
                "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\
                 \"version\":1,\"expires\":\"2099-01-01T00:00:00Z\",\"targets\":{},\"x\":",
            );
            let depth = limits::MAX_TUF_DEPTH - 3;
            for _ in 0..depth {
                s.push_str(unit);
            }
            s.push('0');
            for _ in 0..depth {
                s.push('}');
            }
            s.push_str("}}");
            let doc = s.into_bytes();
            size = doc.len() as u64;
            let base = ALLOCATOR.allocated();
            metadata_info(&doc, Role::Targets).expect("within the depth limit");
            println!("{} {size}", ALLOCATOR.max_allocated() - base);
        }
        // One long string with escapes: the canonical form is the whole
        // document.
        "long-strings" => {
            let doc = hostile("\"", "\\u00e9", "\"", limits::MAX_TUF_TARGETS_BYTES);
            size = doc.len() as u64;
            let base = ALLOCATOR.allocated();
            metadata_info(&doc, Role::Targets).expect("valid");
            println!("{} {size}", ALLOCATOR.max_allocated() - base);
        }
        other => panic!("unknown case {other}"),
    }
}
