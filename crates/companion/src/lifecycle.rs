//! A device's life, the pure parts: the ways to activate on the LOG IN form (flows B, C,
//! D and E of FLOWS.md, and the activation code), what the server answers to an
//! activation, the activations that wait for the SMS link or the second mosaic, and the
//! list of the user's devices as the screens show it.
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use tessera_protocol::{
    DeviceStatus,
    api::{
        Activated, ActivationPending, ActivationRequest, Credential, DeviceLimit, DeviceSummary,
        ScanChallenge,
    },
};

use crate::backup::{BackupError, Contents, decrypt};
use crate::certinfo::format_date;
use crate::errors::Failure;
use crate::i18n::{Lang, T, Texts};
use tessera_ui::parse_json;

/// How the user adds this device on the LOG IN form, chosen after the user ID and
/// password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// "With my Token": the 6-digit code the user's Token shows, then the SMS link
    /// (flow B).
    Token,
    /// "With my Scan": two mosaics answered with the user's Scan, no password (flow C).
    Scan,
    /// "I have an activation code": the code chosen when ordering, for an account whose
    /// questions and password are already set (the short form of flow A).
    Code,
    /// "Restore from a backup": a backup file and the SMS link (flow E).
    Restore,
    /// "I no longer have my device": the helpdesk's 8-digit security code (flow D); last,
    /// "at the bottom of the screen" as the seed has it.
    LostDevice,
}

impl Path {
    /// Every path, in the order the form offers them.
    pub const ALL: [Path; 5] = [
        Path::Token,
        Path::Scan,
        Path::Code,
        Path::Restore,
        Path::LostDevice,
    ];

    /// The radio button's element id.
    pub fn id(self) -> &'static str {
        match self {
            Path::Token => "act-token",
            Path::Scan => "act-scan",
            Path::Code => "act-with-code",
            Path::LostDevice => "act-lost-device",
            Path::Restore => "act-restore",
        }
    }

    /// The radio button's label.
    pub fn label(self) -> T {
        match self {
            Path::Token => T::PathToken,
            Path::Scan => T::PathScan,
            Path::Code => T::PathCode,
            Path::LostDevice => T::PathLost,
            Path::Restore => T::PathRestore,
        }
    }

    /// Whether the path asks for the password (a Scan vouches for the user alone).
    pub fn needs_password(self) -> bool {
        self != Path::Scan
    }
}

/// A code of `n` digits as typed, spaces allowed between them (an e-mail may group
/// them); the digits alone, or `wrong`.
fn digits(typed: &str, n: usize, wrong: T) -> Result<String, T> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == n && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(wrong)
    }
}

/// The helpdesk's security code as typed: 8 digits.
pub fn security_code(typed: &str) -> Result<String, T> {
    digits(typed, 8, T::SecurityCodeShape)
}

/// The code the user's Token shows: 6 digits.
pub fn token_code(typed: &str) -> Result<String, T> {
    digits(typed, 6, T::TokenCodeShape)
}

/// The code the user's Scan shows for a mosaic: 6 digits.
pub fn scan_response(typed: &str) -> Result<String, T> {
    digits(typed, 6, T::ScanResponseShape)
}

/// A mosaic's challenge as people read it: groups of four digits.
pub fn group_challenge(challenge: &str) -> String {
    let chars: Vec<char> = challenge.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Seconds as minutes and seconds: `4:05`.
pub fn minutes_seconds(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Why a backup file could not be used to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// The password, which opens the file, is not typed yet.
    PasswordFirst,
    /// The browser could not read the file.
    FileRead,
    /// The file is not a backup this password opens.
    Backup(BackupError),
    /// The backup is another user's (named).
    OtherUser(String),
}

impl RestoreError {
    /// The sentence for the user.
    pub fn message(&self, lang: Lang) -> String {
        let key = match self {
            RestoreError::PasswordFirst => T::PasswordFirst,
            RestoreError::FileRead => T::ErrFileRead,
            RestoreError::Backup(BackupError::NotABackup) => T::ErrNotBackup,
            RestoreError::Backup(BackupError::Unsupported) => T::ErrBackupUnsupported,
            RestoreError::Backup(BackupError::WrongPassword) => T::ErrBackupPassword,
            RestoreError::Backup(BackupError::Damaged | BackupError::Random) => T::ErrBackupDamaged,
            RestoreError::OtherUser(user) => return lang.tn(T::ErrBackupOtherUser, user),
        };
        lang.t(key).to_string()
    }
}

/// Opens a backup file's `text` with `password` for the user `user_id` typed.
pub fn open_backup(text: &str, password: &str, user_id: &str) -> Result<Contents, RestoreError> {
    if password.is_empty() {
        return Err(RestoreError::PasswordFirst);
    }
    let contents = decrypt(text, password).map_err(RestoreError::Backup)?;
    if contents.user_id != user_id.trim() {
        return Err(RestoreError::OtherUser(contents.user_id));
    }
    Ok(contents)
}

/// What the form shows of an opened backup before the user confirms it: label and value.
pub fn backup_rows(contents: &Contents, lang: Lang) -> [(T, String); 4] {
    [
        (T::UserId, contents.user_id.clone()),
        (T::BackupDevice, contents.device_name.clone()),
        (T::BackupMade, format_date(contents.created_at, lang)),
        (
            T::Language,
            Lang::from_tag(&contents.lang).name().to_string(),
        ),
    ]
}

/// What the server answered to `POST /v1/activation`.
#[derive(Debug, Clone)]
pub enum ActivationAnswer {
    /// `201`: this browser is a device now.
    Activated(Activated),
    /// `202` (a restore): the device exists once the link sent by SMS is opened.
    Pending(ActivationPending),
    /// `409 device_limit`: the user has two devices; one must be picked to replace.
    Replace(Vec<DeviceSummary>),
    /// `200` (a Scan's first mosaic answered): the second mosaic, made from this
    /// device's key.
    Scan(ScanChallenge),
}

/// Reads the answer to an activation from its status and body; any other error is the
/// server's [`Failure`].
pub fn activation_answer(status: u16, body: &str) -> Result<ActivationAnswer, Failure> {
    if status == 200
        && let Some(challenge) = parse_json::<ScanChallenge>(body)
    {
        return Ok(ActivationAnswer::Scan(challenge));
    }
    let read = |answer: Option<ActivationAnswer>| answer.ok_or(Failure::Network);
    match status {
        200 | 201 => read(parse_json(body).map(ActivationAnswer::Activated)),
        202 => read(parse_json(body).map(ActivationAnswer::Pending)),
        409 => match parse_json::<DeviceLimit>(body) {
            Some(limit) if limit.code == "device_limit" && !limit.devices.is_empty() => {
                Ok(ActivationAnswer::Replace(limit.devices))
            }
            _ => Err(Failure::from_response(status, body)),
        },
        _ => Err(Failure::from_response(status, body)),
    }
}

/// An activation request kept to send again with the device it replaces: the key it
/// names is already in this browser. Compared by identity; its `Debug` hides the
/// password, PIN and credential.
#[derive(Clone)]
pub struct Retry(pub Rc<ActivationRequest>);

impl Retry {
    /// The same request, now naming the device it replaces.
    pub fn replacing(&self, device_id: &str) -> ActivationRequest {
        ActivationRequest {
            replace_device_id: Some(device_id.into()),
            ..(*self.0).clone()
        }
    }
}

impl PartialEq for Retry {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Retry {}

impl core::fmt::Debug for Retry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let credential = match self.0.credential {
            Credential::ActivationCode(_) => "activation_code",
            Credential::SecurityCode(_) => "security_code",
            Credential::Backup(_) => "backup",
            Credential::Token(_) => "token",
            Credential::Scan { .. } => "scan",
        };
        f.debug_struct("Retry")
            .field("user_id", &self.0.user_id)
            .field("device_name", &self.0.device_name)
            .field("credential", &credential)
            .finish_non_exhaustive()
    }
}

/// The "Replace a device" screen: the request to send again and the devices to pick from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    /// The request that met the limit.
    pub retry: Retry,
    /// The devices that count towards it.
    pub devices: Vec<DeviceSummary>,
}

/// A Scan activation waiting for the second mosaic's answer (flow C, step 8): the device
/// key is made and registered, the server waits for the Scan to vouch for it. Kept in
/// localStorage so a reload comes back to the mosaic. Not secret: the mosaic is on screen
/// and only the user's Scan can answer it; the PIN is never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSecond {
    /// The second mosaic.
    pub challenge: ScanChallenge,
    /// The user.
    pub user_id: String,
    /// The name the user gave this device.
    pub device_name: String,
}

impl ScanSecond {
    /// The second step of `request`, which the server answered with `challenge`.
    pub fn new(request: &ActivationRequest, challenge: ScanChallenge) -> ScanSecond {
        ScanSecond {
            challenge,
            user_id: request.user_id.clone(),
            device_name: request.device_name.clone(),
        }
    }
}

/// A restore (or a Token activation) waiting for its SMS link, kept in localStorage so the app may be closed
/// meanwhile. Not secret: the link's token is only in the SMS, and the new key, already
/// made, stays in IndexedDB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingActivation {
    /// The server's id of the pending activation (the link names it).
    pub activation_id: String,
    /// The user.
    pub user_id: String,
    /// The name the user gave this device.
    pub device_name: String,
    /// Where the SMS went, partly hidden.
    pub phone_hint: String,
    /// Until when the link works (Unix seconds).
    pub expires_at: u64,
}

impl PendingActivation {
    /// The record of `request`, which the server answered with `pending`.
    pub fn new(request: &ActivationRequest, pending: ActivationPending) -> PendingActivation {
        PendingActivation {
            activation_id: pending.activation_id,
            user_id: request.user_id.clone(),
            device_name: request.device_name.clone(),
            phone_hint: pending.phone_hint,
            expires_at: pending.expires_at,
        }
    }

    /// Whether the link no longer works at `now`.
    pub fn expired(&self, now: u64) -> bool {
        now >= self.expires_at
    }
}

/// What the user may do to a device from the devices screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceAction {
    /// Stop it until the helpdesk resumes it.
    Suspend,
    /// Stop it for good.
    Remove,
}

impl DeviceAction {
    /// The last part of the route (`/v1/device/devices/{id}/{action}`) and of the
    /// button's id (`suspend-<id>`).
    pub fn name(self) -> &'static str {
        match self {
            DeviceAction::Suspend => "suspend",
            DeviceAction::Remove => "remove",
        }
    }

    /// Whether a device in `status` can take this action (the server decides; this
    /// decides which buttons are shown).
    pub fn allowed(self, status: DeviceStatus) -> bool {
        match self {
            DeviceAction::Suspend => status == DeviceStatus::Active,
            DeviceAction::Remove => status.counts_towards_limit(),
        }
    }

    /// The question the confirmation step asks about the device named `name`, and the
    /// note added when it is this device.
    pub fn question(self, name: &str, this_device: bool, lang: Lang) -> String {
        let (question, self_note) = match self {
            DeviceAction::Suspend => (T::SuspendQuestion, T::SuspendSelfNote),
            DeviceAction::Remove => (T::RemoveQuestion, T::RemoveSelfNote),
        };
        let question = lang.tn(question, name);
        if this_device {
            format!("{question} {}", lang.t(self_note))
        } else {
            question
        }
    }

    /// The confirming button's text.
    pub fn confirm_label(self) -> T {
        match self {
            DeviceAction::Suspend => T::ConfirmSuspend,
            DeviceAction::Remove => T::ConfirmRemove,
        }
    }

    /// What the status line says once done.
    pub fn done(self, name: &str, lang: Lang) -> String {
        match self {
            DeviceAction::Suspend => lang.tn(T::SuspendedDone, name),
            DeviceAction::Remove => lang.tn(T::RemovedDone, name),
        }
    }
}

/// A device as the devices and replace screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is the device in the user's hand.
    pub this_device: bool,
    /// Its status, in words.
    pub status: &'static str,
    /// "Activated: …".
    pub activated: String,
    /// "Last used: …", or "never used".
    pub last_used: String,
    /// The actions its buttons offer.
    pub actions: Vec<DeviceAction>,
}

/// The text of a device status.
pub fn status_text(status: DeviceStatus, lang: Lang) -> &'static str {
    lang.t(match status {
        DeviceStatus::Active => T::StatusActive,
        DeviceStatus::Suspended => T::StatusSuspended,
        DeviceStatus::Locked => T::StatusLocked,
        DeviceStatus::Revoked => T::StatusRevoked,
        DeviceStatus::Replaced => T::StatusReplaced,
    })
}

/// "Label: value", with the space French puts before the colon.
pub fn labelled(lang: Lang, label: T, value: &str) -> String {
    let colon = if lang == Lang::Fr { " :" } else { ":" };
    format!("{}{colon} {value}", lang.t(label))
}

/// The rows for `devices`; `this_id` is this device's id, if any. This device first, then
/// the others that still count, then those removed or replaced (history); otherwise in
/// the server's order.
pub fn device_rows(devices: &[DeviceSummary], this_id: Option<&str>, lang: Lang) -> Vec<DeviceRow> {
    let mut devices: Vec<&DeviceSummary> = devices.iter().collect();
    devices.sort_by_key(|d| {
        (
            this_id != Some(d.id.as_str()),
            !d.status.counts_towards_limit(),
        )
    });
    devices
        .into_iter()
        .map(|d| DeviceRow {
            id: d.id.clone(),
            name: d.name.clone(),
            this_device: this_id == Some(d.id.as_str()),
            status: status_text(d.status, lang),
            activated: labelled(lang, T::ActivatedOn, &format_date(d.created_at, lang)),
            last_used: labelled(
                lang,
                T::LastUsed,
                &d.last_used_at.map_or_else(
                    || lang.t(T::NeverUsed).to_string(),
                    |at| format_date(at, lang),
                ),
            ),
            actions: [DeviceAction::Suspend, DeviceAction::Remove]
                .into_iter()
                .filter(|a| a.allowed(d.status))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
