//! The widget's effects, one hook each.
mod use_clock;
mod use_session_events;

pub use use_clock::use_clock;
pub use use_session_events::use_session_events;
