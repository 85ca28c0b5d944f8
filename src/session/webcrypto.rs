//! `X-Stamp` signed by WebCrypto (`crypto.subtle`, ECDSA P-256 with SHA-256) with a
//! non-extractable `CryptoKey` (PROTOCOL §1). Same header as the core's `ApiKeyStamper`; faster in
//! the browser and the private key never re-enters JavaScript or wasm memory after import.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::client::{ClientStamper, LocalBoxFuture, StamperError};
use crate::der::{p256_pkcs8, p1363_to_der};
use crate::encoding::{base64url_encode, hex_encode};
use crate::keys::P256KeyPair;
use crate::stamp::api_key::{HEADER_NAME, SCHEME};
use crate::stamp::{ApiKeyStamper, Stamp, StampError, Stamper};

/// Stamps with a WebCrypto ECDSA P-256 `CryptoKey`.
#[derive(Debug, Clone)]
pub struct WebCryptoStamper {
    key: JsValue,
    public_key: String,
}

/// A JS exception (usually a `DOMException`) as `name: message`.
pub(crate) fn crypto_err(e: &JsValue) -> StamperError {
    let name = Reflect::get(e, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "Error".into());
    let message = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    StamperError::Crypto(format!("{name}: {message}"))
}

/// `crypto.subtle` of the current global (window or worker).
///
/// # Errors
/// [`StamperError::Crypto`] when WebCrypto is unavailable (an insecure context).
pub fn subtle() -> Result<JsValue, StamperError> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).map_err(|e| crypto_err(&e))?;
    let subtle = if crypto.is_object() {
        Reflect::get(&crypto, &"subtle".into()).map_err(|e| crypto_err(&e))?
    } else {
        JsValue::UNDEFINED
    };
    if subtle.is_object() {
        Ok(subtle)
    } else {
        Err(StamperError::Crypto(
            "crypto.subtle is unavailable (WebCrypto needs a secure context)".into(),
        ))
    }
}

/// Calls `target[method](...args)` and returns the promise it must return.
pub(crate) fn call(target: &JsValue, method: &str, args: &Array) -> Result<Promise, StamperError> {
    let f = Reflect::get(target, &method.into())
        .map_err(|e| crypto_err(&e))?
        .dyn_into::<Function>()
        .map_err(|_| StamperError::Crypto(format!("{method} is not a function")))?;
    f.apply(target, args)
        .map_err(|e| crypto_err(&e))?
        .dyn_into::<Promise>()
        .map_err(|_| StamperError::Crypto(format!("{method} did not return a promise")))
}

fn ecdsa_params(with_hash: bool) -> Result<Object, StamperError> {
    let o = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&o, &k.into(), v).map_err(|e| crypto_err(&e));
    set("name", &"ECDSA".into())?;
    if with_hash {
        set("hash", &"SHA-256".into())?;
    } else {
        set("namedCurve", &"P-256".into())?;
    }
    Ok(o)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StampJson<'a> {
    public_key: &'a str,
    scheme: &'a str,
    signature: String,
}

impl WebCryptoStamper {
    /// Wraps an existing ECDSA P-256 signing `CryptoKey` and its compressed public key (hex).
    #[must_use]
    pub fn from_crypto_key(key: JsValue, public_key: String) -> Self {
        Self { key, public_key }
    }

    /// Imports a key pair into WebCrypto as a **non-extractable** signing key (PKCS#8); the PKCS#8
    /// bytes are zeroized in wasm memory and in the JS copy once the import settles.
    ///
    /// # Errors
    /// [`StamperError::Crypto`] when WebCrypto is unavailable or refuses the key.
    pub async fn import(key: &P256KeyPair) -> Result<Self, StamperError> {
        let public_key = key.public_key_compressed().to_hex();
        let pkcs8 = p256_pkcs8(
            &key.private_key_bytes(),
            key.public_key_uncompressed().as_bytes(),
        );
        let js_bytes = Uint8Array::from(pkcs8.as_slice());
        drop(pkcs8);
        let args = Array::of5(
            &"pkcs8".into(),
            &js_bytes,
            &ecdsa_params(false)?.into(),
            &JsValue::FALSE,
            &Array::of1(&"sign".into()),
        );
        let started = subtle().and_then(|s| call(&s, "importKey", &args));
        let result = match started {
            Ok(p) => JsFuture::from(p).await.map_err(|e| crypto_err(&e)),
            Err(e) => Err(e),
        };
        js_bytes.fill(0, 0, js_bytes.length());
        let crypto_key = result?;
        Ok(Self {
            key: crypto_key,
            public_key,
        })
    }

    /// The `CryptoKey`.
    #[must_use]
    pub fn crypto_key(&self) -> &JsValue {
        &self.key
    }

    /// The compressed public key, hex (what `X-Stamp` carries and Turnkey registered).
    #[must_use]
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Starts signing `body` now; resolves to the `X-Stamp` stamp.
    #[must_use]
    pub fn start(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        let data = Uint8Array::from(body.as_bytes());
        let started = ecdsa_params(true).and_then(|alg| {
            let args = Array::of3(&alg, &self.key, &data);
            subtle().and_then(|s| call(&s, "sign", &args))
        });
        let public_key = self.public_key.clone();
        Box::pin(async move {
            let sig = JsFuture::from(started?).await.map_err(|e| crypto_err(&e))?;
            let sig = sig
                .dyn_into::<ArrayBuffer>()
                .map_err(|_| StamperError::Crypto("sign did not return an ArrayBuffer".into()))?;
            let p1363 = Uint8Array::new(&sig).to_vec();
            let der = p1363_to_der(&p1363).map_err(|e| StamperError::Crypto(e.to_string()))?;
            let json = serde_json::to_vec(&StampJson {
                public_key: &public_key,
                scheme: SCHEME,
                signature: hex_encode(&der),
            })
            .map_err(|e| StamperError::Crypto(e.to_string()))?;
            Ok(Stamp {
                header_name: HEADER_NAME.to_owned(),
                header_value: base64url_encode(&json),
            })
        })
    }
}

impl ClientStamper for WebCryptoStamper {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        self.start(body)
    }
}

impl Stamper for WebCryptoStamper {
    async fn stamp(&self, body: &str) -> Result<Stamp, StampError> {
        self.start(body)
            .await
            .map_err(|e| StampError::Signer(e.to_string()))
    }
}

/// An API key that stamps through WebCrypto where `crypto.subtle` exists (imported once, on the
/// first stamp, as a non-extractable key) and through the core's RFC 6979 [`ApiKeyStamper`]
/// elsewhere or if WebCrypto refuses the key. Both produce `X-Stamp` values Turnkey accepts.
#[derive(Debug, Clone)]
pub struct PreferWebCryptoStamper {
    core: Rc<ApiKeyStamper>,
    key: P256KeyPair,
    webcrypto: Rc<RefCell<Option<WebCryptoStamper>>>,
    unavailable: Rc<Cell<bool>>,
}

impl PreferWebCryptoStamper {
    /// A stamper for this key pair.
    #[must_use]
    pub fn new(key: P256KeyPair) -> Self {
        Self {
            core: Rc::new(ApiKeyStamper::new(key.clone())),
            key,
            webcrypto: Rc::new(RefCell::new(None)),
            unavailable: Rc::new(Cell::new(false)),
        }
    }

    /// The compressed public key, hex.
    #[must_use]
    pub fn public_key(&self) -> &str {
        self.core.public_key_hex()
    }

    /// Whether stamps now go through WebCrypto (after the first stamp imported the key).
    #[must_use]
    pub fn uses_webcrypto(&self) -> bool {
        self.webcrypto.borrow().is_some()
    }

    /// Starts stamping `body`.
    #[must_use]
    pub fn start(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        if let Some(wc) = &*self.webcrypto.borrow() {
            return wc.start(body);
        }
        if self.unavailable.get() || subtle().is_err() {
            self.unavailable.set(true);
            return Box::pin(std::future::ready(Ok(self.core.stamp_body(body))));
        }
        let key = self.key.clone();
        let slot = Rc::clone(&self.webcrypto);
        let unavailable = Rc::clone(&self.unavailable);
        let core = Rc::clone(&self.core);
        let body = body.to_owned();
        Box::pin(async move {
            match WebCryptoStamper::import(&key).await {
                Ok(wc) => {
                    let pending = wc.start(&body);
                    *slot.borrow_mut() = Some(wc);
                    pending.await
                }
                Err(_) => {
                    unavailable.set(true);
                    Ok(core.stamp_body(&body))
                }
            }
        })
    }
}

impl ClientStamper for PreferWebCryptoStamper {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        self.start(body)
    }
}

impl Stamper for PreferWebCryptoStamper {
    async fn stamp(&self, body: &str) -> Result<Stamp, StampError> {
        self.start(body)
            .await
            .map_err(|e| StampError::Signer(e.to_string()))
    }
}
