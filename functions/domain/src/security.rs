//! The security headers every response carries, whether the worker or the static assets answer it.
//! One list, so the API and the pre-rendered pages cannot drift apart.

/// No inline script or style anywhere: every script is a file served from our own origin. Map
/// tiles are the one outside resource: OpenStreetMap's, as images.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The embeddable map's policy: the same, but any site may frame it.
pub const EMBED_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *";

pub const HEADERS: [(&str, &str); 5] = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), payment=(), interest-cohort=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
];

/// The same headers as a Cloudflare static-assets `_headers` file, applied to every page.
pub fn assets_headers_file() -> String {
    let mut file = String::from("/*\n");
    for (name, value) in HEADERS {
        file.push_str(&format!("  {name}: {value}\n"));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_forbids_inline_script_and_framing() {
        let script = CONTENT_SECURITY_POLICY
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert_eq!(script, "script-src 'self'");
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(
            EMBED_CONTENT_SECURITY_POLICY.replace("frame-ancestors *", "frame-ancestors 'none'"),
            CONTENT_SECURITY_POLICY,
            "the embed differs only by who may frame it"
        );
    }

    #[test]
    fn headers_file_applies_every_header_to_every_path() {
        let file = assets_headers_file();
        let mut lines = file.lines();
        assert_eq!(lines.next(), Some("/*"));
        let rest: Vec<&str> = lines.collect();
        assert_eq!(rest.len(), HEADERS.len());
        for (line, (name, value)) in rest.iter().zip(HEADERS) {
            assert_eq!(*line, format!("  {name}: {value}"));
        }
    }
}
