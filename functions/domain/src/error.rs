//! One error type for the whole product. Each variant has a stable snake_case code that clients
//! may rely on, one HTTP status and one French message; they are mapped here and nowhere else.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadRequest,
    InvalidJson,
    InvalidField,
    InvalidEmail,
    /// A zone id of the right shape that names no zone.
    UnknownZone,
    NotSignedIn,
    InvalidSignInToken,
    Forbidden,
    ForeignOrigin,
    NotFound,
    /// No commune's contour holds the point.
    OutsideZones,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Unavailable,
    /// The payment provider refused or did not answer.
    PaymentProvider,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::BadRequest,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidField,
        ErrorCode::InvalidEmail,
        ErrorCode::UnknownZone,
        ErrorCode::NotSignedIn,
        ErrorCode::InvalidSignInToken,
        ErrorCode::Forbidden,
        ErrorCode::ForeignOrigin,
        ErrorCode::NotFound,
        ErrorCode::OutsideZones,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::TooManyRequests,
        ErrorCode::Unavailable,
        ErrorCode::PaymentProvider,
        ErrorCode::Internal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::UnknownZone => "unknown_zone",
            ErrorCode::NotSignedIn => "not_signed_in",
            ErrorCode::InvalidSignInToken => "invalid_sign_in_token",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::ForeignOrigin => "foreign_origin",
            ErrorCode::NotFound => "not_found",
            ErrorCode::OutsideZones => "outside_zones",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::Unavailable => "service_unavailable",
            ErrorCode::PaymentProvider => "payment_provider_error",
            ErrorCode::Internal => "internal_error",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest
            | ErrorCode::InvalidJson
            | ErrorCode::InvalidField
            | ErrorCode::InvalidEmail
            | ErrorCode::UnknownZone => 400,
            ErrorCode::NotSignedIn | ErrorCode::InvalidSignInToken => 401,
            ErrorCode::Forbidden | ErrorCode::ForeignOrigin => 403,
            ErrorCode::NotFound | ErrorCode::OutsideZones => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::PaymentProvider => 502,
            ErrorCode::Internal => 500,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "La requête est invalide.",
            ErrorCode::InvalidJson => "Le corps de la requête n’est pas un JSON valide.",
            ErrorCode::InvalidField => "Ce champ est manquant ou invalide.",
            ErrorCode::InvalidEmail => "Cette adresse électronique n’est pas valide.",
            ErrorCode::UnknownZone => {
                "Ce lieu est inconnu : choisissez une commune, un code postal, un département ou une région existants."
            }
            ErrorCode::NotSignedIn => "Vous devez être connecté·e pour faire cela.",
            ErrorCode::InvalidSignInToken => {
                "Ce lien ou ce code de connexion est invalide, expiré ou déjà utilisé."
            }
            ErrorCode::Forbidden => "Vous n’avez pas le droit de faire cela.",
            ErrorCode::ForeignOrigin => "Requête refusée : elle ne vient pas de ce site.",
            ErrorCode::NotFound => "Cette ressource n’existe pas.",
            ErrorCode::OutsideZones => "Ce point ne se trouve dans aucune commune connue.",
            ErrorCode::MethodNotAllowed => "Cette méthode n’est pas permise sur cette adresse.",
            ErrorCode::Conflict => {
                "Cette action entre en conflit avec l’état actuel. Rechargez et réessayez."
            }
            ErrorCode::PayloadTooLarge => "Le corps de la requête est trop volumineux.",
            ErrorCode::UnsupportedMediaType => {
                "Ce type de contenu n’est pas accepté ici : du JSON pour l’API, une image JPEG, PNG ou WebP pour une photo."
            }
            ErrorCode::TooManyRequests => "Trop de demandes. Réessayez un peu plus tard.",
            ErrorCode::Unavailable => {
                "Le service est momentanément indisponible. Réessayez dans un instant."
            }
            ErrorCode::PaymentProvider => {
                "Le service de paiement n’a pas pu traiter la demande. Réessayez dans un moment."
            }
            ErrorCode::Internal => "Une erreur interne est survenue. Elle a été consignée.",
        }
    }
}

/// An error as the API reports it; `field` names the input at fault, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub field: Option<String>,
    /// Seconds before trying again, for 429 answers (sent as `Retry-After`).
    pub retry_after: Option<i64>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            field: None,
            retry_after: None,
        }
    }

    pub fn on_field(code: ErrorCode, field: impl Into<String>) -> Self {
        ApiError {
            code,
            field: Some(field.into()),
            retry_after: None,
        }
    }

    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The contract's body: `{"error": {"code", "message", "field"?}}`.
    pub fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.code(),
                message: self.code.message(),
                field: self.field.as_deref(),
            },
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code)
    }
}

#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub error: ErrorDetail<'a>,
}

#[derive(Debug, Serialize)]
pub struct ErrorDetail<'a> {
    pub code: &'static str,
    pub message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let key = code.code();
            assert!(seen.insert(key), "duplicate code {key}");
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{key} is not snake_case"
            );
        }
    }

    #[test]
    fn every_code_maps_to_an_error_status_and_a_french_sentence() {
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&code.status()), "{code:?}");
            let message = code.message();
            assert!(message.ends_with('.'), "{message}");
            assert!(message.chars().next().unwrap().is_uppercase(), "{message}");
        }
    }

    #[test]
    fn body_follows_the_contract() {
        let body = serde_json::to_value(ApiError::new(ErrorCode::NotFound).body()).unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], "Cette ressource n’existe pas.");
        assert!(body["error"].get("field").is_none());

        let with_field = ApiError::on_field(ErrorCode::BadRequest, "email");
        let body = serde_json::to_value(with_field.body()).unwrap();
        assert_eq!(body["error"]["field"], "email");
        assert_eq!(with_field.status(), 400);
    }
}
