//! Notifications: what a person is told, and how often by mail. Quiet by default: everything in
//! a daily digest (résumé quotidien), but a reply to one's own comment at once. Each kind may be
//! mailed at once, daily, weekly or never; the bell in the app shows every notification whatever
//! the mail's cadence. A mail's one-click unsubscribe link (RFC 8058) carries a signature of the
//! person and the kind, so it works without signing in and cannot be forged for someone else.

use crate::error::{ApiError, ErrorCode};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;

/// What a person is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A reply to my comment.
    Reply,
    /// A new comment on what I follow or administer.
    Comment,
    /// A new event of what I follow or administer.
    Event,
    /// A vote opening in a community I belong to.
    VoteOpened,
    /// A vote closing in a community I belong to.
    VoteClosed,
    /// My pledge charged or released.
    Pledge,
    /// A feature I backed delivered.
    Delivered,
    /// My request to join answered.
    Membership,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Reply,
        Kind::Comment,
        Kind::Event,
        Kind::VoteOpened,
        Kind::VoteClosed,
        Kind::Pledge,
        Kind::Delivered,
        Kind::Membership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Comment => "comment",
            Kind::Event => "event",
            Kind::VoteOpened => "vote_opened",
            Kind::VoteClosed => "vote_closed",
            Kind::Pledge => "pledge",
            Kind::Delivered => "delivered",
            Kind::Membership => "membership",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The mail's cadence when the person chose none.
    pub fn default_cadence(self) -> Cadence {
        match self {
            Kind::Reply => Cadence::Immediate,
            _ => Cadence::Daily,
        }
    }
}

/// How often a kind is mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Immediate,
    Daily,
    Weekly,
    Never,
}

/// A person's choices, kind by kind (the kinds left out keep their default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences(pub BTreeMap<Kind, Cadence>);

impl Preferences {
    /// The cadence of `kind` for this person.
    pub fn cadence(&self, kind: Kind) -> Cadence {
        self.0
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_cadence())
    }

    /// Every kind with its cadence, as `/profil/` and `GET /api/me` show them.
    pub fn all(&self) -> BTreeMap<Kind, Cadence> {
        Kind::ALL
            .into_iter()
            .map(|k| (k, self.cadence(k)))
            .collect()
    }

    /// These choices with `asked` applied (`PATCH /api/me {"notifications": {kind: cadence}}`);
    /// 400 on `notifications` for an unknown kind or cadence.
    pub fn changed(&self, asked: &serde_json::Value) -> Result<Preferences, ApiError> {
        let invalid = || ApiError::on_field(ErrorCode::InvalidField, "notifications");
        let asked = asked.as_object().ok_or_else(invalid)?;
        let mut changed = self.clone();
        for (kind, cadence) in asked {
            let kind = Kind::parse(kind).ok_or_else(invalid)?;
            let cadence: Cadence =
                serde_json::from_value(cadence.clone()).map_err(|_| invalid())?;
            changed.0.insert(kind, cadence);
        }
        Ok(changed)
    }

    /// Unsubscribed from `kind` (the mail's one-click link).
    pub fn without(&self, kind: Kind) -> Preferences {
        let mut changed = self.clone();
        changed.0.insert(kind, Cadence::Never);
        changed
    }
}

/// What a mail may carry now for a person: the kinds mailed at once, and those whose digest is
/// due (`daily`, `weekly`: which digest this mail would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub kinds: Vec<Kind>,
    pub daily: bool,
    pub weekly: bool,
}

impl Preferences {
    /// The kinds due at `now` for a person whose last daily and weekly digests left at
    /// `daily_at` and `weekly_at` (local days and weeks: `offset`).
    pub fn due(&self, daily_at: Option<i64>, weekly_at: Option<i64>, now: i64, offset: i64) -> Due {
        let daily = digest_due(Cadence::Daily, daily_at, now, offset);
        let weekly = digest_due(Cadence::Weekly, weekly_at, now, offset);
        let kinds = Kind::ALL
            .into_iter()
            .filter(|kind| match self.cadence(*kind) {
                Cadence::Immediate => true,
                Cadence::Daily => daily,
                Cadence::Weekly => weekly,
                Cadence::Never => false,
            })
            .collect();
        Due {
            kinds,
            daily,
            weekly,
        }
    }

    /// Whether a mail carrying `kinds` is a digest (it then counts as the day's or week's),
    /// rather than only what is mailed at once.
    pub fn is_digest(&self, kinds: &[Kind]) -> bool {
        kinds.iter().any(|k| self.cadence(*k) != Cadence::Immediate)
    }
}

/// A kind in words, for the profile's choices and the unsubscribe page.
pub fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::Reply => "les réponses à mes commentaires",
        Kind::Comment => "les commentaires sur ce que je suis ou anime",
        Kind::Event => "les nouveaux événements de ma commune",
        Kind::VoteOpened => "l’ouverture d’un vote de mes communautés",
        Kind::VoteClosed => "la clôture d’un vote de mes communautés",
        Kind::Pledge => "mes engagements prélevés ou libérés",
        Kind::Delivered => "les fonctionnalités que j’ai soutenues, livrées",
        Kind::Membership => "les réponses à mes demandes d’adhésion",
    }
}

/// Whether a digest of `cadence` is due for a person whose last one went at `last` (None: never),
/// at `now`; `offset` is their local time's offset from UTC (`localtime::offset_secs`). A daily
/// digest goes once a local day, a weekly one once a local week (from Monday): so an hourly run
/// that runs twice sends it once.
pub fn digest_due(cadence: Cadence, last: Option<i64>, now: i64, offset: i64) -> bool {
    const DAY: i64 = 86_400;
    let day = |t: i64| (t + offset).div_euclid(DAY);
    // 1970-01-01 was a Thursday: day 4 of its week counted from Monday 0, so weeks start on
    // Monday when days are shifted by 3.
    let week = |t: i64| (day(t) + 3).div_euclid(7);
    match (cadence, last) {
        (Cadence::Daily, None) | (Cadence::Weekly, None) => true,
        (Cadence::Daily, Some(last)) => day(now) > day(last),
        (Cadence::Weekly, Some(last)) => week(now) > week(last),
        (Cadence::Immediate, _) | (Cadence::Never, _) => false,
    }
}

/// The kinds a mail's unsubscribe link names, as it writes them: `comment,event`.
pub fn kinds_text(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A link's kinds read back: known kinds, comma-separated, none twice; None otherwise.
pub fn kinds_of(text: &str) -> Option<Vec<Kind>> {
    let mut kinds = Vec::new();
    for part in text.split(',') {
        let kind = Kind::parse(part)?;
        if kinds.contains(&kind) {
            return None;
        }
        kinds.push(kind);
    }
    Some(kinds)
}

fn mac(secret: &str, person: &str, kinds: &[Kind]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("unsubscribe|{person}|{}", kinds_text(kinds)).as_bytes());
    mac
}

/// The signature in a mail's unsubscribe link: `person` may be unsubscribed from `kinds` (those
/// the mail carried) by whoever holds the link, and by nobody else.
pub fn unsubscribe_token(secret: &str, person: &str, kinds: &[Kind]) -> String {
    hex::encode(mac(secret, person, kinds).finalize().into_bytes())
}

/// Whether `token` is the unsubscribe signature of `person` and `kinds` (compared in constant
/// time).
pub fn unsubscribe_valid(secret: &str, person: &str, kinds: &[Kind], token: &str) -> bool {
    let Ok(given) = hex::decode(token) else {
        return false;
    };
    mac(secret, person, kinds).verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quiet_by_default_a_reply_at_once_and_the_rest_daily() {
        let none = Preferences::default();
        assert_eq!(none.cadence(Kind::Reply), Cadence::Immediate);
        for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Reply) {
            assert_eq!(none.cadence(kind), Cadence::Daily, "{kind:?}");
        }
        let chosen = none
            .changed(&json!({"comment": "weekly", "vote_opened": "never"}))
            .unwrap();
        assert_eq!(chosen.cadence(Kind::Comment), Cadence::Weekly);
        assert_eq!(chosen.cadence(Kind::VoteOpened), Cadence::Never);
        assert_eq!(chosen.cadence(Kind::Reply), Cadence::Immediate, "kept");
        assert_eq!(chosen.all().len(), Kind::ALL.len());
        for bad in [
            json!({"likes": "daily"}),
            json!({"reply": "hourly"}),
            json!("daily"),
        ] {
            let refused = none.changed(&bad).unwrap_err();
            assert_eq!(refused.field.as_deref(), Some("notifications"), "{bad}");
        }
        assert_eq!(
            chosen.without(Kind::Reply).cadence(Kind::Reply),
            Cadence::Never
        );
        let stored = serde_json::to_string(&chosen).unwrap();
        assert_eq!(
            serde_json::from_str::<Preferences>(&stored).unwrap(),
            chosen
        );
    }

    #[test]
    fn a_reply_is_due_at_once_and_the_rest_when_its_digest_is() {
        let mine = Preferences::default()
            .changed(&json!({"event": "weekly", "pledge": "never"}))
            .unwrap();
        let now = 1_796_623_200;
        // Both digests went an hour ago: only what is mailed at once.
        let soon = mine.due(Some(now - 3_600), Some(now - 3_600), now, 0);
        assert_eq!(soon.kinds, [Kind::Reply]);
        assert!(!soon.daily && !soon.weekly);
        // Never sent: the daily and weekly kinds too, never the one turned off.
        let first = mine.due(None, None, now, 0);
        assert!(first.daily && first.weekly);
        assert!(first.kinds.contains(&Kind::Event) && first.kinds.contains(&Kind::Comment));
        assert!(!first.kinds.contains(&Kind::Pledge));
        assert!(!mine.is_digest(&[Kind::Reply]));
        assert!(mine.is_digest(&[Kind::Reply, Kind::Comment]));
    }

    #[test]
    fn a_digest_goes_once_a_local_day_or_week() {
        let paris = 3_600; // winter
        // Monday 2026-12-07 06:00 UTC (07:00 in Paris).
        let monday = 1_796_623_200;
        assert!(digest_due(Cadence::Daily, None, monday, paris));
        assert!(
            !digest_due(Cadence::Daily, Some(monday), monday + 3_600, paris),
            "same day"
        );
        assert!(digest_due(
            Cadence::Daily,
            Some(monday),
            monday + 86_400,
            paris
        ));
        // 22:30 UTC on Monday is 23:30 in Paris, still Monday; 23:30 UTC is Tuesday there.
        let late = monday + 16 * 3_600 + 1_800;
        assert!(!digest_due(Cadence::Daily, Some(monday), late, paris));
        assert!(digest_due(
            Cadence::Daily,
            Some(monday),
            late + 3_600,
            paris
        ));
        assert!(
            !digest_due(Cadence::Weekly, Some(monday), monday + 6 * 86_400, paris),
            "Sunday"
        );
        assert!(
            digest_due(Cadence::Weekly, Some(monday), monday + 7 * 86_400, paris),
            "Monday"
        );
        assert!(!digest_due(Cadence::Immediate, None, monday, paris));
        assert!(!digest_due(Cadence::Never, None, monday, paris));
    }

    #[test]
    fn an_unsubscribe_link_works_for_its_person_and_kind_only() {
        let both = [Kind::Comment, Kind::Event];
        let token = unsubscribe_token("secret", "p_ana", &both);
        assert!(unsubscribe_valid("secret", "p_ana", &both, &token));
        assert!(!unsubscribe_valid("secret", "p_bob", &both, &token));
        assert!(
            !unsubscribe_valid("secret", "p_ana", &[Kind::Comment], &token),
            "not a part of it"
        );
        assert!(!unsubscribe_valid("other", "p_ana", &both, &token));
        assert!(!unsubscribe_valid("secret", "p_ana", &both, "zz"));
        assert_eq!(kinds_of(&kinds_text(&both)), Some(both.to_vec()));
        for bad in ["", "comment,", "comment,comment", "hourly"] {
            assert_eq!(kinds_of(bad), None, "{bad}");
        }
    }
}
