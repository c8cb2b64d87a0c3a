//! Mail through SMTP: what the mailer sends, as an SMTP server started here receives it, and the
//! doctor's check of the server (reachable, refusing the password, unreachable).

mod support;

use app::ports::Mailer;
use server::doctor::Level;
use server::settings::Settings;
use server::smtp::Smtp;
use support::SmtpServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_leaves_through_smtp_with_its_sender_its_subject_and_its_text() {
    let server = SmtpServer::start(Some("s3cret-pass")).await;
    let url = format!(
        "smtp://bonjour%40communs.example:s3cret-pass@{}",
        server.address
    );
    let smtp = Smtp::new(
        &url,
        "Communs <bonjour@communs.example>",
        "https://communs.example",
    )
    .unwrap();
    let message = domain::mail::sign_in(
        "https://communs.example",
        "ana@example.org",
        "TOKEN-123",
        "ABCD2345",
        15,
    );
    smtp.send(&message).await.unwrap();

    let mail = server.mail(1).await;
    assert_eq!(mail.helo, "communs.example", "the site's host greets");
    assert_eq!(
        mail.auth.as_deref(),
        Some("\0bonjour@communs.example\0s3cret-pass")
    );
    assert_eq!(mail.from, "<bonjour@communs.example>");
    assert_eq!(mail.to, ["<ana@example.org>"]);
    assert_eq!(
        mail.header("From").as_deref(),
        Some("Communs <bonjour@communs.example>")
    );
    assert_eq!(mail.header("To").as_deref(), Some("ana@example.org"));
    assert_eq!(mail.header("Subject"), Some(message.subject.clone()));
    assert!(
        mail.header("Message-ID")
            .unwrap()
            .ends_with("@communs.example>")
    );
    assert!(mail.header("Date").is_some());
    assert!(
        mail.header("Content-Type")
            .unwrap()
            .to_ascii_lowercase()
            .contains("charset=utf-8")
    );
    assert_eq!(mail.text().replace("\r\n", "\n"), message.body);

    // A refused password is an error naming the server, never the password.
    let wrong = Smtp::new(
        &format!("smtp://bonjour:wrong-pass@{}", server.address),
        "bonjour@communs.example",
        "https://communs.example",
    )
    .unwrap();
    let error = wrong.send(&message).await.unwrap_err();
    assert!(error.contains(&server.address.to_string()), "{error}");
    assert!(!error.contains("wrong-pass"), "{error}");
}

/// The doctor's SMTP check, in-process, with `settings` as the configuration file's text.
fn reachable(settings: &str) -> server::doctor::Finding {
    let settings = Settings::with(settings, |_| None).unwrap();
    server::doctor::mail_reachable(&settings).expect("an SMTP check")
}

#[test]
fn the_doctor_connects_to_the_smtp_server_and_says_what_is_wrong() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(SmtpServer::start(Some("s3cret-pass")));
    let address = server.address;

    let fine = reachable(&format!(
        "SMTP_URL=smtp://u:s3cret-pass@{address}\nMAIL_FROM=bonjour@communs.example"
    ));
    assert_eq!(fine.level, Level::Ok, "{fine}");
    assert!(fine.message.contains(&address.to_string()), "{fine}");
    assert!(!fine.to_string().contains("s3cret"), "{fine}");

    let refused = reachable(&format!(
        "SMTP_URL=smtp://u:n0t-it@{address}\nMAIL_FROM=bonjour@communs.example"
    ));
    assert_eq!(refused.level, Level::Problem, "{refused}");
    assert!(refused.message.contains("mot de passe"), "{refused}");
    assert!(
        refused.remedy.as_ref().unwrap().contains("%40"),
        "{refused}"
    );
    assert!(!refused.to_string().contains("n0t-it"), "{refused}");

    let not_tls = reachable(&format!(
        "SMTP_URL=smtps://u:s3cret-pass@{address}\nMAIL_FROM=bonjour@communs.example"
    ));
    assert_eq!(not_tls.level, Level::Problem, "{not_tls}");
    assert!(not_tls.message.contains("TLS a échoué"), "{not_tls}");
    assert!(
        not_tls.remedy.as_ref().unwrap().contains("smtps://"),
        "{not_tls}"
    );

    // A port nothing listens on (taken, then let go).
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let unreachable = reachable(&format!(
        "SMTP_URL=smtp://{closed}\nMAIL_FROM=bonjour@communs.example"
    ));
    assert_eq!(unreachable.level, Level::Problem, "{unreachable}");
    assert!(unreachable.message.contains("injoignable"), "{unreachable}");
    assert!(
        unreachable.remedy.as_ref().unwrap().contains("pare-feu"),
        "{unreachable}"
    );

    let development = Settings::with(
        &format!("ENVIRONMENT=development\nSMTP_URL=smtp://{closed}\nMAIL_FROM=a@b.fr"),
        |_| None,
    )
    .unwrap();
    assert!(
        server::doctor::mail_reachable(&development).is_none(),
        "development mail stays in the outbox: nothing to reach"
    );
    drop(server);
    runtime.shutdown_background();
}

#[test]
fn communs_doctor_fails_when_the_smtp_server_refuses_and_passes_when_it_answers() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(SmtpServer::start(Some("s3cret-pass")));
    let (dir, site) = support::folder();
    let db = dir.path().join("communs.db");
    let db = db.to_str().unwrap();
    let (migrated, output) = support::run(&["migrate", "--db", db], &[]);
    assert!(migrated, "{output}");

    let settings = |password: &str| {
        vec![
            ("SITE_URL", "https://communs.example".to_string()),
            ("MAIL_FROM", "Communs <bonjour@communs.example>".to_string()),
            (
                "SMTP_URL",
                format!("smtp://bonjour:{password}@{}", server.address),
            ),
        ]
    };
    let doctor = |password: &str| {
        let settings = settings(password);
        let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        support::run(
            &["doctor", "--db", db, "--site", site.to_str().unwrap()],
            &settings,
        )
    };

    let (healthy, output) = doctor("s3cret-pass");
    assert!(healthy, "{output}");
    assert!(output.contains("ok        serveur de courriel"), "{output}");
    assert!(!output.contains("s3cret-pass"), "{output}");

    let (sick, output) = doctor("n0t-it");
    assert!(!sick, "a refused password is a problem: {output}");
    assert!(output.contains("PROBLÈME  serveur de courriel"), "{output}");
    assert!(!output.contains("n0t-it"), "{output}");
    drop(server);
    runtime.shutdown_background();
}
