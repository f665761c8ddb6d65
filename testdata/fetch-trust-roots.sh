#!/bin/sh
# Fetches the Sigstore production and staging trusted roots that the core
# compiles in (core/trust/*.trusted_root.json), and the production TUF root
# metadata that `oms-edge trust init` starts from (core/trust/production.root.json,
# feature `tuf`), from a pinned release of the `sigstore` wheel on PyPI
# (sigstore-python ships them for offline use), and installs them only if
# every SHA-256 below matches.
#
#     sh testdata/fetch-trust-roots.sh           # fetch, check, install
#     sh testdata/fetch-trust-roots.sh --check   # fetch, check, compare with core/trust/
#
# Needs python3 with pip (pip goes through whatever index it is configured
# for). To move to a newer wheel: change VERSION, run once, read the diff of
# the roots, then write the new digests here and in testdata/README.md (and
# the digests pinned in core/src/trust_root.rs's and core/src/tuf/tests.rs's tests).
set -eu

VERSION=4.5.1
WHEEL_SHA256=02e000197b34980f1d382741d6f83c2fecbcef7debf7304f36a5253f3c892cd9
PRODUCTION_SHA256=6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66
STAGING_SHA256=81f5af777952d2c3955062ad56924c05ca916b5d49f3a0bce945faa475a8b1cc
TUF_ROOT_SHA256=73747011d0857ada15479a16c4cae0f3ed03aac698b523b97e1de314ac9d9ca8

STORE=sigstore/_store
PRODUCTION_MEMBER="$STORE/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
STAGING_MEMBER="$STORE/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json"
TUF_ROOT_MEMBER="$STORE/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/root.json"

repo=$(cd "$(dirname "$0")/.." && pwd)
dest="$repo/core/trust"
check_only=no
case "${1:-}" in
--check) check_only=yes ;;
"") ;;
*)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

expect() { # file digest
    got=$(sha256 "$1")
    if [ "$got" != "$2" ]; then
        echo "SHA-256 mismatch for $1:" >&2
        echo "  expected $2" >&2
        echo "  got      $got" >&2
        exit 1
    fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "sigstore==$VERSION" -d "$tmp"
wheel="$tmp/sigstore-$VERSION-py3-none-any.whl"
expect "$wheel" "$WHEEL_SHA256"

extract() { # member output
    python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
        "$wheel" "$1" >"$2"
}
extract "$PRODUCTION_MEMBER" "$tmp/production.trusted_root.json"
extract "$STAGING_MEMBER" "$tmp/staging.trusted_root.json"
extract "$TUF_ROOT_MEMBER" "$tmp/production.root.json"
expect "$tmp/production.trusted_root.json" "$PRODUCTION_SHA256"
expect "$tmp/staging.trusted_root.json" "$STAGING_SHA256"
expect "$tmp/production.root.json" "$TUF_ROOT_SHA256"

for file in production.trusted_root.json staging.trusted_root.json production.root.json; do
    if [ "$check_only" = yes ]; then
        if ! cmp -s "$tmp/$file" "$dest/$file"; then
            echo "core/trust/$file differs from sigstore $VERSION" >&2
            exit 1
        fi
    else
        mkdir -p "$dest"
        cp "$tmp/$file" "$dest/$file"
    fi
done
if [ "$check_only" = yes ]; then
    echo "core/trust/ matches sigstore $VERSION"
else
    echo "installed the trusted roots of sigstore $VERSION in core/trust/"
fi
