//! Tests of `bundle`.

use super::*;
use crate::json::Problem;

fn missing(field: Field) -> BundleError {
    FieldError::new(field, Problem::Missing).into()
}

fn parse(s: &str) -> Result<Bundle<'_>, BundleError> {
    Bundle::parse(s.as_bytes())
}

const ENV: &str = r#""dsseEnvelope":{"payload":"e30=","payloadType":"t","signatures":[]}"#;

#[test]
fn media_types() {
    for (m, v) in [
        (
            "application/vnd.dev.sigstore.bundle+json;version=0.1",
            BundleVersion::V0_1,
        ),
        (
            "application/vnd.dev.sigstore.bundle+json;version=0.2",
            BundleVersion::V0_2,
        ),
        (
            "application/vnd.dev.sigstore.bundle+json;version=0.3",
            BundleVersion::V0_3,
        ),
        (
            "application/vnd.dev.sigstore.bundle.v0.3+json",
            BundleVersion::V0_3,
        ),
        (
            r"application\/vnd.dev.sigstore.bundle.v0.3+json",
            BundleVersion::V0_3,
        ),
    ] {
        let doc = std::format!(
            r#"{{"mediaType":"{m}","verificationMaterial":{{"publicKey":{{"hint":"ab"}}}},{ENV}}}"#
        );
        assert_eq!(parse(&doc).unwrap().version, v, "{m}");
    }
    for m in [
        "application/json",
        "application/vnd.dev.sigstore.bundle+json;version=0.4",
        "application/vnd.dev.sigstore.bundle.v0.4+json",
        "application/vnd.dev.sigstore.bundle.v0.3+json ",
    ] {
        let doc = std::format!(
            r#"{{"mediaType":"{m}","verificationMaterial":{{"publicKey":{{}}}},{ENV}}}"#
        );
        assert_eq!(
            parse(&doc).unwrap_err(),
            BundleError::UnknownMediaType,
            "{m}"
        );
    }
}

#[test]
fn material_variants_and_shapes() {
    let mt = r#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json""#;
    let ok = |vm: &str| {
        let doc = std::format!(r#"{{{mt},"verificationMaterial":{vm},{ENV}}}"#);
        Bundle::parse(std::boxed::Box::leak(doc.into_boxed_str()).as_bytes())
            .map(|b| b.material.kind())
    };
    assert_eq!(
        ok(r#"{"publicKey":{"hint":"ab"},"tlogEntries":[]}"#),
        Ok(MaterialKind::PublicKey)
    );
    assert_eq!(
        ok(r#"{"publicKey":{"rawBytes":"YQ==","keyDetails":"X"}}"#),
        Ok(MaterialKind::PublicKey)
    );
    assert_eq!(
        ok(r#"{"x509CertificateChain":{"certificates":[{"rawBytes":"YQ=="}]}}"#),
        Ok(MaterialKind::X509CertificateChain)
    );
    assert_eq!(
        ok(
            r#"{"certificate":{"rawBytes":"YQ=="},"tlogEntries":[{}],"timestampVerificationData":{}}"#
        ),
        Ok(MaterialKind::Certificate)
    );
    assert_eq!(ok(r#"{}"#), Err(BundleError::AmbiguousMaterial));
    assert_eq!(
        ok(r#"{"publicKey":{},"certificate":{"rawBytes":""}}"#),
        Err(BundleError::AmbiguousMaterial)
    );
    assert_eq!(
        ok(r#"{"publicKey":{"hint":1}}"#),
        Err(BundleError::Field {
            field: Field::Hint,
            problem: Problem::WrongType
        })
    );
    assert_eq!(
        ok(r#"{"publicKey":{},"tlogEntries":{}}"#),
        Err(BundleError::Field {
            field: Field::TlogEntries,
            problem: Problem::WrongType
        })
    );
    assert_eq!(
        ok(r#"{"publicKey":{"hint":"a","h\u0069nt":"b"}}"#),
        Err(BundleError::Field {
            field: Field::Hint,
            problem: Problem::Duplicate
        })
    );
}

#[test]
fn content_is_dsse_or_message_signature() {
    let head = r#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}}"#;
    let doc = std::format!(r#"{{{head}}}"#);
    assert_eq!(parse(&doc).unwrap_err(), missing(Field::DsseEnvelope));
    let doc = std::format!(r#"{{{head},"messageSignature":{{}}}}"#);
    assert_eq!(parse(&doc).unwrap_err(), missing(Field::Signature));
    let doc = std::format!(r#"{{{head},"messageSignature":{{"signature":"YQ=="}}}}"#);
    assert_eq!(
        parse(&doc).unwrap().envelope().unwrap_err(),
        BundleError::NotDsse
    );
    let doc = std::format!(
        r#"{{{head},"messageSignature":{{"signature":"YQ==","messageDigest":{{"algorithm":"SHA2_256","digest":"YQ=="}}}}}}"#
    );
    let b = parse(&doc).unwrap();
    let Content::MessageSignature(m) = b.content else {
        panic!()
    };
    assert!(m.digest.unwrap().algorithm.eq_str("SHA2_256"));
    let doc = std::format!(r#"{{{head},"dsseEnvelope":{{"payload":"","signatures":[]}}}}"#);
    assert_eq!(parse(&doc).unwrap_err(), missing(Field::PayloadType));
    assert_eq!(parse("[]").unwrap_err(), BundleError::NotAnObject);
    assert_eq!(parse("").unwrap_err(), BundleError::Json(JsonError::Empty));
}
