//! Elements: what is referenced on the map — organizations, projects, events, points of
//! interest and classified ads — with Communecter's own types.

pub mod hours;
pub mod input;
pub mod jsonld;
pub mod slug;
pub mod view;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Organization,
    Project,
    Event,
    Poi,
    Classified,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Organization,
        Kind::Project,
        Kind::Event,
        Kind::Poi,
        Kind::Classified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Project => "project",
            Kind::Event => "event",
            Kind::Poi => "poi",
            Kind::Classified => "classified",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The types this kind takes (`type`); empty when it takes none.
    pub fn types(self) -> &'static [&'static str] {
        match self {
            Kind::Organization => &[
                "NGO",
                "LocalBusiness",
                "Group",
                "GovernmentOrganization",
                "Cooperative",
            ],
            Kind::Event => &[
                "competition",
                "concert",
                "contest",
                "exhibition",
                "festival",
                "getTogether",
                "market",
                "meeting",
                "course",
                "workshop",
                "conference",
                "debate",
                "film",
                "stand",
                "crowdfunding",
                "others",
            ],
            Kind::Poi => &[
                "compostPickup",
                "sharedLibrary",
                "artPiece",
                "recoveryCenter",
                "trash",
                "history",
                "something2See",
                "streetArts",
                "openScene",
                "stand",
                "parking",
                "other",
            ],
            Kind::Project | Kind::Classified => &[],
        }
    }

    /// What a member is called for this kind: members of organizations, contributors of
    /// projects, attendees of events.
    pub fn member_role(self) -> Option<&'static str> {
        match self {
            Kind::Organization => Some("member"),
            Kind::Project => Some("contributor"),
            Kind::Event => Some("attendee"),
            Kind::Poi | Kind::Classified => None,
        }
    }

    /// Whether its people decide together in a cooperative space of its own: organizations and
    /// projects (an event or a place has no standing community).
    pub fn has_cooperative_space(self) -> bool {
        matches!(self, Kind::Organization | Kind::Project)
    }
}

/// Free-text roles of a member ("trésorière", "bénévole"): at most 10, each 1 to 40 characters.
pub fn roles(roles: &[String]) -> Result<Vec<String>, crate::error::ApiError> {
    let invalid =
        || crate::error::ApiError::on_field(crate::error::ErrorCode::InvalidField, "roles");
    let mut kept: Vec<String> = Vec::new();
    for role in roles {
        let role = role.trim().to_string();
        if role.is_empty() || role.chars().count() > 40 || role.chars().any(char::is_control) {
            return Err(invalid());
        }
        if !kept.contains(&role) {
            kept.push(role);
        }
    }
    if kept.len() > 10 {
        return Err(invalid());
    }
    Ok(kept)
}

pub const STAGES: [&str; 6] = [
    "idea",
    "concept",
    "started",
    "development",
    "testing",
    "mature",
];
pub const SECTIONS: [&str; 6] = [
    "forsale",
    "forrent",
    "sharing",
    "donation",
    "lookingfor",
    "job",
];

/// What a person is to an element, as the rule that keeps it an admin reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Membership {
    pub member: bool,
    pub admin: bool,
}

/// An element keeps someone to look after it: its last active admin may neither leave nor step
/// down. The statements that leave or change a member check it as they write (so two last
/// admins leaving at once cannot both go); when one wrote nothing, these say why from what the
/// person still is. A leave that wrote nothing left a non-member (nothing to do) or the last
/// admin (409).
pub fn after_leave(left: bool, now: Membership) -> Result<(), crate::error::ApiError> {
    use crate::error::{ApiError, ErrorCode};
    match !left && now.member && now.admin {
        true => Err(ApiError::new(ErrorCode::Conflict)),
        false => Ok(()),
    }
}

/// A change of a member that wrote nothing met the last admin (409) or no member (404 on
/// `person_id`).
pub fn after_member_change(changed: bool, now: Membership) -> Result<(), crate::error::ApiError> {
    use crate::error::{ApiError, ErrorCode};
    match (changed, now.member) {
        (true, _) => Ok(()),
        (false, true) => Err(ApiError::new(ErrorCode::Conflict)),
        (false, false) => Err(ApiError::on_field(ErrorCode::NotFound, "person_id")),
    }
}

#[cfg(test)]
mod tests {
    use super::{Membership, after_leave, after_member_change};
    use crate::error::ErrorCode;

    #[test]
    fn organizations_and_projects_have_a_cooperative_space_and_nothing_else_does() {
        let spaces: Vec<&str> = super::Kind::ALL
            .into_iter()
            .filter(|k| k.has_cooperative_space())
            .map(super::Kind::as_str)
            .collect();
        assert_eq!(spaces, ["organization", "project"]);
    }

    #[test]
    fn the_last_admin_stays_and_a_missing_member_is_named() {
        let admin = Membership {
            member: true,
            admin: true,
        };
        let member = Membership {
            member: true,
            admin: false,
        };
        let nobody = Membership::default();
        assert!(after_leave(true, nobody).is_ok(), "left");
        assert!(
            after_leave(false, nobody).is_ok(),
            "was no member: nothing to do"
        );
        let kept = after_leave(false, admin).unwrap_err();
        assert_eq!(kept.code, ErrorCode::Conflict, "the last admin stays");
        assert!(after_member_change(true, member).is_ok());
        assert_eq!(
            after_member_change(false, admin).unwrap_err().code,
            ErrorCode::Conflict
        );
        let missing = after_member_change(false, nobody).unwrap_err();
        assert_eq!(
            (missing.code, missing.field.as_deref()),
            (ErrorCode::NotFound, Some("person_id"))
        );
    }

    use super::*;

    #[test]
    fn kinds_round_trip_and_carry_communecter_types() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert!(Kind::Organization.types().contains(&"NGO"));
        assert!(Kind::Event.types().contains(&"getTogether"));
        assert!(Kind::Poi.types().contains(&"compostPickup"));
        assert!(Kind::Project.types().is_empty());
        assert_eq!(Kind::Event.member_role(), Some("attendee"));
        assert_eq!(Kind::parse("person"), None);
    }

    #[test]
    fn roles_are_short_free_texts() {
        let roles =
            |list: &[&str]| super::roles(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            roles(&[" trésorière ", "bénévole", "bénévole"]).unwrap(),
            ["trésorière", "bénévole"]
        );
        assert!(roles(&[""]).is_err());
        assert!(roles(&[&"x".repeat(41)]).is_err());
        assert!(roles(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]).is_err());
    }
}
