//! Elements: one in JSON or an open-data format.

use crate::handlers::export::{answer, format_of};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo};
use axum::extract::State;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use domain::export::Format;

/// The element the path names (`{id}`: its id or its slug, maybe with a format's extension);
/// 404 when there is none.
pub async fn element(app: &App, req: &Req) -> Result<ElementRow, ApiError> {
    let param = req.param("id");
    // `/api/elements/{id}.geojson` and the like name the element and the export format.
    let (key, _) = domain::export::split_extension(&param);
    repo::elements::find(app, key)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// The element in JSON (the Workers front serves this one).
pub async fn show_json(State(app): State<App>, req: Req) -> Outcome {
    if !crate::handlers::export::asks_json(&req, domain::export::DIRECTORY) {
        return Ok(respond::unrouted());
    }
    respond::json(&element(&app, &req).await?.view())
}

pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let view = element(&app, &req).await?.view();
    let format = format_of(&req, domain::export::of_element(&view.kind))?;
    let site = &app.config.site_url;
    let body = match format {
        Format::Json => return respond::json(&view),
        Format::JsonLd => domain::element::jsonld::document(&view, site).to_string(),
        other => {
            let item = domain::export::item_of(&view);
            domain::export::items(other, &[item], site, app.now())
        }
    };
    answer(format, body)
}
