//! Fixed-window counters for the abuse limits, bumped in one atomic statement.

/// Counts one request and returns the count and window it landed in.
/// ?1 key, ?2 window_start
pub const BUMP: &str = "INSERT INTO rate_limit (key, window_start, count) VALUES (?1, ?2, 1) \
     ON CONFLICT (key) DO UPDATE SET \
       count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END, \
       window_start = excluded.window_start \
     RETURNING count, window_start";

/// Forgets a counter (when its subject's account is erased). ?1 key
pub const FORGET: &str = "DELETE FROM rate_limit WHERE key = ?1";

/// Old windows are dropped by the scheduled clean-up. ?1 oldest window start to keep
pub const PURGE: &str = "DELETE FROM rate_limit WHERE window_start < ?1";

/// A counter after a bump: its count and the window it landed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Counted {
    pub count: i64,
    pub window_start: i64,
}

/// Counts one request against `counter`.
pub fn bump(counter: &domain::limits::Counter) -> crate::db::Query<Counted> {
    use crate::db::{int, text};
    crate::db::Query::new(BUMP, vec![text(&counter.key), int(counter.window_start)])
}

/// Forgets a counter (its subject's account is erased).
pub fn forget(key: &str) -> crate::db::Statement {
    crate::db::Statement::new(FORGET, vec![crate::db::text(key)])
}

/// Drops the windows that started before `oldest`.
pub fn purge(oldest: i64) -> crate::db::Statement {
    crate::db::Statement::new(PURGE, vec![crate::db::int(oldest)])
}
