//! The isolated export frame's entry point: `mountExportFrame(container, allowedParentOrigins)`,
//! called by the page the integrator serves on its own origin (the sandbox serves
//! `www/export-frame/`). It waits for the host element's `quorum-export-connect` message from an
//! allowed origin, then mounts the export component with a [`FrameWallet`] over the port it got:
//! the target key, the decryption and the reveal stay in this frame.

use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, MessageEvent, MessagePort};

use super::input;
use crate::ui::frame::{FrameWallet, field, message};
use crate::ui::{ExportWallet, Theme, WalletRef, install_document_styles};

/// A mounted export frame (keep it for the page's lifetime).
#[wasm_bindgen]
pub struct ExportFrame {
    _listener: Closure<dyn FnMut(MessageEvent)>,
    _mounted: Rc<std::cell::RefCell<Option<Box<dyn std::any::Any>>>>,
}

impl core::fmt::Debug for ExportFrame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExportFrame").finish_non_exhaustive()
    }
}

/// Tells the host how tall the frame's content is (after the view settles).
fn post_height(wallet: &Rc<FrameWallet>, content: &HtmlElement) {
    let (w, content) = (Rc::clone(wallet), content.clone());
    let cb = Closure::once_into_js(move || {
        let height = content.offset_height();
        w.post(&message(&[
            ("type", "resize".into()),
            ("height", height.into()),
        ]));
    });
    if let Some(win) = web_sys::window() {
        let _ = win.request_animation_frame(cb.unchecked_ref());
    }
}

/// Waits for the host element and mounts the export component into `container`.
///
/// # Errors
/// An `InvalidInputError` when there is no window to listen on.
#[wasm_bindgen(js_name = mountExportFrame)]
pub fn mount_export_frame(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] container: JsValue,
    #[wasm_bindgen(js_name = allowedParentOrigins, unchecked_param_type = "string[]")]
    allowed_parent_origins: JsValue,
) -> Result<ExportFrame, JsValue> {
    // Parameters are checked in order: a value that is not even an object names `container`.
    if !input::is_instance_like(&container) {
        return Err(super::error::invalid_input(
            "mountExportFrame: container must be an HTMLElement",
        ));
    }
    let not_strings = || {
        super::error::invalid_input(
            "mountExportFrame: allowedParentOrigins must be an array of strings",
        )
    };
    let list: js_sys::Array = input::plain(
        &allowed_parent_origins,
        "mountExportFrame: allowedParentOrigins",
    )?
    .dyn_into()
    .map_err(|_| not_strings())?;
    let allowed_parent_origins: Vec<String> = list
        .iter()
        .map(|v| v.as_string().ok_or_else(not_strings))
        .collect::<Result<_, _>>()?;
    let container: HtmlElement = container.dyn_into().map_err(|_| {
        super::error::invalid_input("mountExportFrame: container must be an HTMLElement")
    })?;
    let window =
        web_sys::window().ok_or_else(|| super::error::invalid_input("no window to listen on"))?;
    install_document_styles();
    let allowed = allowed_parent_origins.clone();
    let mounted: Rc<std::cell::RefCell<Option<Box<dyn std::any::Any>>>> = Rc::default();
    let slot = Rc::clone(&mounted);
    let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        // Only the first connection, only from an allowed parent, only with a port.
        if slot.borrow().is_some()
            || field(&data, "type").as_deref() != Some("quorum-export-connect")
            || !allowed_parent_origins.iter().any(|o| *o == e.origin())
        {
            return;
        }
        let Some(port) = e.ports().get(0).dyn_into::<MessagePort>().ok() else {
            return;
        };
        let wallet = Rc::new(FrameWallet::new(port));
        let config = |k: &str| ArcRwSignal::new(field(&data, k).filter(|s| !s.is_empty()));
        let (wallet_id, signer, theme, lang) = (
            config("walletId"),
            config("signerPublicKey"),
            config("theme"),
            config("lang"),
        );
        {
            let (wallet_id, signer, theme, lang) = (
                wallet_id.clone(),
                signer.clone(),
                theme.clone(),
                lang.clone(),
            );
            wallet.on_message(move |m| {
                if field(m, "type").as_deref() == Some("config") {
                    wallet_id.set(field(m, "walletId").filter(|s| !s.is_empty()));
                    signer.set(field(m, "signerPublicKey").filter(|s| !s.is_empty()));
                    theme.set(field(m, "theme").filter(|s| !s.is_empty()));
                    lang.set(field(m, "lang").filter(|s| !s.is_empty()));
                }
            });
        }
        let shared = SendWrapper::new(Rc::clone(&wallet));
        let on_state = {
            let (w, c) = (shared.clone(), SendWrapper::new(container.clone()));
            Callback::new(move |state: String| {
                w.post(&message(&[
                    ("type", "state".into()),
                    ("state", state.into()),
                ]));
                post_height(&w, &c);
            })
        };
        let on_exported = {
            let w = shared.clone();
            Callback::new(move |id: String| {
                w.post(&message(&[
                    ("type", "exported".into()),
                    ("walletId", id.into()),
                ]));
            })
        };
        let on_error = {
            let w = shared.clone();
            Callback::new(move |(name, msg): (String, String)| {
                w.post(&message(&[
                    ("type", "error".into()),
                    ("name", name.into()),
                    ("message", msg.into()),
                ]));
            })
        };
        let w: WalletRef = wallet;
        let (wid, sig, th, lg) = (wallet_id, signer, theme, lang);
        let view = leptos::mount::mount_to(container.clone(), move || {
            view! { <ExportWallet wallet=w
            wallet_id=Signal::derive(move || wid.get().unwrap_or_default())
            dangerously_override_signer_public_key=Signal::derive(move || sig.get())
            theme=Signal::derive(move || Theme::parse(th.get().as_deref()))
            locale=Signal::derive(move || lg.get())
            on_state=on_state on_exported=on_exported on_error=on_error /> }
        });
        *slot.borrow_mut() = Some(Box::new(view));
    });
    window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())?;
    // Tell each allowed parent that the frame listens (only they can read it).
    if let Ok(Some(parent)) = window.parent() {
        for origin in &allowed {
            let _ = parent.post_message(
                &message(&[("type", "quorum-export-frame-ready".into())]),
                origin,
            );
        }
    }
    Ok(ExportFrame {
        _listener: listener,
        _mounted: mounted,
    })
}
