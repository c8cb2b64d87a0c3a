//! Who may do what, decided on the server for every action of the product. The edge builds the
//! actor (from the session and `ADMIN_EMAILS`) and the relation (from D1), and asks here.

use crate::error::{ApiError, ErrorCode};
use crate::vote::proposal::Eligibility;

/// Everything the product lets someone do that is not open to all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read public pages and data.
    ReadPublic,
    /// Read, export, edit or erase one's own account.
    ManageOwnAccount,
    CreateElement,
    EditElement,
    /// Decide who may edit or join an element (open edition, approval of members): its admins
    /// alone, even where anyone may edit its content.
    ChangeElementPolicy,
    DeleteElement,
    FollowElement,
    JoinElement,
    ManageMembers,
    ImportIntoElement,
    PostNews,
    Donate,
    Pledge,
    ProposeFeature,
    /// Decline a feature or move it along its pipeline once funded.
    SteerFeature,
    RecordManualPayment,
    /// Open a proposal in an element's cooperative space.
    ProposeInElement,
    /// Open a proposal in the whole instance's cooperative space.
    ProposeInInstance,
    /// Carry out an adopted resolution: add its actions, move them along. Its author, the
    /// community's admins (the element's, or the instance's).
    SteerResolution,
    ImportIntoInstance,
    /// Vote (and amend) on a proposal open to these voters.
    Vote(Eligibility),
}

impl Action {
    /// Whether deciding it needs to know if the actor is a donor (one more read, so only then).
    pub fn asks_donor(self) -> bool {
        matches!(
            self,
            Action::ProposeFeature | Action::ProposeInInstance | Action::Vote(Eligibility::Donors)
        )
    }

    pub const ALL: [Action; 23] = [
        Action::ReadPublic,
        Action::ManageOwnAccount,
        Action::CreateElement,
        Action::EditElement,
        Action::ChangeElementPolicy,
        Action::DeleteElement,
        Action::FollowElement,
        Action::JoinElement,
        Action::ManageMembers,
        Action::ImportIntoElement,
        Action::PostNews,
        Action::Donate,
        Action::Pledge,
        Action::ProposeFeature,
        Action::SteerFeature,
        Action::RecordManualPayment,
        Action::ProposeInElement,
        Action::ProposeInInstance,
        Action::ImportIntoInstance,
        Action::SteerResolution,
        Action::Vote(Eligibility::Members),
        Action::Vote(Eligibility::Donors),
        Action::Vote(Eligibility::Verified),
    ];
}

/// The person acting, as the server knows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actor {
    pub signed_in: bool,
    pub instance_admin: bool,
    /// A confirmed gift in the last 12 months, or an active monthly donation.
    pub donor: bool,
}

/// The actor's link to the element acted on (all false when there is none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    pub element_admin: bool,
    /// Member of an organization, contributor of a project, attendee of an event.
    pub member: bool,
    /// Wrote what is acted on (a proposal).
    pub author: bool,
}

impl Relation {
    /// Anyone signed in belongs to the instance's community (its cooperative space).
    pub fn instance(signed_in: bool) -> Relation {
        Relation {
            member: signed_in,
            ..Relation::default()
        }
    }
}

/// What matters about the element acted on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target {
    /// Anyone signed in may edit it, not only its admins.
    pub open_edition: bool,
}

/// Allowed, or the error to answer: 401 when signing in could help, 403 otherwise.
pub fn decide(
    actor: Actor,
    action: Action,
    relation: Relation,
    target: Target,
) -> Result<(), ApiError> {
    let admin = actor.instance_admin || relation.element_admin;
    let allowed = match action {
        Action::ReadPublic => true,
        Action::ManageOwnAccount
        | Action::CreateElement
        | Action::FollowElement
        | Action::JoinElement
        | Action::PostNews
        | Action::Donate
        | Action::Pledge => actor.signed_in,
        Action::EditElement => actor.signed_in && (admin || target.open_edition),
        Action::ChangeElementPolicy
        | Action::DeleteElement
        | Action::ManageMembers
        | Action::ImportIntoElement => actor.signed_in && admin,
        Action::ProposeInElement => actor.signed_in && (admin || relation.member),
        Action::ProposeFeature | Action::ProposeInInstance => {
            actor.signed_in && (actor.donor || actor.instance_admin)
        }
        Action::SteerResolution => actor.signed_in && (admin || relation.author),
        // The community's members: an element's members and admins (for the instance: anyone
        // signed in, `Relation::instance`). Donors: the instance's admins too, who open them.
        Action::Vote(Eligibility::Members) => {
            actor.signed_in && (relation.member || relation.element_admin)
        }
        Action::Vote(Eligibility::Donors) => {
            actor.signed_in && (actor.donor || actor.instance_admin)
        }
        Action::Vote(Eligibility::Verified) => actor.signed_in,
        Action::SteerFeature | Action::RecordManualPayment | Action::ImportIntoInstance => {
            actor.signed_in && actor.instance_admin
        }
    };
    match (allowed, actor.signed_in) {
        (true, _) => Ok(()),
        (false, false) => Err(ApiError::new(ErrorCode::NotSignedIn)),
        (false, true) => Err(ApiError::new(ErrorCode::Forbidden)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The people the matrix walks, from the least to the most trusted.
    const SUBJECTS: [(&str, Actor, Relation); 7] = [
        (
            "anonymous",
            Actor {
                signed_in: false,
                instance_admin: false,
                donor: false,
            },
            Relation {
                element_admin: false,
                member: false,
                author: false,
            },
        ),
        (
            "person",
            Actor {
                signed_in: true,
                instance_admin: false,
                donor: false,
            },
            Relation {
                element_admin: false,
                member: false,
                author: false,
            },
        ),
        (
            "donor",
            Actor {
                signed_in: true,
                instance_admin: false,
                donor: true,
            },
            Relation {
                element_admin: false,
                member: false,
                author: false,
            },
        ),
        (
            "member",
            Actor {
                signed_in: true,
                instance_admin: false,
                donor: false,
            },
            Relation {
                element_admin: false,
                member: true,
                author: false,
            },
        ),
        (
            "element admin",
            Actor {
                signed_in: true,
                instance_admin: false,
                donor: false,
            },
            Relation {
                element_admin: true,
                member: true,
                author: false,
            },
        ),
        (
            "instance admin",
            Actor {
                signed_in: true,
                instance_admin: true,
                donor: false,
            },
            Relation {
                element_admin: false,
                member: false,
                author: false,
            },
        ),
        (
            "author",
            Actor {
                signed_in: true,
                instance_admin: false,
                donor: false,
            },
            Relation {
                element_admin: false,
                member: false,
                author: true,
            },
        ),
    ];

    /// The whole matrix, one row per action and edition mode; columns follow SUBJECTS:
    /// anonymous, person, donor, member, element admin, instance admin, author. `y` allowed,
    /// `n` denied.
    const MATRIX: [(Action, bool, &str); 26] = [
        (Action::ReadPublic, false, "y y y y y y y"),
        (Action::ManageOwnAccount, false, "n y y y y y y"),
        (Action::CreateElement, false, "n y y y y y y"),
        (Action::EditElement, false, "n n n n y y n"),
        (Action::EditElement, true, "n y y y y y y"),
        (Action::ChangeElementPolicy, false, "n n n n y y n"),
        (Action::ChangeElementPolicy, true, "n n n n y y n"),
        (Action::DeleteElement, false, "n n n n y y n"),
        (Action::DeleteElement, true, "n n n n y y n"),
        (Action::FollowElement, false, "n y y y y y y"),
        (Action::JoinElement, false, "n y y y y y y"),
        (Action::ManageMembers, false, "n n n n y y n"),
        (Action::ImportIntoElement, false, "n n n n y y n"),
        (Action::PostNews, false, "n y y y y y y"),
        (Action::Donate, false, "n y y y y y y"),
        (Action::Pledge, false, "n y y y y y y"),
        (Action::ProposeFeature, false, "n n y n n y n"),
        (Action::SteerFeature, false, "n n n n n y n"),
        (Action::RecordManualPayment, false, "n n n n n y n"),
        (Action::ProposeInElement, false, "n n n y y y n"),
        (Action::ProposeInInstance, false, "n n y n n y n"),
        (Action::ImportIntoInstance, false, "n n n n n y n"),
        (Action::SteerResolution, false, "n n n n y y y"),
        (Action::Vote(Eligibility::Members), false, "n n n y y n n"),
        (Action::Vote(Eligibility::Donors), false, "n n y n n y n"),
        (Action::Vote(Eligibility::Verified), false, "n y y y y y y"),
    ];

    #[test]
    fn everyone_signed_in_belongs_to_the_instance_and_votes_among_its_members() {
        let person = SUBJECTS[1].1;
        let vote = Action::Vote(Eligibility::Members);
        assert!(decide(person, vote, Relation::instance(true), Target::default()).is_ok());
        let anonymous = Actor::default();
        let refused = decide(
            anonymous,
            vote,
            Relation::instance(false),
            Target::default(),
        );
        assert_eq!(refused.unwrap_err().code, ErrorCode::NotSignedIn);
    }

    #[test]
    fn the_actions_a_donor_may_take_ask_whether_the_actor_is_one() {
        let donor = SUBJECTS[2];
        let person = SUBJECTS[1];
        for action in Action::ALL {
            let differs = decide(donor.1, action, donor.2, Target::default()).is_ok()
                != decide(person.1, action, person.2, Target::default()).is_ok();
            assert_eq!(action.asks_donor(), differs, "{action:?}");
        }
    }

    #[test]
    fn the_matrix_covers_every_action() {
        for action in Action::ALL {
            assert!(
                MATRIX.iter().any(|(a, _, _)| *a == action),
                "{action:?} missing"
            );
        }
    }

    #[test]
    fn every_actor_and_action_gets_the_expected_answer() {
        for (action, open_edition, row) in MATRIX {
            let expected: Vec<&str> = row.split(' ').collect();
            assert_eq!(expected.len(), SUBJECTS.len());
            for ((name, actor, relation), want) in SUBJECTS.iter().zip(expected) {
                let target = Target { open_edition };
                let got = decide(*actor, action, *relation, target);
                assert_eq!(
                    got.is_ok(),
                    want == "y",
                    "{name} × {action:?} (open edition: {open_edition})"
                );
                if let Err(error) = got {
                    let code = if actor.signed_in {
                        ErrorCode::Forbidden
                    } else {
                        ErrorCode::NotSignedIn
                    };
                    assert_eq!(error.code, code, "{name} × {action:?}");
                }
            }
        }
    }
}
