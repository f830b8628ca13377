//! User Timing marks (`performance.mark`) at the moments a person waits for: the widget
//! ready to start, the click on start, the first QR on screen. A partner's real-user
//! monitoring reads them like any other mark (`performance.getEntriesByName`), and the
//! end-to-end tests report them, in the page's own clock, free of the test driver's
//! round trips.

/// The widget drew its start button: the wasm loaded and runs.
pub const READY: &str = "tessera-ready";
/// The person clicked start.
pub const START: &str = "tessera-start";
/// The first QR code is on screen.
pub const QR: &str = "tessera-qr";

/// Marks `name` now; a browser without User Timing simply has no mark.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
