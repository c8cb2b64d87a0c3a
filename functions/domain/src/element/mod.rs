//! Elements: what is referenced on the map — organizations, projects, events, points of
//! interest and classified ads — with Communecter's own types.

pub mod input;
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

#[cfg(test)]
mod tests {
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
}
