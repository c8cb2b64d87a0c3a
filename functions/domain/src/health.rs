//! What `GET /api/health` says about the running instance.

use serde::Serialize;

/// The version of the code, taken from the workspace's Cargo.toml at build time.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub schema_version: i64,
}

impl Health {
    /// The instance is healthy when its database answered with the schema version it holds.
    pub fn ok(schema_version: i64) -> Self {
        Health {
            status: "ok",
            version: VERSION,
            schema_version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_ok_with_the_database_schema_version() {
        let value = serde_json::to_value(Health::ok(3)).unwrap();
        assert_eq!(value["status"], "ok");
        assert_eq!(value["schema_version"], 3);
        assert_eq!(value["version"], VERSION);
        assert!(VERSION.split('.').count() == 3);
    }
}
