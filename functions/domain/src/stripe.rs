//! Stripe's webhook signatures: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
//! `"<t>.<raw body>"` with the endpoint's secret. Checked in constant time, within a tolerance.

use crate::error::{ApiError, ErrorCode};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How old a signed event may be: Stripe's own default.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a signature is refused; all of them answer 400 to the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    Malformed,
    Stale,
    Mismatch,
}

impl From<SignatureError> for ApiError {
    fn from(_: SignatureError) -> ApiError {
        ApiError::on_field(ErrorCode::BadRequest, "Stripe-Signature")
    }
}

/// Checks the header against the raw body; `now` in Unix seconds.
pub fn verify(header: &str, payload: &[u8], secret: &str, now: i64) -> Result<(), SignatureError> {
    let mut timestamp: Option<i64> = None;
    let mut signatures: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse().ok(),
            // Several v1 signatures appear while a secret is being rolled.
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    for signature in signatures {
        let mut mac = mac(secret);
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        if mac.verify_slice(&signature).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

/// The header Stripe would send for this body at `timestamp` (the development checkout uses it).
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = mac(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_signature_made_with_the_secret_passes() {
        let header = sign(BODY, SECRET, 1_000);
        assert!(header.starts_with("t=1000,v1="));
        assert_eq!(verify(&header, BODY, SECRET, 1_100), Ok(()));
        let rolled = format!("{},v1={}", header, "00".repeat(32));
        assert_eq!(
            verify(&rolled, BODY, SECRET, 1_000),
            Ok(()),
            "any v1 may match"
        );
    }

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231, test case 2, checks the independent implementation below…
        assert_eq!(
            independent_hmac("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // …which then checks what `sign` computes.
        assert_eq!(
            sign(b"x", "key", 0),
            format!("t=0,v1={}", independent_hmac("key", "0.x"))
        );
    }

    /// HMAC-SHA256 written from its definition (RFC 2104), to check the crate's use.
    fn independent_hmac(key: &str, message: &str) -> String {
        use sha2::Digest;
        let mut k = [0u8; 64];
        k[..key.len()].copy_from_slice(key.as_bytes());
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(message.bytes()).collect();
        let inner_hash = Sha256::digest(&inner);
        let outer: Vec<u8> = k
            .iter()
            .map(|b| b ^ 0x5c)
            .chain(inner_hash.iter().copied())
            .collect();
        hex::encode(Sha256::digest(&outer))
    }

    #[test]
    fn forged_stale_and_malformed_signatures_are_refused() {
        let header = sign(BODY, SECRET, 1_000);
        assert_eq!(
            verify(&header, BODY, "whsec_other", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header, b"{}", SECRET, 1_000),
            Err(SignatureError::Mismatch),
            "body changed"
        );
        assert_eq!(
            verify(&header, BODY, SECRET, 1_000 + TOLERANCE_SECS + 1),
            Err(SignatureError::Stale)
        );
        for bad in ["", "t=1000", "v1=abcd", "t=x,v1=00"] {
            assert_eq!(
                verify(bad, BODY, SECRET, 1_000),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }
}
