//! # liboms_edge: the C API of oms-edge
//!
//! A thin layer over `oms-edge-core`'s one verifier API: verify a bundle
//! from a buffer into a caller-provided state ([`oms_edge_verifier`], of
//! [`OMS_EDGE_VERIFIER_SIZE`] bytes, 8-byte aligned), then stream the
//! model's files through it in manifest order ([`oms_edge_begin_file`],
//! [`oms_edge_update`], [`oms_edge_finish_file`]), then take the verdict
//! ([`oms_edge_finish`]). Every check is the core's: the state holds the
//! core's `VerifiedManifest`, `Planner` and `Tally`, and a file's bytes go
//! to the core's `Stream`.
//!
//! Every function returns an `int32_t`: [`OMS_EDGE_OK`] (0); a core check
//! code (positive, stable: `docs/checks.md`) when verification failed; or
//! a negative `OMS_EDGE_ERR_*` when the call was wrong (a null pointer, a
//! short buffer, a call out of order). [`oms_edge_check_name`] names any
//! of them. A failed check is sticky: every later call on the state
//! returns it, until the state is verified again.
//!
//! The key method allocates nothing (`--no-default-features`: `no_std`,
//! P-256, no heap). The certificate and sigstore methods (features
//! `certificate`, `sigstore`) need a heap: the system's with `std`, or
//! the C firmware's through `oms_edge_alloc`/`oms_edge_free` with the
//! `alloc-hook` feature (see `docs/c.md`).
//!
//! The header `include/oms_edge.h` is generated from this file by
//! cbindgen (`cargo test -p oms-edge-ffi header` checks it).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
#![allow(non_camel_case_types)]

#[cfg(any(feature = "certificate", feature = "alloc-hook"))]
extern crate alloc;

mod session;

use core::ffi::{c_char, c_int};

use oms_edge_core::{Check, Error, KeyVerifier, PublicKey, Time, Verified, Verifier};

use session::{Session, State};

/// Bytes of an [`oms_edge_verifier`].
pub const OMS_EDGE_VERIFIER_SIZE: usize = 8192;
/// Alignment of an [`oms_edge_verifier`].
pub const OMS_EDGE_VERIFIER_ALIGN: usize = 8;

/// Success.
pub const OMS_EDGE_OK: i32 = 0;
/// A pointer argument was null.
pub const OMS_EDGE_ERR_NULL: i32 = -1;
/// A buffer argument was too short for what it must hold.
pub const OMS_EDGE_ERR_BUFFER: i32 = -2;
/// The call is out of order (e.g. `update` with no file begun, `finish`
/// with a file still open, a file begun twice).
pub const OMS_EDGE_ERR_ORDER: i32 = -3;
/// The state was never initialized (neither `oms_edge_verifier_init` nor a
/// `*_verify` call wrote it).
pub const OMS_EDGE_ERR_UNINITIALIZED: i32 = -4;
/// The state is not aligned to [`OMS_EDGE_VERIFIER_ALIGN`].
pub const OMS_EDGE_ERR_ALIGN: i32 = -5;
/// Two buffers that must not overlap do (bundle and payload buffer).
pub const OMS_EDGE_ERR_OVERLAP: i32 = -6;
/// An argument has a value the function does not accept (unknown flag
/// bits, a name that is not UTF-8, an unknown method).
pub const OMS_EDGE_ERR_ARGUMENT: i32 = -7;

/// Flag: accept files the manifest does not list (OMS §8.5).
pub const OMS_EDGE_IGNORE_UNSIGNED_FILES: u32 = 1;

/// The verification state: opaque, caller-owned (a static, the stack, or
/// the heap), [`OMS_EDGE_VERIFIER_SIZE`] bytes aligned to
/// [`OMS_EDGE_VERIFIER_ALIGN`]. It borrows the payload buffer given to the
/// `*_verify` call that filled it: keep that buffer alive and unchanged
/// until the state is verified again or dropped. Not thread-safe: one
/// thread at a time per state.
#[repr(C)]
#[derive(Debug)]
pub struct oms_edge_verifier {
    /// `OMS_EDGE_VERIFIER_SIZE / 8` words (a literal: cbindgen writes
    /// array lengths as given; the assertion below keeps them equal).
    _opaque: [u64; 1024],
}

/// The verdict of a model that verified ([`oms_edge_finish`]).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct oms_edge_model {
    /// Resources (files or shards) checked.
    pub resources: u64,
    /// Bytes hashed.
    pub bytes: u64,
    /// Whether `root_digest` is set (the deprecated v0.1 predicate has no
    /// root digest).
    pub has_root_digest: bool,
    /// The manifest's SHA-256 root digest (the signed subject digest).
    pub root_digest: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<State>() <= OMS_EDGE_VERIFIER_SIZE);
const _: () = assert!(core::mem::align_of::<State>() <= OMS_EDGE_VERIFIER_ALIGN);
const _: () = assert!(core::mem::size_of::<oms_edge_verifier>() == OMS_EDGE_VERIFIER_SIZE);

/// The state behind `v`, checked to be non-null, aligned and initialized.
///
/// # Safety
/// `v`, when not null, points to [`OMS_EDGE_VERIFIER_SIZE`] writable bytes
/// that no other reference uses during the call.
#[allow(unsafe_code)]
unsafe fn state<'a>(v: *mut oms_edge_verifier) -> Result<&'a mut State, i32> {
    if v.is_null() {
        return Err(OMS_EDGE_ERR_NULL);
    }
    if !v.cast::<State>().is_aligned() {
        return Err(OMS_EDGE_ERR_ALIGN);
    }
    // SAFETY: non-null, aligned, and `OMS_EDGE_VERIFIER_SIZE` bytes (the
    // caller's contract); the magic word is read as plain bytes first, so
    // a state the library never wrote is refused before it is used as one.
    unsafe {
        if !State::is_initialized(v.cast::<u8>()) {
            return Err(OMS_EDGE_ERR_UNINITIALIZED);
        }
        Ok(&mut *v.cast::<State>())
    }
}

/// Writes `state` into `v` (checked non-null and aligned).
///
/// # Safety
/// As [`state`].
#[allow(unsafe_code)]
unsafe fn store(v: *mut oms_edge_verifier, state: State) -> Result<(), i32> {
    if v.is_null() {
        return Err(OMS_EDGE_ERR_NULL);
    }
    if !v.cast::<State>().is_aligned() {
        return Err(OMS_EDGE_ERR_ALIGN);
    }
    // SAFETY: non-null, aligned, large enough (const assertions above);
    // `write` does not read (or drop) what was there, which may be
    // uninitialized. `State` owns no heap memory, so overwriting an old
    // state leaks nothing.
    unsafe { v.cast::<State>().write(state) };
    Ok(())
}

/// A byte slice from C: null is refused, except with length 0.
///
/// # Safety
/// `ptr`, when not null, points to `len` readable bytes that stay valid
/// and unchanged for `'a`.
#[allow(unsafe_code)]
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], i32> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(OMS_EDGE_ERR_NULL)
        };
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

fn code(r: Result<(), i32>) -> i32 {
    match r {
        Ok(()) => OMS_EDGE_OK,
        Err(c) => c,
    }
}

/// The code of a core error.
pub(crate) fn check_code(e: Error) -> i32 {
    i32::from(e.check().code())
}

/// Initializes `v` to the empty state (optional: a `*_verify` call also
/// initializes it). Then every call but a `*_verify` returns
/// [`OMS_EDGE_ERR_ORDER`].
///
/// # Safety
/// `v` is null or points to an [`oms_edge_verifier`].
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_verifier_init(v: *mut oms_edge_verifier) -> i32 {
    // SAFETY: the caller's contract.
    code(unsafe { store(v, State::empty()) })
}

/// What every `*_verify` function takes besides its trust material.
struct BundleArgs {
    v: *mut oms_edge_verifier,
    bundle: *const u8,
    bundle_len: usize,
    payload_buf: *mut u8,
    payload_len: usize,
    flags: u32,
}

/// The common part of the `*_verify` functions: the buffers from C, the
/// core's verification, the session.
///
/// # Safety
/// As the `*_verify` functions.
#[allow(unsafe_code)]
unsafe fn verify_into<V: Verifier>(
    args: BundleArgs,
    time: Time,
    verifier: impl FnOnce() -> Result<V, i32>,
) -> i32 {
    let BundleArgs {
        v,
        bundle,
        bundle_len,
        payload_buf,
        payload_len,
        flags,
    } = args;
    // Null and alignment first: nothing is written to a state that
    // cannot hold it.
    if let Err(e) = unsafe { store(v, State::empty()) } {
        return e;
    }
    let r = (|| {
        if flags & !OMS_EDGE_IGNORE_UNSIGNED_FILES != 0 {
            return Err(OMS_EDGE_ERR_ARGUMENT);
        }
        if payload_buf.is_null() {
            return Err(OMS_EDGE_ERR_NULL);
        }
        // SAFETY: the caller's contract for `bundle`.
        let bundle = unsafe { bytes(bundle, bundle_len) }?;
        let payload_start = payload_buf as usize;
        let bundle_start = bundle.as_ptr() as usize;
        if payload_start < bundle_start.saturating_add(bundle.len())
            && bundle_start < payload_start.saturating_add(payload_len)
        {
            return Err(OMS_EDGE_ERR_OVERLAP);
        }
        // SAFETY: non-null, `payload_len` writable bytes that the caller
        // keeps alive and untouched while the state is in use (the
        // documented contract: hence `'static`); not overlapping `bundle`.
        let payload: &'static mut [u8] =
            unsafe { core::slice::from_raw_parts_mut(payload_buf, payload_len) };
        let verifier = verifier()?;
        let verified: Verified<'static, V::Evidence> =
            verifier.verify(bundle, time, payload).map_err(check_code)?;
        let ignore_unsigned = flags & OMS_EDGE_IGNORE_UNSIGNED_FILES != 0;
        Ok(Session::new(*verified.manifest(), ignore_unsigned))
    })();
    let state = match r {
        Ok(session) => State::ready(session),
        Err(c) => State::failed(c),
    };
    let status = state.status();
    // SAFETY: checked by the first `store`.
    match unsafe { store(v, state) } {
        Ok(()) => status,
        Err(e) => e,
    }
}

/// Verifies a key-signed bundle (`bundle`, `bundle_len` bytes) with the
/// public key `key` (PEM or DER SubjectPublicKeyInfo, `key_len` bytes)
/// into `v`. The decoded statement goes to `payload_buf`
/// (`payload_len` bytes; the bundle's length always suffices, about
/// three quarters of it usually does), which `v` borrows from then on.
/// `flags`: [`OMS_EDGE_IGNORE_UNSIGNED_FILES`] or 0. Allocates nothing.
///
/// Returns 0 when the bundle verified (then stream the model), else the
/// failed check's code (sticky in `v`).
///
/// # Safety
/// `v` is null or points to an [`oms_edge_verifier`]; each buffer is null
/// or valid for its length; `payload_buf` stays valid and unchanged while
/// `v` is in use.
#[unsafe(no_mangle)]
#[allow(unsafe_code, clippy::too_many_arguments)]
pub unsafe extern "C" fn oms_edge_key_verify(
    v: *mut oms_edge_verifier,
    bundle: *const u8,
    bundle_len: usize,
    key: *const u8,
    key_len: usize,
    payload_buf: *mut u8,
    payload_len: usize,
    flags: u32,
) -> i32 {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        verify_into(
            BundleArgs {
                v,
                bundle,
                bundle_len,
                payload_buf,
                payload_len,
                flags,
            },
            Time::NoClock,
            || {
                if key.is_null() {
                    return Err(OMS_EDGE_ERR_NULL);
                }
                let key = bytes(key, key_len)?;
                let key =
                    PublicKey::from_pem_or_der(key).map_err(|e| check_code(Error::from(e)))?;
                Ok(KeyVerifier::new(key))
            },
        )
    }
}

/// The time for the certificate and sigstore methods: seconds since the
/// Unix epoch, or "no clock" for 0.
#[cfg(feature = "certificate")]
fn time_of(unix_seconds: u64) -> Time {
    if unix_seconds == 0 {
        Time::NoClock
    } else {
        Time::at_secs(unix_seconds)
    }
}

/// Verifies a certificate-signed bundle into `v`: `roots` holds PEM
/// certificates to trust (self-signed roots, and intermediates that may
/// complete a path), `unix_seconds` is the verification time (0: no
/// clock, which fails `x509.no_verification_time`). Otherwise as
/// [`oms_edge_key_verify`]. Needs a heap.
///
/// # Safety
/// As [`oms_edge_key_verify`].
#[cfg(feature = "certificate")]
#[unsafe(no_mangle)]
#[allow(unsafe_code, clippy::too_many_arguments)]
pub unsafe extern "C" fn oms_edge_certificate_verify(
    v: *mut oms_edge_verifier,
    bundle: *const u8,
    bundle_len: usize,
    roots_pem: *const u8,
    roots_len: usize,
    unix_seconds: u64,
    payload_buf: *mut u8,
    payload_len: usize,
    flags: u32,
) -> i32 {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        verify_into(
            BundleArgs {
                v,
                bundle,
                bundle_len,
                payload_buf,
                payload_len,
                flags,
            },
            time_of(unix_seconds),
            || {
                if roots_pem.is_null() {
                    return Err(OMS_EDGE_ERR_NULL);
                }
                let pem = bytes(roots_pem, roots_len)?;
                let mut store = oms_edge_core::TrustStore::new();
                store.add_pem(pem).map_err(|e| check_code(Error::from(e)))?;
                Ok(oms_edge_core::CertificateVerifier::new(store))
            },
        )
    }
}

/// A UTF-8 string from C.
///
/// # Safety
/// As [`bytes`].
#[cfg(feature = "sigstore")]
#[allow(unsafe_code)]
unsafe fn text<'a>(ptr: *const c_char, len: usize) -> Result<&'a str, i32> {
    if ptr.is_null() {
        return Err(OMS_EDGE_ERR_NULL);
    }
    // SAFETY: the caller's contract.
    let b = unsafe { bytes(ptr.cast::<u8>(), len) }?;
    core::str::from_utf8(b).map_err(|_| OMS_EDGE_ERR_ARGUMENT)
}

/// Verifies a Sigstore (keyless) bundle into `v`, offline: `trusted_root`
/// is a `trusted_root.json` or ClientTrustConfig (null and 0: the Sigstore
/// production root compiled in); the signer must be exactly `identity`
/// (the certificate's SAN) from `issuer` (the OIDC issuer); `unix_seconds`
/// is now (0: no clock; the signed times are used either way). Otherwise
/// as [`oms_edge_key_verify`]. Needs a heap.
///
/// # Safety
/// As [`oms_edge_key_verify`]; the strings are valid for their lengths.
#[cfg(feature = "sigstore")]
#[unsafe(no_mangle)]
#[allow(unsafe_code, clippy::too_many_arguments)]
pub unsafe extern "C" fn oms_edge_sigstore_verify(
    v: *mut oms_edge_verifier,
    bundle: *const u8,
    bundle_len: usize,
    trusted_root: *const u8,
    trusted_root_len: usize,
    identity: *const c_char,
    identity_len: usize,
    issuer: *const c_char,
    issuer_len: usize,
    unix_seconds: u64,
    payload_buf: *mut u8,
    payload_len: usize,
    flags: u32,
) -> i32 {
    use oms_edge_core::{IdentityPolicy, SigstoreVerifier, TrustedRoot};
    // SAFETY: the caller's contract, for the strings and the root.
    let inputs = unsafe {
        (|| {
            let identity = text(identity, identity_len)?;
            let issuer = text(issuer, issuer_len)?;
            let root = if trusted_root.is_null() && trusted_root_len == 0 {
                TrustedRoot::production()
            } else {
                TrustedRoot::parse_any(bytes(trusted_root, trusted_root_len)?)
            }
            .map_err(|e| check_code(Error::from(e)))?;
            Ok((root, IdentityPolicy::exact(identity, issuer)))
        })()
    };
    let (root, policy) = match inputs {
        Ok(i) => i,
        Err(c) => {
            // The state still reports the failure.
            // SAFETY: the caller's contract.
            let _ = unsafe { store(v, State::failed(c)) };
            return c;
        }
    };
    // SAFETY: the caller's contract, passed on. The verifier borrows
    // `root` only during the call; the state keeps no part of it.
    unsafe {
        verify_into(
            BundleArgs {
                v,
                bundle,
                bundle_len,
                payload_buf,
                payload_len,
                flags,
            },
            time_of(unix_seconds),
            || Ok(SigstoreVerifier::new(&root, policy)),
        )
    }
}

/// How many resources (files or shards) the verified manifest lists.
///
/// # Safety
/// `v` is null or points to an [`oms_edge_verifier`]; `count` is null or
/// writable.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_resource_count(
    v: *mut oms_edge_verifier,
    count: *mut usize,
) -> i32 {
    // SAFETY: the caller's contract.
    let r = unsafe { state(v) }.and_then(|s| {
        if count.is_null() {
            return Err(OMS_EDGE_ERR_NULL);
        }
        let n = s.session()?.resource_count();
        // SAFETY: non-null and writable (the caller's contract).
        unsafe { count.write(n) };
        Ok(())
    });
    code(r)
}

/// Copies the path (without a shard's `:start:end`) of resource `index`
/// into `buf` (`buf_len` bytes), NUL-terminated, and its length without
/// the NUL into `path_len` (null to skip). [`OMS_EDGE_ERR_BUFFER`] when it
/// does not fit (`path_len` still says how long it is).
///
/// # Safety
/// `v` as [`oms_edge_resource_count`]; `buf` null or writable for
/// `buf_len` bytes; `path_len` null or writable.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_resource_path(
    v: *mut oms_edge_verifier,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    path_len: *mut usize,
) -> i32 {
    // SAFETY: the caller's contract.
    let r = unsafe { state(v) }.and_then(|s| {
        if buf.is_null() {
            return Err(OMS_EDGE_ERR_NULL);
        }
        // SAFETY: non-null, writable for `buf_len` bytes.
        let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), buf_len) };
        let (len, fits) = s.session()?.resource_path(index, out)?;
        if !path_len.is_null() {
            // SAFETY: non-null and writable.
            unsafe { path_len.write(len) };
        }
        if fits {
            Ok(())
        } else {
            Err(OMS_EDGE_ERR_BUFFER)
        }
    });
    code(r)
}

/// Begins the model's next file: its name (`name_len` bytes of UTF-8, as
/// the manifest names it: `dir/file`) and size in bytes. Files must come
/// in manifest order (the order `oms_edge_resource_path` gives; a signed
/// file not begun before a later one fails `model.missing_file`). A file
/// the manifest does not list is accepted and its bytes ignored; the
/// verdict then fails `model.unsigned_file` unless the state was verified
/// with [`OMS_EDGE_IGNORE_UNSIGNED_FILES`].
///
/// # Safety
/// `v` as [`oms_edge_resource_count`]; `name` null or valid for
/// `name_len` bytes.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_begin_file(
    v: *mut oms_edge_verifier,
    name: *const c_char,
    name_len: usize,
    size: u64,
) -> i32 {
    // SAFETY: the caller's contract.
    let r = unsafe { state(v) }.and_then(|s| {
        if name.is_null() {
            return Err(OMS_EDGE_ERR_NULL);
        }
        // SAFETY: the caller's contract.
        let name = unsafe { bytes(name.cast::<u8>(), name_len) }?;
        let name = core::str::from_utf8(name).map_err(|_| OMS_EDGE_ERR_ARGUMENT)?;
        s.run(|session| session.begin_file(name, size))
    });
    code(r)
}

/// The next `len` bytes of the file begun (in order; any split).
///
/// # Safety
/// `v` as [`oms_edge_resource_count`]; `data` null (with `len` 0) or
/// valid for `len` bytes.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_update(
    v: *mut oms_edge_verifier,
    data: *const u8,
    len: usize,
) -> i32 {
    // SAFETY: the caller's contract.
    let r = unsafe { state(v) }.and_then(|s| {
        // SAFETY: the caller's contract.
        let data = unsafe { bytes(data, len) }?;
        s.run(|session| session.update(data))
    });
    code(r)
}

/// Ends the file begun: every signed byte range of it must have come, and
/// matched.
///
/// # Safety
/// `v` as [`oms_edge_resource_count`].
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_finish_file(v: *mut oms_edge_verifier) -> i32 {
    // SAFETY: the caller's contract.
    code(unsafe { state(v) }.and_then(|s| s.run(Session::finish_file)))
}

/// The verdict, after the last file: every signed file came and matched,
/// and no unsigned one (unless ignored). On success fills `out` (null to
/// skip). The state is done afterwards: further calls return
/// [`OMS_EDGE_ERR_ORDER`].
///
/// # Safety
/// `v` as [`oms_edge_resource_count`]; `out` null or writable.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub unsafe extern "C" fn oms_edge_finish(
    v: *mut oms_edge_verifier,
    out: *mut oms_edge_model,
) -> i32 {
    // SAFETY: the caller's contract.
    let r = unsafe { state(v) }.and_then(|s| {
        let model = s.finish()?;
        if !out.is_null() {
            // SAFETY: non-null and writable.
            unsafe { out.write(model) };
        }
        Ok(())
    });
    code(r)
}

/// The stable name of a return code: `"ok"`, a check's name such as
/// `"model.digest_mismatch"`, an API error's such as `"api.null_pointer"`,
/// or `"unknown"`. A static NUL-terminated string; never null.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
pub extern "C" fn oms_edge_check_name(code: i32) -> *const c_char {
    let name: &'static core::ffi::CStr = match code {
        OMS_EDGE_OK => c"ok",
        OMS_EDGE_ERR_NULL => c"api.null_pointer",
        OMS_EDGE_ERR_BUFFER => c"api.buffer_too_small",
        OMS_EDGE_ERR_ORDER => c"api.out_of_order",
        OMS_EDGE_ERR_UNINITIALIZED => c"api.uninitialized",
        OMS_EDGE_ERR_ALIGN => c"api.misaligned",
        OMS_EDGE_ERR_OVERLAP => c"api.overlap",
        OMS_EDGE_ERR_ARGUMENT => c"api.bad_argument",
        c => u16::try_from(c)
            .ok()
            .and_then(Check::from_code)
            .map_or(c"unknown", Check::as_c_str),
    };
    name.as_ptr()
}

/// `int` is what C callers compare codes with; the functions return
/// `int32_t`, the same on every supported target.
const _: () = assert!(core::mem::size_of::<c_int>() == core::mem::size_of::<i32>());

#[cfg(all(not(feature = "std"), not(test), feature = "alloc-hook"))]
mod alloc_hook;

/// A `no_std` build has no unwinding: a panic (none is reachable: the
/// crate and the core deny panicking constructs) stops here.
#[cfg(all(not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(test)]
mod tests;
