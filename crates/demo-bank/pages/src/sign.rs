//! `#/sign`: an e-Government form. The person picks the PDF of their tax declaration; the
//! page hashes it in the browser (the file never leaves it), the widget has the phone
//! sign name and SHA-256, and the backend hands out the signature file to keep with
//! the PDF.
use std::rc::Rc;

use tessera_protocol::{DocumentSignature, Kind, hex, sha256};
use tessera_ui::group_hex;
use tessera_widget::{Approved, Lang, Widget, net};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, FilePropertyBag, HtmlInputElement, Url};
use yew::{platform::spawn_local, prelude::*};

use crate::backend::{Refusal, Step, on_approved, result};

/// The largest file the page hashes (it reads the whole file into memory).
const MAX_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

/// The declaration the person picked, hashed.
#[derive(Debug, Clone)]
struct Chosen {
    file: File,
    /// The name as the phone will show it (NFC, trimmed).
    name: String,
    /// SHA-256 of the file, 64 lowercase hex digits.
    sha256: String,
}

impl PartialEq for Chosen {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.sha256 == other.sha256
    }
}

/// A `blob:` URL, revoked when the last copy goes.
#[derive(Debug, PartialEq)]
struct ObjectUrl(String);

impl ObjectUrl {
    fn new(blob: &Blob) -> Option<Rc<ObjectUrl>> {
        Url::create_object_url_with_blob(blob)
            .ok()
            .map(|url| Rc::new(ObjectUrl(url)))
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.0);
    }
}

/// The signed declaration: links to download the PDF and its signature file.
#[derive(Debug, Clone, PartialEq)]
struct Signed {
    name: String,
    document: Rc<ObjectUrl>,
    signature: Rc<ObjectUrl>,
}

/// What the file picker is doing.
#[derive(Debug, Clone, PartialEq)]
enum Picked {
    Nothing,
    Reading,
    Ready(Rc<Chosen>),
    Unreadable(&'static str),
}

/// Reads and hashes `file` in the browser.
async fn hash(file: File) -> Result<Chosen, &'static str> {
    if file.size() > MAX_BYTES {
        return Err("This file is larger than 50 MB; please choose the PDF of your declaration.");
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The browser could not read this file.")?;
    let digest = sha256(&js_sys::Uint8Array::new(&buffer).to_vec());
    let name = String::from(js_sys::JsString::from(file.name().trim()).normalize("NFC"));
    Ok(Chosen {
        file,
        name,
        sha256: hex(&digest),
    })
}

/// A one-page PDF, made here, for people without a declaration at hand.
fn sample_declaration() -> Option<File> {
    let text = "Tax declaration 2026 - Demo taxpayer - Income 48,250.00 - Tax due 9,112.40";
    let content = format!("BT /F1 14 Tf 60 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", index + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(pdf.as_bytes()));
    let options = FilePropertyBag::new();
    options.set_type("application/pdf");
    File::new_with_u8_array_sequence_and_options(&parts, "Tax declaration 2026.pdf", &options).ok()
}

/// The signature file exactly as the bank returned it, checked to be about the
/// document that was hashed here and the approval the widget verified.
fn signature_file(text: &str, chosen: &Chosen, approved: &Approved) -> Option<Rc<ObjectUrl>> {
    let signature: DocumentSignature = tessera_ui::parse_json(text)?;
    let ours = signature.document.sha256 == chosen.sha256
        && signature.signed == approved.result
        && signature.session_id == approved.session_id;
    if !ours {
        return None;
    }
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    ObjectUrl::new(&Blob::new_with_str_sequence_and_options(&parts, &options).ok()?)
}

/// The e-Government form.
#[component]
pub fn SignPage() -> Html {
    let picked = use_state(|| Picked::Nothing);
    let step = use_state(|| Step::<Signed>::Idle);
    let load = {
        let (picked, step) = (picked.clone(), step.clone());
        Callback::from(move |file: File| {
            picked.set(Picked::Reading);
            step.set(Step::Idle);
            let picked = picked.clone();
            spawn_local(async move {
                picked.set(match hash(file).await {
                    Ok(chosen) => Picked::Ready(Rc::new(chosen)),
                    Err(why) => Picked::Unreadable(why),
                });
            });
        })
    };
    let on_file = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                load.emit(file);
            }
        })
    };
    let on_sample = Callback::from(move |_: MouseEvent| {
        if let Some(file) = sample_declaration() {
            load.emit(file);
        }
    });
    let chosen = match &*picked {
        Picked::Ready(chosen) => Some(Rc::clone(chosen)),
        _ => None,
    };
    let on_approved = {
        let chosen = chosen.clone();
        on_approved(&step, "/bank/sign/complete", move |text, approved| {
            let chosen = chosen.as_ref().ok_or(Refusal::Unreachable)?;
            let signature = signature_file(text, chosen, approved).ok_or(Refusal::Unreachable)?;
            let document = ObjectUrl::new(&chosen.file).ok_or(Refusal::Unreachable)?;
            Ok(Signed {
                name: chosen.name.clone(),
                document,
                signature,
            })
        })
    };
    let file_note = match &*picked {
        Picked::Nothing => html! {
            <p class="gov-note">{ "Choose the PDF of your declaration. It stays on this computer: only its fingerprint is signed." }</p>
        },
        Picked::Reading => {
            html! { <p class="gov-note" role="status">{ "Computing the fingerprint…" }</p> }
        }
        Picked::Unreadable(why) => {
            html! { <p class="gov-note gov-note--bad" role="alert">{ *why }</p> }
        }
        Picked::Ready(chosen) => html! {
            <dl id="sign-digest" class="gov-digest" data-sha256={chosen.sha256.clone()}>
                <div><dt>{ "Document" }</dt><dd dir="auto">{ chosen.name.clone() }</dd></div>
                <div><dt>{ "Fingerprint (SHA-256)" }</dt>
                    <dd class="gov-mono">{ group_hex(&chosen.sha256) }</dd></div>
            </dl>
        },
    };
    let widget = match &chosen {
        Some(chosen) => {
            let body = net::json(&tessera_protocol::Document {
                name: chosen.name.clone(),
                sha256: chosen.sha256.clone(),
            });
            html! {
                // A new file is a new signature: a fresh widget.
                <Widget key={chosen.sha256.clone()} session_url="/bank/sign"
                    session_body={body} kind={Kind::Sign} {on_approved}
                    lang={Lang::from_browser()} />
            }
        }
        None => html! {
            <p class="gov-note">{ "Once you chose your declaration, sign it here with the Tessera app on your phone." }</p>
        },
    };
    let outcome = result(
        &step,
        "The Tax Office is recording your signature…",
        |signed| {
            let file = format!("{}.tessera.json", signed.name);
            (
                "signed",
                html! {
                    <>
                        <h2>{ "Declaration signed" }</h2>
                        <p>{ "Keep both files together: anyone with the Tax Office's root key can check the signature, offline, years from now." }</p>
                        <ul class="gov-downloads">
                            <li><a id="download-document" class="gov-download" href={signed.document.0.clone()}
                                download={signed.name.clone()}>{ format!("Download {}", signed.name) }</a></li>
                            <li><a id="download-signature" class="gov-download" href={signed.signature.0.clone()}
                                download={file.clone()}>{ format!("Download the signature ({file})") }</a></li>
                        </ul>
                    </>
                },
                "Your declaration is signed. The files are ready to download.".to_owned(),
            )
        },
    );
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Sign your tax declaration" }</h1>
            <p class="gov-lead">{ "Income tax 2026 · Form D-1 · Submit before 30 June" }</p>
            <ol class="gov-steps">
                <li class="gov-step">
                    <h2 class="gov-step__title">{ "Your declaration" }</h2>
                    <label for="sign-file" class="gov-label">{ "PDF of your declaration" }</label>
                    <input id="sign-file" type="file" accept="application/pdf" onchange={on_file} />
                    <p class="gov-or">
                        { "No PDF at hand? " }
                        <button id="sign-sample" type="button" class="gov-link" onclick={on_sample}>
                            { "Use a sample declaration" }
                        </button>
                    </p>
                    { file_note }
                </li>
                <li class="gov-step">
                    <h2 class="gov-step__title">{ "Sign with your phone" }</h2>
                    <div class="gov-widget">{ widget }</div>
                </li>
            </ol>
            { outcome }
        </>
    }
}
