//! `WebCryptoStamper` for JavaScript: `X-Stamp` signed by `crypto.subtle` with a non-extractable
//! key, from an API key or from the session stored in IndexedDB.

use std::rc::Rc;

use js_sys::{Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroize;

use super::error::js_error;
use super::input::{self, options};
use crate::keys::{CompressedP256, P256KeyPair, UncompressedP256};
use crate::session::{self, Session, WebCryptoStamper};

#[wasm_bindgen(typescript_custom_section)]
const TS_SESSION: &'static str = r#"
/** Options of `WebCryptoStamper.fromApiKey`, the same as `ApiKeyStamper`'s. */
export interface WebCryptoStamperConfig {
  /** Compressed (or uncompressed) P-256 public key, hex. */
  apiPublicKey: string;
  /** P-256 private key, hex; imported non-extractable, the bytes zeroized. */
  apiPrivateKey: string;
}
"#;

fn stamper_error(e: &crate::client::StamperError) -> JsValue {
    js_error("WebCryptoError", &e.to_string())
}

/// Stamps with a non-extractable WebCrypto key (ECDSA P-256, SHA-256; DER signature in `X-Stamp`).
#[wasm_bindgen(js_name = WebCryptoStamper)]
pub struct JsWebCryptoStamper {
    inner: Rc<WebCryptoStamper>,
    expires_at: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiKeyConfig {
    api_public_key: String,
    api_private_key: String,
}

impl Drop for ApiKeyConfig {
    fn drop(&mut self) {
        self.api_private_key.zeroize();
    }
}

#[wasm_bindgen(js_class = WebCryptoStamper)]
impl JsWebCryptoStamper {
    /// Imports an API key into WebCrypto (non-extractable); checks the public key matches.
    #[wasm_bindgen(js_name = fromApiKey, unchecked_return_type = "Promise<WebCryptoStamper>")]
    pub fn from_api_key(
        #[wasm_bindgen(unchecked_param_type = "WebCryptoStamperConfig")] config: JsValue,
    ) -> Promise {
        let parsed = options::<ApiKeyConfig>(&config, "WebCryptoStamper.fromApiKey", "config")
            .and_then(|c| {
                let key = P256KeyPair::from_private_hex(&c.api_private_key)?;
                let given = CompressedP256::from_hex(&c.api_public_key).or_else(|_| {
                    UncompressedP256::from_hex(&c.api_public_key).map(|u| u.to_compressed())
                })?;
                if given != key.public_key_compressed() {
                    return Err(js_error(
                        "InvalidInputError",
                        "apiPublicKey is not the public key of apiPrivateKey",
                    ));
                }
                Ok(key)
            });
        future_to_promise(async move {
            let key = parsed?;
            let stamper = WebCryptoStamper::import(&key)
                .await
                .map_err(|e| stamper_error(&e))?;
            drop(key);
            Ok(JsWebCryptoStamper {
                inner: Rc::new(stamper),
                expires_at: None,
            }
            .into())
        })
    }

    /// The session stored in IndexedDB under `storageName` (default `"default"`), or `null` when
    /// there is none or it expired.
    #[wasm_bindgen(js_name = fromSession, unchecked_return_type = "Promise<WebCryptoStamper | null>")]
    pub fn from_session(
        #[wasm_bindgen(
            js_name = "storageName",
            unchecked_optional_param_type = "string | null"
        )]
        storage_name: JsValue,
    ) -> Promise {
        let storage_name = match input::optional_string(
            &storage_name,
            "WebCryptoStamper.fromSession: storageName",
        ) {
            Ok(s) => s,
            Err(e) => return Promise::reject(&e),
        };
        future_to_promise(async move {
            let name = storage_name.unwrap_or_else(|| session::DEFAULT_STORAGE_NAME.to_owned());
            let s = Session::load(&name)
                .await
                .map_err(|e| js_error(e.js_name(), &e.to_string()))?;
            Ok(match s {
                Some(s) => JsWebCryptoStamper {
                    inner: s.stamper,
                    expires_at: Some(s.expires_at_ms),
                }
                .into(),
                None => JsValue::NULL,
            })
        })
    }

    /// The compressed public key, hex.
    #[wasm_bindgen(getter, js_name = publicKey)]
    #[must_use]
    pub fn public_key(&self) -> String {
        self.inner.public_key().to_owned()
    }

    /// For a session key: its expiry in milliseconds since the Unix epoch.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    #[must_use]
    pub fn expires_at(&self) -> Option<f64> {
        self.expires_at
    }

    /// Signs `payload` (the exact body) and resolves to `{stampHeaderName: "X-Stamp", stampHeaderValue}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<TStamp>")]
    pub fn stamp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] payload: JsValue,
    ) -> Promise {
        let payload = match input::string(&payload, "WebCryptoStamper.stamp: payload") {
            Ok(p) => p,
            Err(e) => return Promise::reject(&e),
        };
        let pending = self.inner.start(&payload);
        future_to_promise(async move {
            let stamp = pending.await.map_err(|e| stamper_error(&e))?;
            let o: JsValue = js_sys::Object::new().into();
            let _ = Reflect::set(&o, &"stampHeaderName".into(), &stamp.header_name.into());
            let _ = Reflect::set(&o, &"stampHeaderValue".into(), &stamp.header_value.into());
            Ok(o)
        })
    }
}
