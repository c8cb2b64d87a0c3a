//! Reads that leave in open-data formats (domain::export): the format from the path's
//! extension or the Accept header, the body written by the domain, answered with its type.

use crate::request::Req;
use crate::respond::{self, Outcome};
use domain::error::ApiError;
use domain::export::{self, Format};

/// The format asked of a read offering `offered`.
pub fn format_of(req: &Req, offered: &[Format]) -> Result<Format, ApiError> {
    let last = req.path().rsplit('/').next().unwrap_or_default();
    let (_, extension) = export::split_extension(last);
    export::choose(extension, req.header("Accept").as_deref(), offered)
}

/// The exported text, with its Content-Type.
pub fn answer(format: Format, body: String) -> Outcome {
    Ok(respond::with_body(200, &format.content_type(), body))
}

/// Whether `req` asks for JSON, which the Workers front answers itself; other formats (and a
/// format it cannot give) are the back's to answer.
pub fn asks_json(req: &Req, offered: &[Format]) -> bool {
    matches!(format_of(req, offered), Ok(Format::Json))
}
