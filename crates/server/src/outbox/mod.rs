//! SMS and e-mail: how they leave ([`sender`]) and the page that shows the built-in
//! outbox ([`page`]).
pub mod page;
pub mod sender;

pub use page::routes;
pub use sender::{Channel, Outbox, StoreOutbox};
