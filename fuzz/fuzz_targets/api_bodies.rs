//! The JSON bodies the server reads from browsers, phones and partners. The first byte
//! picks the type; every type must refuse or read the rest without panicking, and what
//! it reads must write back and read again as the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::{SignedApproval, api::*};

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + core::fmt::Debug>(json: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(json) {
        let written = serde_json::to_vec(&value).expect("a read value writes");
        let again: T = serde_json::from_slice(&written).expect("a written value reads");
        assert_eq!(again, value);
    }
}

fn read<T: DeserializeOwned>(json: &[u8]) {
    let _ = serde_json::from_slice::<T>(json);
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, json)) = data.split_first() else {
        return;
    };
    match which % 16 {
        0 => read::<CreateSession>(json),
        1 => read::<PushRequest>(json),
        2 => read::<MatchRequest>(json),
        3 => read::<ActivationRequest>(json),
        4 => read::<ScanStart>(json),
        5 => read::<ScanConfirm>(json),
        6 => read::<PinChange>(json),
        7 => read::<DeviceRename>(json),
        8 => read::<ScanRequest>(json),
        9 => read::<RespondRequest>(json),
        10 => read::<BiometricRegistration>(json),
        11 => read::<BiometricAssertion>(json),
        12 => read::<ActivationConfirm>(json),
        13 => round_trip::<SignedApproval>(json),
        14 => read::<NewUserSetup>(json),
        _ => read::<BiometricsStart>(json),
    }
});
