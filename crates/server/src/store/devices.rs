//! Devices: looked up by their cookie, their PIN failures, their name and status.
use super::sql::params;
use tessera_protocol::DeviceStatus;

use super::db::{Store, json_list};
use crate::error::AppResult;

pub struct DeviceRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub certificates: Vec<String>,
    pub public_key: String,
    pub status: DeviceStatus,
    pub pin_hash: String,
    pub pin_failures: u32,
}

/// The statuses of devices that count towards a user's limit (as SQL).
pub(crate) const COUNTED: &str = "('active', 'suspended', 'locked')";

pub(crate) fn parse_device_status(name: &str) -> DeviceStatus {
    match name {
        "active" => DeviceStatus::Active,
        "suspended" => DeviceStatus::Suspended,
        "locked" => DeviceStatus::Locked,
        "replaced" => DeviceStatus::Replaced,
        // Anything unexpected is as good as revoked: fail closed.
        _ => DeviceStatus::Revoked,
    }
}

const DEVICE_COLUMNS: &str =
    "id, user_id, name, certificates, public_key, status, pin_hash, pin_failures";

fn device_row(row: &super::sql::Row) -> AppResult<DeviceRow> {
    Ok(DeviceRow {
        id: row.get(0)?,
        user_id: row.get(1)?,
        name: row.get(2)?,
        certificates: json_list(row.get(3)?),
        public_key: row.get(4)?,
        status: parse_device_status(&row.get::<String>(5)?),
        pin_hash: row.get(6)?,
        pin_failures: row.get(7)?,
    })
}

impl Store {
    pub fn device_by_token(&self, token_hash: &[u8]) -> AppResult<Option<DeviceRow>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1");
        self.query_opt(&sql, params![token_hash], device_row)
    }

    pub fn active_devices_of(&self, user_id: &str) -> AppResult<usize> {
        self.query_row(
            "SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND status = 'active'",
            params![user_id],
            |r| r.get(0),
        )
    }

    /// Counts a wrong PIN; at `limit` the device is locked. Returns the failures so far.
    pub fn record_pin_failure(&self, device_id: &str, limit: u32) -> AppResult<u32> {
        self.query_row(
            "UPDATE devices SET pin_failures = pin_failures + 1,
                status = CASE WHEN pin_failures + 1 >= ?2 THEN 'locked' ELSE status END
             WHERE id = ?1 RETURNING pin_failures",
            params![device_id, limit],
            |r| r.get(0),
        )
    }

    pub fn record_pin_success(&self, device_id: &str, now: u64) -> AppResult<()> {
        self.execute(
            "UPDATE devices SET pin_failures = 0, last_used_at = ?2 WHERE id = ?1",
            params![device_id, now],
        )?;
        Ok(())
    }

    pub fn set_pin(&self, device_id: &str, pin_hash: &str) -> AppResult<()> {
        self.execute(
            "UPDATE devices SET pin_hash = ?2, pin_failures = 0 WHERE id = ?1",
            params![device_id, pin_hash],
        )?;
        Ok(())
    }

    pub fn rename_device(&self, device_id: &str, name: &str) -> AppResult<()> {
        self.execute(
            "UPDATE devices SET name = ?2 WHERE id = ?1",
            params![device_id, name],
        )?;
        Ok(())
    }

    /// Makes a PIN-locked device active again; false if no such device is locked.
    pub fn unlock_device(&self, device_id: &str) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE devices SET status = 'active', pin_failures = 0 WHERE id = ?1 AND status = 'locked'",
            params![device_id],
        )?;
        Ok(changed == 1)
    }
}
