//! The QR's clock: whole seconds since the session started, re-rendering only when that
//! number changes.
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Whole seconds since `started_ms` (a `Date.now()` value), checked five times a second
/// while `started_ms` is `Some`; `on_tick` gets the Unix time (seconds) at each check.
#[hook]
pub fn use_clock(started_ms: Option<f64>, on_tick: Callback<u64>) -> u64 {
    let elapsed = use_state_eq(|| 0u64);
    {
        let elapsed = elapsed.clone();
        use_effect_with(started_ms, move |started_ms| {
            let interval = started_ms.map(|start| {
                Interval::new(200, move || {
                    let now = js_sys::Date::now();
                    elapsed.set(since(start, now));
                    on_tick.emit((now / 1000.0) as u64);
                })
            });
            move || drop(interval)
        });
    }
    // Computed now rather than read from the state, so a new session starts at 0 even
    // before the interval's first tick; the state only schedules the re-render.
    started_ms.map_or(0, |start| since(start, js_sys::Date::now()))
}

fn since(start_ms: f64, now_ms: f64) -> u64 {
    ((now_ms - start_ms) / 1000.0).max(0.0) as u64
}
