//! The two parts of the companion (issue 19): the daily part, what a phone loads to show
//! its home screen and answer a request, and the setup part under `setup/`, with every
//! screen (activation, restore, devices, backup, offline codes). One installable app:
//! both are in the service worker's scope and cache, and read the same localStorage and
//! IndexedDB. [`crate::components::app::Part`] says which screens a part has.
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = moveToSetup)]
    fn js_move_to_setup(hash: &str);
}

/// Replaces this page by the setup part, opened with `hash` (`""`, `#go=devices`, or a
/// link the daily part does not follow, such as a restore's SMS link).
pub fn move_to_setup(hash: &str) {
    js_move_to_setup(hash);
}

/// The page's location hash as it is (empty if there is none).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
