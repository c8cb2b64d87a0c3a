//! The open proposals of a person's communities, for `handlers::me` until it moves into the
//! application (`app::repo::cooperation` holds the cooperative space's statements).

use super::{all, int, text};
use domain::error::ApiError;
use domain::vote::view::ProposalRow;
use store::cooperation as sql;
use worker::Env;

/// The open proposals of a person's communities (the instance, the elements they belong to).
pub async fn open_for(env: &Env, person: &str, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    all(
        env,
        sql::OPEN_FOR_PERSON,
        &[text(person), int(now)],
        "open proposals",
    )
    .await
}
