//! Root generations after the first (issue 17, root rotation). The first root stays the
//! `root` row of `ca_keys`; each later one is announced (partners pin it) before it is
//! activated (it certifies the next issuer), and stays listed after, as older devices
//! keep chaining to the root of their issuer.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

pub struct RootRow {
    pub generation: u32,
    pub secret: Vec<u8>,
    /// When it certified its first issuer; `None` while it is only announced.
    pub activated_at: Option<u64>,
}

impl Store {
    /// Every generation after the first, oldest first.
    pub fn later_roots(&self) -> AppResult<Vec<RootRow>> {
        self.query_map(
            "SELECT generation, secret, activated_at FROM roots ORDER BY generation",
            params![],
            |r| {
                Ok(RootRow {
                    generation: r.get(0)?,
                    secret: r.get(1)?,
                    activated_at: r.get(2)?,
                })
            },
        )
    }

    /// Announces a new root: stored, not activated. Fails if another process stored that
    /// generation first.
    pub fn insert_root(&self, generation: u32, secret: &[u8], now: u64) -> AppResult<()> {
        self.execute(
            "INSERT INTO roots (generation, secret, created_at) VALUES (?1, ?2, ?3)",
            params![generation, secret, now],
        )?;
        Ok(())
    }

    /// Marks an announced root as activated; false if it already was.
    pub fn activate_root(&self, generation: u32, now: u64) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE roots SET activated_at = ?2 WHERE generation = ?1 AND activated_at IS NULL",
            params![generation, now],
        )?;
        Ok(changed == 1)
    }
}
