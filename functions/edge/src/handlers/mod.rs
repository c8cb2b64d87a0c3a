//! What remains of the Workers host's own handlers: the development routes (feature `dev`),
//! the export helpers and the page helpers of `serve`. Every other route is the application's.

#[cfg(feature = "dev")]
pub mod dev;
pub mod export;
pub mod pages;
