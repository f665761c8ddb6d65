//! `oms-edge inspect`: what a bundle claims, WITHOUT checking the signature.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use oms_edge_core::{Error, Manifest, MaterialKind, Method, UnverifiedBundle};
use serde_json::json;

use crate::report::{check_name, usage_error};

/// Flags of `oms-edge inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The signature (Sigstore bundle) to read.
    signature: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `oms-edge inspect`.
pub fn run(args: &InspectArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.signature) {
        Ok(b) => b,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", args.signature.display())),
    };
    let fail = |e: Error| {
        if args.json {
            out!(
                "{}",
                json!({"error": check_name(&e), "message": e.to_string()})
            );
        } else {
            eprintln!("malformed: {e}");
        }
        ExitCode::from(1)
    };
    let bundle = match UnverifiedBundle::parse(&bytes) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let payload = match crate::verify::raw_payload(&bytes) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let kind = bundle.material();
    let mut material = json!({"kind": kind.json_name(), "method": kind.method()});
    match kind {
        MaterialKind::PublicKey => {
            material["hint"] = json!(bundle.key_hint().map(|h| h.chars().collect::<String>()));
        }
        MaterialKind::X509CertificateChain => {
            material["certificates"] = json!(bundle.chain_len());
        }
        _ => {}
    }
    let manifest = match Manifest::parse_unverified(&payload) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let ser = manifest.serialization();
    let resources: Vec<_> = manifest
        .resources()
        .map(|r| {
            json!({"name": r.name.chars().collect::<String>(), "digest": r.digest.hex().to_string(),
                        "algorithm": r.digest.algorithm().name()})
        })
        .collect();
    let doc = json!({
        "verified": false,
        "bundle_version": format!("{:?}", bundle.version()),
        "material": material,
        "tlog_entries": bundle.tlog_entry_count(),
        "model_name": manifest.model_name().map(|n| n.chars().collect::<String>()),
        "root_digest": manifest.root_digest().map(|d| d.hex().to_string()),
        "serialization": {
            "method": ser.method.name(),
            "hash_type": ser.hash.name(),
            "shard_size": match ser.method { Method::Shards { shard_size } => Some(shard_size), _ => None },
            "allow_symlinks": ser.allow_symlinks,
        },
        "resources": resources,
    });
    if args.json {
        out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        out!("UNVERIFIED: this shows what the bundle claims; run `oms-edge verify` to check it.");
        out!(
            "bundle:        {:?}, signed with the {} method",
            bundle.version(),
            doc["material"]["method"].as_str().unwrap_or("?")
        );
        out!(
            "model name:    {}",
            doc["model_name"].as_str().unwrap_or("-")
        );
        out!(
            "root digest:   sha256:{}",
            doc["root_digest"].as_str().unwrap_or("-")
        );
        out!(
            "serialization: {} / {}{}",
            ser.method.name(),
            ser.hash.name(),
            match ser.method {
                Method::Shards { shard_size } => format!(" / {shard_size}-byte shards"),
                _ => String::new(),
            }
        );
        out!("resources:     {}", manifest.len());
        for r in manifest.resources() {
            out!(
                "  {}  {}",
                r.digest.hex(),
                r.name.chars().collect::<String>()
            );
        }
    }
    ExitCode::SUCCESS
}
