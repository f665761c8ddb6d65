//! The pinned table of every check: adding a check means adding a row
//! here (and to `docs/checks.md`); changing a row fails.

use super::Check;
use std::format;
use std::string::String;

/// `(check, code, name)`, in code order.
const TABLE: &[(Check, u16, &str)] = &[
    (Check::BundleTooLarge, 100, "bundle.too_large"),
    (Check::BundleNotAnObject, 101, "bundle.not_an_object"),
    (
        Check::BundleUnknownMediaType,
        102,
        "bundle.unknown_media_type",
    ),
    (
        Check::BundleAmbiguousMaterial,
        103,
        "bundle.ambiguous_material",
    ),
    (Check::BundleNotDsse, 104, "bundle.not_dsse"),
    (
        Check::BundleMaterialMismatch,
        105,
        "bundle.material_mismatch",
    ),
    (Check::BundleFieldMissing, 110, "bundle.field_missing"),
    (Check::BundleFieldWrongType, 111, "bundle.field_wrong_type"),
    (Check::BundleFieldDuplicate, 112, "bundle.field_duplicate"),
    (Check::BundleFieldBase64, 113, "bundle.field_base64"),
    (Check::BundleFieldTooLong, 114, "bundle.field_too_long"),
    (Check::BundleFieldInvalid, 115, "bundle.field_invalid"),
    (Check::BundleJsonEmpty, 120, "bundle.json.empty"),
    (Check::BundleJsonNotUtf8, 121, "bundle.json.not_utf8"),
    (
        Check::BundleJsonUnexpectedEnd,
        122,
        "bundle.json.unexpected_end",
    ),
    (
        Check::BundleJsonUnexpectedByte,
        123,
        "bundle.json.unexpected_byte",
    ),
    (
        Check::BundleJsonInvalidEscape,
        124,
        "bundle.json.invalid_escape",
    ),
    (
        Check::BundleJsonControlCharacter,
        125,
        "bundle.json.control_character",
    ),
    (
        Check::BundleJsonInvalidNumber,
        126,
        "bundle.json.invalid_number",
    ),
    (Check::BundleJsonTooDeep, 127, "bundle.json.too_deep"),
    (
        Check::BundleJsonTrailingData,
        128,
        "bundle.json.trailing_data",
    ),
    (Check::BundleJsonWrongType, 129, "bundle.json.wrong_type"),
    (
        Check::BundleJsonDuplicateKey,
        130,
        "bundle.json.duplicate_key",
    ),
    (
        Check::BundleJsonStringTooLong,
        131,
        "bundle.json.string_too_long",
    ),
    (Check::KeyPem, 200, "key.pem"),
    (Check::KeySpki, 201, "key.spki"),
    (Check::KeyUnsupportedKey, 202, "key.unsupported_key"),
    (Check::KeyInvalidPoint, 203, "key.invalid_point"),
    (Check::KeyRsaKeySize, 204, "key.rsa_key_size"),
    (Check::KeyHintMismatch, 205, "key.hint_mismatch"),
    (Check::KeyRawBytesMismatch, 206, "key.raw_bytes_mismatch"),
    (
        Check::KeyUnsupportedAlgorithm,
        207,
        "key.unsupported_algorithm",
    ),
    (Check::X509EmptyChain, 300, "x509.empty_chain"),
    (Check::X509ChainTooLong, 301, "x509.chain_too_long"),
    (Check::X509Encoding, 302, "x509.encoding"),
    (Check::X509LeafSelfSigned, 303, "x509.leaf_self_signed"),
    (Check::X509UnknownIssuer, 304, "x509.unknown_issuer"),
    (Check::X509NotYetValid, 305, "x509.not_yet_valid"),
    (Check::X509Expired, 306, "x509.expired"),
    (
        Check::X509UnsupportedCriticalExtension,
        307,
        "x509.unsupported_critical_extension",
    ),
    (Check::X509ExtensionsNeedV3, 308, "x509.extensions_need_v3"),
    (
        Check::X509UnsupportedSignatureAlgorithm,
        309,
        "x509.unsupported_signature_algorithm",
    ),
    (Check::X509RsaKeySize, 310, "x509.rsa_key_size"),
    (Check::X509BadSignature, 311, "x509.bad_signature"),
    (Check::X509NotACa, 312, "x509.not_a_ca"),
    (Check::X509NoKeyCertSign, 313, "x509.no_key_cert_sign"),
    (Check::X509PathLenExceeded, 314, "x509.path_len_exceeded"),
    (Check::X509LeafCannotSign, 315, "x509.leaf_cannot_sign"),
    (Check::X509TrustMaterial, 316, "x509.trust_material"),
    (Check::X509PathSearchLimit, 317, "x509.path_search_limit"),
    (
        Check::X509NoVerificationTime,
        318,
        "x509.no_verification_time",
    ),
    (
        Check::X509LeafSubjectMismatch,
        319,
        "x509.leaf_subject_mismatch",
    ),
    (Check::X509LeafSanMismatch, 320, "x509.leaf_san_mismatch"),
    (Check::X509LeafEkuMissing, 321, "x509.leaf_eku_missing"),
    (
        Check::X509DuplicateExtension,
        322,
        "x509.duplicate_extension",
    ),
    (Check::X509NegativeSerial, 323, "x509.negative_serial"),
    (Check::DsseWrongPayloadType, 400, "dsse.wrong_payload_type"),
    (Check::DsseNoSignature, 401, "dsse.no_signature"),
    (
        Check::DsseMultipleSignatures,
        402,
        "dsse.multiple_signatures",
    ),
    (Check::DsseInvalidKeyid, 403, "dsse.invalid_keyid"),
    (Check::DsseSignatureEncoding, 404, "dsse.signature_encoding"),
    (Check::DsseBadSignature, 405, "dsse.bad_signature"),
    (Check::DssePayloadTooLarge, 406, "dsse.payload_too_large"),
    (Check::DsseFieldMissing, 410, "dsse.field_missing"),
    (Check::DsseFieldWrongType, 411, "dsse.field_wrong_type"),
    (Check::DsseFieldDuplicate, 412, "dsse.field_duplicate"),
    (Check::DsseFieldBase64, 413, "dsse.field_base64"),
    (Check::DsseFieldTooLong, 414, "dsse.field_too_long"),
    (Check::DsseFieldInvalid, 415, "dsse.field_invalid"),
    (Check::StatementNotAnObject, 500, "statement.not_an_object"),
    (
        Check::StatementWrongStatementType,
        501,
        "statement.wrong_statement_type",
    ),
    (
        Check::StatementWrongPredicateType,
        502,
        "statement.wrong_predicate_type",
    ),
    (Check::StatementSubjectCount, 503, "statement.subject_count"),
    (
        Check::StatementUnknownMethod,
        504,
        "statement.unknown_method",
    ),
    (
        Check::StatementUnknownHashType,
        505,
        "statement.unknown_hash_type",
    ),
    (Check::StatementShardSize, 506, "statement.shard_size"),
    (Check::StatementNoResources, 507, "statement.no_resources"),
    (
        Check::StatementRootDigestMismatch,
        508,
        "statement.root_digest_mismatch",
    ),
    (
        Check::StatementUnsupportedAlgorithm,
        509,
        "statement.unsupported_algorithm",
    ),
    (Check::StatementFieldMissing, 510, "statement.field_missing"),
    (
        Check::StatementFieldWrongType,
        511,
        "statement.field_wrong_type",
    ),
    (
        Check::StatementFieldDuplicate,
        512,
        "statement.field_duplicate",
    ),
    (Check::StatementFieldBase64, 513, "statement.field_base64"),
    (
        Check::StatementFieldTooLong,
        514,
        "statement.field_too_long",
    ),
    (Check::StatementFieldInvalid, 515, "statement.field_invalid"),
    (Check::StatementJsonEmpty, 520, "statement.json.empty"),
    (Check::StatementJsonNotUtf8, 521, "statement.json.not_utf8"),
    (
        Check::StatementJsonUnexpectedEnd,
        522,
        "statement.json.unexpected_end",
    ),
    (
        Check::StatementJsonUnexpectedByte,
        523,
        "statement.json.unexpected_byte",
    ),
    (
        Check::StatementJsonInvalidEscape,
        524,
        "statement.json.invalid_escape",
    ),
    (
        Check::StatementJsonControlCharacter,
        525,
        "statement.json.control_character",
    ),
    (
        Check::StatementJsonInvalidNumber,
        526,
        "statement.json.invalid_number",
    ),
    (Check::StatementJsonTooDeep, 527, "statement.json.too_deep"),
    (
        Check::StatementJsonTrailingData,
        528,
        "statement.json.trailing_data",
    ),
    (
        Check::StatementJsonWrongType,
        529,
        "statement.json.wrong_type",
    ),
    (
        Check::StatementJsonDuplicateKey,
        530,
        "statement.json.duplicate_key",
    ),
    (
        Check::StatementJsonStringTooLong,
        531,
        "statement.json.string_too_long",
    ),
    (
        Check::ManifestNonCanonicalName,
        600,
        "manifest.non_canonical_name",
    ),
    (Check::ManifestNameTooLong, 601, "manifest.name_too_long"),
    (
        Check::ManifestAlgorithmMismatch,
        602,
        "manifest.algorithm_mismatch",
    ),
    (Check::ManifestBadDigest, 603, "manifest.bad_digest"),
    (Check::ManifestBadShardName, 604, "manifest.bad_shard_name"),
    (
        Check::ManifestBadShardRange,
        605,
        "manifest.bad_shard_range",
    ),
    (
        Check::ManifestShardsNotContiguous,
        606,
        "manifest.shards_not_contiguous",
    ),
    (
        Check::ManifestDotWithOthers,
        607,
        "manifest.dot_with_others",
    ),
    (Check::ManifestUnsorted, 608, "manifest.unsorted"),
    (
        Check::ManifestTooManyResources,
        609,
        "manifest.too_many_resources",
    ),
    (Check::ManifestFieldMissing, 610, "manifest.field_missing"),
    (
        Check::ManifestFieldWrongType,
        611,
        "manifest.field_wrong_type",
    ),
    (
        Check::ManifestFieldDuplicate,
        612,
        "manifest.field_duplicate",
    ),
    (Check::ManifestFieldBase64, 613, "manifest.field_base64"),
    (Check::ManifestFieldTooLong, 614, "manifest.field_too_long"),
    (Check::ManifestFieldInvalid, 615, "manifest.field_invalid"),
    (Check::ModelMissingFile, 700, "model.missing_file"),
    (Check::ModelSizeMismatch, 701, "model.size_mismatch"),
    (Check::ModelTruncated, 702, "model.truncated"),
    (Check::ModelGrew, 703, "model.grew"),
    (Check::ModelRead, 704, "model.read"),
    (Check::ModelDigestMismatch, 705, "model.digest_mismatch"),
    (Check::ModelUnsignedFile, 706, "model.unsigned_file"),
    (Check::ModelSource, 707, "model.source"),
    (Check::ModelForeignToken, 708, "model.foreign_token"),
    (Check::ModelTokenOutOfOrder, 709, "model.token_out_of_order"),
    (Check::SigstoreNoCertificate, 800, "sigstore.no_certificate"),
    (Check::SigstoreChainInV03, 801, "sigstore.chain_in_v03"),
    (
        Check::SigstoreNotKeyMaterial,
        802,
        "sigstore.not_key_material",
    ),
    (Check::SigstoreNoTlogEntry, 803, "sigstore.no_tlog_entry"),
    (
        Check::SigstoreNoObservedTime,
        804,
        "sigstore.no_observed_time",
    ),
    (Check::SigstoreNoTimestamp, 805, "sigstore.no_timestamp"),
    (Check::SigstoreNoCaAtTime, 806, "sigstore.no_ca_at_time"),
    (
        Check::SigstoreUnsupportedDigest,
        807,
        "sigstore.unsupported_digest",
    ),
    (
        Check::SigstoreDigestUnavailable,
        808,
        "sigstore.digest_unavailable",
    ),
    (
        Check::SigstoreArtifactDigestMismatch,
        809,
        "sigstore.artifact_digest_mismatch",
    ),
    (
        Check::SigstoreSubjectMismatch,
        810,
        "sigstore.subject_mismatch",
    ),
    (
        Check::SigstoreBadMessageSignature,
        811,
        "sigstore.bad_message_signature",
    ),
    (
        Check::SigstoreCaEkuNotCodeSigning,
        812,
        "sigstore.ca_eku_not_code_signing",
    ),
    (Check::TlogNoEntries, 900, "tlog.no_entries"),
    (Check::TlogTooManyEntries, 901, "tlog.too_many_entries"),
    (Check::TlogDuplicateEntry, 902, "tlog.duplicate_entry"),
    (Check::TlogJson, 903, "tlog.json"),
    (Check::TlogNegative, 904, "tlog.negative"),
    (Check::TlogUnknownKind, 905, "tlog.unknown_kind"),
    (Check::TlogUnknownLog, 906, "tlog.unknown_log"),
    (Check::TlogBodyJson, 907, "tlog.body_json"),
    (Check::TlogKindMismatch, 908, "tlog.kind_mismatch"),
    (Check::TlogContentMismatch, 909, "tlog.content_mismatch"),
    (Check::TlogDigestMismatch, 910, "tlog.digest_mismatch"),
    (Check::TlogSignatureMismatch, 911, "tlog.signature_mismatch"),
    (Check::TlogSignerMismatch, 912, "tlog.signer_mismatch"),
    (
        Check::TlogKeyDetailsMismatch,
        913,
        "tlog.key_details_mismatch",
    ),
    (Check::TlogDsseOnRekorV2, 914, "tlog.dsse_on_rekor_v2"),
    (Check::TlogUnexpectedPromise, 915, "tlog.unexpected_promise"),
    (
        Check::TlogIntegratedTimeInFuture,
        916,
        "tlog.integrated_time_in_future",
    ),
    (Check::TlogLogKeyNotValid, 917, "tlog.log_key_not_valid"),
    (Check::TlogSetSignature, 918, "tlog.set_signature"),
    (Check::TlogInclusionProof, 919, "tlog.inclusion_proof"),
    (Check::TlogLogIndexMismatch, 920, "tlog.log_index_mismatch"),
    (
        Check::TlogMissingInclusionProof,
        921,
        "tlog.missing_inclusion_proof",
    ),
    (
        Check::TlogMissingInclusionPromise,
        922,
        "tlog.missing_inclusion_promise",
    ),
    (
        Check::TlogTimeOutsideLeafValidity,
        923,
        "tlog.time_outside_leaf_validity",
    ),
    (Check::TlogFieldMissing, 930, "tlog.field_missing"),
    (Check::TlogFieldWrongType, 931, "tlog.field_wrong_type"),
    (Check::TlogFieldDuplicate, 932, "tlog.field_duplicate"),
    (Check::TlogFieldBase64, 933, "tlog.field_base64"),
    (Check::TlogFieldTooLong, 934, "tlog.field_too_long"),
    (Check::TlogFieldInvalid, 935, "tlog.field_invalid"),
    (Check::CheckpointTooLarge, 1000, "checkpoint.too_large"),
    (
        Check::CheckpointControlCharacter,
        1001,
        "checkpoint.control_character",
    ),
    (
        Check::CheckpointNoBlankLine,
        1002,
        "checkpoint.no_blank_line",
    ),
    (
        Check::CheckpointNoSignatures,
        1003,
        "checkpoint.no_signatures",
    ),
    (
        Check::CheckpointBadSignatureLine,
        1004,
        "checkpoint.bad_signature_line",
    ),
    (
        Check::CheckpointTooManySignatures,
        1005,
        "checkpoint.too_many_signatures",
    ),
    (Check::CheckpointBadOrigin, 1006, "checkpoint.bad_origin"),
    (Check::CheckpointBadSize, 1007, "checkpoint.bad_size"),
    (
        Check::CheckpointBadRootHash,
        1008,
        "checkpoint.bad_root_hash",
    ),
    (
        Check::CheckpointEmptyExtension,
        1009,
        "checkpoint.empty_extension",
    ),
    (
        Check::CheckpointTooManyExtensions,
        1010,
        "checkpoint.too_many_extensions",
    ),
    (
        Check::CheckpointUnsupportedKey,
        1011,
        "checkpoint.unsupported_key",
    ),
    (Check::CheckpointBadLogKey, 1012, "checkpoint.bad_log_key"),
    (Check::CheckpointBadLogUrl, 1013, "checkpoint.bad_log_url"),
    (
        Check::CheckpointOriginMismatch,
        1014,
        "checkpoint.origin_mismatch",
    ),
    (Check::CheckpointBadKeyHint, 1015, "checkpoint.bad_key_hint"),
    (Check::CheckpointBadKeyName, 1016, "checkpoint.bad_key_name"),
    (
        Check::CheckpointNoSignatureFromLog,
        1017,
        "checkpoint.no_signature_from_log",
    ),
    (
        Check::CheckpointBadSignature,
        1018,
        "checkpoint.bad_signature",
    ),
    (
        Check::CheckpointRootMismatch,
        1019,
        "checkpoint.root_mismatch",
    ),
    (
        Check::CheckpointSizeMismatch,
        1020,
        "checkpoint.size_mismatch",
    ),
    (Check::TimestampTooMany, 1100, "timestamp.too_many"),
    (Check::TimestampDuplicate, 1101, "timestamp.duplicate"),
    (Check::TimestampEncoding, 1102, "timestamp.encoding"),
    (Check::TimestampTooLarge, 1103, "timestamp.too_large"),
    (Check::TimestampResponse, 1104, "timestamp.response"),
    (Check::TimestampStatus, 1105, "timestamp.status"),
    (Check::TimestampToken, 1106, "timestamp.token"),
    (Check::TimestampSignerCount, 1107, "timestamp.signer_count"),
    (Check::TimestampContentType, 1108, "timestamp.content_type"),
    (Check::TimestampTstInfo, 1109, "timestamp.tst_info"),
    (Check::TimestampGenTime, 1110, "timestamp.gen_time"),
    (
        Check::TimestampUnsupportedHash,
        1111,
        "timestamp.unsupported_hash",
    ),
    (
        Check::TimestampImprintMismatch,
        1112,
        "timestamp.imprint_mismatch",
    ),
    (Check::TimestampSignerInfo, 1113, "timestamp.signer_info"),
    (
        Check::TimestampSignedAttributes,
        1114,
        "timestamp.signed_attributes",
    ),
    (
        Check::TimestampContentTypeAttribute,
        1115,
        "timestamp.content_type_attribute",
    ),
    (
        Check::TimestampMessageDigestMismatch,
        1116,
        "timestamp.message_digest_mismatch",
    ),
    (
        Check::TimestampUntrustedTsa,
        1117,
        "timestamp.untrusted_tsa",
    ),
    (
        Check::TimestampEmbeddedCertificates,
        1118,
        "timestamp.embedded_certificates",
    ),
    (
        Check::TimestampUnsupportedSignatureAlgorithm,
        1119,
        "timestamp.unsupported_signature_algorithm",
    ),
    (
        Check::TimestampBadSignature,
        1120,
        "timestamp.bad_signature",
    ),
    (Check::TimestampLeafEku, 1121, "timestamp.leaf_eku"),
    (
        Check::TimestampIntermediateEku,
        1122,
        "timestamp.intermediate_eku",
    ),
    (Check::TimestampChain, 1123, "timestamp.chain"),
    (
        Check::TimestampOutsideTsaValidity,
        1124,
        "timestamp.outside_tsa_validity",
    ),
    (Check::SctMissing, 1200, "sct.missing"),
    (Check::SctMalformed, 1201, "sct.malformed"),
    (Check::SctEmpty, 1202, "sct.empty"),
    (Check::SctTooMany, 1203, "sct.too_many"),
    (Check::SctWrongIssuer, 1204, "sct.wrong_issuer"),
    (Check::SctPrecertificate, 1205, "sct.precertificate"),
    (Check::SctNotVerified, 1206, "sct.not_verified"),
    (Check::PolicyNoSan, 1300, "policy.no_san"),
    (Check::PolicySanEncoding, 1301, "policy.san_encoding"),
    (Check::PolicyNoIssuer, 1302, "policy.no_issuer"),
    (Check::PolicyIssuerEncoding, 1303, "policy.issuer_encoding"),
    (
        Check::PolicyIdentityMismatch,
        1304,
        "policy.identity_mismatch",
    ),
    (Check::PolicyIssuerMismatch, 1305, "policy.issuer_mismatch"),
    (
        Check::PolicyProfileEncoding,
        1306,
        "policy.profile_encoding",
    ),
    (Check::PolicyLeafIsCa, 1307, "policy.leaf_is_ca"),
    (Check::PolicyNoCodeSigning, 1308, "policy.no_code_signing"),
    (
        Check::PolicyNoDigitalSignature,
        1309,
        "policy.no_digital_signature",
    ),
    (
        Check::PolicyExtensionMissing,
        1310,
        "policy.extension_missing",
    ),
    (
        Check::PolicyExtensionMismatch,
        1311,
        "policy.extension_mismatch",
    ),
    (
        Check::PolicyExtensionEncoding,
        1312,
        "policy.extension_encoding",
    ),
    (Check::PolicyIssuerConflict, 1313, "policy.issuer_conflict"),
    (Check::PolicySanNotCritical, 1314, "policy.san_not_critical"),
    (
        Check::PolicyLeafKeyCertSign,
        1315,
        "policy.leaf_key_cert_sign",
    ),
    (Check::PolicyEkuCritical, 1316, "policy.eku_critical"),
    (
        Check::PolicyNoAuthorityKeyId,
        1317,
        "policy.no_authority_key_id",
    ),
    (Check::TrustRootTooLarge, 1400, "trust_root.too_large"),
    (Check::TrustRootJson, 1401, "trust_root.json"),
    (
        Check::TrustRootUnknownMediaType,
        1402,
        "trust_root.unknown_media_type",
    ),
    (
        Check::TrustRootUnsupportedHashAlgorithm,
        1403,
        "trust_root.unsupported_hash_algorithm",
    ),
    (Check::TrustRootBadKey, 1404, "trust_root.bad_key"),
    (
        Check::TrustRootStartAfterEnd,
        1405,
        "trust_root.start_after_end",
    ),
    (
        Check::TrustRootFieldMissing,
        1410,
        "trust_root.field_missing",
    ),
    (
        Check::TrustRootFieldWrongType,
        1411,
        "trust_root.field_wrong_type",
    ),
    (
        Check::TrustRootFieldDuplicate,
        1412,
        "trust_root.field_duplicate",
    ),
    (Check::TrustRootFieldBase64, 1413, "trust_root.field_base64"),
    (
        Check::TrustRootFieldTooLong,
        1414,
        "trust_root.field_too_long",
    ),
    (
        Check::TrustRootFieldInvalid,
        1415,
        "trust_root.field_invalid",
    ),
    (Check::TufTooLarge, 1500, "tuf.too_large"),
    (Check::TufJson, 1501, "tuf.json"),
    (Check::TufTooDeep, 1502, "tuf.too_deep"),
    (Check::TufNotCanonical, 1503, "tuf.not_canonical"),
    (Check::TufTooMany, 1504, "tuf.too_many"),
    (Check::TufField, 1505, "tuf.field"),
    (Check::TufWrongType, 1506, "tuf.wrong_type"),
    (Check::TufSpecVersion, 1507, "tuf.spec_version"),
    (
        Check::TufDuplicateSignature,
        1508,
        "tuf.duplicate_signature",
    ),
    (Check::TufDuplicateKeyid, 1509, "tuf.duplicate_keyid"),
    (
        Check::TufPreviousRootThreshold,
        1510,
        "tuf.previous_root_threshold",
    ),
    (Check::TufThreshold, 1511, "tuf.threshold"),
    (Check::TufRootVersion, 1512, "tuf.root_version"),
    (Check::TufTooManyRoots, 1513, "tuf.too_many_roots"),
    (Check::TufExpired, 1514, "tuf.expired"),
    (Check::TufRollback, 1515, "tuf.rollback"),
    (Check::TufSnapshotRollback, 1516, "tuf.snapshot_rollback"),
    (Check::TufMetaRollback, 1517, "tuf.meta_rollback"),
    (Check::TufMetaRemoved, 1518, "tuf.meta_removed"),
    (Check::TufLength, 1519, "tuf.length"),
    (Check::TufHash, 1520, "tuf.hash"),
    (Check::TufUnsupportedHash, 1521, "tuf.unsupported_hash"),
    (Check::TufVersion, 1522, "tuf.version"),
    (Check::TufNotListed, 1523, "tuf.not_listed"),
    (Check::TufHeldInvalid, 1524, "tuf.held_invalid"),
    (Check::TufOutOfOrder, 1525, "tuf.out_of_order"),
];

#[test]
fn every_check_is_pinned() {
    assert_eq!(
        Check::ALL.len(),
        TABLE.len(),
        "a check without a row, or a row without a check"
    );
    for (&check, &(want, code, name)) in Check::ALL.iter().zip(TABLE) {
        assert_eq!(check, want, "Check::ALL is in code order");
        assert_eq!(check.code(), code, "{name}");
        assert_eq!(check.as_str(), name, "{code}");
        assert_eq!(check.as_c_str().to_str(), Ok(name), "{code}");
        assert_eq!(Check::from_code(code), Some(check));
        let (step, rest) = name.split_once('.').expect("step.check");
        assert_eq!(check.step(), step);
        assert!(
            !rest.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'_'
                    || b == b'.')
        );
    }
    for w in TABLE.windows(2) {
        assert!(
            w[0].1 < w[1].1,
            "codes increase: {} then {}",
            w[0].1,
            w[1].1
        );
        assert!(w[0].1 / 100 <= w[1].1 / 100);
    }
    assert_eq!(Check::from_code(0), None);
    assert_eq!(Check::from_code(u16::MAX), None);
}

/// `docs/checks.md`, as the table makes it.
fn checks_md() -> String {
    let mut out = String::from(
        "# Check codes\n\n\
         Every check oms-edge makes has a stable number (`Check::code`, what the C\n\
         bindings and firmware logs print) and a stable name (`Check::as_str`, what\n\
         `oms-edge --json` prints as `failure.check`). Neither is ever reused or\n\
         changed. Generated from the pinning test (`core/src/check/tests.rs`); a\n\
         test fails when this file differs.\n\n\
         | code | check | meaning |\n|---:|---|---|\n",
    );
    for &(check, code, name) in TABLE {
        out.push_str(&format!("| {code} | `{name}` | {} |\n", doc(check)));
    }
    out
}

/// The one-line meaning of each check (its doc comment in `check.rs`).
fn doc(check: Check) -> &'static str {
    let src = include_str!("../check.rs");
    let row = format!("{} {check:?} \"", check.code());
    let mut previous = "";
    for line in src.lines() {
        let line = line.trim();
        if line.starts_with(&row) {
            return previous.trim_start_matches("///").trim();
        }
        previous = line;
    }
    panic!("no row for {check:?} in check.rs")
}

#[test]
fn docs_list_every_check() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/checks.md");
    let want = checks_md();
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        if std::env::var_os("OMS_EDGE_WRITE_DOCS").is_some() {
            std::fs::write(path, &want).expect("write docs/checks.md");
        } else {
            panic!("docs/checks.md is out of date: rerun with OMS_EDGE_WRITE_DOCS=1");
        }
    }
}
