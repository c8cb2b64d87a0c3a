//! The page helpers of the handlers not yet moved into the application (`app::handlers::pages`
//! renders the directory's pages on both hosts).

use crate::respond::{self, Outcome};
use askama::Template;
use domain::error::{ApiError, ErrorCode};
use site::pages::{Layout, NotFound};
use worker::{Response, Result};

pub fn render(page: &impl Template, status: u16) -> Outcome {
    let body = page.render().map_err(|e| {
        worker::console_error!("template: {e}");
        ApiError::new(ErrorCode::Internal)
    })?;
    respond::html(body, status)
}

fn not_found() -> Outcome {
    render(
        &NotFound {
            layout: Layout::at(""),
        },
        404,
    )
}

/// The French 404 page, for a path nothing answers.
pub fn missing() -> Result<Response> {
    respond::outcome(not_found())
}

/// A page's outcome: an API error becomes the French 404 page or a plain error page.
pub fn page(result: Outcome) -> Result<Response> {
    match result {
        Err(e) if e.code == ErrorCode::NotFound => respond::outcome(not_found()),
        other => respond::outcome(other),
    }
}
