//! Which push endpoints the server may POST to. The endpoint is chosen by whoever
//! registers a subscription, so without this rule the server would send requests
//! anywhere (SSRF: internal services, cloud metadata addresses).
use http::Uri;

use crate::PushError;

/// The longest endpoint accepted (FCM's are about 190 characters, Apple's about 200).
const MAX_ENDPOINT_BYTES: usize = 1024;

/// Hosts of the browsers' push services, exactly.
const HOSTS: &[&str] = &["fcm.googleapis.com", "updates.push.services.mozilla.com"];
/// Push services addressed by subdomain: Apple (WebKit: "allow URLs from any subdomain of
/// push.apple.com") and Windows Push Notification Services (Edge on Windows).
const HOST_SUFFIXES: &[&str] = &[".push.apple.com", ".notify.windows.com"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointPolicy {
    /// Production: `https://` on a known push service, default port, nothing else.
    PushServices,
    /// Also `http://127.0.0.1:<port>/…`, for a push service run by a test or a local
    /// demo. Only behind an explicit flag: it lets a client make the server call loopback.
    AlsoLoopback,
}

/// Checks `endpoint` against `policy` and returns it parsed.
pub fn check_endpoint(endpoint: &str, policy: EndpointPolicy) -> Result<Uri, PushError> {
    if endpoint.len() > MAX_ENDPOINT_BYTES {
        return Err(PushError::EndpointRefused("too long"));
    }
    let uri: Uri = endpoint
        .parse()
        .map_err(|_| PushError::EndpointRefused("not a URL"))?;
    let authority = uri
        .authority()
        .ok_or(PushError::EndpointRefused("no host"))?;
    if authority.as_str().contains('@') {
        return Err(PushError::EndpointRefused("user info"));
    }
    let host = authority.host();
    match uri.scheme_str() {
        Some("https") => {
            if authority.port().is_some() {
                return Err(PushError::EndpointRefused("explicit port"));
            }
            let known = HOSTS.contains(&host)
                || HOST_SUFFIXES
                    .iter()
                    .any(|suffix| host.len() > suffix.len() && host.ends_with(suffix));
            if !known {
                return Err(PushError::EndpointRefused("not a known push service"));
            }
        }
        Some("http") if policy == EndpointPolicy::AlsoLoopback => {
            if host != "127.0.0.1" || authority.port().is_none() {
                return Err(PushError::EndpointRefused("http only to 127.0.0.1:<port>"));
            }
        }
        _ => return Err(PushError::EndpointRefused("scheme")),
    }
    Ok(uri)
}

/// The origin of an endpoint: the VAPID JWT's audience (RFC 8292 §2).
pub(crate) fn origin(uri: &Uri) -> String {
    let scheme = uri.scheme_str().unwrap_or("https");
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or("");
    format!("{scheme}://{authority}")
}
