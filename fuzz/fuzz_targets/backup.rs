//! The companion's backup file as a user picks it (flow E): any text, decrypted with a
//! password. Argon2id runs only for a file that passes every structural check, which the
//! seed does; its parameters are bounded by the reader, so no input costs more than the
//! largest allowed (64 MiB, 10 passes).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_companion::backup::decrypt;
use tessera_fuzz::BACKUP_PASSWORD;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = decrypt(text, BACKUP_PASSWORD);
    }
});
