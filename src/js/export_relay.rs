//! The host side of the isolated export (`<quorum-export-wallet export-frame-url="…">`): the
//! element shows the frame served from another origin and relays for it. It runs the passkey and
//! `EXPORT_WALLET` to the target public key the frame names, and hands the frame the encrypted
//! bundle; it never holds the target key or the phrase. The frame's state and outcomes come back
//! as the element's `state` attribute and events. Protocol: see [`crate::ui::frame`].

use std::rc::Rc;

use js_sys::{Array, Reflect};
use leptos::prelude::GetUntracked;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlIFrameElement, MessageChannel, MessageEvent, MessagePort};

use super::elements::{Attributes, emit};
use crate::ui::frame::{field, message};
use crate::ui::{StandardWallet, UiError, Wallet};

/// A running relay; dropping it detaches the port (the iframe goes with the element's container).
pub(crate) struct FrameRelay {
    port: MessagePort,
    _on_ready: Closure<dyn FnMut(MessageEvent)>,
    _on_message: Rc<Closure<dyn FnMut(MessageEvent)>>,
}

impl Drop for FrameRelay {
    fn drop(&mut self) {
        self.port.set_onmessage(None);
        self.port.close();
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(
                "message",
                self._on_ready.as_ref().unchecked_ref(),
            );
        }
    }
}

fn config_message(attributes: &Attributes, kind: &str) -> JsValue {
    let get = |n: &str| attributes.signal(n).get_untracked().unwrap_or_default();
    message(&[
        ("type", kind.into()),
        ("walletId", get("wallet-id").into()),
        (
            "signerPublicKey",
            get("dangerously-override-signer-public-key").into(),
        ),
        ("theme", get("theme").into()),
        ("lang", get("lang").into()),
    ])
}

impl FrameRelay {
    /// Forwards the element's current configuration (after an attribute change).
    pub(crate) fn config_changed(&self, attributes: &Attributes) {
        let _ = self
            .port
            .post_message(&config_message(attributes, "config"));
    }

    /// Puts the frame into `container` and relays for it.
    ///
    /// # Errors
    /// An `InvalidInputError` for a URL that is not absolute, or a DOM failure.
    pub(crate) fn start(
        host: &HtmlElement,
        container: &web_sys::Element,
        url: &str,
        attributes: &Attributes,
        wallet: Rc<StandardWallet>,
    ) -> Result<Self, JsValue> {
        let origin = web_sys::Url::new(url)
            .map_err(|_| super::error::invalid_input("export-frame-url must be an absolute URL"))?
            .origin();
        let document = host
            .owner_document()
            .ok_or_else(|| super::error::invalid_input("the element has no document"))?;
        let iframe: HtmlIFrameElement = document.create_element("iframe")?.unchecked_into();
        iframe.set_src(url);
        iframe.set_title("Export your wallet");
        iframe.set_class_name("qk-frame");
        iframe.set_attribute("part", "frame")?;
        iframe.set_attribute("allow", "clipboard-write")?;
        container.append_child(&iframe)?;

        let channel = MessageChannel::new()?;
        let port = channel.port1();
        let on_message = {
            let (host, iframe, port) = (host.clone(), iframe.clone(), port.clone());
            Rc::new(Closure::<dyn FnMut(MessageEvent)>::new(
                move |e: MessageEvent| {
                    handle(&host, &iframe, &port, &wallet, &e.data());
                },
            ))
        };
        port.set_onmessage(Some((*on_message).as_ref().unchecked_ref()));
        port.start();

        // Connect when the frame says it listens: only that window, only from the frame's origin,
        // and the port is posted so that only the frame's origin can receive it.
        let on_ready = {
            let (iframe, connect, remote) = (
                iframe.clone(),
                config_message(attributes, "quorum-export-connect"),
                channel.port2(),
            );
            let mut sent = false;
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let from_frame = iframe.content_window().is_some_and(|w| {
                    e.source()
                        .is_some_and(|s| JsValue::from(s) == JsValue::from(w))
                });
                if sent
                    || !from_frame
                    || e.origin() != origin
                    || field(&e.data(), "type").as_deref() != Some("quorum-export-frame-ready")
                {
                    return;
                }
                if let Some(w) = iframe.content_window() {
                    sent = w
                        .post_message_with_transfer(&connect, &origin, &Array::of1(&remote))
                        .is_ok();
                }
            })
        };
        if let Some(w) = web_sys::window() {
            w.add_event_listener_with_callback("message", on_ready.as_ref().unchecked_ref())?;
        }

        Ok(Self {
            port,
            _on_ready: on_ready,
            _on_message: on_message,
        })
    }
}

fn handle(
    host: &HtmlElement,
    iframe: &HtmlIFrameElement,
    port: &MessagePort,
    wallet: &Rc<StandardWallet>,
    data: &JsValue,
) {
    match field(data, "type").as_deref() {
        Some("export") => {
            let id = Reflect::get(data, &"requestId".into()).unwrap_or(JsValue::UNDEFINED);
            let (wallet_id, target) = (
                field(data, "walletId").unwrap_or_default(),
                field(data, "targetPublicKey").unwrap_or_default(),
            );
            // The passkey prompt starts now (the click in the frame activated this page too).
            let pending = wallet.export_bundle(&wallet_id, &target);
            let port = port.clone();
            spawn_local(async move {
                let reply = match pending.await {
                    Ok(b) => message(&[
                        ("type", "bundle".into()),
                        ("requestId", id),
                        ("exportBundle", b.export_bundle.into()),
                        ("organizationId", b.organization_id.into()),
                    ]),
                    Err(e) => {
                        let code = match &e {
                            UiError::Passkey(p) => p.code().to_owned(),
                            _ => String::new(),
                        };
                        message(&[
                            ("type", "bundle-error".into()),
                            ("requestId", id),
                            ("name", e.js_name().into()),
                            ("code", code.into()),
                            ("message", e.to_string().into()),
                        ])
                    }
                };
                let _ = port.post_message(&reply);
            });
        }
        Some("state") => {
            let state = field(data, "state").unwrap_or_default();
            let _ = host.set_attribute("state", &state);
            emit(host, "quorum-state", &message(&[("state", state.into())]));
        }
        Some("exported") => {
            let id = field(data, "walletId").unwrap_or_default();
            emit(
                host,
                "quorum-exported",
                &message(&[("walletId", id.into())]),
            );
        }
        Some("error") => {
            let detail = message(&[
                ("name", field(data, "name").unwrap_or_default().into()),
                ("message", field(data, "message").unwrap_or_default().into()),
            ]);
            emit(host, "quorum-error", &detail);
        }
        Some("resize") => {
            if let Some(h) = Reflect::get(data, &"height".into())
                .ok()
                .and_then(|v| v.as_f64())
            {
                let _ = HtmlElement::style(iframe)
                    .set_property("height", &format!("{}px", h.clamp(0.0, 4000.0)));
            }
        }
        _ => {}
    }
}
