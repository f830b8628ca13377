//! The widget's components, one per file.
mod countdown;
mod lang_picker;
mod push_form;
mod qr;
mod widget;

pub use countdown::Countdown;
pub use lang_picker::LangPicker;
pub use push_form::PushForm;
pub use qr::QrPanel;
pub use widget::{Approved, Widget, WidgetProps};
