//! The widget's components, one per file.
mod access;
mod countdown;
mod offline;
mod push_form;
mod qr;
mod summary;
mod widget;

pub use access::AccessPanel;
pub use countdown::Countdown;
pub use push_form::PushForm;
pub use qr::QrPanel;
pub use summary::details_summary;
pub use widget::{Approved, Ended, OfflineConfirmed, Widget, WidgetProps};
