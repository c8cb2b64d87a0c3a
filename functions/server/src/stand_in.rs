//! Development builds only (feature `dev`): the shared API suite answers the services the binary
//! reaches (Stripe, a mail API) itself, as Miniflare does for the workers. With
//! `COMMUNS_DEV_OUTBOUND` set (a loopback address), every outbound request goes there instead,
//! naming the address it meant in `Communs-Outbound-Url`.

use app::ports::{Fetch, Later, Outbound, Reply};
use std::sync::Arc;

pub struct StandIn {
    pub base: String,
    pub inner: Arc<dyn Fetch>,
}

/// `fetch`, or the stand-in when `COMMUNS_DEV_OUTBOUND` names one.
pub fn wrap(fetch: Arc<dyn Fetch>) -> Arc<dyn Fetch> {
    match std::env::var("COMMUNS_DEV_OUTBOUND") {
        Ok(base) if base.starts_with("http://127.0.0.1:") => {
            Arc::new(StandIn { base, inner: fetch })
        }
        _ => fetch,
    }
}

impl Fetch for StandIn {
    fn fetch(&self, mut request: Outbound) -> Later<'_, Result<Reply, String>> {
        request
            .headers
            .push(("Communs-Outbound-Url".into(), request.url.clone()));
        request.url = self.base.clone();
        self.inner.fetch(request)
    }
}
