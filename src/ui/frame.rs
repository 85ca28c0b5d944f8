//! The export component inside an isolated frame (issue: export isolated from the host page).
//!
//! In this mode the export target key, the decryption and the reveal live in an iframe served from
//! another origin; the host page keeps the passkey and the activity client. [`FrameWallet`] is the
//! frame's [`Wallet`]: its only power is [`Wallet::export_bundle`], which asks the host over a
//! private `MessagePort` to run `EXPORT_WALLET` to the frame's target public key and relay the
//! (encrypted) bundle back. The host never sees the target key or the phrase.
//!
//! Messages, frame → host: `{type: "export", requestId, walletId, targetPublicKey}`,
//! `{type: "state", state}`, `{type: "exported", walletId}`, `{type: "error", name, message}`,
//! `{type: "resize", height}`. Host → frame: `{type: "bundle", requestId, exportBundle,
//! organizationId}` or `{type: "bundle-error", requestId, name, code, message}`, and
//! `{type: "config", walletId, signerPublicKey, theme, lang}`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, MessagePort};

use super::wallet::{ExportedBundle, SignedUp, UiError, Wallet};
use crate::client::{ClientError, DynClient, LocalBoxFuture, TransportError};
use crate::passkey::{PasskeyError, Registration};

/// `obj[key]` as a string.
#[must_use]
pub fn field(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &key.into()).ok()?.as_string()
}

/// A plain object from pairs.
#[must_use]
pub fn message(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

type Pending = HashMap<u32, (Function, Function)>;

/// Where messages that are not replies go.
type OtherMessages = Rc<RefCell<Option<Box<dyn Fn(&JsValue)>>>>;

/// The frame's wallet: exports through the host page, nothing else.
pub struct FrameWallet {
    port: MessagePort,
    pending: Rc<RefCell<Pending>>,
    next: Cell<u32>,
    /// Messages that are not replies (config), for the frame's owner.
    on_other: OtherMessages,
    _listener: Closure<dyn FnMut(MessageEvent)>,
}

impl core::fmt::Debug for FrameWallet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FrameWallet").finish_non_exhaustive()
    }
}

impl FrameWallet {
    /// A wallet talking to the host over `port` (started here).
    #[must_use]
    pub fn new(port: MessagePort) -> Self {
        let pending: Rc<RefCell<Pending>> = Rc::default();
        let on_other: OtherMessages = Rc::default();
        let (p, o) = (Rc::clone(&pending), Rc::clone(&on_other));
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let id = Reflect::get(&data, &"requestId".into())
                .ok()
                .and_then(|v| v.as_f64());
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let waiter = id.and_then(|id| p.borrow_mut().remove(&(id as u32)));
            match (field(&data, "type").as_deref(), waiter) {
                (Some("bundle"), Some((resolve, _))) => {
                    let _ = resolve.call1(&JsValue::UNDEFINED, &data);
                }
                (Some("bundle-error"), Some((_, reject))) => {
                    let _ = reject.call1(&JsValue::UNDEFINED, &data);
                }
                _ => {
                    if let Some(f) = o.borrow().as_ref() {
                        f(&data);
                    }
                }
            }
        });
        port.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        port.start();
        Self {
            port,
            pending,
            next: Cell::new(1),
            on_other,
            _listener: listener,
        }
    }

    /// Tells the host something.
    pub fn post(&self, msg: &JsValue) {
        let _ = self.port.post_message(msg);
    }

    /// Called with every message from the host that is not a reply.
    pub fn on_message(&self, f: impl Fn(&JsValue) + 'static) {
        *self.on_other.borrow_mut() = Some(Box::new(f));
    }
}

impl Drop for FrameWallet {
    fn drop(&mut self) {
        self.port.set_onmessage(None);
        self.port.close();
    }
}

fn ready<T: 'static>(v: T) -> LocalBoxFuture<T> {
    Box::pin(std::future::ready(v))
}

/// The host's refusal, typed again on this side of the channel.
fn host_error(data: &JsValue) -> UiError {
    let name = field(data, "name").unwrap_or_default();
    let message = field(data, "message").unwrap_or_default();
    if name.starts_with("Passkey") {
        let code = field(data, "code").unwrap_or_default();
        return UiError::Passkey(PasskeyError::from_name(&code, message));
    }
    match name.as_str() {
        "NetworkError" => UiError::Client(ClientError::Network(TransportError::Network(message))),
        "ConfigurationError" => UiError::Config(message),
        _ => UiError::Platform(message),
    }
}

impl Wallet for FrameWallet {
    fn passkey_supported(&self) -> bool {
        true
    }

    fn register_passkey(&self, _: &str) -> LocalBoxFuture<Result<Registration, PasskeyError>> {
        ready(Err(PasskeyError::Unavailable))
    }

    fn create_sub_organization(
        &self,
        _: &str,
        _: &Registration,
    ) -> LocalBoxFuture<Result<SignedUp, UiError>> {
        ready(Err(UiError::Config(
            "the export frame cannot sign up".into(),
        )))
    }

    fn client(&self) -> Result<DynClient, UiError> {
        Err(UiError::Config(
            "the export frame has no client: the host page submits the export".into(),
        ))
    }

    fn reason_for(&self, _: &str) -> LocalBoxFuture<Option<String>> {
        ready(None)
    }

    fn export_bundle(
        &self,
        wallet_id: &str,
        target_public_key: &str,
    ) -> LocalBoxFuture<Result<ExportedBundle, UiError>> {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        let pending = Rc::clone(&self.pending);
        let promise = Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().insert(id, (resolve, reject));
        });
        self.post(&message(&[
            ("type", "export".into()),
            ("requestId", id.into()),
            ("walletId", wallet_id.into()),
            ("targetPublicKey", target_public_key.into()),
        ]));
        Box::pin(async move {
            let data = JsFuture::from(promise).await.map_err(|e| host_error(&e))?;
            match (field(&data, "exportBundle"), field(&data, "organizationId")) {
                (Some(export_bundle), Some(organization_id)) => Ok(ExportedBundle {
                    export_bundle,
                    organization_id,
                }),
                _ => Err(UiError::Platform("the host sent no bundle".into())),
            }
        })
    }
}
