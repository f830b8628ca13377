//! Each device's Web Push subscription (issue 16): at most one per device, the browser's
//! latest. Only subscriptions of active devices are ever pushed to.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// A stored subscription, with the language its notifications are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscriptionRow {
    pub device_id: String,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub lang: String,
}

impl Store {
    /// Stores the device's subscription, replacing an older one.
    pub fn set_push_subscription(&self, row: &PushSubscriptionRow, now: u64) -> AppResult<()> {
        self.execute(
            "INSERT INTO push_subscriptions (device_id, endpoint, p256dh, auth, lang, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (device_id) DO UPDATE SET endpoint = ?2, p256dh = ?3, auth = ?4,
                lang = ?5, created_at = ?6",
            params![
                row.device_id,
                row.endpoint,
                row.p256dh,
                row.auth,
                row.lang,
                now
            ],
        )?;
        Ok(())
    }

    /// Whether the device has a subscription.
    pub fn has_push_subscription(&self, device_id: &str) -> AppResult<bool> {
        self.query_row(
            "SELECT EXISTS (SELECT 1 FROM push_subscriptions WHERE device_id = ?1)",
            params![device_id],
            |r| r.get(0),
        )
    }

    /// The subscriptions of the user's active devices.
    pub fn push_subscriptions_of(&self, user_id: &str) -> AppResult<Vec<PushSubscriptionRow>> {
        self.query_map(
            "SELECT p.device_id, p.endpoint, p.p256dh, p.auth, p.lang
             FROM push_subscriptions p JOIN devices d ON d.id = p.device_id
             WHERE d.user_id = ?1 AND d.status = 'active' ORDER BY p.device_id",
            params![user_id],
            |r| {
                Ok(PushSubscriptionRow {
                    device_id: r.get(0)?,
                    endpoint: r.get(1)?,
                    p256dh: r.get(2)?,
                    auth: r.get(3)?,
                    lang: r.get(4)?,
                })
            },
        )
    }

    /// Removes the device's subscription. With `endpoint`, only if it is still that one:
    /// a push service's 410 for an old subscription must not delete the newer one the
    /// device registered meanwhile.
    pub fn delete_push_subscription(
        &self,
        device_id: &str,
        endpoint: Option<&str>,
    ) -> AppResult<bool> {
        let changed = self.execute(
            "DELETE FROM push_subscriptions WHERE device_id = ?1
             AND (CAST(?2 AS TEXT) IS NULL OR endpoint = ?2)",
            params![device_id, endpoint],
        )?;
        Ok(changed == 1)
    }
}
