//! The partner API and the widget's relay ([`relay`]), and the offline check of what the
//! partner receives ([`verdict`], behind `tessera verify` and `verify-approval`).
pub mod relay;
pub mod verdict;

pub use relay::routes;
