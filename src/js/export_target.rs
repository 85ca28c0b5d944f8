//! `createExportTarget()` for JavaScript: export decryption through WebCrypto with a
//! non-extractable ECDH target key (PROTOCOL §5; issue 10). Forwards to
//! [`crate::export_target::ExportTarget`]; results have `decryptExportBundle`'s shapes.

use std::rc::Rc;

use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::crypto::{export_result, key_format};
use super::error::js_error;
use super::input::{self, options};
use crate::export_target::{ExportTarget, ExportTargetError};

#[wasm_bindgen(typescript_custom_section)]
const TS_EXPORT_TARGET: &'static str = r#"
/** Options of `createExportTarget`. */
export interface CreateExportTargetOptions {
  /**
   * Keep the target in IndexedDB under this name, for an export that spans a reload
   * (`ExportTarget.fromStorage(name)`); the record holds the non-extractable `CryptoKey`, never
   * key bytes, and is deleted after the first successful decryption. Default: memory only.
   */
  storageName?: string;
}

/** Options of `ExportTarget.decryptExportBundle`: `decryptExportBundle`'s, without `embeddedKey`. */
export interface ExportTargetDecryptParams {
  /** The `exportBundle` string from an export activity's result. */
  exportBundle: string;
  /** The organization the bundle must be for. */
  organizationId: string;
  /** `true` for a wallet export (returns the mnemonic); `false` (default) for a key (returns it in `keyFormat`). */
  returnMnemonic?: boolean;
  /** How to write a private key: hex (default) or Solana's base58 key pair. */
  keyFormat?: "HEXADECIMAL" | "SOLANA";
  /** Pin another signer key (uncompressed hex) instead of Turnkey's production signer: tests and the local sandbox only. */
  dangerouslyOverrideSignerPublicKey?: string;
}

/** Names of the errors `createExportTarget` and `ExportTarget` methods reject with (`err.name`, also `err.code`). */
export type ExportTargetErrorName =
  | "InvalidInputError"
  | "LegacyBundleError"
  | "UnsupportedVersionError"
  | "UntrustedSignerError"
  | "BundleSignatureError"
  | "OrganizationMismatchError"
  | "DecryptionError"
  | "InvalidPlaintextError"
  | "WebCryptoError"
  | "ExportTargetStorageError";
"#;

fn target_error(e: &ExportTargetError) -> JsValue {
    js_error(e.js_name(), &e.to_string())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CreateOptions {
    #[serde(default)]
    storage_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DecryptParams {
    export_bundle: String,
    organization_id: String,
    #[serde(default)]
    return_mnemonic: bool,
    #[serde(default)]
    key_format: Option<String>,
    #[serde(default)]
    dangerously_override_signer_public_key: Option<String>,
}

/// The target key of an export, held by WebCrypto as a non-extractable ECDH P-256 `CryptoKey`:
/// put `publicKeyUncompressed` in the export's `targetPublicKey`, then `decryptExportBundle`.
#[wasm_bindgen(js_name = ExportTarget)]
pub struct JsExportTarget {
    inner: Rc<ExportTarget>,
    storage_name: Option<String>,
}

/// Makes a fresh export target (`crypto.subtle.generateKey`, non-extractable), optionally kept in
/// IndexedDB under `storageName`.
#[wasm_bindgen(js_name = createExportTarget, unchecked_return_type = "Promise<ExportTarget>")]
pub fn create_export_target(
    #[wasm_bindgen(
        js_name = "options",
        unchecked_optional_param_type = "CreateExportTargetOptions"
    )]
    options_value: JsValue,
) -> Promise {
    let parsed = if options_value.is_undefined() {
        Ok(CreateOptions::default())
    } else {
        options::<CreateOptions>(&options_value, "createExportTarget", "options")
    };
    future_to_promise(async move {
        let o = parsed?;
        let target = ExportTarget::generate()
            .await
            .map_err(|e| target_error(&e))?;
        if let Some(name) = &o.storage_name {
            target.save(name).await.map_err(|e| target_error(&e))?;
        }
        Ok(JsExportTarget {
            inner: Rc::new(target),
            storage_name: o.storage_name,
        }
        .into())
    })
}

#[wasm_bindgen(js_class = ExportTarget)]
impl JsExportTarget {
    /// The target stored in IndexedDB under `storageName`, or `null`.
    #[wasm_bindgen(js_name = fromStorage, unchecked_return_type = "Promise<ExportTarget | null>")]
    pub fn from_storage(
        #[wasm_bindgen(js_name = "storageName", unchecked_param_type = "string")]
        storage_name: JsValue,
    ) -> Promise {
        let storage_name =
            match input::string(&storage_name, "ExportTarget.fromStorage: storageName") {
                Ok(s) => s,
                Err(e) => return Promise::reject(&e),
            };
        future_to_promise(async move {
            let loaded = ExportTarget::load(&storage_name)
                .await
                .map_err(|e| target_error(&e))?;
            Ok(match loaded {
                Some(target) => JsExportTarget {
                    inner: Rc::new(target),
                    storage_name: Some(storage_name),
                }
                .into(),
                None => JsValue::NULL,
            })
        })
    }

    /// The uncompressed (65-byte, `04…`) public key, hex: the export's `targetPublicKey`.
    #[wasm_bindgen(getter, js_name = publicKeyUncompressed)]
    #[must_use]
    pub fn public_key_uncompressed(&self) -> String {
        self.inner.public_key_uncompressed().to_owned()
    }

    /// The non-extractable private `CryptoKey`.
    #[wasm_bindgen(getter, js_name = cryptoKey, unchecked_return_type = "CryptoKey")]
    #[must_use]
    pub fn crypto_key(&self) -> JsValue {
        self.inner.crypto_key().clone()
    }

    /// Verifies the bundle (signer, signature, organization) and decrypts it through WebCrypto;
    /// resolves to the mnemonic (`returnMnemonic: true`) or the private key in `keyFormat`.
    /// A stored target is deleted from IndexedDB after the first successful decryption (best effort).
    /// Rejects with `decryptExportBundle`'s error names, or `WebCryptoError` /
    /// `ExportTargetStorageError`.
    #[wasm_bindgen(js_name = decryptExportBundle, unchecked_return_type = "Promise<string>")]
    pub fn decrypt_export_bundle(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportTargetDecryptParams")] params: JsValue,
    ) -> Promise {
        let parsed =
            options::<DecryptParams>(&params, "ExportTarget.decryptExportBundle", "params")
                .and_then(|p| key_format(p.key_format.as_deref()).map(|f| (p, f)));
        let target = Rc::clone(&self.inner);
        let storage_name = self.storage_name.clone();
        future_to_promise(async move {
            let (p, format) = parsed?;
            let plaintext = target
                .decrypt_export_bundle(
                    &p.export_bundle,
                    &p.organization_id,
                    p.dangerously_override_signer_public_key.as_deref(),
                )
                .await
                .map_err(|e| target_error(&e))?;
            let text = export_result(&plaintext, p.return_mnemonic, format)?;
            forget_stored(storage_name.as_deref()).await;
            // Copied into a JS string; the wasm copy is zeroized when `text` drops.
            Ok(JsValue::from_str(&text))
        })
    }

    /// Decrypts a credential bundle (a read-write session's or email auth's) sealed to this
    /// target through WebCrypto; resolves to the API private key as hex, as
    /// `decryptCredentialBundle(bundle, embeddedKey)` does with a key in memory. A stored target is
    /// deleted from IndexedDB after the first successful decryption (best effort). Rejects with
    /// `decryptCredentialBundle`'s error names, or `WebCryptoError`.
    #[wasm_bindgen(js_name = decryptCredentialBundle, unchecked_return_type = "Promise<string>")]
    pub fn decrypt_credential_bundle(
        &self,
        #[wasm_bindgen(js_name = "credentialBundle", unchecked_param_type = "string")]
        credential_bundle: JsValue,
    ) -> Promise {
        let bundle = input::string(
            &credential_bundle,
            "ExportTarget.decryptCredentialBundle: credentialBundle",
        );
        let target = Rc::clone(&self.inner);
        let storage_name = self.storage_name.clone();
        future_to_promise(async move {
            let key = target
                .decrypt_credential_bundle(&bundle?)
                .await
                .map_err(|e| target_error(&e))?;
            forget_stored(storage_name.as_deref()).await;
            Ok(JsValue::from_str(&key.private_key_hex()))
        })
    }
}

/// After a successful decryption, deletes a stored target from IndexedDB. Best effort: the
/// plaintext is not withheld for a failed delete (the stored key is non-extractable and opens only
/// bundles made for it).
async fn forget_stored(storage_name: Option<&str>) {
    if let Some(name) = storage_name {
        let _ = ExportTarget::delete_stored(name).await;
    }
}
