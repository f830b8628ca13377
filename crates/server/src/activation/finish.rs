//! How every activation ends: a device that waits for its SMS link or second mosaic, the
//! link itself, and the certified, stored device with its cookie. The other activation
//! files stand on this one; it imports none of them.
use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use tessera_protocol::{
    api::{
        Activated, ActivationConfirm, ActivationPending, ActivationRequest, DeviceLimit,
        MAX_DEVICES,
    },
    sha256,
};

use crate::{
    auth::device::DEVICE_COOKIE,
    clock::now,
    error::{AppError, AppResult, JsonBody},
    outbox::Channel,
    secrets::{blocking, hash_secret, random_id, random_token, secret_matches},
    state::{AppState, Change},
    store::{Activation, Consumed, HashedSetup, NewDevice, PendingActivation, UserRow},
};

/// How long the SMS link of a restore works (the seed: 360 minutes).
pub const LINK_VALID_SECS: u64 = 360 * 60;
/// Failed restores per user per hour before the server stops trying.
const RESTORE_ATTEMPTS: u32 = 5;

/// Whether `password` is the user's (Argon2id, on the blocking pool).
pub(crate) async fn password_matches(user: &UserRow, password: &str) -> AppResult<bool> {
    let (password, stored) = (password.to_owned(), user.password_hash.clone());
    blocking(move || secret_matches(&password, &stored)).await
}

pub(crate) fn invalid_credentials() -> AppError {
    AppError::unauthorized(
        "invalid_credentials",
        "the user ID or password is not correct",
    )
}

/// What a new device is made of, before the server certifies it.
pub(crate) struct NewDeviceParts {
    pub device_id: String,
    pub name: String,
    pub public_key: String,
    pub pin_hash: String,
    pub replace: Option<String>,
    pub setup: Option<HashedSetup>,
}

/// The `409` that lists the devices to choose from.
fn device_limit(app: &AppState, user_id: &str) -> AppResult<Response> {
    let devices = app
        .store
        .devices_of(user_id)?
        .into_iter()
        .filter(|d| d.status.counts_towards_limit())
        .collect();
    let limit = DeviceLimit {
        code: "device_limit".into(),
        message: format!("you have {MAX_DEVICES} devices already; choose one to replace"),
        devices,
    };
    Ok((StatusCode::CONFLICT, Json(limit)).into_response())
}

/// Certifies and stores the device (replacing one if asked), consumes the credential,
/// tells the user (e-mail, SMS, push: [`crate::notice`]) and gives this browser its device cookie.
pub(crate) async fn finish(
    app: &AppState,
    user: &UserRow,
    new: NewDeviceParts,
    consumed: Consumed<'_>,
) -> AppResult<Response> {
    let (token, token_hash) = random_token();
    let now = now();
    let certificates = app.ca.issue_device_certificate(
        &app.store,
        &user.id,
        &new.device_id,
        &new.public_key,
        now,
    )?;
    let device = NewDevice {
        id: &new.device_id,
        user_id: &user.id,
        name: &new.name,
        public_key: &new.public_key,
        certificates: &certificates,
        pin_hash: &new.pin_hash,
        token_hash: &token_hash,
        now,
        setup: new.setup.as_ref(),
    };
    let replace = new.replace.as_deref();
    match app
        .store
        .activate_device(&device, replace, consumed, MAX_DEVICES)?
    {
        Activation::Done => {}
        Activation::Limit => return device_limit(app, &user.id),
        Activation::NoSuchReplacement => {
            return Err(AppError::bad_request(
                "invalid_replacement",
                "the device to replace is not one of your devices",
            ));
        }
    }
    let via = match consumed {
        Consumed::ActivationCode => "activation code",
        Consumed::SecurityCode => "helpdesk security code",
        Consumed::Pending { backup: true, .. } => "backup and SMS link",
        Consumed::Pending { backup: false, .. } => "hardware Token or Scan",
    };
    let actor = format!("device:{}", new.device_id);
    if let Some(replaced) = replace {
        app.store.audit(
            now,
            &actor,
            "device_replaced",
            Some(&user.id),
            Some(replaced),
            "",
        )?;
    }
    app.store.audit(
        now,
        &actor,
        "device_activated",
        Some(&user.id),
        Some(&new.device_id),
        via,
    )?;
    app.notify(Change::User(user.id.clone()));
    // E-mail, SMS and a push to the other devices, with the link that suspends this one.
    crate::notice::device_added(app, &user.id, &new.device_id, &new.name, now)?;
    let secure = if app.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; Path=/v1/device; HttpOnly; SameSite=Strict; Max-Age=63072000{secure}"
    );
    let cookie = HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?;
    let body = Json(Activated {
        device_id: new.device_id,
        certificates,
    });
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], body).into_response())
}

/// `+352 621 000 001` → `+352 ••• ••• 001`: enough for the user to recognise the number,
/// not enough for anyone else to learn it.
fn phone_hint(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            let country_code = seen <= 3 && phone.starts_with('+');
            if country_code || seen > digits.saturating_sub(3) {
                c
            } else {
                '•'
            }
        })
        .collect()
}

/// Refuses when `user_id` failed `action` too often in the last hour: the limits count
/// what the audit log already records.
pub(crate) fn check_rate(app: &AppState, user_id: &str, action: &str) -> AppResult<()> {
    let since = now().saturating_sub(3600);
    if app.store.audit_count(user_id, action, since)? >= RESTORE_ATTEMPTS {
        return Err(AppError::too_many(
            "too_many_attempts",
            "too many failed attempts in the last hour; try again later",
        ));
    }
    Ok(())
}

/// Records a failed `action` for the rate limit and the audit log.
pub(crate) fn record_failure(app: &AppState, user_id: &str, action: &str) -> AppResult<()> {
    app.store.audit(
        now(),
        &format!("user:{user_id}"),
        action,
        Some(user_id),
        None,
        "",
    )
}

/// A device that waits (for its SMS link or its second mosaic) before it exists: the
/// replacement is checked now, so the user chooses before the wait; the PIN is hashed now,
/// so it is never kept in clear. `Err` carries the `409 device_limit` answer.
pub(crate) async fn prepare_pending(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    via: &str,
) -> AppResult<Result<(PendingActivation, String), Response>> {
    let replace = request.replace_device_id.clone();
    if let Some(replaced) = &replace {
        let theirs = app
            .store
            .devices_of(&user.id)?
            .iter()
            .any(|d| &d.id == replaced && d.status.counts_towards_limit());
        if !theirs {
            return Err(AppError::bad_request(
                "invalid_replacement",
                "the device to replace is not one of your devices",
            ));
        }
    } else if app.store.counted_devices(&user.id)? >= MAX_DEVICES {
        return Ok(Err(device_limit(app, &user.id)?));
    }
    let pin = request.pin.clone();
    let pin_hash = blocking(move || hash_secret(&pin)).await??;
    let (link_token, link_hash) = random_token();
    let pending = PendingActivation {
        id: random_id(),
        token_hash: link_hash.to_vec(),
        user_id: user.id.clone(),
        device_id: random_id(),
        name: device_name.to_owned(),
        public_key: request.public_key.clone(),
        pin_hash,
        replace_device_id: replace,
        expires_at: now() + LINK_VALID_SECS,
        via: via.to_owned(),
    };
    app.store.insert_pending_activation(&pending, now())?;
    Ok(Ok((pending, link_token)))
}

/// Sends the SMS link of a pending activation and answers `202 ActivationPending`.
pub(crate) fn await_link(
    app: &AppState,
    user: &UserRow,
    pending: PendingActivation,
    link_token: &str,
) -> AppResult<Response> {
    send_link(app, &user.phone, &pending.id, link_token)?;
    app.store.audit(
        now(),
        &format!("user:{}", user.id),
        "activation_link_sent",
        Some(&user.id),
        Some(&pending.device_id),
        &pending.via,
    )?;
    let body = ActivationPending {
        activation_id: pending.id,
        phone_hint: phone_hint(&user.phone),
        expires_at: pending.expires_at,
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// Sends the link that finishes a pending activation, by SMS: holding the phone number
/// is the last factor.
pub fn send_link(app: &AppState, phone: &str, pending_id: &str, token: &str) -> AppResult<()> {
    let link = format!(
        "{}/companion/#/confirm/{pending_id}/{token}",
        app.config.public_url
    );
    app.outbox.send(
        Channel::Sms,
        phone,
        &format!(
            "Tessera: open this link on your new phone within 6 hours to finish activating Tessera. Do not share it: {link}"
        ),
    )
}

/// `POST /v1/activation/confirm`: the link from the SMS was opened; the device exists.
pub(crate) async fn activation_confirm(
    State(app): State<AppState>,
    JsonBody(confirm): JsonBody<ActivationConfirm>,
) -> AppResult<Response> {
    let pending = app
        .store
        .pending_activation(&confirm.activation_id)?
        .filter(|p| sha256(confirm.token.as_bytes()).as_slice() == p.token_hash.as_slice())
        .ok_or_else(|| AppError::not_found("pending activation"))?;
    if now() >= pending.expires_at {
        return Err(AppError::client(
            StatusCode::GONE,
            "activation_link_expired",
            "this link has expired; start the activation again",
        ));
    }
    if pending.via == "scan" {
        // A Scan activation is finished by its second mosaic, never by a link.
        return Err(AppError::not_found("pending activation"));
    }
    finish_pending(&app, pending).await
}

/// Makes the device a pending activation waited for (its link was opened, or its second
/// mosaic answered), using up the pending activation, and the backup for a restore.
pub(crate) async fn finish_pending(
    app: &AppState,
    pending: PendingActivation,
) -> AppResult<Response> {
    let user = app
        .store
        .user(&pending.user_id)?
        .ok_or_else(|| AppError::not_found("user"))?;
    let new = NewDeviceParts {
        device_id: pending.device_id,
        name: pending.name,
        public_key: pending.public_key,
        pin_hash: pending.pin_hash,
        replace: pending.replace_device_id,
        setup: None,
    };
    let consumed = Consumed::Pending {
        id: &pending.id,
        backup: pending.via == "backup",
    };
    finish(app, &user, new, consumed).await
}

#[cfg(test)]
mod tests {
    use super::phone_hint;

    #[test]
    fn phone_hints_keep_the_country_code_and_the_last_three_digits() {
        assert_eq!(phone_hint("+352 621 000 001"), "+352 ••• ••• 001");
        assert_eq!(phone_hint("0621000001"), "•••••••001");
    }
}
