//! Tests of `model`.

use super::*;
use crate::dsse::PaeEncoding;
use crate::hashing::{HashAlgorithm, Hasher};
use crate::statement::parse_unverified;
use std::format;
use std::string::String;
use std::vec::Vec;

/// A statement over `files` with their true SHA-256 digests.
fn statement(files: &[(&str, &[u8])]) -> String {
    let mut root = Hasher::new(HashAlgorithm::Sha256);
    let mut items = Vec::new();
    for (name, data) in files {
        let mut h = Hasher::new(HashAlgorithm::Sha256);
        h.update(data);
        let d = h.finalize();
        root.update(d.as_bytes());
        items.push(format!(
            r#"{{"name":"{name}","algorithm":"sha256","digest":"{}"}}"#,
            d.hex()
        ));
    }
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{"method":"files","hash_type":"sha256","allow_symlinks":false}},"resources":[{}]}}}}"#,
        root.finalize().hex(),
        items.join(",")
    )
}

const FILES: [(&str, &[u8]); 2] = [("a", b"alpha"), ("b", b"beta")];

/// The manifest of `text`, as if its signature had verified.
fn files_manifest(text: &str) -> VerifiedManifest<'_> {
    VerifiedManifest::new(
        parse_unverified(text.as_bytes()).unwrap(),
        PaeEncoding::Standard,
        text.as_bytes(),
    )
}

fn failed(index: usize, cause: ModelError) -> ModelFailure {
    ModelFailure::Resource { index, cause }
}

#[test]
fn sequential_verification_and_its_failures() {
    let text = statement(&FILES);
    let m = files_manifest(&text);
    let mut listed = [false; 3];
    let mut buf = [0u8; 3];
    let opts = ModelOptions::default();
    let v = m
        .verify_model(&mut SliceModel::new(&FILES, &mut listed), opts, &mut buf)
        .unwrap();
    assert_eq!((v.resources, v.bytes), (2, 9));

    let extra: [(&str, &[u8]); 3] = [FILES[0], FILES[1], ("c", b"")];
    let got = m.verify_model(&mut SliceModel::new(&extra, &mut listed), opts, &mut buf);
    assert_eq!(got, Err(ModelFailure::UnsignedFile));
    let lenient = ModelOptions::default().ignoring_unsigned_files(true);
    assert!(
        m.verify_model(&mut SliceModel::new(&extra, &mut listed), lenient, &mut buf)
            .is_ok()
    );

    let missing = [FILES[1]];
    let got = m.verify_model(&mut SliceModel::new(&missing, &mut listed), opts, &mut buf);
    assert_eq!(got, Err(failed(0, ModelError::MissingFile)));
}

#[test]
fn tokens_cannot_be_skipped_or_repeated() {
    let text = statement(&FILES);
    let m = files_manifest(&text);
    let mut listed = [false; 2];
    let mut source = SliceModel::new(&FILES, &mut listed);
    let mut buf = [0u8; 8];

    // Finishing a plan early fails.
    let mut planner = m.planner(ModelOptions::default());
    let _ = planner.next(&mut source);
    assert_eq!(
        planner.finish(&mut source).map(|_| ()),
        Err(failed(1, ModelError::TokenOutOfOrder))
    );

    // A tally needs every resource's token, in order, once.
    let mut planner = m.planner(ModelOptions::default());
    let mut passes = Vec::new();
    while let Some(job) = planner.next(&mut source) {
        let Job { path, spec } = job.unwrap();
        let mut r = source.open(path, spec.offset()).unwrap();
        passes.push(spec.check(&mut r, &mut buf).unwrap());
    }
    let planned = planner.finish(&mut source).unwrap();
    let out_of_order = |index| Err(failed(index, ModelError::TokenOutOfOrder));
    // Twice.
    let mut tally = m.tally();
    tally.record(passes[0]).unwrap();
    assert_eq!(tally.record(passes[0]), out_of_order(0));
    // Out of order.
    let mut tally = m.tally();
    assert_eq!(tally.record(passes[1]), out_of_order(1));
    // Missing at the end.
    let mut tally = m.tally();
    tally.record(passes[0]).unwrap();
    assert_eq!(m.tally().finish(planned).map(|_| ()), out_of_order(0));
    tally.record(passes[1]).unwrap();
    assert_eq!(tally.finish(planned).unwrap().resources, 2);
}

/// Two manifests alive at once, even of the same model: a job, pass or plan
/// of one is refused by the other's tally.
#[test]
fn tokens_of_another_manifest_are_refused() {
    let text = statement(&FILES);
    let copy = text.clone();
    let (m, other) = (files_manifest(&text), files_manifest(&copy));
    let mut listed = [false; 2];
    let mut source = SliceModel::new(&FILES, &mut listed);
    let mut buf = [0u8; 8];
    let mut passes = Vec::new();
    let mut planner = m.planner(ModelOptions::default());
    while let Some(job) = planner.next(&mut source) {
        let Job { path, spec } = job.unwrap();
        let mut r = source.open(path, spec.offset()).unwrap();
        passes.push(spec.check(&mut r, &mut buf).unwrap());
    }
    let planned = planner.finish(&mut source).unwrap();

    let foreign = |index| Err(failed(index, ModelError::ForeignToken));
    let mut tally = other.tally();
    assert_eq!(tally.record(passes[0]), foreign(0));
    // A pushed stream of the other manifest is as foreign.
    let mut other_planner = other.planner(ModelOptions::default());
    let Job { spec, .. } = other_planner.next(&mut source).unwrap().unwrap();
    let mut stream = spec.start();
    stream.update(b"alpha");
    let theirs = stream.finish(true).unwrap();
    let mut tally = m.tally();
    assert_eq!(tally.record(theirs), foreign(0));
    // A plan of the other manifest does not finish this tally.
    let mut tally = m.tally();
    for p in &passes {
        tally.record(*p).unwrap();
    }
    let mut other_planner = other.planner(ModelOptions::default());
    while other_planner.next(&mut source).is_some() {}
    let other_planned = other_planner.finish(&mut source).unwrap();
    assert_eq!(tally.finish(other_planned).map(|_| ()), foreign(2));
    // The right plan does.
    let mut tally = m.tally();
    for p in &passes {
        tally.record(*p).unwrap();
    }
    assert_eq!(tally.finish(planned).unwrap().resources, 2);
    // The same manifest copied (it is `Copy`) is the same manifest.
    let same = m;
    assert!(same.tally().record(passes[0]).is_ok());
}

#[test]
fn stream_length_is_enforced() {
    let mut buf = [0u8; 2];
    let data = b"abcdef";
    let alg = HashAlgorithm::Sha256;
    assert_eq!(
        hash_stream(alg, &mut &data[..], 7, false, &mut buf),
        Err(ModelError::Truncated)
    );
    assert_eq!(
        hash_stream(alg, &mut &data[..], 5, true, &mut buf),
        Err(ModelError::Grew)
    );
    let part = hash_stream(alg, &mut &data[1..4], 3, true, &mut buf).unwrap();
    let mut r = &data[1..];
    assert_eq!(hash_stream(alg, &mut r, 3, false, &mut buf), Ok(part));
}

#[test]
fn pushed_streams_check_what_pulled_ones_do() {
    let text = statement(&FILES);
    let m = files_manifest(&text);
    let mut listed = [false; 2];
    let mut source = SliceModel::new(&FILES, &mut listed);
    let mut planner = m.planner(ModelOptions::default());
    let Job { spec, .. } = planner.next(&mut source).unwrap().unwrap();
    let err = |cause| Err(failed(spec.index(), cause));
    // "alpha", fed in pieces.
    let mut s = spec.start();
    s.update(b"al");
    s.update(b"");
    s.update(b"pha");
    assert_eq!(s.finish(true).unwrap().index(), spec.index());
    // Short, long, or more bytes after a whole file.
    let mut s = spec.start();
    s.update(b"alph");
    assert_eq!(
        s.finish(true).map(|p| p.index()),
        err(ModelError::Truncated)
    );
    let mut s = spec.start();
    s.update(b"alphax");
    assert_eq!(s.finish(true).map(|p| p.index()), err(ModelError::Grew));
    let mut s = spec.start();
    s.update(b"alpha");
    assert_eq!(s.finish(false).map(|p| p.index()), err(ModelError::Grew));
    // Other bytes of the right length.
    let mut s = spec.start();
    s.update(b"alphb");
    assert!(matches!(
        s.finish(true),
        Err(ModelFailure::Resource {
            cause: ModelError::DigestMismatch { .. },
            ..
        })
    ));
}

#[test]
fn a_smaller_path_buffer_refuses_longer_names_only() {
    const LONG: [(&str, &[u8]); 2] = [("abcd", b"alpha"), ("abcde", b"beta")];
    let text = statement(&LONG);
    let m = files_manifest(&text);
    let mut listed = [false; 2];
    let mut buf = [0u8; 8];
    let opts = ModelOptions::default();
    // Names up to the buffer's length verify as with the default buffer.
    let v = m
        .verify_model_for::<_, 5>(&mut SliceModel::new(&LONG, &mut listed), opts, &mut buf)
        .unwrap();
    assert_eq!((v.resources, v.bytes), (2, 9));
    // One byte longer than the buffer: refused at that resource.
    let mut listed = [false; 2];
    let got = m.verify_model_for::<_, 4>(&mut SliceModel::new(&LONG, &mut listed), opts, &mut buf);
    assert_eq!(
        got,
        Err(ModelFailure::Manifest {
            index: 1,
            cause: ManifestError::NameTooLong
        })
    );
}

/// A sharded statement over one file `a` of `data`, in shards of `size`.
fn shards_statement(data: &[u8], size: usize) -> String {
    let mut root = Hasher::new(HashAlgorithm::Sha256);
    let mut items = Vec::new();
    for (k, chunk) in data.chunks(size).enumerate() {
        let mut h = Hasher::new(HashAlgorithm::Sha256);
        h.update(chunk);
        let d = h.finalize();
        root.update(d.as_bytes());
        let start = k * size;
        items.push(format!(
            r#"{{"name":"a:{start}:{}","algorithm":"sha256","digest":"{}"}}"#,
            start + chunk.len(),
            d.hex()
        ));
    }
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{"method":"shards","hash_type":"sha256","shard_size":{size},"allow_symlinks":false}},"resources":[{}]}}}}"#,
        root.finalize().hex(),
        items.join(",")
    )
}

/// One file `a` whose size was taken at `size` bytes and which holds
/// `data` when read (more bytes: it grew since).
struct Grown<'a> {
    size: u64,
    data: &'a [u8],
}

impl<'a> ModelSource for Grown<'a> {
    type Reader<'s>
        = &'a [u8]
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        Ok((path == "a").then_some(self.size))
    }

    fn open(&mut self, _: &str, offset: u64) -> Result<&'a [u8], ErrorKind> {
        Ok(&self.data[usize::try_from(offset).unwrap()..])
    }

    fn has_unlisted_file(&mut self, _: bool) -> Result<bool, ErrorKind> {
        Ok(false)
    }
}

#[test]
fn a_sharded_file_must_end_where_its_last_shard_does_when_read() {
    // Its size was right when planned, and every signed range still
    // matches; but the file went on past its last shard when it was read
    // (it grew in between): as for a whole file, that is `Grew`.
    let text = shards_statement(b"alpha", 3);
    let m = files_manifest(&text);
    let mut buf = [0u8; 2];
    let opts = ModelOptions::default();
    let exact = Grown {
        size: 5,
        data: b"alpha",
    };
    let mut source = exact;
    assert_eq!(
        m.verify_model(&mut source, opts, &mut buf).unwrap().bytes,
        5
    );
    let mut grown = Grown {
        size: 5,
        data: b"alpha+",
    };
    assert_eq!(
        m.verify_model(&mut grown, opts, &mut buf),
        Err(failed(1, ModelError::Grew))
    );
    // Pushed: only the last shard asks whether the file ended with it.
    let mut planner = m.planner(opts);
    let first = planner.next(&mut grown).unwrap().unwrap().spec;
    let last = planner.next(&mut grown).unwrap().unwrap().spec;
    let mut s = first.start();
    s.update(b"alp");
    assert!(s.finish(false).is_ok());
    let mut s = last.start();
    s.update(b"ha");
    assert_eq!(
        s.finish(false).map(|p| p.index()),
        Err(failed(1, ModelError::Grew))
    );
    let mut s = last.start();
    s.update(b"ha");
    assert!(s.finish(true).is_ok());
}
