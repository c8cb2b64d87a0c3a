//! The product's rules, with no I/O and no edge runtime: everything here is tested natively.

pub mod access;
pub mod account;
pub mod donation;
pub mod element;
pub mod error;
pub mod funding;
pub mod geo;
pub mod health;
pub mod ledger;
pub mod limits;
pub mod live;
pub mod localtime;
pub mod mail;
pub mod openapi;
pub mod origin;
pub mod paging;
pub mod patch;
pub mod profile;
pub mod search;
pub mod secret;
pub mod security;
pub mod stats;
pub mod stripe;
pub mod text;
pub mod time;
pub mod zone;
