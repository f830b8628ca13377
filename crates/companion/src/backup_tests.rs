use super::*;

const PASSWORD: &str = "Tessera-Demo-1!";

fn contents() -> Contents {
    Contents::new(
        "alice",
        "Alice's phone",
        "fr",
        "c2VjcmV0LXJlc3RvcmUtdG9rZW4",
        1_795_564_800,
    )
}

/// A file made with the fixed salt and nonce of the known-answer test.
fn pinned_file() -> BackupFile {
    let salt: [u8; SALT_LEN] = core::array::from_fn(|i| i as u8);
    let nonce: [u8; NONCE_LEN] = core::array::from_fn(|i| 0xa0 + i as u8);
    encrypt_with(&contents(), PASSWORD, &salt, &nonce).expect("encrypts")
}

fn json(file: &BackupFile) -> String {
    serde_json::to_string(file).expect("serialises")
}

/// Fixed password, salt and nonce give this file: the format (field names and order of the
/// plaintext, KDF, parameters, AEAD, associated data) cannot drift silently. Checked once
/// against independent implementations (Python's argon2-cffi and cryptography).
#[test]
fn known_answer() {
    let file = pinned_file();
    assert_eq!(
        serde_json::to_string(&contents()).expect("serialises"),
        r#"{"format":"tessera-backup-plain/1","user_id":"alice","device_name":"Alice's phone","lang":"fr","restore_secret":"c2VjcmV0LXJlc3RvcmUtdG9rZW4","created_at":1795564800}"#
    );
    assert_eq!(
        json(&file),
        concat!(
            r#"{"format":"tessera-backup/1","kdf":"argon2id","m_kib":19456,"t":2,"p":1,"#,
            r#""salt":"AAECAwQFBgcICQoLDA0ODw","nonce":"oKGio6Slpqeoqaqr","#,
            r#""ciphertext":""#,
            "r2HzbtKEJ4sUCiAkfabpUKCzMihU-XeI3FAhQFvd3f6tj-r2XjOIdDpuhvNUenGtT5ar0k9z",
            "pM9dJbpYFFcaFlMxLAZHeTD42Ivbt0w8NNAeUYYKYKq9XhnPVpBRMJ5zKEkiZS5kdKGceDdy",
            "4jDC0oiO_X3IdQ-OlyrRCGfHrH6hcIEJxL8rukeKqK5km4RX6WlE22V9815N59_ji1SjwnQd",
            "IXwqdmwzkcnca64Ax4OnNbeNJHw",
            r#""}"#
        )
    );
    assert_eq!(decrypt(&json(&file), PASSWORD).expect("opens"), contents());
}

#[test]
fn round_trip_with_random_salt_and_nonce() {
    let text = encrypt(&contents(), PASSWORD).expect("encrypts");
    assert_eq!(decrypt(&text, PASSWORD).expect("opens"), contents());
    let again = encrypt(&contents(), PASSWORD).expect("encrypts");
    let (a, b): (BackupFile, BackupFile) = (
        serde_json::from_str(&text).expect("json"),
        serde_json::from_str(&again).expect("json"),
    );
    assert_ne!(a.salt, b.salt, "a fresh salt each time");
    assert_ne!(a.nonce, b.nonce, "a fresh nonce each time");
    assert_ne!(a.ciphertext, b.ciphertext);
    assert!(
        !text.contains("alice") && !text.contains("c2VjcmV0"),
        "nothing readable in the file: {text}"
    );
}

#[test]
fn a_wrong_password_is_refused() {
    let text = json(&pinned_file());
    for wrong in ["Tessera-Demo-1", "tessera-demo-1!", "", "Tessera-Demo-1! "] {
        assert_eq!(
            decrypt(&text, wrong),
            Err(BackupError::WrongPassword),
            "{wrong:?}"
        );
    }
}

#[test]
fn a_tampered_file_is_refused() {
    let file = pinned_file();
    let mut ciphertext = b64_decode(&file.ciphertext).expect("base64url");
    for at in [0, ciphertext.len() / 2, ciphertext.len() - 1] {
        ciphertext[at] ^= 1;
        let tampered = BackupFile {
            ciphertext: b64_encode(&ciphertext),
            ..file.clone()
        };
        assert_eq!(
            decrypt(&json(&tampered), PASSWORD),
            Err(BackupError::WrongPassword),
            "byte {at}"
        );
        ciphertext[at] ^= 1;
    }
    // Another salt, nonce or cost derives another key or stream: refused the same way.
    let other_salt = BackupFile {
        salt: b64_encode(&[9; SALT_LEN]),
        ..file.clone()
    };
    let other_nonce = BackupFile {
        nonce: b64_encode(&[9; NONCE_LEN]),
        ..file.clone()
    };
    let other_cost = BackupFile {
        t: 3,
        ..file.clone()
    };
    let truncated = BackupFile {
        ciphertext: file.ciphertext[..20].into(),
        ..file.clone()
    };
    for bad in [other_salt, other_nonce, other_cost, truncated] {
        assert_eq!(
            decrypt(&json(&bad), PASSWORD),
            Err(BackupError::WrongPassword),
            "{bad:?}"
        );
    }
}

#[test]
fn another_format_is_refused() {
    let file = pinned_file();
    let not_json = "this is not a backup";
    let other_format = json(&BackupFile {
        format: "tessera-backup/2".into(),
        ..file.clone()
    });
    let signature_file = r#"{"format":"tessera-signature/1","partner":"demo-bank"}"#;
    let short_salt = json(&BackupFile {
        salt: b64_encode(&[1; 8]),
        ..file.clone()
    });
    let bad_base64 = json(&BackupFile {
        nonce: "not base64!".into(),
        ..file.clone()
    });
    for text in [
        not_json,
        "",
        "{}",
        &other_format,
        signature_file,
        &short_salt,
        &bad_base64,
    ] {
        assert_eq!(
            decrypt(text, PASSWORD),
            Err(BackupError::NotABackup),
            "{text}"
        );
    }
    let scrypt = BackupFile {
        kdf: "scrypt".into(),
        ..file.clone()
    };
    let greedy = BackupFile {
        m_kib: 4 * 1024 * 1024,
        ..file.clone()
    };
    let weak = BackupFile {
        m_kib: 64,
        ..file.clone()
    };
    let slow = BackupFile {
        t: 1000,
        ..file.clone()
    };
    let wide = BackupFile { p: 64, ..file };
    for bad in [scrypt, greedy, weak, slow, wide] {
        assert_eq!(
            decrypt(&json(&bad), PASSWORD),
            Err(BackupError::Unsupported),
            "{bad:?}"
        );
    }
}

#[test]
fn contents_that_are_not_a_backup_are_refused_after_opening() {
    // Encrypted correctly, but the plaintext names another format.
    let salt = [3; SALT_LEN];
    let nonce = [4; NONCE_LEN];
    let other = Contents {
        format: "something-else/1".into(),
        ..contents()
    };
    let file = encrypt_with(&other, PASSWORD, &salt, &nonce).expect("encrypts");
    assert_eq!(decrypt(&json(&file), PASSWORD), Err(BackupError::Damaged));
}

#[test]
fn the_secret_stays_out_of_debug_output() {
    let shown = format!("{:?}", contents());
    assert!(
        shown.contains("alice") && !shown.contains("c2VjcmV0"),
        "{shown}"
    );
}

#[test]
fn file_names() {
    assert_eq!(file_name("alice"), "tessera-backup-alice.json");
    assert_eq!(file_name("Bob.Smith-2"), "tessera-backup-Bob.Smith-2.json");
    assert_eq!(file_name("../é/x y"), "tessera-backup-___x_y.json");
}
