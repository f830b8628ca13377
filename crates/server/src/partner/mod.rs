//! The partner API and the widget's relay ([`relay`]), the ways in for people who cannot
//! scan ([`access`]: a short code, more time), the offline one-time code
//! ([`offline`]), and the offline check of what the partner
//! receives ([`verdict`], behind `tessera verify` and `verify-approval`).
pub mod access;
pub mod offline;
pub mod relay;
pub mod verdict;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    relay::routes().merge(access::routes())
}
