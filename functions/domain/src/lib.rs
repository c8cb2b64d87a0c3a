//! The product's rules, with no I/O and no edge runtime: everything here is tested natively.

pub mod error;
pub mod health;
pub mod openapi;
pub mod security;
