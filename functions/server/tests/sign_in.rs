//! The production binary signs a person in by mail (issue 21, "Done when"): `communs serve` as a
//! child process with `ENVIRONMENT` unset, SMTP to a server started here, the site behind a
//! reverse proxy that terminates TLS (SITE_URL https://communs.example, the proxy passing the
//! client's Host on).

mod support;

use support::{Served, SmtpServer, request};

const SITE: &str = "https://communs.example";
const HOST: &str = "communs.example";
const PASSWORD: &str = "s3cret-pass";

/// A write as the site's page in a browser sends it through the proxy.
fn from_the_site(cookie: &str) -> Vec<(&str, &str)> {
    let mut headers = vec![
        ("Host", HOST),
        ("Origin", SITE),
        ("Content-Type", "application/json"),
    ];
    if !cookie.is_empty() {
        headers.push(("Cookie", cookie));
    }
    headers
}

/// The session cookie (`name=value`) an answer sets.
fn session_cookie(answer: &support::Answer) -> String {
    let prefix = format!("{}=", domain::account::SESSION_COOKIE);
    answer
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.split(';').next().unwrap_or_default().to_string())
        .find(|pair| pair.starts_with(&prefix) && pair.len() > prefix.len())
        .unwrap_or_else(|| panic!("no session cookie in {:?}", answer.headers))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_by_mail_through_smtp_on_the_production_binary() {
    let smtp = SmtpServer::start(Some(PASSWORD)).await;
    let (dir, site) = support::folder();
    let smtp_url = format!("smtp://bonjour:{PASSWORD}@{}", smtp.address);
    let served = Served::start(
        &dir.path().join("communs.db"),
        &site,
        &[
            ("SITE_URL", SITE),
            ("SMTP_URL", &smtp_url),
            ("MAIL_FROM", "Communs <bonjour@communs.example>"),
            ("CLIENT_ADDRESS", "x-forwarded-for"),
        ],
    );
    let at = served.address;

    let foreign = request(
        at,
        "POST",
        "/api/auth/email",
        &[
            ("Host", HOST),
            ("Origin", "http://communs.example"),
            ("Content-Type", "application/json"),
        ],
        r#"{"email": "ana@example.org"}"#,
    )
    .await
    .unwrap();
    assert_eq!(foreign.status, 403, "{}", foreign.text());

    let asked = request(
        at,
        "POST",
        "/api/auth/email",
        &from_the_site(""),
        r#"{"email": "Ana@Example.org"}"#,
    )
    .await
    .unwrap();
    assert_eq!(asked.status, 202, "{}\n{}", asked.text(), served.log());

    let mail = smtp.mail(1).await;
    assert_eq!(mail.to, ["<ana@example.org>"]);
    let text = mail.text();
    let link = format!("{SITE}/connexion/#jeton=");
    let token = text
        .split(&link)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no link in {text}"));

    let verified = request(
        at,
        "POST",
        "/api/auth/verify",
        &from_the_site(""),
        &serde_json::json!({ "token": token }).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(verified.status, 200, "{}", verified.text());
    assert_eq!(verified.json()["user"]["email"], "ana@example.org");
    let cookie = session_cookie(&verified);

    let me = request(
        at,
        "GET",
        "/api/me",
        &[("Host", HOST), ("Cookie", &cookie)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["email"], "ana@example.org", "{}", me.text());

    // The link is used up; the code of a second mail signs in as well.
    let again = request(
        at,
        "POST",
        "/api/auth/verify",
        &from_the_site(""),
        &serde_json::json!({ "token": token }).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(again.status, 401, "{}", again.text());
    let asked = request(
        at,
        "POST",
        "/api/auth/email",
        &from_the_site(""),
        r#"{"email": "ana@example.org"}"#,
    )
    .await
    .unwrap();
    assert_eq!(asked.status, 202, "{}", asked.text());
    let subject = smtp.mail(2).await.header("Subject").unwrap();
    let code = subject
        .split("(code ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no code in {subject}"));
    let by_code = request(
        at,
        "POST",
        "/api/auth/verify",
        &from_the_site(""),
        &serde_json::json!({ "email": "ana@example.org", "code": code }).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(by_code.status, 200, "{}", by_code.text());

    let log = served.log();
    assert!(log.contains("mail: SMTP smtp://bonjour@"), "{log}");
    assert!(
        !log.contains(PASSWORD),
        "the password is never logged: {log}"
    );
    served.stop();
}
