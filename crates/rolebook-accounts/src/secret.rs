//! Random secrets (session cookies, API tokens, sign-up links) and the
//! digests stored in their place.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::AccountError;

/// A new secret: 32 random bytes (256 bits) in URL-safe base64, with
/// `prefix` so a leaked one can be recognised (`rbt_` for API tokens).
pub(crate) fn new_secret(prefix: &str) -> Result<String, AccountError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AccountError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// What is stored for a secret: its SHA-256 in hex. The secrets are
/// random and long, so a fast hash is enough; a copy of the database
/// gives no secret back.
pub(crate) fn digest(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_prefixed() {
        let a = new_secret("rbt_").expect("random");
        let b = new_secret("rbt_").expect("random");
        assert_ne!(a, b);
        assert!(a.starts_with("rbt_"));
        assert_eq!(a.len(), 4 + 43);
        assert_eq!(digest(&a).len(), 64);
        assert_eq!(digest(&a), digest(&a));
    }
}
