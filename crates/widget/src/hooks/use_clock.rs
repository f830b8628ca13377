//! A clock that ticks while `running`: the current time in ms, re-rendering only when
//! the whole second changes.
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Whole seconds of `Date.now()`, updated every quarter second while `running`.
#[hook]
pub fn use_clock(running: bool, on_tick: Callback<u64>) -> u64 {
    let now = use_state_eq(current_secs);
    {
        let now = now.clone();
        use_effect_with(running, move |running| {
            let interval = running.then(|| {
                now.set(current_secs());
                Interval::new(250, move || {
                    let secs = current_secs();
                    now.set(secs);
                    on_tick.emit(secs);
                })
            });
            move || drop(interval)
        });
    }
    *now
}

fn current_secs() -> u64 {
    crate::verify::now_secs()
}
