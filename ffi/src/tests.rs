//! The C API driven as C drives it (raw pointers, codes): the vectors
//! verify or fail with the core's check, and every misuse a check can
//! catch returns an error code.

#![allow(unsafe_code, clippy::unwrap_used, clippy::indexing_slicing)]

use std::ffi::CStr;
use std::path::{Path, PathBuf};

use super::*;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(testdata().join(p)).unwrap()
}

fn name(code: i32) -> &'static str {
    unsafe { CStr::from_ptr(oms_edge_check_name(code)) }
        .to_str()
        .unwrap()
}

/// A state on the heap, as C would declare one.
fn fresh() -> Box<oms_edge_verifier> {
    Box::new(oms_edge_verifier { _opaque: [0; 1024] })
}

/// `oms_edge_key_verify` with a payload buffer as long as the bundle.
fn key_verify(
    v: &mut oms_edge_verifier,
    bundle: &[u8],
    key: &[u8],
    payload: &mut Vec<u8>,
    flags: u32,
) -> i32 {
    payload.resize(bundle.len(), 0);
    unsafe {
        oms_edge_key_verify(
            v,
            bundle.as_ptr(),
            bundle.len(),
            key.as_ptr(),
            key.len(),
            payload.as_mut_ptr(),
            payload.len(),
            flags,
        )
    }
}

/// The signed files' paths, in manifest order (each once).
fn paths(v: &mut oms_edge_verifier) -> Vec<String> {
    let mut n = 0usize;
    assert_eq!(unsafe { oms_edge_resource_count(v, &mut n) }, 0);
    let mut out: Vec<String> = Vec::new();
    for i in 0..n {
        let mut buf = [0 as c_char; 512];
        let mut len = 0usize;
        assert_eq!(
            unsafe { oms_edge_resource_path(v, i, buf.as_mut_ptr(), buf.len(), &mut len) },
            0
        );
        let p = unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(p.len(), len);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// Streams `files` (name, bytes) in `chunk`-byte updates; returns the
/// first non-zero code, or the verdict's.
fn stream(
    v: &mut oms_edge_verifier,
    files: &[(String, Vec<u8>)],
    chunk: usize,
    out: &mut oms_edge_model,
) -> i32 {
    for (n, data) in files {
        let rc = unsafe { oms_edge_begin_file(v, n.as_ptr().cast(), n.len(), data.len() as u64) };
        if rc != 0 {
            return rc;
        }
        for c in data.chunks(chunk.max(1)) {
            let rc = unsafe { oms_edge_update(v, c.as_ptr(), c.len()) };
            if rc != 0 {
                return rc;
            }
        }
        let rc = unsafe { oms_edge_finish_file(v) };
        if rc != 0 {
            return rc;
        }
    }
    unsafe { oms_edge_finish(v, out) }
}

/// A vector's model files, in manifest order.
fn model_files(v: &mut oms_edge_verifier, dir: &Path) -> Vec<(String, Vec<u8>)> {
    paths(v)
        .into_iter()
        .map(|p| {
            let data = std::fs::read(dir.join(&p)).unwrap();
            (p, data)
        })
        .collect()
}

fn empty_model() -> oms_edge_model {
    oms_edge_model {
        resources: 0,
        bytes: 0,
        has_root_digest: false,
        root_digest: [0; 32],
    }
}

/// The signed root digest (the in-toto subject's sha256).
fn signed_root(bundle: &[u8]) -> String {
    let text = std::str::from_utf8(bundle).unwrap();
    let payload = text.split("\"payload\"").nth(1).unwrap();
    let b64 = payload.split('"').nth(1).unwrap();
    let mut buf = vec![0u8; b64.len()];
    let stmt = <base64ct::Base64 as base64ct::Encoding>::decode(b64, &mut buf).unwrap();
    let stmt = std::str::from_utf8(stmt).unwrap();
    let at = stmt.find("\"sha256\"").unwrap();
    stmt[at..].split('"').nth(3).unwrap().to_owned()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn sample_model_verifies_in_any_chunking() {
    let bundle = read("sample/model.sig");
    let key = read("sample/key.pub");
    for chunk in [1, 7, 4096, 1 << 20] {
        let mut v = fresh();
        let mut payload = Vec::new();
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        let files = model_files(&mut v, &testdata().join("sample/model"));
        let mut out = empty_model();
        assert_eq!(stream(&mut v, &files, chunk, &mut out), 0, "chunk {chunk}");
        assert_eq!(out.resources, 3);
        assert!(out.has_root_digest);
        assert_eq!(hex(&out.root_digest), signed_root(&bundle));
        // Done: nothing more.
        assert_eq!(
            unsafe { oms_edge_finish(&mut *v, &mut out) },
            OMS_EDGE_ERR_ORDER
        );
    }
}

/// Runs a key vector `case` with its files, maybe changed by `edit`.
fn vector(case: &str, flags: u32, edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> i32 {
    let dir = testdata().join("vectors").join(case);
    let bundle = std::fs::read(dir.join("model.sig")).unwrap();
    let key = read("keys/p256.pub.pem");
    let mut v = fresh();
    let mut payload = Vec::new();
    let rc = key_verify(&mut v, &bundle, &key, &mut payload, flags);
    if rc != 0 {
        return rc;
    }
    let mut files = model_files(&mut v, &dir.join("model"));
    edit(&mut files);
    stream(&mut v, &files, 1000, &mut empty_model())
}

fn check(c: Check) -> i32 {
    i32::from(c.code())
}

#[test]
fn the_core_decides_every_model_verdict() {
    assert_eq!(vector("files-sha256", 0, |_| {}), 0);
    assert_eq!(vector("files-blake3", 0, |_| {}), 0);
    assert_eq!(vector("shards-sha256", 0, |_| {}), 0);
    assert_eq!(vector("shards-blake2", 0, |_| {}), 0);
    // A flipped bit.
    assert_eq!(
        vector("files-sha256", 0, |f| f[0].1[0] ^= 1),
        check(Check::ModelDigestMismatch)
    );
    // A shard's bit.
    assert_eq!(
        vector("shards-sha256", 0, |f| {
            let last = f.len() - 1;
            let n = f[last].1.len();
            f[last].1[n - 1] ^= 1
        }),
        check(Check::ModelDigestMismatch)
    );
    // A file left out.
    assert_eq!(
        vector("files-sha256", 0, |f| {
            f.remove(0);
        }),
        check(Check::ModelMissingFile)
    );
    // The last file left out: found at the verdict.
    assert_eq!(
        vector("files-sha256", 0, |f| {
            f.pop();
        }),
        check(Check::ModelMissingFile)
    );
    // A sharded file shorter or longer than its shards.
    assert_eq!(
        vector("shards-sha256", 0, |f| {
            let last = f.len() - 1;
            f[last].1.pop();
        }),
        check(Check::ModelSizeMismatch)
    );
    assert_eq!(
        vector("shards-sha256", 0, |f| {
            let last = f.len() - 1;
            f[last].1.push(0);
        }),
        check(Check::ModelSizeMismatch)
    );
    // An unsigned file fails at the verdict, unless ignored; a zero-byte
    // one too (files method).
    let extra = |f: &mut Vec<(String, Vec<u8>)>| f.push(("zz-extra".into(), b"x".to_vec()));
    assert_eq!(
        vector("files-sha256", 0, extra),
        check(Check::ModelUnsignedFile)
    );
    assert_eq!(
        vector("files-sha256", OMS_EDGE_IGNORE_UNSIGNED_FILES, extra),
        0
    );
    assert_eq!(
        vector("files-sha256", 0, |f| f
            .insert(0, ("empty".into(), Vec::new()))),
        check(Check::ModelUnsignedFile)
    );
    // Files out of manifest order: the skipped one is missing.
    assert_eq!(
        vector("files-sha256", 0, |f| f.swap(0, 1)),
        check(Check::ModelMissingFile)
    );
}

#[test]
fn declared_sizes_are_held_to() {
    let bundle = read("sample/model.sig");
    let key = read("sample/key.pub");
    let mut payload = Vec::new();
    let files = {
        let mut v = fresh();
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        model_files(&mut v, &testdata().join("sample/model"))
    };
    let (n, data) = &files[0];
    // Fewer bytes than declared: truncated; more: grew.
    for (declared, sent, want) in [
        (data.len() + 1, data.len(), Check::ModelTruncated),
        (data.len() - 1, data.len(), Check::ModelGrew),
    ] {
        let mut v = fresh();
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        unsafe {
            assert_eq!(
                oms_edge_begin_file(&mut *v, n.as_ptr().cast(), n.len(), declared as u64),
                0
            );
            assert_eq!(oms_edge_update(&mut *v, data.as_ptr(), sent), 0);
            assert_eq!(oms_edge_finish_file(&mut *v), check(want));
            // Sticky.
            assert_eq!(oms_edge_finish(&mut *v, std::ptr::null_mut()), check(want));
        }
    }
}

#[test]
fn signature_failures_are_the_cores_checks() {
    let bundle = read("sample/model.sig");
    let mut payload = Vec::new();
    let mut v = fresh();
    let other = read("keys/p384.pub.pem");
    assert_eq!(
        key_verify(&mut v, &bundle, &other, &mut payload, 0),
        check(Check::KeyHintMismatch)
    );
    assert_eq!(name(check(Check::KeyHintMismatch)), "key.hint_mismatch");
    // Sticky: streaming is refused with the same code.
    assert_eq!(
        unsafe { oms_edge_finish_file(&mut *v) },
        check(Check::KeyHintMismatch)
    );
    let rc = key_verify(&mut v, b"{}", &read("sample/key.pub"), &mut payload, 0);
    assert!(name(rc).starts_with("bundle."), "{}", name(rc));
    let rc = key_verify(&mut v, &bundle, b"not a key", &mut payload, 0);
    assert!(name(rc).starts_with("key."), "{}", name(rc));
}

#[test]
fn null_pointers_are_refused() {
    let bundle = read("sample/model.sig");
    let key = read("sample/key.pub");
    let mut payload = vec![0u8; bundle.len()];
    let null = std::ptr::null_mut::<oms_edge_verifier>();
    unsafe {
        assert_eq!(oms_edge_verifier_init(null), OMS_EDGE_ERR_NULL);
        let args = |v, b: *const u8, k: *const u8, p: *mut u8| {
            oms_edge_key_verify(v, b, bundle.len(), k, key.len(), p, bundle.len(), 0)
        };
        let mut v = fresh();
        let (b, k, p) = (bundle.as_ptr(), key.as_ptr(), payload.as_mut_ptr());
        assert_eq!(args(null, b, k, p), OMS_EDGE_ERR_NULL);
        assert_eq!(args(&mut *v, std::ptr::null(), k, p), OMS_EDGE_ERR_NULL);
        assert_eq!(args(&mut *v, b, std::ptr::null(), p), OMS_EDGE_ERR_NULL);
        assert_eq!(args(&mut *v, b, k, std::ptr::null_mut()), OMS_EDGE_ERR_NULL);
        assert_eq!(args(&mut *v, b, k, p), 0);
        assert_eq!(
            oms_edge_resource_count(&mut *v, std::ptr::null_mut()),
            OMS_EDGE_ERR_NULL
        );
        assert_eq!(oms_edge_resource_count(null, &mut 0), OMS_EDGE_ERR_NULL);
        assert_eq!(
            oms_edge_resource_path(&mut *v, 0, std::ptr::null_mut(), 10, std::ptr::null_mut()),
            OMS_EDGE_ERR_NULL
        );
        assert_eq!(
            oms_edge_begin_file(&mut *v, std::ptr::null(), 3, 0),
            OMS_EDGE_ERR_NULL
        );
        assert_eq!(oms_edge_update(null, b, 1), OMS_EDGE_ERR_NULL);
        assert_eq!(oms_edge_finish_file(null), OMS_EDGE_ERR_NULL);
        assert_eq!(
            oms_edge_finish(null, std::ptr::null_mut()),
            OMS_EDGE_ERR_NULL
        );
        // A refused argument before the session is touched leaves it usable.
        let files = model_files(&mut v, &testdata().join("sample/model"));
        let (n, data) = &files[0];
        assert_eq!(
            oms_edge_begin_file(&mut *v, n.as_ptr().cast(), n.len(), data.len() as u64),
            0
        );
        assert_eq!(
            oms_edge_update(&mut *v, std::ptr::null(), 5),
            OMS_EDGE_ERR_NULL
        );
        // Null with no bytes is an empty update.
        assert_eq!(oms_edge_update(&mut *v, std::ptr::null(), 0), 0);
        assert_eq!(oms_edge_update(&mut *v, data.as_ptr(), data.len()), 0);
        assert_eq!(oms_edge_finish_file(&mut *v), 0);
    }
}

#[test]
fn calls_out_of_order_are_refused() {
    let bundle = read("sample/model.sig");
    let key = read("sample/key.pub");
    let mut payload = Vec::new();
    unsafe {
        // Initialized, nothing verified.
        let mut v = fresh();
        assert_eq!(oms_edge_verifier_init(&mut *v), 0);
        assert_eq!(
            oms_edge_begin_file(&mut *v, c"x".as_ptr(), 1, 1),
            OMS_EDGE_ERR_ORDER
        );
        assert_eq!(
            oms_edge_update(&mut *v, b"x".as_ptr(), 1),
            OMS_EDGE_ERR_ORDER
        );
        assert_eq!(
            oms_edge_finish(&mut *v, std::ptr::null_mut()),
            OMS_EDGE_ERR_ORDER
        );
        let mut n = 0;
        assert_eq!(oms_edge_resource_count(&mut *v, &mut n), OMS_EDGE_ERR_ORDER);
        // Update and finish_file with no file begun; each is sticky.
        for call in [
            |v: &mut oms_edge_verifier| oms_edge_update(v, b"x".as_ptr(), 1),
            |v: &mut oms_edge_verifier| oms_edge_finish_file(v),
        ] {
            assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
            assert_eq!(call(&mut v), OMS_EDGE_ERR_ORDER);
            assert_eq!(
                oms_edge_finish(&mut *v, std::ptr::null_mut()),
                OMS_EDGE_ERR_ORDER
            );
        }
        // A file begun twice, or finish with a file open.
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        let name = "config.json";
        assert_eq!(
            oms_edge_begin_file(&mut *v, name.as_ptr().cast(), name.len(), 1),
            0
        );
        assert_eq!(
            oms_edge_begin_file(&mut *v, name.as_ptr().cast(), name.len(), 1),
            OMS_EDGE_ERR_ORDER
        );
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        assert_eq!(
            oms_edge_begin_file(&mut *v, name.as_ptr().cast(), name.len(), 1),
            0
        );
        assert_eq!(
            oms_edge_finish(&mut *v, std::ptr::null_mut()),
            OMS_EDGE_ERR_ORDER
        );
        // Every file done, then one of them again.
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        let mut files = model_files(&mut v, &testdata().join("sample/model"));
        files.push(files[2].clone());
        assert_eq!(
            stream(&mut v, &files, 100, &mut empty_model()),
            OMS_EDGE_ERR_ORDER
        );
    }
}

#[test]
fn bad_states_buffers_and_flags_are_refused() {
    let bundle = read("sample/model.sig");
    let key = read("sample/key.pub");
    let mut payload = Vec::new();
    unsafe {
        // Never initialized (zeros, or garbage).
        let mut v = fresh();
        assert_eq!(oms_edge_finish_file(&mut *v), OMS_EDGE_ERR_UNINITIALIZED);
        v._opaque
            .iter_mut()
            .for_each(|w| *w = 0xdead_beef_dead_beef);
        assert_eq!(
            oms_edge_update(&mut *v, b"x".as_ptr(), 1),
            OMS_EDGE_ERR_UNINITIALIZED
        );
        // Misaligned.
        let mut raw = vec![0u64; OMS_EDGE_VERIFIER_SIZE / 8 + 1];
        let odd = raw
            .as_mut_ptr()
            .cast::<u8>()
            .add(4)
            .cast::<oms_edge_verifier>();
        assert_eq!(oms_edge_verifier_init(odd), OMS_EDGE_ERR_ALIGN);
        assert_eq!(oms_edge_finish_file(odd), OMS_EDGE_ERR_ALIGN);
        // Unknown flags.
        assert_eq!(
            key_verify(&mut v, &bundle, &key, &mut payload, 0x80),
            OMS_EDGE_ERR_ARGUMENT
        );
        // A payload buffer too short for the statement: the core's check.
        let rc = oms_edge_key_verify(
            &mut *v,
            bundle.as_ptr(),
            bundle.len(),
            key.as_ptr(),
            key.len(),
            payload.as_mut_ptr(),
            100,
            0,
        );
        assert_eq!(rc, check(Check::DssePayloadTooLarge));
        assert_eq!(oms_edge_finish(&mut *v, std::ptr::null_mut()), rc);
        // The payload buffer over the bundle.
        let mut both = bundle.clone();
        let rc = oms_edge_key_verify(
            &mut *v,
            both.as_ptr(),
            bundle.len(),
            key.as_ptr(),
            key.len(),
            both.as_mut_ptr().add(10),
            bundle.len() - 10,
            0,
        );
        assert_eq!(rc, OMS_EDGE_ERR_OVERLAP);
        // A short path buffer says how long the path is.
        assert_eq!(key_verify(&mut v, &bundle, &key, &mut payload, 0), 0);
        let mut buf = [0 as c_char; 4];
        let mut len = 0usize;
        assert_eq!(
            oms_edge_resource_path(&mut *v, 1, buf.as_mut_ptr(), buf.len(), &mut len),
            OMS_EDGE_ERR_BUFFER
        );
        assert_eq!(len, "model.safetensors".len());
        assert_eq!(
            oms_edge_resource_path(&mut *v, 3, buf.as_mut_ptr(), buf.len(), &mut len),
            OMS_EDGE_ERR_ARGUMENT
        );
        // A name that is not UTF-8.
        assert_eq!(
            oms_edge_begin_file(&mut *v, b"\xff".as_ptr().cast(), 1, 1),
            OMS_EDGE_ERR_ARGUMENT
        );
    }
}

#[test]
fn every_code_has_a_name() {
    assert_eq!(name(0), "ok");
    for (c, n) in [
        (OMS_EDGE_ERR_NULL, "api.null_pointer"),
        (OMS_EDGE_ERR_BUFFER, "api.buffer_too_small"),
        (OMS_EDGE_ERR_ORDER, "api.out_of_order"),
        (OMS_EDGE_ERR_UNINITIALIZED, "api.uninitialized"),
        (OMS_EDGE_ERR_ALIGN, "api.misaligned"),
        (OMS_EDGE_ERR_OVERLAP, "api.overlap"),
        (OMS_EDGE_ERR_ARGUMENT, "api.bad_argument"),
    ] {
        assert_eq!(name(c), n);
    }
    for &c in Check::ALL {
        assert_eq!(name(i32::from(c.code())), c.as_str());
    }
    for unknown in [-100, 1, 99, 65_536, i32::MAX, i32::MIN] {
        assert_eq!(name(unknown), "unknown");
    }
}

#[test]
fn certificate_and_sigstore_methods_through_the_same_shape() {
    // Certificate: the 3-level P-256 PKI, at a time inside its validity.
    let dir = testdata().join("vectors/cert-p256");
    let bundle = std::fs::read(dir.join("model.sig")).unwrap();
    let roots = read("pki/p256-root.pem");
    let at = 1_780_272_000; // 2026-06-01T00:00:00Z
    for (time, want) in [(at, 0), (0, check(Check::X509NoVerificationTime))] {
        let mut v = fresh();
        let mut payload = vec![0u8; bundle.len()];
        let rc = unsafe {
            oms_edge_certificate_verify(
                &mut *v,
                bundle.as_ptr(),
                bundle.len(),
                roots.as_ptr(),
                roots.len(),
                time,
                payload.as_mut_ptr(),
                payload.len(),
                0,
            )
        };
        assert_eq!(rc, want, "{}", name(rc));
        if rc == 0 {
            let files = model_files(&mut v, &dir.join("model"));
            assert_eq!(stream(&mut v, &files, 512, &mut empty_model()), 0);
        }
    }
    // Sigstore: a Rekor v1 DSSE model bundle of the offline test PKI.
    let case = testdata().join("sigstore");
    let bundle = std::fs::read(case.join("cases/v1-dsse-model/bundle.sigstore.json")).unwrap();
    let root = std::fs::read(case.join("trusted_root.json")).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for (identity, want) in [
        ("signer@example.com", 0),
        ("mallory@example.com", check(Check::PolicyIdentityMismatch)),
    ] {
        let issuer = "https://oidc.example.com";
        let mut v = fresh();
        let mut payload = vec![0u8; bundle.len()];
        let rc = unsafe {
            oms_edge_sigstore_verify(
                &mut *v,
                bundle.as_ptr(),
                bundle.len(),
                root.as_ptr(),
                root.len(),
                identity.as_ptr().cast(),
                identity.len(),
                issuer.as_ptr().cast(),
                issuer.len(),
                now,
                payload.as_mut_ptr(),
                payload.len(),
                0,
            )
        };
        assert_eq!(rc, want, "{}", name(rc));
        if rc == 0 {
            let files = model_files(&mut v, &case.join("models/tiny-model"));
            let mut out = empty_model();
            assert_eq!(stream(&mut v, &files, 64, &mut out), 0);
            assert_eq!(hex(&out.root_digest), signed_root(&bundle));
        }
    }
}

/// include/oms_edge.h is what cbindgen makes of this crate now (CI fails
/// on drift; `OMS_EDGE_BLESS=1 cargo test -p oms-edge-ffi header` rewrites
/// it).
#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .unwrap()
        .write(&mut out);
    let path = dir.join("include/oms_edge.h");
    if std::env::var_os("OMS_EDGE_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == out,
        "include/oms_edge.h is stale: run OMS_EDGE_BLESS=1 cargo test -p oms-edge-ffi header"
    );
}
