//! Reads that leave in open-data formats (domain::export): the format from the path's
//! extension or the Accept header, the body written by the domain, answered with its type.

use crate::respond::{self, Outcome};
use domain::error::ApiError;
use domain::export::{self, Format};
use worker::{Request, Response};

/// The format asked of a read offering `offered`.
pub fn format_of(req: &Request, offered: &[Format]) -> Result<Format, ApiError> {
    let path = req.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    let (_, extension) = export::split_extension(last);
    let accept = req.headers().get("Accept").ok().flatten();
    export::choose(extension, accept.as_deref(), offered)
}

/// The exported text, with its Content-Type.
pub fn answer(format: Format, body: String) -> Outcome {
    let response = Response::ok(body).map_err(respond::internal)?;
    respond::with_header(response, "Content-Type", &format.content_type())
}

/// Whether `req` asks for JSON, which the front worker answers itself; other formats (and a
/// format it cannot give) are the back's to answer.
pub fn asks_json(req: &Request, offered: &[Format]) -> bool {
    matches!(format_of(req, offered), Ok(Format::Json))
}
