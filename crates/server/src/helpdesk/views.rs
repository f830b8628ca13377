//! The console's HTML, as maud templates: every value is escaped where it is written,
//! so a device name, a user ID or an audit detail cannot turn into markup. The handlers
//! gather the data; these functions only lay it out.
use maud::{Markup, html};
use tessera_protocol::{DeviceStatus, api::DeviceSummary};

use crate::{clock::utc, store::AuditEntry};

/// A user ID (or any text) as one URL path segment.
pub(super) fn url_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The bar on the right of a logged-in agent's header.
pub(super) fn bar(agent_name: &str, csrf: &str) -> Markup {
    html! {
        span { (agent_name) " · " a.bar-link href="/helpdesk/audit" { "Audit log" } }
        form.inline method="post" action="/helpdesk/logout" {
            (csrf_field(csrf))
            button.quiet type="submit" { "Log out" }
        }
    }
}

pub(super) fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

pub(super) fn login(notice: Option<&str>) -> Markup {
    html! {
        section {
            h1 { "Agent login" }
            @if let Some(notice) = notice {
                p.notice.error role="alert" { (notice) }
            }
            form method="post" action="/helpdesk/login" {
                label for="agent-id" { "Agent ID" }
                input type="text" id="agent-id" name="agent_id" autocomplete="username" required autofocus;
                label for="agent-password" { "Password" }
                input type="password" id="agent-password" name="password" autocomplete="current-password" required;
                p { button type="submit" id="agent-login" { "Log in" } }
            }
        }
    }
}

pub(super) fn home() -> Markup {
    html! {
        section {
            h1 { "Find a user" }
            form method="get" action="/helpdesk/users" role="search" {
                label for="user-query" { "User ID, e-mail address or phone number" }
                input type="search" id="user-query" name="q" required autofocus;
                p { button type="submit" id="user-find" { "Find" } }
            }
        }
    }
}

pub(super) fn no_such_user(query: &str) -> Markup {
    html! {
        section {
            h1 { "No such user" }
            p role="alert" {
                "Nobody has the user ID, e-mail address or phone number “" (query) "”."
            }
            p { a href="/helpdesk" { "Search again" } }
        }
    }
}

/// How the caller stands with this agent.
pub(super) enum CallerCheck {
    Verified,
    Blocked,
    NoQuestions,
    /// The questions to ask, in the user's order.
    Ask(Vec<&'static str>),
}

/// What the user's page shows.
pub(super) struct UserPage<'a> {
    pub user_id: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// `/helpdesk/users/<user, percent-encoded>`.
    pub base: &'a str,
    pub csrf: &'a str,
    /// `(kind, text, code)` of the last action, if it is one the console knows.
    pub notice: Option<(&'static str, &'static str, &'a str)>,
    pub check: CallerCheck,
    pub devices: &'a [DeviceSummary],
    /// `(pending id, device name, link expiry)`.
    pub pending: &'a [(String, String, u64)],
    pub history: &'a [AuditEntry],
}

pub(super) fn user(page: &UserPage<'_>) -> Markup {
    let verified = matches!(page.check, CallerCheck::Verified);
    let (base, csrf) = (page.base, page.csrf);
    html! {
        @if let Some((kind, text, code)) = page.notice {
            p #notice class={ "notice " (kind) } role=(if kind == "ok" { "status" } else { "alert" })
                data-notice=(code) { (text) }
        }
        h1 { "User " (page.user_id) }
        section aria-labelledby="contact-h" {
            h2 #contact-h { "Contact" }
            p { "Phone " (page.phone) " · E-mail " (page.email) }
        }
        section aria-labelledby="check-h" {
            h2 #check-h { "Recognise the caller" }
            @match &page.check {
                CallerCheck::Verified => p #caller-verified.notice.ok {
                    "Caller recognised: the actions below are open to you for 15 minutes."
                },
                CallerCheck::Blocked => p #caller-blocked.notice.error role="alert" {
                    "Three failed checks in the last hour: the helpdesk cannot recognise this caller now."
                },
                CallerCheck::NoQuestions => p.notice.error {
                    "This user has no security questions yet, so the helpdesk cannot recognise them by phone."
                },
                CallerCheck::Ask(questions) => form method="post" action={ (base) "/verify" } {
                    (csrf_field(csrf))
                    @for (index, question) in questions.iter().enumerate() {
                        label for={ "answer-" (index) } { (question) }
                        input type="text" id={ "answer-" (index) } name={ "answer" (index) } autocomplete="off" required;
                    }
                    p { button type="submit" id="verify-caller" { "Check the answers" } }
                },
            }
        }
        section aria-labelledby="devices-h" {
            h2 #devices-h { "Devices" }
            p.muted {
                "Suspending is always allowed (a caller who lost a phone must be able to stop it); everything else needs the caller recognised."
            }
            table {
                thead { tr {
                    th scope="col" { "Name" } th scope="col" { "ID" } th scope="col" { "Status" }
                    th scope="col" { "Activated" } th scope="col" { "Last used" } th scope="col" { "Actions" }
                } }
                tbody {
                    @for device in page.devices {
                        (device_row(device, base, csrf, verified))
                    }
                }
            }
        }
        section aria-labelledby="code-h" {
            h2 #code-h { "Lost device" }
            p {
                "An 8-digit single-use security code lets the user activate a new device without their old one (valid 24 hours, e-mailed to the address above)."
            }
            form method="post" action={ (base) "/security-code" } {
                (csrf_field(csrf))
                button type="submit" id="send-code" disabled[!verified] { "E-mail a security code" }
            }
        }
        section aria-labelledby="pending-h" {
            h2 #pending-h { "Activations waiting for their SMS link" }
            p.muted { "If the SMS never arrived (seed FAQ), correct the phone number and send a new link." }
            @if page.pending.is_empty() {
                p.muted { "None." }
            } @else {
                ul.plain {
                    @for (id, name, expires_at) in page.pending {
                        li id={ "pending-" (id) } {
                            p { "Device “" (name) "”, link valid until " (utc(*expires_at)) " UTC." }
                            form method="post" action={ (base) "/pending/" (url_segment(id)) "/resend" } {
                                (csrf_field(csrf))
                                label for={ "phone-" (id) } { "Phone number for the SMS" }
                                input type="text" id={ "phone-" (id) } name="phone" value=(page.phone) autocomplete="off" required;
                                p { button type="submit" id={ "resend-" (id) } disabled[!verified] { "Save and send the link again" } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="history-h" {
            h2 #history-h { "Recent activity" }
            table {
                thead { tr {
                    th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Device" }
                } }
                tbody {
                    @for entry in page.history {
                        tr {
                            td { (utc(entry.at)) } td { (entry.actor) } td { (entry.action) }
                            td { (entry.device_id.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

/// One device and the actions its status allows; all but suspending need the caller
/// recognised.
fn device_row(device: &DeviceSummary, base: &str, csrf: &str, verified: bool) -> Markup {
    let action = |name: &str, label: &str, class: &str, needs_check: bool| {
        html! {
            form.inline method="post" action={ (base) "/devices/" (url_segment(&device.id)) "/" (name) } {
                (csrf_field(csrf))
                button type="submit" id={ (name) "-" (device.id) } class=(class)
                    disabled[needs_check && !verified] { (label) }
            }
        }
    };
    let actions: &[(&str, &str, &str, bool)] = match device.status {
        DeviceStatus::Locked => &[
            ("unlock", "Unlock", "", true),
            ("revoke", "Revoke", "danger", true),
        ],
        DeviceStatus::Active => &[
            ("suspend", "Suspend", "quiet", false),
            ("revoke", "Revoke", "danger", true),
        ],
        DeviceStatus::Suspended => &[
            ("resume", "Resume", "", true),
            ("revoke", "Revoke", "danger", true),
        ],
        DeviceStatus::Revoked | DeviceStatus::Replaced => &[],
    };
    let status = device.status.as_str();
    html! {
        tr id={ "device-" (device.id) } data-status=(status) {
            td { (device.name) }
            td { code { (device.id) } }
            td class={ "status status-" (status) } { (status) }
            td { (utc(device.created_at)) }
            td { (device.last_used_at.map(utc).unwrap_or_else(|| "never".into())) }
            td {
                @for (name, label, class, needs_check) in actions {
                    (action(name, label, class, *needs_check))
                }
            }
        }
    }
}

pub(super) fn audit(entries: &[AuditEntry]) -> Markup {
    html! {
        h1 { "Audit log" }
        section {
            table #audit {
                thead { tr {
                    th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "What" }
                    th scope="col" { "User" } th scope="col" { "Device" } th scope="col" { "Detail" }
                } }
                tbody {
                    @for entry in entries {
                        tr {
                            td { (utc(entry.at)) } td { (entry.actor) } td { (entry.action) }
                            td { (entry.user_id.as_deref().unwrap_or("")) }
                            td { (entry.device_id.as_deref().unwrap_or("")) }
                            td { (entry.detail) }
                        }
                    }
                }
            }
        }
        p { a href="/helpdesk" { "Back" } }
    }
}
