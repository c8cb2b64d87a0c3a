//! The back worker's routes: the application's (crate `app`) for everything, and, in
//! development builds only, the development routes that still live here.

use worker::Router;

pub fn router() -> Router<'static, ()> {
    let api = Router::new();
    // Development builds only (feature `dev`): production wasm has no `/api/dev/*` route at all.
    #[cfg(feature = "dev")]
    let api = crate::handlers::dev::routes(api);
    api.or_else_any_method_async("/*rest", crate::host::to_app)
}
