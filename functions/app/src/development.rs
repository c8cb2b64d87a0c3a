//! Who may reach the development routes (`/api/dev/*`), compiled into development builds
//! alone (feature `dev`): even there they answer only in development (`ENVIRONMENT`) and for a
//! loopback `Host` (`domain::development`); 404 anywhere else.

use crate::App;
use crate::request::Req;
use domain::error::ApiError;

/// Development, and a request addressed to this machine, or 404.
pub fn admitted(req: &Req, app: &App) -> Result<(), ApiError> {
    let host = req.header("Host");
    admit(app.config.development, &req.site_origin(), host.as_deref())
}

/// Development, and both the address the host was given (`origin`) and the `Host` header name
/// this machine: a local proxy may rewrite one of them.
pub fn admit(development: bool, origin: &str, host: Option<&str>) -> Result<(), ApiError> {
    let url_host = origin.split_once("://").map_or("", |(_, host)| host);
    domain::development::admit(development, url_host)?;
    match host {
        Some(host) => domain::development::admit(development, host),
        None => Ok(()),
    }
}
