//! Crypto functions with `@turnkey/crypto`'s and `@turnkey/api-key-stamper`'s names and shapes:
//! `generateP256KeyPair`, `decryptExportBundle`, `decryptCredentialBundle`,
//! `encryptWalletToBundle`, `ApiKeyStamper`, `getChallengeFromPayload`, `fingerprint`.

use crate::prelude::*;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::error::invalid_input;
use super::input::{self, Fields};
use crate::bundle::{self, KeyFormat};
use crate::keys::{P256KeyPair, UncompressedP256};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A P-256 key pair as hex: 32-byte private key, 33-byte compressed and 65-byte uncompressed public keys. */
export interface P256KeyPairHex {
  privateKey: string;
  publicKey: string;
  publicKeyUncompressed: string;
}

/** Options of `decryptExportBundle`, as in `@turnkey/crypto`. */
export interface DecryptExportBundleParams {
  /** The `exportBundle` string from an export activity's result. */
  exportBundle: string;
  /** Hex of the 32-byte private key whose public key was the export's `targetPublicKey`. */
  embeddedKey: string;
  /** The organization the bundle must be for. */
  organizationId: string;
  /** `true` for a wallet export (returns the mnemonic); `false` for a key (returns it in `keyFormat`). */
  returnMnemonic: boolean;
  /** How to write a private key: hex (default) or Solana's base58 key pair. */
  keyFormat?: "HEXADECIMAL" | "SOLANA";
  /** Pin another signer key (uncompressed hex) instead of Turnkey's production signer: tests and the local sandbox only. */
  dangerouslyOverrideSignerPublicKey?: string;
}

/** Options of `encryptWalletToBundle`, as in `@turnkey/crypto`. */
export interface EncryptWalletToBundleParams {
  mnemonic: string;
  /** The `importBundle` from `init_import_wallet`. */
  importBundle: string;
  userId: string;
  organizationId: string;
  dangerouslyOverrideSignerPublicKey?: string;
}

/** Options of `new ApiKeyStamper(...)`, as in `@turnkey/api-key-stamper`. */
export interface ApiKeyStamperConfig {
  /** Compressed P-256 public key, hex. */
  apiPublicKey: string;
  /** P-256 private key, hex. */
  apiPrivateKey: string;
  /**
   * `"browser"`: sign through WebCrypto (`crypto.subtle`, the key imported once as non-extractable;
   * randomized ECDSA). `"purejs"`: sign in wasm with RFC 6979 (deterministic, byte-identical to
   * Turnkey's pure-JS stamper). Default: `"purejs"` in Node, `"browser"` elsewhere.
   * `quorum-kit/crypto` always signs in wasm (`"purejs"`) and refuses `"browser"`.
   */
  runtimeOverride?: "browser" | "purejs";
}

/** A stamp header, as every Turnkey stamper returns it. */
export interface TStamp {
  stampHeaderName: string;
  stampHeaderValue: string;
}
"#;

/// A plain object from `(key, value)` pairs (plain objects, not serde-wasm-bindgen: see
/// [`Fields`]).
pub(crate) fn plain_object(entries: &[(&str, &str)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        // Defining a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    object.into()
}

/// The promise an async-shaped function returns (Turnkey's return promises) when its work is
/// synchronous: already settled, so no executor runs (`async fn` exports cost the futures queue
/// and a state machine each in wasm, and closure glue in JS).
fn settled(result: Result<JsValue, JsValue>) -> Promise {
    match result {
        Ok(value) => Promise::resolve(&value),
        Err(error) => Promise::reject(&error),
    }
}

/// A fresh P-256 key pair (for export targets and session keys), as hex.
#[wasm_bindgen(js_name = generateP256KeyPair, unchecked_return_type = "P256KeyPairHex")]
#[must_use]
pub fn generate_p256_key_pair() -> JsValue {
    let pair = P256KeyPair::generate();
    let private_key = pair.private_key_hex();
    plain_object(&[
        ("privateKey", &private_key),
        ("publicKey", &pair.public_key_compressed().to_hex()),
        (
            "publicKeyUncompressed",
            &pair.public_key_uncompressed().to_hex(),
        ),
    ])
}

#[derive(Zeroize, ZeroizeOnDrop)]
struct DecryptExportBundleParams {
    export_bundle: String,
    embedded_key: String,
    organization_id: String,
    return_mnemonic: bool,
    key_format: Option<String>,
    dangerously_override_signer_public_key: Option<String>,
}

impl DecryptExportBundleParams {
    fn read(params: &JsValue) -> Result<Self, JsValue> {
        let f = Fields::read(params, "decryptExportBundle", "params")?;
        Ok(Self {
            export_bundle: f.string("exportBundle")?,
            embedded_key: f.string("embeddedKey")?,
            organization_id: f.string("organizationId")?,
            return_mnemonic: f.flag("returnMnemonic")?,
            key_format: f.optional_string("keyFormat")?,
            dangerously_override_signer_public_key: f
                .optional_string("dangerouslyOverrideSignerPublicKey")?,
        })
    }
}

fn signer(override_key: Option<&str>) -> Result<UncompressedP256, JsValue> {
    match override_key {
        Some(hex) => UncompressedP256::from_hex(hex)
            .map_err(|e| invalid_input(&format!("dangerouslyOverrideSignerPublicKey: {e}"))),
        None => bundle::production_signer().map_err(JsValue::from),
    }
}

/// Verifies an export bundle (signer, signature, organization) and decrypts it.
/// Resolves to the mnemonic (`returnMnemonic: true`) or the private key in `keyFormat`.
///
/// # Errors
/// Rejects with an `Error` named `InvalidInputError`, `LegacyBundleError`,
/// `UnsupportedVersionError`, `UntrustedSignerError`, `BundleSignatureError`,
/// `OrganizationMismatchError`, `DecryptionError` or `InvalidPlaintextError`.
#[wasm_bindgen(js_name = decryptExportBundle, unchecked_return_type = "Promise<string>")]
pub fn decrypt_export_bundle(
    #[wasm_bindgen(unchecked_param_type = "DecryptExportBundleParams")] params: JsValue,
) -> Promise {
    settled(decrypt_export_bundle_now(&params).map(|key| JsValue::from_str(&key)))
}

/// `decryptExportBundle`'s work, synchronous.
fn decrypt_export_bundle_now(params: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    let p = DecryptExportBundleParams::read(params)?;
    let format = key_format(p.key_format.as_deref())?;
    let receiver = bundle::export::embedded_key_from_hex(&p.embedded_key)?;
    let signer = signer(p.dangerously_override_signer_public_key.as_deref())?;
    let plaintext =
        bundle::decrypt_export_bundle(&p.export_bundle, &receiver, &p.organization_id, &signer)?;
    export_result(&plaintext, p.return_mnemonic, format)
}

/// Parses `keyFormat` (default hexadecimal).
pub(crate) fn key_format(key_format: Option<&str>) -> Result<KeyFormat, JsValue> {
    Ok(key_format
        .map(KeyFormat::parse)
        .transpose()?
        .unwrap_or_default())
}

/// `decryptExportBundle`'s result: the mnemonic (`returnMnemonic`) or the key in `format`.
pub(crate) fn export_result(
    plaintext: &[u8],
    return_mnemonic: bool,
    format: KeyFormat,
) -> Result<Zeroizing<String>, JsValue> {
    Ok(if return_mnemonic {
        bundle::export_plaintext_to_mnemonic(plaintext)?
    } else {
        bundle::export_plaintext_to_key(plaintext, format)?
    })
}

/// Decrypts a credential bundle (sessions, email auth) and returns the API private key, hex.
///
/// # Errors
/// Throws `InvalidInputError`, `DecryptionError` or `InvalidPlaintextError`.
#[wasm_bindgen(js_name = decryptCredentialBundle)]
#[allow(non_snake_case)] // the parameter names appear in the generated TypeScript
pub fn decrypt_credential_bundle(
    #[wasm_bindgen(unchecked_param_type = "string")] credentialBundle: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] embeddedKey: JsValue,
) -> Result<String, JsValue> {
    let bundle_text = input::string(
        &credentialBundle,
        "decryptCredentialBundle: credentialBundle",
    )?;
    let mut key_hex = input::string(&embeddedKey, "decryptCredentialBundle: embeddedKey")?;
    let receiver = bundle::export::embedded_key_from_hex(&key_hex);
    key_hex.zeroize();
    let key = bundle::decrypt_credential_bundle(&bundle_text, &receiver?)?;
    Ok(key.private_key_hex().to_string())
}

#[derive(Zeroize, ZeroizeOnDrop)]
struct EncryptWalletToBundleParams {
    mnemonic: String,
    import_bundle: String,
    user_id: String,
    organization_id: String,
    dangerously_override_signer_public_key: Option<String>,
}

impl EncryptWalletToBundleParams {
    fn read(params: &JsValue) -> Result<Self, JsValue> {
        let f = Fields::read(params, "encryptWalletToBundle", "params")?;
        Ok(Self {
            mnemonic: f.string("mnemonic")?,
            import_bundle: f.string("importBundle")?,
            user_id: f.string("userId")?,
            organization_id: f.string("organizationId")?,
            dangerously_override_signer_public_key: f
                .optional_string("dangerouslyOverrideSignerPublicKey")?,
        })
    }
}

/// Verifies an import bundle and encrypts the mnemonic to its target; resolves to the
/// `encryptedBundle` JSON for `import_wallet`.
///
/// # Errors
/// Rejects with the envelope errors of `decryptExportBundle`, `OrganizationMismatchError` or
/// `UserMismatchError`.
#[wasm_bindgen(js_name = encryptWalletToBundle, unchecked_return_type = "Promise<string>")]
pub fn encrypt_wallet_to_bundle(
    #[wasm_bindgen(unchecked_param_type = "EncryptWalletToBundleParams")] params: JsValue,
) -> Promise {
    settled(encrypt_wallet_to_bundle_now(&params).map(|bundle| JsValue::from_str(&bundle)))
}

/// `encryptWalletToBundle`'s work, synchronous.
fn encrypt_wallet_to_bundle_now(params: &JsValue) -> Result<String, JsValue> {
    let p = EncryptWalletToBundleParams::read(params)?;
    let signer = signer(p.dangerously_override_signer_public_key.as_deref())?;
    Ok(bundle::encrypt_wallet_to_bundle(
        &p.mnemonic,
        &p.import_bundle,
        &p.user_id,
        &p.organization_id,
        &signer,
    )?)
}

/// The challenge a passkey signs for a request body: the UTF-8 bytes of the lowercase hex
/// SHA-256 of the body (as `@turnkey/webauthn-stamper`'s `getChallengeFromPayload`).
///
/// # Errors
/// Throws `InvalidInputError` when `payload` is not a string.
#[wasm_bindgen(js_name = getChallengeFromPayload)]
pub fn get_challenge_from_payload(
    #[wasm_bindgen(unchecked_param_type = "string")] payload: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let payload = input::string(&payload, "getChallengeFromPayload: payload")?;
    Ok(crate::stamp::webauthn::challenge_for_body(&payload).into_bytes())
}

/// The fingerprint Turnkey gives the activity submitted with this exact body: `sha256:<hex>`.
///
/// # Errors
/// Throws `InvalidInputError` when `body` is not a string.
#[wasm_bindgen(js_name = fingerprint)]
pub fn fingerprint(
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
) -> Result<String, JsValue> {
    let body = input::string(&body, "fingerprint: body")?;
    Ok(crate::activity::fingerprint(&body))
}

#[derive(Zeroize, ZeroizeOnDrop)]
struct ApiKeyStamperConfig {
    api_public_key: String,
    api_private_key: String,
    #[zeroize(skip)]
    runtime_override: Option<String>,
}

impl ApiKeyStamperConfig {
    fn read(config: &JsValue) -> Result<Self, JsValue> {
        let f = Fields::read(config, "ApiKeyStamper", "config")?;
        Ok(Self {
            api_public_key: f.string("apiPublicKey")?,
            api_private_key: f.string("apiPrivateKey")?,
            runtime_override: f.optional_string("runtimeOverride")?,
        })
    }
}

/// How an [`JsApiKeyStamper`] signs.
enum Signer {
    /// WebCrypto where available (falls back to the core if `crypto.subtle` refuses).
    #[cfg(feature = "browser")]
    WebCrypto(crate::session::PreferWebCryptoStamper),
    /// The core's RFC 6979 signer in wasm.
    Pure(crate::stamp::ApiKeyStamper),
}

/// Whether this is Node (where Turnkey's stamper also avoids the browser path).
#[cfg(feature = "browser")]
fn in_node() -> bool {
    let process = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("process"));
    let versions = process.and_then(|p| js_sys::Reflect::get(&p, &JsValue::from_str("versions")));
    versions
        .and_then(|v| js_sys::Reflect::get(&v, &JsValue::from_str("node")))
        .is_ok_and(|node| node.is_string())
}

/// Stamps request bodies with a P-256 API key (`X-Stamp`), with `@turnkey/api-key-stamper`'s
/// shape: it plugs into `@turnkey/http`'s `TurnkeyClient`. In a browser it signs through
/// WebCrypto; in Node (or with `runtimeOverride: "purejs"`) deterministically in wasm.
#[wasm_bindgen(js_name = ApiKeyStamper)]
pub struct JsApiKeyStamper {
    signer: Signer,
    public_key: String,
}

#[wasm_bindgen(js_class = ApiKeyStamper)]
impl JsApiKeyStamper {
    /// `new ApiKeyStamper({apiPublicKey, apiPrivateKey})`; the keys must belong together.
    ///
    /// # Errors
    /// Throws `InvalidInputError` for malformed or mismatched keys.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ApiKeyStamperConfig")] config: JsValue,
    ) -> Result<Self, JsValue> {
        let c = ApiKeyStamperConfig::read(&config)?;
        let core = crate::stamp::ApiKeyStamper::from_hex(&c.api_public_key, &c.api_private_key)?;
        let public_key = core.public_key_hex().to_owned();
        let signer = match c.runtime_override.as_deref() {
            Some("purejs") => Signer::Pure(core),
            #[cfg(feature = "browser")]
            None if in_node() => Signer::Pure(core),
            #[cfg(feature = "browser")]
            None | Some("browser") => {
                let key = P256KeyPair::from_private_hex(&c.api_private_key)?;
                Signer::WebCrypto(crate::session::PreferWebCryptoStamper::new(key))
            }
            #[cfg(not(feature = "browser"))]
            None => Signer::Pure(core),
            #[cfg(not(feature = "browser"))]
            Some("browser") => {
                return Err(invalid_input(
                    "ApiKeyStamper: quorum-kit/crypto signs in wasm only; use quorum-kit's \
                     ApiKeyStamper or WebCryptoStamper for runtimeOverride \"browser\"",
                ));
            }
            Some(other) => {
                return Err(invalid_input(&format!(
                    "ApiKeyStamper: runtimeOverride {other:?} is not \"browser\" or \"purejs\""
                )));
            }
        };
        Ok(Self { signer, public_key })
    }

    /// Stamps the exact body string that will be POSTed.
    ///
    /// # Errors
    /// Rejects with `InvalidInputError` when `payload` is not a string, `StampError` if WebCrypto
    /// fails to sign.
    #[wasm_bindgen(unchecked_return_type = "Promise<TStamp>")]
    pub fn stamp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] payload: JsValue,
    ) -> Promise {
        let payload = match input::string(&payload, "ApiKeyStamper.stamp: payload") {
            Ok(payload) => payload,
            Err(e) => return Promise::reject(&e),
        };
        match &self.signer {
            Signer::Pure(core) => Promise::resolve(&stamp_object(&core.stamp_body(&payload))),
            #[cfg(feature = "browser")]
            Signer::WebCrypto(webcrypto) => {
                let started = webcrypto.start(&payload);
                wasm_bindgen_futures::future_to_promise(async move {
                    started
                        .await
                        .map(|stamp| stamp_object(&stamp))
                        .map_err(|e| super::error::js_error("StampError", &e.to_string()))
                })
            }
        }
    }

    /// The compressed public key, hex.
    #[wasm_bindgen(getter, js_name = publicKey)]
    #[must_use]
    pub fn public_key(&self) -> String {
        self.public_key.clone()
    }
}

/// A stamp as Turnkey's stampers return it: `{stampHeaderName, stampHeaderValue}`.
fn stamp_object(stamp: &crate::stamp::Stamp) -> JsValue {
    plain_object(&[
        ("stampHeaderName", stamp.header_name.as_str()),
        ("stampHeaderValue", stamp.header_value.as_str()),
    ])
}
