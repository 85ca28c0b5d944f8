//! Export decryption in the browser through WebCrypto, with a **non-extractable** target key
//! (browser layer; PROTOCOL §5 export bundles, HPKE per RFC 9180 §4.1 DHKEM, §5.1 key schedule,
//! §5.2 single-shot open; issue 10).
//!
//! [`ExportTarget::generate`] makes an ECDH P-256 key with `generateKey(…, false, ["deriveBits"])`,
//! so the target private key never exists as bytes in JavaScript or wasm. Its uncompressed public
//! key is the export's `targetPublicKey`. [`ExportTarget::decrypt_export_bundle`] then:
//! 1. parses the v1.0.0 envelope and pins its signer with the core (`bundle::signed`);
//! 2. verifies the enclave's ECDSA P-256/SHA-256 signature with `subtle.verify` (the DER signature
//!    converted strictly to P1363 `r ‖ s`, [`der_to_p1363`]);
//! 3. checks the organization and parses the encapped key with the core (a compressed key is refused:
//!    Safari cannot import one raw);
//! 4. opens the HPKE message: ECDH `deriveBits` (256), the RFC 9180 `LabeledExtract`/`LabeledExpand`
//!    steps as HKDF `deriveBits`/`deriveKey` (each extract-then-expand pair is one HKDF call; the
//!    key-schedule context for `info = "turnkey_hpke"` is constant), then AES-256-GCM `decrypt` with
//!    AAD = encapped key ‖ receiver key.
//!
//! The plaintext leaves only after the signature verified. Secret intermediates (the ECDH output,
//! the HKDF input that holds it, the shared secret) stay in JavaScript buffers that are zeroed as
//! soon as WebCrypto has copied them; they never enter wasm memory. The plaintext is copied into a
//! [`Zeroizing`] buffer and its JavaScript copy zeroed. Decryption failures are the opaque
//! [`BundleError::Decryption`].
//!
//! A target can be kept in IndexedDB for an export that spans a reload ([`ExportTarget::save`],
//! [`ExportTarget::load`], [`ExportTarget::delete_stored`]): the record holds the `CryptoKey`
//! itself (structured clone keeps it non-extractable), never key bytes.
//!
//! The core's `p256`/`hpke` path ([`crate::bundle::decrypt_export_bundle`]) stays the oracle: the
//! browser tests check that both paths give byte-identical plaintexts and refuse the same tampering.

use std::cell::RefCell;
use std::fmt;

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

use crate::bundle::export::sealed_from_signed_data;
use crate::bundle::{self, BundleError, credential, signed};
use crate::client::StamperError;
use crate::der::der_to_p1363;
use crate::keys::{P256KeyPair, UncompressedP256};
use crate::session::{SessionError, call, crypto_err, store, subtle};

/// The IndexedDB key prefix of stored targets (in the session store, beside sessions).
const STORAGE_PREFIX: &str = "export-target:";

/// RFC 9180 §4.1: `suite_id` of the KEM, `"KEM" ‖ I2OSP(0x0010, 2)` (DHKEM(P-256, HKDF-SHA256)).
const KEM_SUITE_ID: &[u8] = b"KEM\x00\x10";
/// RFC 9180 §5.1: `suite_id` of the whole suite, `"HPKE" ‖ kem 0x0010 ‖ kdf 0x0001 ‖ aead 0x0002`.
const HPKE_SUITE_ID: &[u8] = b"HPKE\x00\x10\x00\x01\x00\x02";
/// RFC 9180 §4: the label prefix.
const HPKE_V1: &[u8] = b"HPKE-v1";
/// RFC 9180 §5.1 `key_schedule_context = mode_base (0) ‖ psk_id_hash ‖ info_hash` for
/// `info = "turnkey_hpke"`, where `psk_id_hash = LabeledExtract("", "psk_id_hash", "")` and
/// `info_hash = LabeledExtract("", "info_hash", info)`. Constant for the suite and info, so
/// precomputed (a browser test recomputes it with WebCrypto HMAC).
pub const KEY_SCHEDULE_CONTEXT: [u8; 65] = [
    0x00, 0x8f, 0xc3, 0xae, 0xb8, 0x32, 0x49, 0x0a, 0x4b, 0x5a, 0xb3, 0xe4, 0x20, 0x23, 0x28, 0x7d,
    0xb2, 0x9a, 0x1f, 0x4b, 0xc7, 0xc2, 0x22, 0xc0, 0xdf, 0x22, 0x87, 0x27, 0xb7, 0x0a, 0x40, 0x21,
    0x12, 0x2f, 0x3f, 0x04, 0xe9, 0x20, 0x6c, 0xd1, 0x24, 0x13, 0x50, 0x35, 0x29, 0xb4, 0x7a, 0xc6,
    0xa6, 0x30, 0xb9, 0x2e, 0xc4, 0xcf, 0x7d, 0x23, 0x45, 0x08, 0xd0, 0xaf, 0x97, 0x71, 0xc9, 0x9e,
    0x50,
];

/// Why a target could not be made or a bundle was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportTargetError {
    /// The bundle was refused: not a bundle, legacy, untrusted signer, bad signature, another
    /// organization; or it did not decrypt ([`BundleError::Decryption`], deliberately opaque).
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// WebCrypto is unavailable (an insecure context) or failed outside decryption (making the
    /// key, importing the signer key).
    #[error("WebCrypto failed: {0}")]
    WebCrypto(String),
    /// IndexedDB failed to store, read or delete a target.
    #[error("export target storage failed: {0}")]
    Storage(String),
}

impl ExportTargetError {
    /// The stable JS `name`: the [`BundleError::name`] of a refused bundle, else `WebCryptoError`.
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::Bundle(b) => b.name(),
            Self::WebCrypto(_) => "WebCryptoError",
            Self::Storage(_) => "ExportTargetStorageError",
        }
    }
}

impl From<StamperError> for ExportTargetError {
    fn from(e: StamperError) -> Self {
        match e {
            StamperError::Crypto(message) => Self::WebCrypto(message),
            other => Self::WebCrypto(other.to_string()),
        }
    }
}

fn storage_err(e: SessionError) -> ExportTargetError {
    match e {
        SessionError::Storage(message) => ExportTargetError::Storage(message),
        other => ExportTargetError::Storage(other.to_string()),
    }
}

/// A decryption step failed; what failed is deliberately not said.
struct Opaque;

impl From<StamperError> for Opaque {
    fn from(_: StamperError) -> Self {
        Self
    }
}

/// The target key of an export: a non-extractable ECDH P-256 `CryptoKey` and its uncompressed
/// public key. Drop it after the export (the browser frees the key with the last reference).
#[derive(Clone)]
pub struct ExportTarget {
    private_key: JsValue,
    public_key: UncompressedP256,
    public_key_hex: String,
}

impl fmt::Debug for ExportTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportTarget")
            .field("public_key", &self.public_key_hex)
            .field("private_key", &"CryptoKey (non-extractable)")
            .finish()
    }
}

thread_local! {
    /// The last signer key imported for `verify` (the production key, in practice).
    static SIGNER_KEY: RefCell<Option<([u8; 65], JsValue)>> = const { RefCell::new(None) };
    /// The HKDF key of RFC 9180's `LabeledExtract(shared_secret, "secret", "")` input: its
    /// material is the constant `"HPKE-v1" ‖ suite_id ‖ "secret"` (base mode, empty PSK).
    static SECRET_STAGE_KEY: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// A plain object with these properties (setting a property on a fresh object cannot fail).
fn object(entries: &[(&str, &JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in entries {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

async fn subtle_call(
    subtle: &JsValue,
    method: &str,
    args: &Array,
) -> Result<JsValue, StamperError> {
    JsFuture::from(call(subtle, method, args)?)
        .await
        .map_err(|e| crypto_err(&e))
}

fn buffer(value: JsValue) -> Result<Uint8Array, StamperError> {
    value
        .dyn_into::<ArrayBuffer>()
        .map(|b| Uint8Array::new(&b))
        .map_err(|_| StamperError::Crypto("WebCrypto did not return an ArrayBuffer".into()))
}

fn ec_params(name: &str) -> JsValue {
    object(&[("name", &name.into()), ("namedCurve", &"P-256".into())])
}

/// `"HPKE-v1" ‖ suite_id ‖ label` (RFC 9180 §4 `LabeledExtract`'s input, before the IKM).
fn labeled_prefix(suite_id: &[u8], label: &[u8]) -> Vec<u8> {
    [HPKE_V1, suite_id, label].concat()
}

/// `I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info` (RFC 9180 §4 `LabeledExpand`'s info).
fn labeled_info(length: u16, suite_id: &[u8], label: &[u8], info: &[u8]) -> Uint8Array {
    Uint8Array::from(
        [&length.to_be_bytes()[..], HPKE_V1, suite_id, label, info]
            .concat()
            .as_slice(),
    )
}

fn hkdf_params(salt: &JsValue, info: &Uint8Array) -> JsValue {
    object(&[
        ("name", &"HKDF".into()),
        ("hash", &"SHA-256".into()),
        ("salt", salt),
        ("info", info),
    ])
}

async fn import_hkdf_key(
    subtle: &JsValue,
    material: &Uint8Array,
    usages: &Array,
) -> Result<JsValue, StamperError> {
    let args = Array::of5(
        &"raw".into(),
        material,
        &"HKDF".into(),
        &JsValue::FALSE,
        usages,
    );
    subtle_call(subtle, "importKey", &args).await
}

async fn signer_key(subtle: &JsValue, signer: &UncompressedP256) -> Result<JsValue, StamperError> {
    let cached = SIGNER_KEY.with_borrow(|slot| {
        slot.as_ref()
            .filter(|(bytes, _)| bytes == signer.as_bytes())
            .map(|(_, key)| key.clone())
    });
    if let Some(key) = cached {
        return Ok(key);
    }
    let args = Array::of5(
        &"raw".into(),
        &Uint8Array::from(signer.as_bytes().as_slice()),
        &ec_params("ECDSA"),
        &JsValue::FALSE,
        &Array::of1(&"verify".into()),
    );
    let key = subtle_call(subtle, "importKey", &args).await?;
    SIGNER_KEY.with_borrow_mut(|slot| *slot = Some((*signer.as_bytes(), key.clone())));
    Ok(key)
}

async fn secret_stage_key(subtle: &JsValue) -> Result<JsValue, StamperError> {
    if let Some(key) = SECRET_STAGE_KEY.with_borrow(Clone::clone) {
        return Ok(key);
    }
    let material = Uint8Array::from(labeled_prefix(HPKE_SUITE_ID, b"secret").as_slice());
    let usages = Array::of2(&"deriveBits".into(), &"deriveKey".into());
    let key = import_hkdf_key(subtle, &material, &usages).await?;
    SECRET_STAGE_KEY.with_borrow_mut(|slot| *slot = Some(key.clone()));
    Ok(key)
}

/// Verifies an ECDSA P-256/SHA-256 signature (DER, converted strictly) with WebCrypto.
///
/// # Errors
/// [`BundleError::BadSignature`] for a malformed or non-verifying signature,
/// [`ExportTargetError::WebCrypto`] if WebCrypto fails.
pub async fn verify_p256_der_signature(
    signer: &UncompressedP256,
    data: &[u8],
    signature_der: &[u8],
) -> Result<(), ExportTargetError> {
    let p1363 = der_to_p1363(signature_der).map_err(|_| BundleError::BadSignature)?;
    let subtle = subtle()?;
    let key = signer_key(&subtle, signer).await?;
    let algorithm = object(&[("name", &"ECDSA".into()), ("hash", &"SHA-256".into())]);
    let args = Array::of4(
        &algorithm,
        &key,
        &Uint8Array::from(p1363.as_slice()),
        &Uint8Array::from(data),
    );
    let verified = subtle_call(&subtle, "verify", &args).await?;
    if verified.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(BundleError::BadSignature.into())
    }
}

impl ExportTarget {
    /// Makes a fresh target: `generateKey({name: "ECDH", namedCurve: "P-256"}, false, ["deriveBits"])`.
    ///
    /// # Errors
    /// [`ExportTargetError::WebCrypto`] when WebCrypto is unavailable or refuses.
    pub async fn generate() -> Result<ExportTarget, ExportTargetError> {
        let subtle = subtle()?;
        let args = Array::of3(
            &ec_params("ECDH"),
            &JsValue::FALSE,
            &Array::of1(&"deriveBits".into()),
        );
        let pair = subtle_call(&subtle, "generateKey", &args).await?;
        let get = |k: &str| Reflect::get(&pair, &k.into()).map_err(|e| crypto_err(&e));
        let private_key = get("privateKey")?;
        let args = Array::of2(&"raw".into(), &get("publicKey")?);
        let raw = buffer(subtle_call(&subtle, "exportKey", &args).await?)?;
        let public_key = UncompressedP256::from_bytes(&raw.to_vec())
            .map_err(|e| ExportTargetError::WebCrypto(format!("generated public key: {e}")))?;
        Ok(Self::from_parts(private_key, public_key))
    }

    /// A target from a stored non-extractable ECDH P-256 private `CryptoKey` (from IndexedDB, say)
    /// and its uncompressed public key, hex.
    ///
    /// # Errors
    /// [`BundleError::InvalidInput`] for a public key that is not 65 uncompressed bytes on P-256,
    /// or a `private_key` that is not an object.
    pub fn from_crypto_key(
        private_key: JsValue,
        public_key_uncompressed: &str,
    ) -> Result<ExportTarget, ExportTargetError> {
        let public_key = UncompressedP256::from_hex(public_key_uncompressed)
            .map_err(|e| BundleError::InvalidInput(format!("target public key: {e}")))?;
        if !private_key.is_object() {
            return Err(
                BundleError::InvalidInput("the target key is not a CryptoKey".into()).into(),
            );
        }
        Ok(Self::from_parts(private_key, public_key))
    }

    /// Stores this target in IndexedDB under `name` (replacing any target stored under it).
    ///
    /// # Errors
    /// [`ExportTargetError::Storage`].
    pub async fn save(&self, name: &str) -> Result<(), ExportTargetError> {
        let record = Object::new();
        let set = |k: &str, v: &JsValue| {
            Reflect::set(&record, &k.into(), v)
                .map(|_| ())
                .map_err(|_| ExportTargetError::Storage("cannot build the record".into()))
        };
        set("privateKey", &self.private_key)?;
        set(
            "publicKeyUncompressed",
            &self.public_key_hex.as_str().into(),
        )?;
        store::put(&format!("{STORAGE_PREFIX}{name}"), &record)
            .await
            .map_err(storage_err)
    }

    /// The target stored under `name`, or `None`.
    ///
    /// # Errors
    /// [`ExportTargetError::Storage`], also for a record that is not a target.
    pub async fn load(name: &str) -> Result<Option<ExportTarget>, ExportTargetError> {
        let Some(record) = store::get(&format!("{STORAGE_PREFIX}{name}"))
            .await
            .map_err(storage_err)?
        else {
            return Ok(None);
        };
        let get = |k: &str| Reflect::get(&record, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let public_key = get("publicKeyUncompressed").as_string().unwrap_or_default();
        Self::from_crypto_key(get("privateKey"), &public_key)
            .map(Some)
            .map_err(|e| ExportTargetError::Storage(format!("the stored target is unusable: {e}")))
    }

    /// Deletes the target stored under `name` (nothing if there is none).
    ///
    /// # Errors
    /// [`ExportTargetError::Storage`].
    pub async fn delete_stored(name: &str) -> Result<(), ExportTargetError> {
        store::delete(&format!("{STORAGE_PREFIX}{name}"))
            .await
            .map_err(storage_err)
    }

    fn from_parts(private_key: JsValue, public_key: UncompressedP256) -> Self {
        let public_key_hex = public_key.to_hex();
        Self {
            private_key,
            public_key,
            public_key_hex,
        }
    }

    /// Uncompressed (65-byte, `04…`) public key, hex: what goes in `targetPublicKey`.
    #[must_use]
    pub fn public_key_uncompressed(&self) -> &str {
        &self.public_key_hex
    }

    /// The non-extractable ECDH private `CryptoKey` (to store it in IndexedDB; it cannot be exported).
    #[must_use]
    pub fn crypto_key(&self) -> &JsValue {
        &self.private_key
    }

    /// Verifies the enclave signature (the signer is Turnkey's production key, pinned, unless
    /// `signer_override` names another, uncompressed hex), checks `organizationId`, then
    /// HPKE-decrypts through WebCrypto. Returns the plaintext (zeroized on drop): a mnemonic's
    /// UTF-8 or a raw key, for [`bundle::export_plaintext_to_mnemonic`] / [`bundle::export_plaintext_to_key`].
    ///
    /// # Errors
    /// [`ExportTargetError::Bundle`] with the check that failed, in the core's order
    /// (`InvalidInput` for a bad override too); the opaque [`BundleError::Decryption`] for any
    /// decryption failure; [`ExportTargetError::WebCrypto`] when WebCrypto is unavailable.
    pub async fn decrypt_export_bundle(
        &self,
        export_bundle: &str,
        organization_id: &str,
        signer_override: Option<&str>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportTargetError> {
        let signer = match signer_override {
            Some(hex) => UncompressedP256::from_hex(hex)
                .map_err(|e| BundleError::InvalidInput(format!("signer override: {e}")))?,
            None => bundle::production_signer()?,
        };
        let pinned = signed::parse_pinned(export_bundle, &signer)?;
        verify_p256_der_signature(&signer, &pinned.data, &pinned.signature_der).await?;
        let sealed = sealed_from_signed_data(&pinned.data, organization_id)?;
        self.open(&sealed.encapped, &sealed.ciphertext)
            .await
            .map_err(|Opaque| BundleError::Decryption.into())
    }

    /// Decrypts a credential bundle (sessions, email auth; PROTOCOL §6) sealed to this target, as
    /// [`bundle::decrypt_credential_bundle`] does with a key in memory. The bundle's encapped key
    /// is compressed: it is decompressed here (it is public), as WebCrypto in Safari imports raw
    /// points uncompressed only.
    ///
    /// # Errors
    /// [`ExportTargetError::Bundle`]: `InvalidInput` for a malformed bundle, the opaque
    /// `Decryption` for any decryption failure, `InvalidPlaintext` if it holds no P-256 key;
    /// [`ExportTargetError::WebCrypto`] when WebCrypto is unavailable.
    pub async fn decrypt_credential_bundle(
        &self,
        credential_bundle: &str,
    ) -> Result<P256KeyPair, ExportTargetError> {
        let sealed = credential::sealed_from_credential_bundle(credential_bundle)?;
        let plaintext = self
            .open(&sealed.encapped, &sealed.ciphertext)
            .await
            .map_err(|Opaque| ExportTargetError::from(BundleError::Decryption))?;
        Ok(credential::credential_from_plaintext(&plaintext)?)
    }

    /// RFC 9180 single-shot open (base mode, sequence 0) of `ciphertext` from `encapped`.
    async fn open(
        &self,
        encapped: &UncompressedP256,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Opaque> {
        let subtle = subtle()?;
        // kem_context = enc ‖ pkRm; it is also Turnkey's AAD.
        let kem_context = [encapped.as_bytes().as_slice(), self.public_key.as_bytes()].concat();

        // §4.1 Decap: dh = DH(skR, pkE). The encapped key imports raw, uncompressed only.
        let args = Array::of5(
            &"raw".into(),
            &Uint8Array::from(encapped.as_bytes().as_slice()),
            &ec_params("ECDH"),
            &JsValue::TRUE,
            &Array::new(),
        );
        let sender = subtle_call(&subtle, "importKey", &args).await?;
        let ecdh = object(&[("name", &"ECDH".into()), ("public", &sender)]);
        let args = Array::of3(&ecdh, &self.private_key, &JsValue::from_f64(256.0));
        let dh = buffer(subtle_call(&subtle, "deriveBits", &args).await?)?;

        // §4.1 ExtractAndExpand: shared_secret = LabeledExpand(LabeledExtract("", "eae_prk", dh),
        // "shared_secret", kem_context, 32): one HKDF (empty salt) over "HPKE-v1" ‖ suite ‖ "eae_prk" ‖ dh.
        let prefix = labeled_prefix(KEM_SUITE_ID, b"eae_prk");
        let prefix_len = prefix.len() as u32; // 19 bytes
        let ikm = Uint8Array::new_with_length(prefix_len + dh.length());
        ikm.set(&Uint8Array::from(prefix.as_slice()), 0);
        ikm.set(&dh, prefix_len);
        dh.fill(0, 0, dh.length());
        let imported = import_hkdf_key(&subtle, &ikm, &Array::of1(&"deriveBits".into())).await;
        ikm.fill(0, 0, ikm.length());
        let eae_key = imported?;
        let info = labeled_info(32, KEM_SUITE_ID, b"shared_secret", &kem_context);
        let params = hkdf_params(&Uint8Array::new_with_length(0), &info);
        let args = Array::of3(&params, &eae_key, &JsValue::from_f64(256.0));
        let shared_secret = buffer(subtle_call(&subtle, "deriveBits", &args).await?)?;

        // §5.1 KeySchedule: secret = LabeledExtract(shared_secret, "secret", psk = ""), then
        // key = LabeledExpand(secret, "key", ksc, 32) and base_nonce = LabeledExpand(secret,
        // "base_nonce", ksc, 12): two HKDF calls salted with the shared secret. WebCrypto copies the
        // salt when called, so the shared secret is zeroed once both have started.
        let secret_key = secret_stage_key(&subtle).await;
        let started = secret_key.and_then(|secret_key| {
            let key_params = hkdf_params(
                &shared_secret,
                &labeled_info(32, HPKE_SUITE_ID, b"key", &KEY_SCHEDULE_CONTEXT),
            );
            let aes = object(&[
                ("name", &"AES-GCM".into()),
                ("length", &JsValue::from_f64(256.0)),
            ]);
            let args = Array::of5(
                &key_params,
                &secret_key,
                &aes,
                &JsValue::FALSE,
                &Array::of1(&"decrypt".into()),
            );
            let key = call(&subtle, "deriveKey", &args)?;
            let nonce_params = hkdf_params(
                &shared_secret,
                &labeled_info(12, HPKE_SUITE_ID, b"base_nonce", &KEY_SCHEDULE_CONTEXT),
            );
            let args = Array::of3(&nonce_params, &secret_key, &JsValue::from_f64(96.0));
            let nonce = call(&subtle, "deriveBits", &args)?;
            Ok((key, nonce))
        });
        shared_secret.fill(0, 0, shared_secret.length());
        let (key, nonce) = started?;
        let key = JsFuture::from(key).await.map_err(|_| Opaque)?;
        let nonce = buffer(JsFuture::from(nonce).await.map_err(|_| Opaque)?)?;

        // §5.2 Open, sequence 0: nonce = base_nonce; Turnkey's AAD = enc ‖ pkR.
        let gcm = object(&[
            ("name", &"AES-GCM".into()),
            ("iv", &nonce),
            ("additionalData", &Uint8Array::from(kem_context.as_slice())),
            ("tagLength", &JsValue::from_f64(128.0)),
        ]);
        let args = Array::of3(&gcm, &key, &Uint8Array::from(ciphertext));
        let opened = call(&subtle, "decrypt", &args)?;
        nonce.fill(0, 0, nonce.length());
        let plaintext = buffer(JsFuture::from(opened).await.map_err(|_| Opaque)?)?;
        let mut out = Zeroizing::new(vec![0u8; plaintext.length() as usize]);
        plaintext.copy_to(&mut out);
        plaintext.fill(0, 0, plaintext.length());
        Ok(out)
    }
}
