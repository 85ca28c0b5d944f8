//! The sandbox's passkey registration check: any attestation object (CBOR, COSE key, authenticator
//! data) and any client data give a credential or a typed error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::encoding::base64url_encode;
use quorum_sandbox::webauthn::{AttestationParams, RelyingParty, verify_registration};

const CHALLENGE: &str = "Y2hhbGxlbmdl";

fuzz_target!(|data: &[u8]| {
    let rp = RelyingParty {
        origins: vec!["http://localhost:8787".into()],
        rp_id: "localhost".into(),
    };
    let Some((&mode, rest)) = data.split_first() else { return };
    let att = if mode % 2 == 0 {
        // Valid client data, so the fuzzer works on the CBOR attestation object.
        let client_data = format!(
            r#"{{"type":"webauthn.create","challenge":"{CHALLENGE}","origin":"http://localhost:8787"}}"#
        );
        AttestationParams {
            credential_id: "AAAA".into(),
            client_data_json: base64url_encode(client_data.as_bytes()),
            attestation_object: base64url_encode(rest),
            transports: vec![],
        }
    } else {
        // Client data and attestation object both from the fuzzer.
        let cut = rest.first().map_or(0, |&b| usize::from(b)).min(rest.len());
        let (client, object) = rest.split_at(cut);
        AttestationParams {
            credential_id: base64url_encode(client),
            client_data_json: base64url_encode(client),
            attestation_object: base64url_encode(object),
            transports: vec![],
        }
    };
    let _ = verify_registration(&att, CHALLENGE, &rp);
});
