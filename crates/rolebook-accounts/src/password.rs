//! Password hashing (argon2id) and the rules a new password must meet.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AccountError;

/// argon2id memory cost, in KiB, time cost and lanes. Measured on the
/// project's machines (2 cores): about 85 ms a hash in a release build
/// (`cargo run --release -p rolebook-accounts --example hash_cost`),
/// inside the 50–150 ms that keeps sign-in quick and guessing slow. Above
/// OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). Hashes carry
/// their parameters, so raising these later still verifies old ones.
pub const MEMORY_KIB: u32 = 46 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Shortest and longest password accepted (OWASP ASVS 4.0 2.1.1 and
/// 2.1.2: at least 12 characters; at most 128).
pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

fn hasher() -> Argon2<'static> {
    // The parameters are constants inside argon2's limits.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether `password` may be set: long enough, not too long, and not the
/// account's own email.
pub fn check(password: &str, email: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(AccountError::WeakPassword(format!(
            "a password needs at least {MIN_CHARS} characters; a few words make a good one"
        )));
    }
    if chars > MAX_CHARS {
        return Err(AccountError::WeakPassword(format!(
            "a password may have at most {MAX_CHARS} characters"
        )));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(AccountError::WeakPassword(
            "a password may not be the account's email".to_string(),
        ));
    }
    Ok(())
}

/// The PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, AccountError> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AccountError::Internal(format!("hashing a password failed: {e}")))
}

/// Whether `password` matches the PHC string `stored`; a string that does
/// not parse matches nothing.
pub fn verify(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of one verification without a stored hash, so that an
/// unknown email takes as long to refuse as a wrong password.
pub fn verify_nothing(password: &str) {
    let _ = hash(password);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").expect("hashes");
        assert!(
            stored.starts_with("$argon2id$v=19$m=47104,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(&stored, "correct horse battery"));
        assert!(!verify(&stored, "correct horse batterY"));
        assert!(!verify("not a hash", "correct horse battery"));
        // A fresh salt each time.
        assert_ne!(stored, hash("correct horse battery").expect("hashes"));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check("short", "a@example.org").is_err());
        assert!(check(&"x".repeat(129), "a@example.org").is_err());
        assert!(check("A@Example.org", "a@example.org").is_err());
        assert!(check("four words make one", "a@example.org").is_ok());
    }
}
