# The native module (Rust, PyO3): use the functions of `oms_edge`, which
# check their arguments and turn the returned `--json` report into a
# result or a VerificationError.
from typing import List, Optional, Tuple

__version__: str

# model path, signature, ignore paths, ignore git paths, allow symlinks,
# ignore unsigned files
Common = Tuple[str, str, List[str], bool, bool, bool]

def verify_key(common: Common, public_key: str) -> str: ...
def verify_certificate(common: Common, certificate_chain: List[str], at: Optional[str]) -> str: ...
def verify_sigstore(
    common: Common,
    identity: str,
    oidc_issuer: str,
    use_staging: bool,
    trusted_root: Optional[str],
    trust_config: Optional[str],
    trust_state: Optional[str],
) -> str: ...
def verify_policy(
    policy: str,
    model_path: str,
    signatures: List[str],
    signature_dir: Optional[str],
    ignore_paths: List[str],
    ignore_git_paths: bool,
    ignore_unsigned_files: bool,
    at: Optional[str],
) -> str: ...
def check_name(code: int) -> Optional[str]: ...
