//! Accessibility that no flow passes through on its own. Every flow test runs axe-core
//! (`Browser::axe`) on each screen it reaches; this one looks at the pages in a browser
//! whose system asks for dark colours.
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
