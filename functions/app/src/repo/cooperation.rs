//! Proposals of the communities (the instance, the elements).

use super::{all, int, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::vote::view::ProposalRow;
use store::cooperation as sql;

/// The open proposals of a person's communities (the instance, the elements they belong to).
pub async fn open_for(app: &App, person: &str, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    let open = statement(sql::OPEN_FOR_PERSON, vec![text(person), int(now)]);
    all(app, open, "open proposals").await
}
