//! Stable codes for every check the verifier makes: what front ends print.
//!
//! Each failed check maps to one [`Check`] (see `Error::check`), which has
//! a stable number ([`Check::code`], for C callers and firmware logs) and a
//! stable name ([`Check::as_str`], `<step>.<check>`, what `oms-edge
//! --json` prints as `failure.check`). Numbers are grouped by pipeline
//! step, a hundred per step; a new check takes the next free number of its
//! group, and no number or name is ever reused or changed
//! (`check::tests::every_check_is_pinned` holds the whole table).
//!
//! A problem with a JSON member is one check per step and problem
//! (`bundle.field_missing`); which member it was is reported apart
//! (`Error::field`).

use core::fmt;

/// Declares [`Check`] from one table of `code name "string"` rows.
macro_rules! checks {
    ($($(#[$doc:meta])* $code:literal $name:ident $text:literal,)*) => {
        /// One check of the pipeline, as a stable code (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[repr(u16)]
        #[non_exhaustive]
        pub enum Check {
            $($(#[$doc])* $name = $code,)*
        }

        impl Check {
            /// Every check, in code order.
            pub const ALL: &'static [Check] = &[$(Check::$name,)*];

            /// The stable number (see the module docs).
            pub const fn code(self) -> u16 {
                match self {
                    $(Check::$name => $code,)*
                }
            }

            /// The stable name, `<step>.<check>` (e.g. `model.digest_mismatch`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Check::$name => $text,)*
                }
            }

            /// [`Check::as_str`] as a NUL-terminated C string (the C
            /// library's `oms_edge_check_name`).
            pub const fn as_c_str(self) -> &'static core::ffi::CStr {
                match self {
                    $(Check::$name => match core::ffi::CStr::from_bytes_with_nul(
                        concat!($text, "\0").as_bytes(),
                    ) {
                        Ok(name) => name,
                        Err(_) => c"",
                    },)*
                }
            }

            /// The check with stable number `code`, if there is one.
            pub const fn from_code(code: u16) -> Option<Check> {
                match code {
                    $($code => Some(Check::$name),)*
                    _ => None,
                }
            }
        }
    };
}

checks! {
    // Step 2: the bundle's structure (`bundle`).
    /// Larger than `limits::MAX_BUNDLE_BYTES`.
    100 BundleTooLarge "bundle.too_large",
    /// The top level is not a JSON object.
    101 BundleNotAnObject "bundle.not_an_object",
    /// `mediaType` is not a Sigstore bundle v0.1-v0.3 media type.
    102 BundleUnknownMediaType "bundle.unknown_media_type",
    /// Not exactly one kind of verification material.
    103 BundleAmbiguousMaterial "bundle.ambiguous_material",
    /// A `messageSignature` where a DSSE envelope is needed.
    104 BundleNotDsse "bundle.not_dsse",
    /// The verification material is not the method's.
    105 BundleMaterialMismatch "bundle.material_mismatch",
    /// A required member is absent.
    110 BundleFieldMissing "bundle.field_missing",
    /// A member has the wrong JSON type.
    111 BundleFieldWrongType "bundle.field_wrong_type",
    /// A member appears twice.
    112 BundleFieldDuplicate "bundle.field_duplicate",
    /// A member is not valid base64.
    113 BundleFieldBase64 "bundle.field_base64",
    /// A member is longer than the verifier accepts.
    114 BundleFieldTooLong "bundle.field_too_long",
    /// A member's value is not allowed.
    115 BundleFieldInvalid "bundle.field_invalid",
    /// The bundle is empty or only whitespace.
    120 BundleJsonEmpty "bundle.json.empty",
    /// The bundle is not UTF-8.
    121 BundleJsonNotUtf8 "bundle.json.not_utf8",
    /// The bundle's JSON ends inside a value.
    122 BundleJsonUnexpectedEnd "bundle.json.unexpected_end",
    /// A byte the JSON grammar does not allow.
    123 BundleJsonUnexpectedByte "bundle.json.unexpected_byte",
    /// A malformed escape or unpaired surrogate.
    124 BundleJsonInvalidEscape "bundle.json.invalid_escape",
    /// A raw control character in a string.
    125 BundleJsonControlCharacter "bundle.json.control_character",
    /// A malformed number.
    126 BundleJsonInvalidNumber "bundle.json.invalid_number",
    /// Nested deeper than `limits::MAX_JSON_DEPTH`.
    127 BundleJsonTooDeep "bundle.json.too_deep",
    /// Data after the JSON value.
    128 BundleJsonTrailingData "bundle.json.trailing_data",
    /// A value of another JSON type than asked for.
    129 BundleJsonWrongType "bundle.json.wrong_type",
    /// A key twice in one object.
    130 BundleJsonDuplicateKey "bundle.json.duplicate_key",
    /// An unescaped string too long for its buffer.
    131 BundleJsonStringTooLong "bundle.json.string_too_long",

    // Step 7 (key method): the pinned key and its binding to the bundle (`keys`).
    /// Neither PEM `PUBLIC KEY` nor DER.
    200 KeyPem "key.pem",
    /// Not a DER SubjectPublicKeyInfo.
    201 KeySpki "key.spki",
    /// Not a key of a supported kind.
    202 KeyUnsupportedKey "key.unsupported_key",
    /// The EC point is not on its curve.
    203 KeyInvalidPoint "key.invalid_point",
    /// An RSA key of another size than 2048, 3072 or 4096 bits.
    204 KeyRsaKeySize "key.rsa_key_size",
    /// `publicKey.hint` names another key.
    205 KeyHintMismatch "key.hint_mismatch",
    /// `publicKey.rawBytes` holds another key.
    206 KeyRawBytesMismatch "key.raw_bytes_mismatch",
    /// A key algorithm this build leaves out (its feature is off).
    207 KeyUnsupportedAlgorithm "key.unsupported_algorithm",

    // Step 5: the certificate path (`x509`).
    /// The bundle's chain is empty.
    300 X509EmptyChain "x509.empty_chain",
    /// More certificates than `limits::MAX_CHAIN_CERTS`.
    301 X509ChainTooLong "x509.chain_too_long",
    /// Not a DER X.509 certificate.
    302 X509Encoding "x509.encoding",
    /// The leaf is self-signed.
    303 X509LeafSelfSigned "x509.leaf_self_signed",
    /// No trusted issuer.
    304 X509UnknownIssuer "x509.unknown_issuer",
    /// Not valid yet at the verification time.
    305 X509NotYetValid "x509.not_yet_valid",
    /// Expired at the verification time.
    306 X509Expired "x509.expired",
    /// A critical extension that is not processed.
    307 X509UnsupportedCriticalExtension "x509.unsupported_critical_extension",
    /// Extensions in a certificate that is not X.509 v3.
    308 X509ExtensionsNeedV3 "x509.extensions_need_v3",
    /// A signature algorithm outside the supported (or built) set.
    309 X509UnsupportedSignatureAlgorithm "x509.unsupported_signature_algorithm",
    /// An RSA issuer key outside 2048-4096 bits.
    310 X509RsaKeySize "x509.rsa_key_size",
    /// A signature that does not verify with its issuer's key.
    311 X509BadSignature "x509.bad_signature",
    /// An issuer that is not a CA.
    312 X509NotACa "x509.not_a_ca",
    /// An issuer without keyCertSign.
    313 X509NoKeyCertSign "x509.no_key_cert_sign",
    /// A pathLenConstraint exceeded.
    314 X509PathLenExceeded "x509.path_len_exceeded",
    /// The leaf may not sign.
    315 X509LeafCannotSign "x509.leaf_cannot_sign",
    /// The caller's trust material is not X.509.
    316 X509TrustMaterial "x509.trust_material",
    /// The path search spent its signature budget.
    317 X509PathSearchLimit "x509.path_search_limit",
    /// No verification time (`Time::NoClock`): validity cannot be checked.
    318 X509NoVerificationTime "x509.no_verification_time",
    /// The leaf's subject is not the one the leaf policy expects.
    319 X509LeafSubjectMismatch "x509.leaf_subject_mismatch",
    /// No SAN of the leaf is the one the leaf policy expects.
    320 X509LeafSanMismatch "x509.leaf_san_mismatch",
    /// The leaf lacks an extended key usage the leaf policy requires.
    321 X509LeafEkuMissing "x509.leaf_eku_missing",
    /// A certificate carries an extension twice (RFC 5280 §4.2).
    322 X509DuplicateExtension "x509.duplicate_extension",
    /// A Fulcio leaf's serial number is negative (RFC 5280 §4.1.2.2).
    323 X509NegativeSerial "x509.negative_serial",

    // Step 7: the DSSE envelope (`dsse`).
    /// `payloadType` is not in-toto.
    400 DsseWrongPayloadType "dsse.wrong_payload_type",
    /// No signature.
    401 DsseNoSignature "dsse.no_signature",
    /// More than one signature.
    402 DsseMultipleSignatures "dsse.multiple_signatures",
    /// `keyid` is neither absent, null nor a string.
    403 DsseInvalidKeyid "dsse.invalid_keyid",
    /// The signature is not encoded for the key.
    404 DsseSignatureEncoding "dsse.signature_encoding",
    /// The signature does not verify.
    405 DsseBadSignature "dsse.bad_signature",
    /// The payload does not fit the caller's buffer.
    406 DssePayloadTooLarge "dsse.payload_too_large",
    /// A required envelope member is absent.
    410 DsseFieldMissing "dsse.field_missing",
    /// An envelope member has the wrong JSON type.
    411 DsseFieldWrongType "dsse.field_wrong_type",
    /// An envelope member appears twice.
    412 DsseFieldDuplicate "dsse.field_duplicate",
    /// An envelope member is not valid base64.
    413 DsseFieldBase64 "dsse.field_base64",
    /// An envelope member is too long.
    414 DsseFieldTooLong "dsse.field_too_long",
    /// An envelope member's value is not allowed.
    415 DsseFieldInvalid "dsse.field_invalid",

    // Step 8a: the statement and predicate (`statement`).
    /// The payload is not a JSON object.
    500 StatementNotAnObject "statement.not_an_object",
    /// `_type` is not in-toto Statement v1.
    501 StatementWrongStatementType "statement.wrong_statement_type",
    /// `predicateType` is not an OMS predicate.
    502 StatementWrongPredicateType "statement.wrong_predicate_type",
    /// Not exactly one subject.
    503 StatementSubjectCount "statement.subject_count",
    /// `serialization.method` is unknown.
    504 StatementUnknownMethod "statement.unknown_method",
    /// `serialization.hash_type` is unknown.
    505 StatementUnknownHashType "statement.unknown_hash_type",
    /// `shard_size` does not fit the method.
    506 StatementShardSize "statement.shard_size",
    /// `resources` is empty.
    507 StatementNoResources "statement.no_resources",
    /// The subject's root digest is not over the resources.
    508 StatementRootDigestMismatch "statement.root_digest_mismatch",
    /// `hash_type` names an algorithm this build leaves out.
    509 StatementUnsupportedAlgorithm "statement.unsupported_algorithm",
    /// A required member is absent.
    510 StatementFieldMissing "statement.field_missing",
    /// A member has the wrong JSON type.
    511 StatementFieldWrongType "statement.field_wrong_type",
    /// A member appears twice.
    512 StatementFieldDuplicate "statement.field_duplicate",
    /// A member is not valid base64.
    513 StatementFieldBase64 "statement.field_base64",
    /// A member is too long (or has too many elements).
    514 StatementFieldTooLong "statement.field_too_long",
    /// A member's value is not allowed.
    515 StatementFieldInvalid "statement.field_invalid",
    /// The payload is empty or only whitespace.
    520 StatementJsonEmpty "statement.json.empty",
    /// The payload is not UTF-8.
    521 StatementJsonNotUtf8 "statement.json.not_utf8",
    /// The payload's JSON ends inside a value.
    522 StatementJsonUnexpectedEnd "statement.json.unexpected_end",
    /// A byte the JSON grammar does not allow.
    523 StatementJsonUnexpectedByte "statement.json.unexpected_byte",
    /// A malformed escape or unpaired surrogate.
    524 StatementJsonInvalidEscape "statement.json.invalid_escape",
    /// A raw control character in a string.
    525 StatementJsonControlCharacter "statement.json.control_character",
    /// A malformed number.
    526 StatementJsonInvalidNumber "statement.json.invalid_number",
    /// Nested deeper than `limits::MAX_JSON_DEPTH`.
    527 StatementJsonTooDeep "statement.json.too_deep",
    /// Data after the JSON value.
    528 StatementJsonTrailingData "statement.json.trailing_data",
    /// A value of another JSON type than asked for.
    529 StatementJsonWrongType "statement.json.wrong_type",
    /// A key twice in one object.
    530 StatementJsonDuplicateKey "statement.json.duplicate_key",
    /// An unescaped string too long for its buffer.
    531 StatementJsonStringTooLong "statement.json.string_too_long",

    // Step 8b: the resource descriptors (`manifest`).
    /// A name that is not a canonical relative path.
    600 ManifestNonCanonicalName "manifest.non_canonical_name",
    /// A name longer than `limits::MAX_NAME_BYTES`.
    601 ManifestNameTooLong "manifest.name_too_long",
    /// `algorithm` differs from `hash_type`.
    602 ManifestAlgorithmMismatch "manifest.algorithm_mismatch",
    /// A digest that is not hex of the algorithm's length.
    603 ManifestBadDigest "manifest.bad_digest",
    /// A shard name that is not `path:start:end`.
    604 ManifestBadShardName "manifest.bad_shard_name",
    /// A shard empty, too long or misaligned.
    605 ManifestBadShardRange "manifest.bad_shard_range",
    /// A file's shards overlap or leave a gap.
    606 ManifestShardsNotContiguous "manifest.shards_not_contiguous",
    /// `.` next to other files.
    607 ManifestDotWithOthers "manifest.dot_with_others",
    /// Names not sorted, or one repeats.
    608 ManifestUnsorted "manifest.unsorted",
    /// More resources than `limits::MAX_RESOURCES`.
    609 ManifestTooManyResources "manifest.too_many_resources",
    /// A required member is absent.
    610 ManifestFieldMissing "manifest.field_missing",
    /// A member has the wrong JSON type.
    611 ManifestFieldWrongType "manifest.field_wrong_type",
    /// A member appears twice.
    612 ManifestFieldDuplicate "manifest.field_duplicate",
    /// A member is not valid base64.
    613 ManifestFieldBase64 "manifest.field_base64",
    /// A member is too long.
    614 ManifestFieldTooLong "manifest.field_too_long",
    /// A member's value is not allowed.
    615 ManifestFieldInvalid "manifest.field_invalid",

    // Step 9: the model's bytes (`model`).
    /// A signed file is missing.
    700 ModelMissingFile "model.missing_file",
    /// A sharded file's size is not where its shards end.
    701 ModelSizeMismatch "model.size_mismatch",
    /// A file ended early while read.
    702 ModelTruncated "model.truncated",
    /// A file grew while read.
    703 ModelGrew "model.grew",
    /// Reading failed.
    704 ModelRead "model.read",
    /// The bytes hash to another digest than the signed one.
    705 ModelDigestMismatch "model.digest_mismatch",
    /// A file the manifest does not list.
    706 ModelUnsignedFile "model.unsigned_file",
    /// The model source failed outside a resource.
    707 ModelSource "model.source",
    /// A token (job, pass or plan) of another manifest.
    708 ModelForeignToken "model.foreign_token",
    /// Tokens not one per resource in order (or a plan finished early).
    709 ModelTokenOutOfOrder "model.token_out_of_order",

    // The sigstore method as a whole (`verify::sigstore`).
    /// Keyless verification without a certificate.
    800 SigstoreNoCertificate "sigstore.no_certificate",
    /// A v0.3 bundle with an `x509CertificateChain`.
    801 SigstoreChainInV03 "sigstore.chain_in_v03",
    /// A managed key without `publicKey` material.
    802 SigstoreNotKeyMaterial "sigstore.not_key_material",
    /// No transparency-log entry.
    803 SigstoreNoTlogEntry "sigstore.no_tlog_entry",
    /// No verified time.
    804 SigstoreNoObservedTime "sigstore.no_observed_time",
    /// A Rekor v2 entry without a trusted timestamp.
    805 SigstoreNoTimestamp "sigstore.no_timestamp",
    /// No Fulcio CA valid at an observed time.
    806 SigstoreNoCaAtTime "sigstore.no_ca_at_time",
    /// `messageDigest` of an unsupported hash or length.
    807 SigstoreUnsupportedDigest "sigstore.unsupported_digest",
    /// The artifact's digest under a needed hash is not known.
    808 SigstoreDigestUnavailable "sigstore.digest_unavailable",
    /// `messageDigest` is not the artifact's.
    809 SigstoreArtifactDigestMismatch "sigstore.artifact_digest_mismatch",
    /// No in-toto subject has the artifact's digest.
    810 SigstoreSubjectMismatch "sigstore.subject_mismatch",
    /// The message signature does not verify.
    811 SigstoreBadMessageSignature "sigstore.bad_message_signature",
    /// A certificate of the Fulcio CA's chain has an extKeyUsage that
    /// allows neither codeSigning nor any purpose.
    812 SigstoreCaEkuNotCodeSigning "sigstore.ca_eku_not_code_signing",

    // Step 3: transparency-log entries (`tlog`).
    /// No entry.
    900 TlogNoEntries "tlog.no_entries",
    /// More entries than `limits::MAX_TLOG_ENTRIES`.
    901 TlogTooManyEntries "tlog.too_many_entries",
    /// The same entry twice.
    902 TlogDuplicateEntry "tlog.duplicate_entry",
    /// An entry is not valid JSON.
    903 TlogJson "tlog.json",
    /// A signed integer is negative.
    904 TlogNegative "tlog.negative",
    /// An unknown `kindVersion`.
    905 TlogUnknownKind "tlog.unknown_kind",
    /// A log the trusted root lacks.
    906 TlogUnknownLog "tlog.unknown_log",
    /// `canonicalizedBody` is not JSON.
    907 TlogBodyJson "tlog.body_json",
    /// The body's kind differs from `kindVersion`.
    908 TlogKindMismatch "tlog.kind_mismatch",
    /// The entry's kind does not fit the bundle's content.
    909 TlogContentMismatch "tlog.content_mismatch",
    /// The logged digest is not the bundle's.
    910 TlogDigestMismatch "tlog.digest_mismatch",
    /// The logged signature is not the bundle's.
    911 TlogSignatureMismatch "tlog.signature_mismatch",
    /// The logged signer is not the bundle's.
    912 TlogSignerMismatch "tlog.signer_mismatch",
    /// The logged key algorithm is not the signer key's.
    913 TlogKeyDetailsMismatch "tlog.key_details_mismatch",
    /// A Rekor v2 `dsse` entry.
    914 TlogDsseOnRekorV2 "tlog.dsse_on_rekor_v2",
    /// A Rekor v2 entry with an inclusion promise.
    915 TlogUnexpectedPromise "tlog.unexpected_promise",
    /// `integratedTime` after the verification time.
    916 TlogIntegratedTimeInFuture "tlog.integrated_time_in_future",
    /// The log key is not valid at the entry's time.
    917 TlogLogKeyNotValid "tlog.log_key_not_valid",
    /// The signed entry timestamp does not verify.
    918 TlogSetSignature "tlog.set_signature",
    /// The inclusion proof does not lead to its root.
    919 TlogInclusionProof "tlog.inclusion_proof",
    /// A Rekor v2 proof for another index.
    920 TlogLogIndexMismatch "tlog.log_index_mismatch",
    /// An inclusion proof is required.
    921 TlogMissingInclusionProof "tlog.missing_inclusion_proof",
    /// An inclusion promise is required.
    922 TlogMissingInclusionPromise "tlog.missing_inclusion_promise",
    /// A Rekor v1 entry's unsigned integrated time lies outside the
    /// signing certificate's validity.
    923 TlogTimeOutsideLeafValidity "tlog.time_outside_leaf_validity",
    /// A required member is absent.
    930 TlogFieldMissing "tlog.field_missing",
    /// A member has the wrong JSON type.
    931 TlogFieldWrongType "tlog.field_wrong_type",
    /// A member appears twice.
    932 TlogFieldDuplicate "tlog.field_duplicate",
    /// A member is not valid base64.
    933 TlogFieldBase64 "tlog.field_base64",
    /// A member is too long.
    934 TlogFieldTooLong "tlog.field_too_long",
    /// A member's value is not allowed.
    935 TlogFieldInvalid "tlog.field_invalid",

    // Step 3: signed checkpoints (`checkpoint`).
    /// The note is too large.
    1000 CheckpointTooLarge "checkpoint.too_large",
    /// A control character in the note.
    1001 CheckpointControlCharacter "checkpoint.control_character",
    /// No blank line before the signatures.
    1002 CheckpointNoBlankLine "checkpoint.no_blank_line",
    /// No signature lines.
    1003 CheckpointNoSignatures "checkpoint.no_signatures",
    /// A malformed signature line.
    1004 CheckpointBadSignatureLine "checkpoint.bad_signature_line",
    /// Too many signature lines.
    1005 CheckpointTooManySignatures "checkpoint.too_many_signatures",
    /// A missing or empty origin.
    1006 CheckpointBadOrigin "checkpoint.bad_origin",
    /// A missing or malformed tree size.
    1007 CheckpointBadSize "checkpoint.bad_size",
    /// A missing or malformed root hash.
    1008 CheckpointBadRootHash "checkpoint.bad_root_hash",
    /// An empty extension line.
    1009 CheckpointEmptyExtension "checkpoint.empty_extension",
    /// Too many extension lines.
    1010 CheckpointTooManyExtensions "checkpoint.too_many_extensions",
    /// The log's key type cannot sign checkpoints.
    1011 CheckpointUnsupportedKey "checkpoint.unsupported_key",
    /// The log's key is malformed.
    1012 CheckpointBadLogKey "checkpoint.bad_log_key",
    /// The log's `baseUrl` has no usable host.
    1013 CheckpointBadLogUrl "checkpoint.bad_log_url",
    /// The origin does not name the log.
    1014 CheckpointOriginMismatch "checkpoint.origin_mismatch",
    /// A signature key ID is not the log's.
    1015 CheckpointBadKeyHint "checkpoint.bad_key_hint",
    /// A signature key name is not the origin's host.
    1016 CheckpointBadKeyName "checkpoint.bad_key_name",
    /// No signature from the log.
    1017 CheckpointNoSignatureFromLog "checkpoint.no_signature_from_log",
    /// A log signature does not verify.
    1018 CheckpointBadSignature "checkpoint.bad_signature",
    /// The root hash differs from the proof's.
    1019 CheckpointRootMismatch "checkpoint.root_mismatch",
    /// The tree size differs from the proof's.
    1020 CheckpointSizeMismatch "checkpoint.size_mismatch",

    // Step 4: RFC 3161 timestamps (`timestamp`).
    /// Too many timestamps.
    1100 TimestampTooMany "timestamp.too_many",
    /// The same timestamp twice.
    1101 TimestampDuplicate "timestamp.duplicate",
    /// Malformed JSON or base64.
    1102 TimestampEncoding "timestamp.encoding",
    /// A timestamp too large.
    1103 TimestampTooLarge "timestamp.too_large",
    /// Not a `TimeStampResp` with a token.
    1104 TimestampResponse "timestamp.response",
    /// The status is not granted.
    1105 TimestampStatus "timestamp.status",
    /// The token is not a CMS SignedData.
    1106 TimestampToken "timestamp.token",
    /// Not exactly one signer.
    1107 TimestampSignerCount "timestamp.signer_count",
    /// The content is not a TSTInfo.
    1108 TimestampContentType "timestamp.content_type",
    /// A malformed TSTInfo.
    1109 TimestampTstInfo "timestamp.tst_info",
    /// A malformed genTime.
    1110 TimestampGenTime "timestamp.gen_time",
    /// An unsupported hash algorithm.
    1111 TimestampUnsupportedHash "timestamp.unsupported_hash",
    /// The imprint is not the signature's hash.
    1112 TimestampImprintMismatch "timestamp.imprint_mismatch",
    /// SignerInfo version and identifier disagree.
    1113 TimestampSignerInfo "timestamp.signer_info",
    /// Malformed signed attributes.
    1114 TimestampSignedAttributes "timestamp.signed_attributes",
    /// The contentType attribute is wrong.
    1115 TimestampContentTypeAttribute "timestamp.content_type_attribute",
    /// The messageDigest attribute is wrong.
    1116 TimestampMessageDigestMismatch "timestamp.message_digest_mismatch",
    /// The signer is no trusted TSA.
    1117 TimestampUntrustedTsa "timestamp.untrusted_tsa",
    /// Embedded certificates that do not match the TSA.
    1118 TimestampEmbeddedCertificates "timestamp.embedded_certificates",
    /// An unsupported signature algorithm.
    1119 TimestampUnsupportedSignatureAlgorithm "timestamp.unsupported_signature_algorithm",
    /// The signature does not verify.
    1120 TimestampBadSignature "timestamp.bad_signature",
    /// The TSA leaf is not for timestamping only.
    1121 TimestampLeafEku "timestamp.leaf_eku",
    /// An intermediate excludes timestamping.
    1122 TimestampIntermediateEku "timestamp.intermediate_eku",
    /// The TSA chain is not valid at genTime.
    1123 TimestampChain "timestamp.chain",
    /// genTime outside the TSA's `validFor`.
    1124 TimestampOutsideTsaValidity "timestamp.outside_tsa_validity",

    // Step 5: embedded SCTs (`sct`).
    /// No SCT list.
    1200 SctMissing "sct.missing",
    /// A malformed SCT list.
    1201 SctMalformed "sct.malformed",
    /// An empty SCT list.
    1202 SctEmpty "sct.empty",
    /// Too many SCTs.
    1203 SctTooMany "sct.too_many",
    /// The issuer given did not issue the leaf.
    1204 SctWrongIssuer "sct.wrong_issuer",
    /// The precertificate cannot be rebuilt.
    1205 SctPrecertificate "sct.precertificate",
    /// No SCT verified.
    1206 SctNotVerified "sct.not_verified",

    // Step 6: identity policy and Fulcio leaf profile (`policy`).
    /// No usable subjectAltName.
    1300 PolicyNoSan "policy.no_san",
    /// A malformed subjectAltName.
    1301 PolicySanEncoding "policy.san_encoding",
    /// No OIDC issuer extension.
    1302 PolicyNoIssuer "policy.no_issuer",
    /// A malformed OIDC issuer extension.
    1303 PolicyIssuerEncoding "policy.issuer_encoding",
    /// The signer is not the expected identity.
    1304 PolicyIdentityMismatch "policy.identity_mismatch",
    /// The OIDC issuer is not the expected one.
    1305 PolicyIssuerMismatch "policy.issuer_mismatch",
    /// Malformed key usage or basic constraints.
    1306 PolicyProfileEncoding "policy.profile_encoding",
    /// The leaf is a CA.
    1307 PolicyLeafIsCa "policy.leaf_is_ca",
    /// No codeSigning extended key usage.
    1308 PolicyNoCodeSigning "policy.no_code_signing",
    /// keyUsage without digitalSignature.
    1309 PolicyNoDigitalSignature "policy.no_digital_signature",
    /// The certificate lacks a Fulcio extension the policy matches.
    1310 PolicyExtensionMissing "policy.extension_missing",
    /// A Fulcio extension's value is not the expected one.
    1311 PolicyExtensionMismatch "policy.extension_mismatch",
    /// A Fulcio extension the policy matches is malformed or repeated.
    1312 PolicyExtensionEncoding "policy.extension_encoding",
    /// The OIDC issuer extensions (…57264.1.1 and …1.8) name different
    /// issuers.
    1313 PolicyIssuerConflict "policy.issuer_conflict",
    /// The leaf's subject is empty and its subjectAltName is not critical
    /// (RFC 5280 §4.2.1.6).
    1314 PolicySanNotCritical "policy.san_not_critical",
    /// The leaf's keyUsage asserts keyCertSign.
    1315 PolicyLeafKeyCertSign "policy.leaf_key_cert_sign",
    /// The leaf's extKeyUsage is critical.
    1316 PolicyEkuCritical "policy.eku_critical",
    /// The leaf has no authorityKeyIdentifier.
    1317 PolicyNoAuthorityKeyId "policy.no_authority_key_id",

    // Step 1: the trusted root (`trust_root`).
    /// Larger than `limits::MAX_TRUST_ROOT_BYTES`.
    1400 TrustRootTooLarge "trust_root.too_large",
    /// Not strict JSON.
    1401 TrustRootJson "trust_root.json",
    /// An unsupported `mediaType`.
    1402 TrustRootUnknownMediaType "trust_root.unknown_media_type",
    /// A log whose `hashAlgorithm` is not SHA2_256.
    1403 TrustRootUnsupportedHashAlgorithm "trust_root.unsupported_hash_algorithm",
    /// A key that is not of its declared algorithm.
    1404 TrustRootBadKey "trust_root.bad_key",
    /// `validFor.start` after its end.
    1405 TrustRootStartAfterEnd "trust_root.start_after_end",
    /// A required member is absent.
    1410 TrustRootFieldMissing "trust_root.field_missing",
    /// A member has the wrong JSON type.
    1411 TrustRootFieldWrongType "trust_root.field_wrong_type",
    /// A member appears twice.
    1412 TrustRootFieldDuplicate "trust_root.field_duplicate",
    /// A member is not valid base64.
    1413 TrustRootFieldBase64 "trust_root.field_base64",
    /// A member is too long (or has too many elements).
    1414 TrustRootFieldTooLong "trust_root.field_too_long",
    /// A member's value is not allowed.
    1415 TrustRootFieldInvalid "trust_root.field_invalid",
    // Offline trust updates (`tuf`): the TUF client workflow, spec §5.
    /// Metadata or a target file larger than its role's size limit.
    1500 TufTooLarge "tuf.too_large",
    /// Not one valid JSON document.
    1501 TufJson "tuf.json",
    /// Nested deeper than `limits::MAX_TUF_DEPTH`.
    1502 TufTooDeep "tuf.too_deep",
    /// A number with a fraction or exponent (canonical JSON has integers only).
    1503 TufNotCanonical "tuf.not_canonical",
    /// More entries in a field than its limit.
    1504 TufTooMany "tuf.too_many",
    /// A field is missing, of the wrong type or out of range.
    1505 TufField "tuf.field",
    /// `_type` names another role.
    1506 TufWrongType "tuf.wrong_type",
    /// `spec_version` is not 1.x.
    1507 TufSpecVersion "tuf.spec_version",
    /// Two signatures carry the same keyid.
    1508 TufDuplicateSignature "tuf.duplicate_signature",
    /// A role lists the same keyid twice.
    1509 TufDuplicateKeyid "tuf.duplicate_keyid",
    /// A new root not signed by a threshold of the trusted root's root keys (§5.3.4).
    1510 TufPreviousRootThreshold "tuf.previous_root_threshold",
    /// Not signed by a threshold of the role's keys, each key counted once.
    1511 TufThreshold "tuf.threshold",
    /// A new root's version is not the trusted one plus one (§5.3.5).
    1512 TufRootVersion "tuf.root_version",
    /// More new root versions than `limits::MAX_TUF_ROOT_ROTATIONS`.
    1513 TufTooManyRoots "tuf.too_many_roots",
    /// Expired at the caller's time (freeze attack).
    1514 TufExpired "tuf.expired",
    /// A version below the trusted one (rollback).
    1515 TufRollback "tuf.rollback",
    /// The timestamp lists a snapshot version below the trusted timestamp's.
    1516 TufSnapshotRollback "tuf.snapshot_rollback",
    /// The snapshot lists a metadata file below the trusted snapshot's version.
    1517 TufMetaRollback "tuf.meta_rollback",
    /// The snapshot no longer lists a file the trusted snapshot lists.
    1518 TufMetaRemoved "tuf.meta_removed",
    /// A length differs from the one the higher role pins.
    1519 TufLength "tuf.length",
    /// A hash differs from the one the higher role pins.
    1520 TufHash "tuf.hash",
    /// Pinned only by a hash other than sha256, sha384, sha512.
    1521 TufUnsupportedHash "tuf.unsupported_hash",
    /// A version differs from the one the higher role pins.
    1522 TufVersion "tuf.version",
    /// Not listed by the higher role.
    1523 TufNotListed "tuf.not_listed",
    /// The held copy no longer verifies although its keys were not rotated.
    1524 TufHeldInvalid "tuf.held_invalid",
    /// The update steps were called out of order (a caller's bug).
    1525 TufOutOfOrder "tuf.out_of_order",
}

impl Check {
    /// The pipeline step the check belongs to: the part of
    /// [`Check::as_str`] before the first dot.
    pub fn step(self) -> &'static str {
        let s = self.as_str();
        s.split_once('.').map_or(s, |(step, _)| step)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
