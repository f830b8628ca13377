//! The CA's keys: the root and the issuing CAs, one row per generation.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

pub struct IssuerRow {
    pub generation: u32,
    pub secret: Vec<u8>,
    pub certificate: String,
}

impl Store {
    /// Every generation, oldest first.
    pub fn issuers(&self) -> AppResult<Vec<IssuerRow>> {
        self.query_map(
            "SELECT generation, secret, certificate FROM issuers ORDER BY generation",
            params![],
            |r| {
                Ok(IssuerRow {
                    generation: r.get(0)?,
                    secret: r.get(1)?,
                    certificate: r.get(2)?,
                })
            },
        )
    }

    /// The newest generation, 0 if there is none: a cheap check for a rotation made by
    /// another process (the `rotate-issuer` command) while this one runs.
    pub fn latest_issuer_generation(&self) -> AppResult<u32> {
        self.query_row(
            "SELECT COALESCE(MAX(generation), 0) FROM issuers",
            params![],
            |r| r.get(0),
        )
    }

    /// Adds the next generation; fails if another process added it first.
    pub fn insert_issuer(
        &self,
        generation: u32,
        secret: &[u8],
        certificate: &str,
        now: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO issuers (generation, secret, certificate, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![generation, secret, certificate, now],
        )?;
        Ok(())
    }
}

impl Store {
    pub fn ca_key(&self, name: &str) -> AppResult<Option<(Vec<u8>, Option<String>)>> {
        self.query_opt(
            "SELECT secret, certificate FROM ca_keys WHERE name = ?1",
            params![name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// The key named `name`, stored as `secret` unless one is there already. Instances
    /// that start together on an empty database all get the one key that won.
    pub fn ca_key_or_insert(&self, name: &str, secret: &[u8]) -> AppResult<Vec<u8>> {
        self.transaction(|db| {
            db.execute(
                "INSERT INTO ca_keys (name, secret) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                params![name, secret],
            )?;
            db.query_row(
                "SELECT secret FROM ca_keys WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
        })
    }

    pub fn insert_ca_key(
        &self,
        name: &str,
        secret: &[u8],
        certificate: Option<&str>,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO ca_keys (name, secret, certificate) VALUES (?1, ?2, ?3)",
            params![name, secret, certificate],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::{db::Store, schema::MIGRATIONS};

    #[test]
    fn the_single_issuer_of_an_older_installation_becomes_generation_one() {
        let connection = Connection::open_in_memory().unwrap();
        let before = MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE issuers"))
            .unwrap();
        for migration in &MIGRATIONS[..before] {
            connection.execute_batch(migration).unwrap();
        }
        connection
            .execute(
                "INSERT INTO ca_keys (name, secret, certificate) VALUES ('root', x'01', NULL), \
                 ('issuer', x'02', 'issuer-certificate')",
                [],
            )
            .unwrap();
        connection
            .pragma_update(None, "user_version", before)
            .unwrap();

        let store = Store::with_connection(connection).unwrap();
        let issuers = store.issuers().unwrap();
        assert_eq!(issuers.len(), 1);
        assert_eq!(
            (issuers[0].generation, issuers[0].secret.as_slice()),
            (1, &[2u8][..])
        );
        assert_eq!(issuers[0].certificate, "issuer-certificate");
        assert!(store.ca_key("issuer").unwrap().is_none());
        assert!(store.ca_key("root").unwrap().is_some(), "the root stays");
        assert_eq!(store.latest_issuer_generation().unwrap(), 1);
    }
}
