//! Receipts for secret ballots. The voter keeps a random receipt; the server keeps, next to the
//! ballot's content, only the receipt's hash bound to the proposal, and no person id: the ballot
//! cannot be traced back to anyone, yet its holder can find it and see that it was counted as cast.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 bits: nobody finds another's ballot by guessing.
pub const RECEIPT_BYTES: usize = 32;

/// The receipt as the voter keeps it, from the platform's random bytes: 43 URL-safe characters.
pub fn receipt_text(random: &[u8; RECEIPT_BYTES]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

/// What is stored: SHA-256 of the proposal id, a zero byte and the receipt, in hex. The proposal
/// id makes a receipt worthless on any other proposal; the zero byte, which no id holds, keeps
/// ("p1", "2…") and ("p12", "…") apart. Spaces around a pasted receipt do not count.
pub fn receipt_hash(proposal_id: &str, receipt: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(proposal_id.as_bytes());
    digest.update([0]);
    digest.update(receipt.trim().as_bytes());
    crate::secret::hex(&digest.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_url_safe_and_carry_all_their_randomness() {
        let a = receipt_text(&[7; RECEIPT_BYTES]);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, receipt_text(&[8; RECEIPT_BYTES]));
    }

    #[test]
    fn a_receipt_hashes_differently_on_another_proposal() {
        let receipt = receipt_text(&[42; RECEIPT_BYTES]);
        let here = receipt_hash("p_1", &receipt);
        assert_eq!(here.len(), 64);
        assert!(here.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(here, receipt_hash("p_1", &format!(" {receipt}\n")));
        assert_ne!(here, receipt_hash("p_2", &receipt));
        assert_ne!(receipt_hash("p1", "2abc"), receipt_hash("p12", "abc"));
    }

    #[test]
    fn the_hash_is_sha256_of_id_zero_receipt() {
        // printf 'p\0r' | sha256sum
        assert_eq!(
            receipt_hash("p", "r"),
            "376793968323a1967e8fdf496c9bd83e098a8511eac005e11d978e78276b4e76"
        );
    }
}
