//! SQLite storage, split by the jobs that use it. Every write is a single statement or a
//! transaction, the journal is a WAL with synchronous=FULL, so a killed server loses
//! nothing it acknowledged. This module is only the index: the files below import each
//! other (`db` first), never this one.
mod bank;
mod biometrics;
mod db;
mod devices;
mod hardware;
mod helpdesk;
mod keys;
mod oidc;
mod outbox;
mod push;
mod restore;
mod schema;
mod sessions;
mod users;

pub use bank::BankSessionRow;
pub use biometrics::Credential;
pub use db::Store;
pub use devices::DeviceRow;
pub use hardware::{HardwareDevice, ScanChallengeRow};
pub use helpdesk::{AgentSession, AuditEntry};
pub use keys::IssuerRow;
pub use oidc::{OidcClientRow, OidcRequestRow};
pub use outbox::OutboxMessage;
pub use push::PushSubscriptionRow;
pub use restore::PendingActivation;
pub use sessions::{Inserted, Matched, NewSession, PartnerRow, SessionRow};
pub use users::{Activation, Consumed, HashedSetup, NewDevice, UserRow};
