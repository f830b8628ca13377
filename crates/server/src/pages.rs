//! The server's own HTML pages (outbox, helpdesk): one shell, one stylesheet, and the
//! security headers. Pages are maud templates, which escape every value they write. They run no script at all, so their policy forbids it.
use axum::{
    http::{HeaderName, HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use maud::{DOCTYPE, Markup, html};

/// The stylesheet of every server page, served at `/pages.css`.
pub const STYLESHEET: &str = r#"
:root { color-scheme: light; --ink: #16181d; --muted: #4a505c; --line: #c9ced8; --accent: #0b57d0;
  --danger: #a4161a; --ok: #146c2e; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header.bar { display: flex; gap: 1rem; align-items: center; justify-content: space-between; padding: .75rem 1rem;
  background: #1d2433; color: #fff; }
header.bar strong { font-size: 1.1rem; }
header.bar form { margin: 0; }
header.bar a { color: #d6e4ff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; } h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .5rem; text-align: left; vertical-align: top; }
th { background: #eef0f4; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input[type=text], input[type=password], input[type=search] { width: 100%; max-width: 28rem; padding: .5rem;
  font: inherit; border: 1px solid var(--muted); border-radius: .375rem; }
button { font: inherit; padding: .45rem .9rem; border-radius: .375rem; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; margin: .25rem .25rem .25rem 0; }
button.quiet { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
button:disabled { background: #d5d8de; border-color: #d5d8de; color: #3d424c; cursor: not-allowed; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.inline { display: inline; }
ul.plain { list-style: none; padding: 0; margin: 0; }
.notice { padding: .75rem 1rem; border-radius: .375rem; margin: 0 0 1rem; border: 1px solid; }
.notice.ok { background: #e6f4ea; border-color: var(--ok); color: #0d4f21; }
.notice.error { background: #fdecea; border-color: var(--danger); color: #7a1013; }
.muted { color: var(--muted); }
.status { font-weight: 600; } .status-active { color: var(--ok); } .status-suspended, .status-locked { color: #8a5300; }
.status-revoked, .status-replaced { color: var(--danger); }
"#;

/// A whole page: `title`, a bar on the right of the header (may be empty), and `body`.
pub fn page(title: &str, bar: Markup, body: Markup) -> Html<String> {
    page_in("en", title, bar, body)
}

/// The same in the language `lang` (its `<html lang>`), for pages users read.
pub fn page_in(lang: &str, title: &str, bar: Markup, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(lang) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    link rel="stylesheet" href="/pages.css";
                }
                body {
                    header.bar { strong { (title) } (bar) }
                    main { (body) }
                }
            }
        }
        .into_string(),
    )
}

/// The security headers of the server's pages: no script, no framing, no referrer.
pub fn secured(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    let headers = response.headers_mut();
    let policy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                  base-uri 'none'; frame-ancestors 'none'";
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

pub async fn stylesheet() -> Response {
    (
        [(
            HeaderName::from_static("content-type"),
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        STYLESHEET,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use maud::html;

    use super::page;

    #[test]
    fn markup_and_quotes_in_values_are_escaped() {
        let hostile = r#"<a href="x" onclick='y'>&</a>"#;
        let html = page(hostile, html! {}, html! { p title=(hostile) { (hostile) } }).0;
        assert!(!html.contains("<a href"), "{html}");
        assert!(
            html.contains("&lt;a href=&quot;x&quot; onclick='y'&gt;&amp;&lt;/a&gt;"),
            "{html}"
        );
    }
}
