//! French words for the domain's codes, as pages show them.

pub fn kind(kind: &str) -> &'static str {
    match kind {
        "organization" => "Organisation",
        "project" => "Projet",
        "event" => "Événement",
        "poi" => "Lieu",
        "classified" => "Annonce",
        _ => "Élément",
    }
}

/// The type when there is one (in French), else the kind.
pub fn kind_and_type(kind: &str, type_: Option<&str>) -> &'static str {
    match type_ {
        Some(t) => type_label(t).unwrap_or_else(|| self::kind(kind)),
        None => self::kind(kind),
    }
}

fn type_label(type_: &str) -> Option<&'static str> {
    Some(match type_ {
        "NGO" => "Association",
        "LocalBusiness" => "Entreprise",
        "Group" => "Groupe",
        "GovernmentOrganization" => "Service public",
        "Cooperative" => "Coopérative",
        "competition" => "Compétition",
        "concert" => "Concert",
        "contest" => "Concours",
        "exhibition" => "Exposition",
        "festival" => "Festival",
        "getTogether" => "Rencontre",
        "market" => "Marché",
        "meeting" => "Réunion",
        "course" => "Cours",
        "workshop" => "Atelier",
        "conference" => "Conférence",
        "debate" => "Débat",
        "film" => "Projection",
        "stand" => "Stand",
        "crowdfunding" => "Financement participatif",
        "others" | "other" => "Autre",
        "compostPickup" => "Point de compostage",
        "sharedLibrary" => "Boîte à livres",
        "artPiece" => "Œuvre d’art",
        "recoveryCenter" => "Ressourcerie",
        "trash" => "Point de collecte",
        "history" => "Lieu d’histoire",
        "something2See" => "À voir",
        "streetArts" => "Art de rue",
        "openScene" => "Scène ouverte",
        "parking" => "Stationnement",
        _ => return None,
    })
}

/// A count the French way: "519 127" (narrow no-break spaces between thousands).
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// « donateur·ice » after 1 (or 0), « donateur·ices » after more.
pub fn donors(n: i64) -> &'static str {
    if n > 1 {
        "donateur·ices"
    } else {
        "donateur·ice"
    }
}

/// How many follow an element and belong to it: « 1 abonné·e, 3 membres » (as the element's
/// island writes it too, when the counts move).
pub fn links(followers: i64, members: i64) -> String {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    format!(
        "{}, {}",
        plural(followers, "abonné·e", "abonné·es"),
        plural(members, "membre", "membres")
    )
}

/// A project's stage.
pub fn stage(stage: &str) -> &'static str {
    match stage {
        "idea" => "Idée",
        "concept" => "Concept",
        "started" => "Démarré",
        "development" => "En développement",
        "testing" => "En test",
        "mature" => "Abouti",
        _ => "Autre",
    }
}

/// A classified ad's section.
pub fn section(section: &str) -> &'static str {
    match section {
        "forsale" => "À vendre",
        "forrent" => "À louer",
        "sharing" => "Partage",
        "donation" => "Don",
        "lookingfor" => "Recherche",
        "job" => "Emploi",
        _ => "Autre",
    }
}

/// The button that links a person to an element, by what its members are called.
pub fn join(member_role: &str) -> &'static str {
    match member_role {
        "contributor" => "Contribuer",
        "attendee" => "Participer",
        _ => "Devenir membre",
    }
}

pub fn zone_kind(kind: &str) -> &'static str {
    match kind {
        "commune" => "Commune",
        "postal" => "Code postal",
        "departement" => "Département",
        "region" => "Région",
        _ => "Zone",
    }
}

/// A date for people, in the local time of the place (by its département):
/// "dimanche 20 décembre 2026 à 08 h 00".
pub fn local_date(departement: Option<&str>, rfc3339: &str) -> String {
    date(&domain::localtime::local_rfc3339(departement, rfc3339))
}

/// A date as written, offset included: "dimanche 20 décembre 2026 à 08 h 00".
pub fn date(rfc3339: &str) -> String {
    const DAYS: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => format!(
            "{} {} {} {} à {:02} h {:02}",
            DAYS[t.weekday().num_days_from_monday() as usize],
            t.day(),
            MONTHS[t.month0() as usize],
            t.year(),
            t.hour(),
            t.minute()
        ),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(super::links(1, 0), "1 abonné·e, 0 membre");
        assert_eq!(super::links(2, 3), "2 abonné·es, 3 membres");
        assert_eq!(super::donors(1), "donateur·ice");
        assert_eq!(super::donors(12), "donateur·ices");
    }

    #[test]
    fn codes_read_in_french() {
        assert_eq!(
            super::kind_and_type("organization", Some("NGO")),
            "Association"
        );
        assert_eq!(super::kind_and_type("project", None), "Projet");
        assert_eq!(super::kind_and_type("poi", Some("inconnu")), "Lieu");
        assert_eq!(
            super::date("2026-12-20T08:00:00Z"),
            "dimanche 20 décembre 2026 à 08 h 00"
        );
    }
}
