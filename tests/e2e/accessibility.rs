//! Accessibility that no flow passes through on its own. Every flow test runs axe-core
//! (`Browser::axe`) on each screen it reaches; here the pages in a browser whose system
//! asks for dark colours, and the checks themselves on a page built to fail them.
use tessera_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn pages_without_a_dark_theme_stay_legible_when_the_system_asks_for_dark() {
    // The Demo Bank, the companion and the helpdesk draw their own light colours; a dark
    // system must not leave dark form controls or default text on them.
    let server = Server::start(180);
    let browser = Browser::desktop_dark().await;
    for (url, ready, screen) in [
        (
            server.bank_url(),
            "#tessera-start",
            "dark system: Demo Bank #/",
        ),
        (
            format!("{}/companion/", server.url()),
            "#btn-new-user",
            "dark system: companion welcome",
        ),
        (
            format!("{}/helpdesk", server.url()),
            "#agent-id",
            "dark system: helpdesk login",
        ),
    ] {
        browser.goto(&url).await;
        browser.find(ready).await;
        browser.axe(screen).await;
    }
    browser.close().await;
}

/// A page with what the checks must catch: an image without text, a field without label,
/// faint text, and a button whose focus is drawn away.
const BROKEN_PAGE: &str = "data:text/html;charset=utf-8,<!doctype html><html lang='en'>\
    <head><title>Broken</title></head><body><main><h1>Broken</h1>\
    <img src='x.png'><input id='nameless'>\
    <p style='color:%23aaa;background:%23fff'>faint</p>\
    <button id='hidden-focus' style='outline:none'>Go</button></main></body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_a_broken_page() {
    let browser = Browser::desktop().await;
    browser.goto(BROKEN_PAGE).await;
    let found = browser.axe_violations().await;
    for rule in ["image-alt", "label", "color-contrast"] {
        assert!(
            found.iter().any(|line| line.starts_with(rule)),
            "axe names {rule}: {found:?}"
        );
    }
    // A focus that draws nothing is not a visible focus.
    browser.find("#hidden-focus").await;
    for _ in 0..5 {
        if browser.focused_id().await == "hidden-focus" {
            break;
        }
        browser.press(Key::Tab).await;
    }
    assert_eq!(browser.focused_id().await, "hidden-focus");
    assert!(!browser.focus_is_visible().await);
    browser.close().await;
}
