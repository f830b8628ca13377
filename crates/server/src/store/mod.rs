//! Storage, split by the jobs that use it, on SQLite (embedded, the default) or
//! PostgreSQL (several instances). Every write is a single statement or a transaction, so
//! a killed server loses nothing it acknowledged. This module is only the index: the files
//! below import each other (`sql` and `db` first), never this one.
mod access;
mod biometrics;
mod db;
mod devices;
mod hardware;
mod helpdesk;
mod keys;
mod notices;
mod offline;
mod oidc;
mod outbox;
mod pg;
mod push;
mod restore;
mod roots;
mod schema;
mod sessions;
pub(crate) mod sql;
mod sqlite;
mod users;

pub use access::Extension;
pub use biometrics::Credential;
pub use db::Store;
pub use devices::DeviceRow;
pub use hardware::{HardwareDevice, ScanChallengeRow};
pub use helpdesk::{AgentSession, AuditEntry};
pub use keys::IssuerRow;
pub use notices::{DeviceNotice, NoticeUsed};
pub use offline::OfflineKey;
pub use oidc::{OidcClientRow, OidcRequestRow};
pub use outbox::OutboxMessage;
pub use push::PushSubscriptionRow;
pub use restore::PendingActivation;
pub use roots::RootRow;
pub use sessions::{Inserted, Matched, NewSession, PartnerRow, SessionRow};
pub use users::{Activation, Consumed, HashedSetup, NewDevice, UserRow};
