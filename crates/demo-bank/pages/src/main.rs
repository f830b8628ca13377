//! # tessera-demo-bank-pages
//!
//! The Demo Bank's pages: a partner site with the Tessera widget on three pages, chosen by
//! the URL's hash: `#/` log in, `#/transfer` a transfer confirmed on the phone, `#/sign` an
//! e-Government form signed on the phone. Trunk builds them (`index.html` here) and
//! `tessera-demo-bank` serves them with its backend, on the bank's origin.
//!
//! They must never take the widget's word as the bank's: what counts is what the bank's
//! backend answers after verifying the approval again (`#bank-result`); and they use the
//! widget only as any partner does, through its public API (`tessera-widget`).
mod amount;
mod backend;
mod login;
mod route;
mod sign;
mod transfer;

use wasm_bindgen::{JsCast, closure::Closure};
use yew::prelude::*;

use login::LoginPage;
use route::Route;
use sign::SignPage;
use transfer::TransferPage;

fn current_route() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok());
    Route::from_hash(&hash.unwrap_or_default())
}

/// The route, following `hashchange`.
#[hook]
fn use_route() -> Route {
    let route = use_state_eq(current_route);
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let listener =
                Closure::<dyn Fn()>::new(move || route.set(current_route())).into_js_value();
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ =
                    window.add_event_listener_with_callback("hashchange", listener.unchecked_ref());
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.unchecked_ref(),
                    );
                }
            }
        });
    }
    *route
}

/// On a new page: its title, and the focus on its heading (so keyboard and screen reader
/// users land on the new content, not back at the top of the document).
#[hook]
fn use_page_change(route: Route) {
    let first = use_mut_ref(|| true);
    use_effect_with(route, move |route| {
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = document {
            document.set_title(route.title());
            if !std::mem::replace(&mut *first.borrow_mut(), false)
                && let Some(heading) = document
                    .get_element_by_id("page-title")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = heading.focus();
            }
        }
    });
}

#[component]
fn App() -> Html {
    let route = use_route();
    use_page_change(route);
    let gov = route == Route::Sign;
    let header = if gov {
        html! {
            <header class="gov-bar">
                <span class="gov-crest" aria-hidden="true">{ "⚜" }</span>
                <span class="gov-name">{ "Tax Office" }<small>{ "e-Government portal" }</small></span>
            </header>
        }
    } else {
        html! {
            <header class="bank-bar">
                <span class="bank-logo" aria-hidden="true">{ "DB" }</span>
                <span class="bank-name">{ "Demo Bank" }</span>
            </header>
        }
    };
    let nav = Route::ALL.map(|page| {
        html! {
            <li>
                <a href={page.href()} class="site-nav__link"
                    aria-current={(page == route).then_some("page")}>{ page.label() }</a>
            </li>
        }
    });
    let page = match route {
        Route::Login => html! { <LoginPage /> },
        Route::Transfer => html! { <TransferPage /> },
        Route::Sign => html! { <SignPage /> },
    };
    let main_class = match route {
        Route::Login => "bank-main",
        Route::Transfer => "bank-main bank-main--wide",
        Route::Sign => "bank-main gov-main",
    };
    html! {
        <div class={classes!("site", gov.then_some("site--gov"))}>
            { header }
            <nav class="site-nav" aria-label="Demo pages"><ul>{ for nav }</ul></nav>
            <main class={main_class}>{ page }</main>
            <footer class="bank-foot">
                if gov {
                    { "A demonstration e-Government form: it signs through Demo Bank's Tessera partner account." }
                } else {
                    { "Demo Bank is a demonstration partner site of Tessera." }
                }
            </footer>
        </div>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
