//! Secrets handed to people (sign-in links, session cookies) and how we keep them: only as
//! SHA-256 hashes, so a copy of the database lets nobody sign in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Bytes of randomness in every token: 256 bits, well above the 128 the rules ask for.
pub const TOKEN_BYTES: usize = 32;

/// A URL-safe token from the platform's random bytes (the edge draws them from `crypto`).
pub fn token(random: &[u8; TOKEN_BYTES]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

/// The form in which a token is stored and looked up.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A short code to type by hand, in Crockford's base32 (no I, L, O or U to misread).
/// Eight symbols give 40 bits; the attempts against it are limited (see `account`).
pub fn short_code(random: &[u8; 5]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bits = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    (0..8)
        .map(|i| ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char)
        .collect()
}

/// How a typed code is compared: case, spaces and dashes do not matter, and the letters people
/// type for look-alike digits are read as Crockford's base32 reads them.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_all_their_randomness_and_are_url_safe() {
        let a = token(&[7; TOKEN_BYTES]);
        let b = token(&[8; TOKEN_BYTES]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 43); // 256 bits in base64 without padding
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn codes_use_eight_unambiguous_symbols() {
        let code = short_code(&[0xde, 0xad, 0xbe, 0xef, 0x42]);
        assert_eq!(code.len(), 8);
        assert!(code.chars().all(|c| !"ILOU".contains(c)), "{code}");
        assert_ne!(code, short_code(&[0xde, 0xad, 0xbe, 0xef, 0x43]));
        assert_eq!(short_code(&[0; 5]), "00000000");
        assert_eq!(short_code(&[0xff; 5]), "ZZZZZZZZ");
    }

    #[test]
    fn typed_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalize_code(" abcd-ef gh "), "ABCDEFGH");
        assert_eq!(normalize_code("o1il"), "0111");
    }
}
