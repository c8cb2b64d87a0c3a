//! Passwordless sign-in: a one-time link and code by mail, exchanged for a session cookie.

use crate::mail::{self, Secrets};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo};
use axum::extract::State;
use domain::account::{self, SessionTimes};
use domain::error::{ApiError, ErrorCode};
use domain::{limits, secret};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailBody {
    email: String,
}

/// `POST /api/auth/email`: the same 202 whether or not the address is known.
pub async fn request_link(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let body: EmailBody = req.json().await?;
    let email = account::normalize_email(&body.email)?;
    let now = app.now();
    let client = req.client(&app);
    repo::limits::enforce(
        &app,
        &[
            (limits::SIGN_IN_PER_EMAIL, &email),
            (limits::SIGN_IN_PER_CLIENT, &client),
        ],
        now,
    )
    .await?;

    let token = app.token();
    let mut random = [0u8; 5];
    app.random.fill(&mut random);
    let code = secret::short_code(&random);
    // The link leads to the configured site, never to the `Host` a request names: a forged
    // Host would otherwise send someone's sign-in token to another site.
    let message = domain::mail::sign_in(
        &app.config.site_url,
        &email,
        &token,
        &code,
        account::SIGN_IN_TTL_SECS / 60,
    );
    mail::ready(&app)?;
    let code_hash = secret::hash(&format!("{email}:{code}"));
    repo::accounts::create_sign_in(
        &app,
        &secret::hash(&token),
        &code_hash,
        &email,
        now,
        now + account::SIGN_IN_TTL_SECS,
    )
    .await?;
    let secrets = Secrets {
        token: &token,
        code: &code,
    };
    mail::send(&app, &message, secrets).await?;
    respond::json_status(
        &json!({
            "status": "sent",
            "message": "Si l’adresse est valide, un lien et un code de connexion viennent d’y être envoyés.",
            "expires_in": account::SIGN_IN_TTL_SECS,
        }),
        202,
    )
}

/// Either the link's token, or the address and the typed code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyBody {
    token: Option<String>,
    email: Option<String>,
    code: Option<String>,
}

/// `POST /api/auth/verify`: opens a session and sets its cookie.
pub async fn verify(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let body: VerifyBody = req.json().await?;
    let now = app.now();
    let client = req.client(&app);
    repo::limits::enforce(&app, &[(limits::VERIFY_PER_CLIENT, &client)], now).await?;
    let email = signed_in_email(&app, body, now).await?;
    let session = app.token();
    let times = SessionTimes::start(now);
    let person = repo::accounts::open_session(
        &app,
        &format!("p_{}", &app.token()[..22]),
        &email,
        &secret::hash(&session),
        times,
        now,
    )
    .await?;
    let admin = account::is_instance_admin(&person.email, &app.config.admin_emails);
    let response = respond::json(&json!({ "user": person.me_view(admin) }))?;
    respond::with_session_cookies(response, Some(&session))
}

/// The address a link or a typed code proves, using it up; 401 when it proves none.
async fn signed_in_email(app: &App, body: VerifyBody, now: i64) -> Result<String, ApiError> {
    let invalid = || ApiError::new(ErrorCode::InvalidSignInToken);
    match body {
        VerifyBody {
            token: Some(token), ..
        } => repo::accounts::use_token(app, &secret::hash(token.trim()), now)
            .await?
            .ok_or_else(invalid),
        VerifyBody {
            email: Some(email),
            code: Some(code),
            ..
        } => {
            let email = account::normalize_email(&email)?;
            let code_hash = secret::hash(&format!("{email}:{}", secret::normalize_code(&code)));
            let used =
                repo::accounts::use_code(app, &email, &code_hash, account::MAX_CODE_ATTEMPTS, now)
                    .await?;
            used.then_some(email).ok_or_else(invalid)
        }
        _ => Err(ApiError::on_field(ErrorCode::InvalidField, "token")),
    }
}

/// `POST /api/auth/logout`: ends the session (if any) and clears the cookie.
pub async fn logout(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    if let Some(token) = req.session_token() {
        repo::accounts::delete_session(&app, &secret::hash(&token)).await?;
    }
    respond::with_session_cookies(respond::no_content()?, None)
}
