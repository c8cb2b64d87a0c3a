//! Passwordless sign-in: a one-time link and code by mail, exchanged for a session cookie.

use crate::mail::{Mailer, Secrets};
use crate::respond::{self, Outcome};
use crate::{platform, repo, request};
use domain::account::{self, SessionTimes};
use domain::error::{ApiError, ErrorCode};
use domain::{limits, secret};
use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailBody {
    email: String,
}

/// `POST /api/auth/email`: the same 202 whether or not the address is known.
pub async fn request_link(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(send_link(&mut req, &ctx).await)
}

async fn send_link(req: &mut Request, ctx: &RouteContext<()>) -> Outcome {
    request::check_write(req)?;
    let body: EmailBody = request::json(req).await?;
    let email = account::normalize_email(&body.email)?;
    let now = platform::now();
    let client = request::client(req, &ctx.env);
    repo::limits::enforce(
        &ctx.env,
        &[
            (limits::SIGN_IN_PER_EMAIL, &email),
            (limits::SIGN_IN_PER_CLIENT, &client),
        ],
        now,
    )
    .await?;

    let config = crate::config::from_env(&ctx.env);
    let token = platform::token();
    let code = secret::short_code(&platform::random());
    // The link leads to the configured site, never to the `Host` a request names: a forged
    // Host would otherwise send someone's sign-in token to another site.
    let message = domain::mail::sign_in(
        &config.site_url,
        &email,
        &token,
        &code,
        account::SIGN_IN_TTL_SECS / 60,
    );
    let mailer = Mailer::of(&config)?;
    let code_hash = secret::hash(&format!("{email}:{code}"));
    repo::accounts::create_sign_in(
        &ctx.env,
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
    mailer.send(&ctx.env, &message, secrets).await?;
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
pub async fn verify(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(exchange(&mut req, &ctx).await)
}

async fn exchange(req: &mut Request, ctx: &RouteContext<()>) -> Outcome {
    request::check_write(req)?;
    let body: VerifyBody = request::json(req).await?;
    let now = platform::now();
    repo::limits::enforce(
        &ctx.env,
        &[(limits::VERIFY_PER_CLIENT, &request::client(req, &ctx.env))],
        now,
    )
    .await?;
    let invalid = || ApiError::new(ErrorCode::InvalidSignInToken);
    let email = match body {
        VerifyBody {
            token: Some(token), ..
        } => repo::accounts::use_token(&ctx.env, &secret::hash(token.trim()), now)
            .await?
            .ok_or_else(invalid)?,
        VerifyBody {
            email: Some(email),
            code: Some(code),
            ..
        } => {
            let email = account::normalize_email(&email)?;
            let code_hash = secret::hash(&format!("{email}:{}", secret::normalize_code(&code)));
            let used = repo::accounts::use_code(
                &ctx.env,
                &email,
                &code_hash,
                account::MAX_CODE_ATTEMPTS,
                now,
            )
            .await?;
            if !used {
                return Err(invalid());
            }
            email
        }
        _ => return Err(ApiError::on_field(ErrorCode::InvalidField, "token")),
    };
    let session = platform::token();
    let times = SessionTimes::start(now);
    let person = repo::accounts::open_session(
        &ctx.env,
        &format!("p_{}", &platform::token()[..22]),
        &email,
        &secret::hash(&session),
        times,
        now,
    )
    .await?;
    let admin = account::is_instance_admin(
        &person.email,
        &crate::config::from_env(&ctx.env).admin_emails,
    );
    let response = respond::json(&json!({ "user": person.me_view(admin) }))?;
    respond::with_session_cookies(response, Some(&session))
}

/// `POST /api/auth/logout`: ends the session (if any) and clears the cookie.
pub async fn logout(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(end_session(&req, &ctx).await)
}

async fn end_session(req: &Request, ctx: &RouteContext<()>) -> Outcome {
    request::check_write(req)?;
    if let Some(token) = request::session_token(req) {
        repo::accounts::delete_session(&ctx.env, &secret::hash(&token)).await?;
    }
    respond::with_session_cookies(respond::no_content()?, None)
}
