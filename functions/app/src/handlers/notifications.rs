//! What people are told: recorded once each where something happens (a reply, a comment, a
//! vote…), listed under the bell, marked read, and mailed at each person's cadence for its kind
//! — a reply at once, the rest in a daily digest unless they chose otherwise — with a one-click
//! unsubscribe that needs no sign-in (RFC 8058).

use crate::repo::{query, query_first, run};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, log};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use domain::notification::{self as rules, Cadence, Kind, Preferences};
use serde::Deserialize;
use serde_json::{Value, json};
use store::notifications::{self as sql, Notice, NotificationRow, Recipient};

/// A notification to record: what, where it leads, and what makes it once.
pub struct Told {
    pub kind: Kind,
    pub text: String,
    pub url: String,
    pub once: String,
}

impl Told {
    pub fn notice(&self, now: i64) -> Notice<'_> {
        Notice {
            kind: self.kind,
            text: &self.text,
            url: &self.url,
            once: &self.once,
            now,
        }
    }
}

/// Records notifications. Telling people never undoes what they are told of: a failure is
/// logged and the request goes on.
pub async fn record(app: &App, statement: store::db::Statement) {
    if let Err(error) = run(app, statement, "notification").await {
        log::error(&format!("notification not recorded: {}", error.code.code()));
    }
}

/// Tells one person, and mails them at once when that is their cadence for the kind.
pub async fn to_person(app: &App, person: &str, told: &Told) {
    record(app, sql::to_person(person, &told.notice(app.now()))).await;
    if let Ok(Some(recipient)) = query_first(app, sql::recipient(person), "recipient").await {
        let preferences = preferences_of(&recipient.notify);
        if preferences.cadence(told.kind) == Cadence::Immediate
            && let Err(error) = deliver(app, &recipient, app.now()).await
        {
            log::error(&format!("notification mail: {}", error.code.code()));
        }
    }
}

pub fn preferences_of(stored: &str) -> Preferences {
    serde_json::from_str(stored).unwrap_or_default()
}

fn item(row: &NotificationRow) -> Value {
    json!({
        "id": row.id.to_string(),
        "kind": row.kind,
        "text": row.text,
        "url": row.url,
        "created_at": domain::time::rfc3339(row.created_at),
        "read": row.read_at.is_some(),
    })
}

/// `GET /api/me/notifications`: newest first, with the unread count.
pub async fn list(State(app): State<App>, req: Req) -> Outcome {
    let person = crate::handlers::me::signed_in(&req, &app).await?;
    let limit = domain::paging::limit(req.query("limit").as_deref())?;
    let before = match req.query("cursor") {
        Some(c) => {
            Some(number(&c).ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "cursor"))?)
        }
        None => None,
    };
    let mut rows = query(
        &app,
        sql::of_person(&person.id, before, limit),
        "notifications",
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    let unread = query_first(&app, sql::unread(&person.id), "unread").await?;
    let items: Vec<Value> = rows.iter().map(item).collect();
    respond::json(&json!({
        "items": items,
        "unread": unread.map_or(0, |c| c.n),
        "next_cursor": next,
    }))
}

/// A notification's id as the list gave it: 1 to 18 digits, nothing else.
fn number(text: &str) -> Option<i64> {
    let digits = !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Read {
    up_to: String,
}

/// `POST /api/me/notifications/read {"up_to"}`: 204.
pub async fn read(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let person = crate::handlers::me::signed_in(&req, &app).await?;
    let asked: Read = req.json().await?;
    let up_to =
        number(&asked.up_to).ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "up_to"))?;
    run(&app, sql::read_up_to(&person.id, up_to, app.now()), "read").await?;
    respond::no_content()
}

/// The kinds due for a person now, by their cadences and their local day.
fn due(recipient: &Recipient, preferences: &Preferences, now: i64) -> rules::Due {
    let departement = recipient
        .home_scope
        .as_deref()
        .and_then(|scope| scope.strip_prefix("commune:"))
        .map(domain::zone::departement_of_commune);
    let offset = domain::localtime::offset_secs(departement, now);
    preferences.due(recipient.digest_at, recipient.weekly_digest_at, now, offset)
}

/// Mails a person what is due of their notifications, in one mail. Each notification is
/// claimed before the mail leaves (a second run finds it claimed), and given back when the
/// mail could not leave.
pub async fn deliver(app: &App, recipient: &Recipient, now: i64) -> Result<bool, ApiError> {
    let preferences = preferences_of(&recipient.notify);
    let due = due(recipient, &preferences, now);
    let waiting = query(app, sql::unmailed(&recipient.id), "unmailed").await?;
    let rows: Vec<&NotificationRow> = waiting
        .iter()
        .filter(|r| Kind::parse(&r.kind).is_some_and(|k| due.kinds.contains(&k)))
        .collect();
    if rows.is_empty() {
        return Ok(false);
    }
    let ids = serde_json::to_string(&rows.iter().map(|r| r.id).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let claimed = query(app, sql::claim(&recipient.id, &ids, now), "claim").await?;
    if claimed.len() != rows.len() {
        // Another run took some: it mails them; ours are given back for the next.
        run(app, sql::unclaim(&recipient.id, &ids), "unclaim").await?;
        return Ok(false);
    }
    let carried = kinds_of(&rows);
    let key = match &recipient.unsubscribe_key {
        Some(key) => key.clone(),
        None => {
            run(app, sql::key(&recipient.id, &app.token()), "key").await?;
            query_first(app, sql::recipient(&recipient.id), "recipient")
                .await?
                .and_then(|r| r.unsubscribe_key)
                .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?
        }
    };
    let message = mail(app, recipient, &rows, &carried, &key);
    if let Err(error) = crate::mail::send(app, &message, Default::default()).await {
        run(app, sql::unclaim(&recipient.id, &ids), "unclaim").await?;
        return Err(error);
    }
    if preferences.is_digest(&carried) {
        let digested = sql::digested(&recipient.id, due.daily, due.weekly, now);
        run(app, digested, "digest").await?;
    }
    Ok(true)
}

/// The kinds a mail carries, each once, in the order they come.
fn kinds_of(rows: &[&NotificationRow]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = Vec::new();
    for kind in rows.iter().filter_map(|r| Kind::parse(&r.kind)) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// The mail: each notification's line and link, where to change what is mailed, and the
/// one-click unsubscribe of the kinds it carries.
fn mail(
    app: &App,
    recipient: &Recipient,
    rows: &[&NotificationRow],
    kinds: &[Kind],
    key: &str,
) -> domain::mail::Message {
    let site = &app.config.site_url;
    let lines: Vec<String> = rows
        .iter()
        .map(|r| format!("• {}\n  {site}{}", r.text, r.url))
        .collect();
    // Leaving this mail leaves the kinds it carried.
    let unsubscribe = unsubscribe_url(site, &recipient.id, kinds, key);
    let subject = match rows.len() {
        1 => rows[0].text.clone(),
        n => format!("Communs : {n} nouvelles pour vous"),
    };
    domain::mail::Message {
        to: recipient.email.clone(),
        subject,
        body: format!(
            "Bonjour,\n\n{}\n\nChoisir ce que vous recevez et quand : {site}/profil/\n\
             Ne plus recevoir ce type de message : {unsubscribe}\n",
            lines.join("\n")
        ),
        unsubscribe: Some(unsubscribe),
    }
}

/// The address that unsubscribes a person from kinds, signed with their key.
pub fn unsubscribe_url(site: &str, person: &str, kinds: &[Kind], key: &str) -> String {
    let token = rules::unsubscribe_token(key, person, kinds);
    let kinds = rules::kinds_text(kinds);
    format!("{site}/api/notifications/unsubscribe?person={person}&kind={kinds}&token={token}")
}

/// The scheduled run's part: each person with notifications waiting gets what is due, once.
pub async fn scheduled(app: &App) -> Result<(), ApiError> {
    let now = app.now();
    announce_votes(app, now).await?;
    for recipient in query(app, sql::to_mail(500), "to mail").await? {
        if let Err(error) = deliver(app, &recipient, now).await {
            log::error(&format!("digest for one person: {}", error.code.code()));
        }
    }
    Ok(())
}

/// Votes that opened since the last run are told to their community, once.
async fn announce_votes(app: &App, now: i64) -> Result<(), ApiError> {
    for proposal in query(app, sql::to_announce(now), "to announce").await? {
        if query(app, sql::announced(&proposal.id, now), "announced")
            .await?
            .is_empty()
        {
            continue;
        }
        tell_vote(
            app,
            Kind::VoteOpened,
            &proposal.id,
            &proposal.title,
            &proposal.community,
            now,
        )
        .await;
    }
    Ok(())
}

/// A vote's community is told it opened or closed, once.
async fn tell_vote(app: &App, kind: Kind, id: &str, title: &str, community: &str, now: i64) {
    let what = match kind {
        Kind::VoteOpened => "Le vote est ouvert",
        _ => "Le vote est clos",
    };
    let told = Told {
        kind,
        text: format!("{what} : {title}"),
        url: format!("/propositions/{id}/"),
        once: format!("{}:{id}", kind.as_str()),
    };
    let year_ago = domain::donation::donors_since(now);
    record(
        app,
        sql::to_community(community, year_ago, &told.notice(now)),
    )
    .await;
}

/// A vote just closed: its community is told.
pub async fn vote_closed(app: &App, row: &domain::vote::view::ProposalRow, now: i64) {
    if row.about_post.is_some() || row.about_comment.is_some() {
        return;
    }
    tell_vote(
        app,
        Kind::VoteClosed,
        &row.id,
        &row.title,
        &row.community,
        now,
    )
    .await;
}

#[derive(Deserialize)]
struct Unsubscribe {
    person: String,
    kind: String,
    token: String,
}

/// The link's person and kinds, when its signature holds; 403 otherwise.
async fn signed(app: &App, req: &Req) -> Result<(Recipient, Vec<Kind>), ApiError> {
    let pairs = req.query_pairs();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let asked = Unsubscribe {
        person: get("person"),
        kind: get("kind"),
        token: get("token"),
    };
    let forbidden = || ApiError::new(ErrorCode::Forbidden);
    let kinds = rules::kinds_of(&asked.kind)
        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "kind"))?;
    let recipient = query_first(app, sql::recipient(&asked.person), "recipient")
        .await?
        .ok_or_else(forbidden)?;
    let key = recipient.unsubscribe_key.as_deref().ok_or_else(forbidden)?;
    match rules::unsubscribe_valid(key, &recipient.id, &kinds, &asked.token) {
        true => Ok((recipient, kinds)),
        false => Err(forbidden()),
    }
}

/// `POST /api/notifications/unsubscribe?person&kind&token` (the mail client's one click, RFC
/// 8058, or the page's button): that kind is never mailed again. No session needed: the
/// signature is the permission.
pub async fn unsubscribe(State(app): State<App>, req: Req) -> Outcome {
    let (recipient, kinds) = signed(&app, &req).await?;
    let preferences = kinds
        .iter()
        .fold(preferences_of(&recipient.notify), |p, kind| {
            p.without(*kind)
        });
    let stored = serde_json::to_string(&preferences).unwrap_or_else(|_| "{}".into());
    run(
        &app,
        sql::set_preferences(&recipient.id, &stored),
        "preferences",
    )
    .await?;
    let wants_page = req
        .header("Accept")
        .is_some_and(|a| a.contains("text/html"));
    match wants_page {
        true => crate::handlers::pages::render(&unsubscribed(&kinds, true), 200),
        false => respond::no_content(),
    }
}

/// `GET` of the same link (a person following it): a page that asks, since mail scanners
/// follow links; its button posts.
pub async fn unsubscribe_page(State(app): State<App>, req: Req) -> Outcome {
    let (_, kinds) = signed(&app, &req).await?;
    crate::handlers::pages::render(&unsubscribed(&kinds, false), 200)
}

fn unsubscribed(kinds: &[Kind], done: bool) -> site::pages::Unsubscribe {
    site::pages::Unsubscribe {
        layout: site::pages::Layout::at(""),
        kinds: kinds.iter().map(|k| rules::label(*k)).collect(),
        done,
    }
}

/// 400 on `notifications` when the change names an unknown kind or cadence.
pub fn check(asked: &Value) -> Result<(), ApiError> {
    Preferences::default().changed(asked).map(|_| ())
}

/// `PATCH /api/me`'s `notifications`: the person's cadences after the change, stored.
pub async fn change(app: &App, person: &str, asked: &Value) -> Result<(), ApiError> {
    let current = query_first(app, sql::preferences(person), "preferences").await?;
    let current = preferences_of(&current.map(|p| p.notify).unwrap_or_default());
    let changed = current.changed(asked)?;
    let stored = serde_json::to_string(&changed).unwrap_or_else(|_| "{}".into());
    run(app, sql::set_preferences(person, &stored), "preferences").await
}

/// The person's cadence for every kind, as `GET /api/me` shows it.
pub async fn cadences(app: &App, person: &str) -> Result<Value, ApiError> {
    let current = query_first(app, sql::preferences(person), "preferences").await?;
    let preferences = preferences_of(&current.map(|p| p.notify).unwrap_or_default());
    Ok(serde_json::to_value(preferences.all()).unwrap_or_default())
}
