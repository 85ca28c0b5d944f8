//! The custom elements' Rust side: `defineQuorumElements()` registers `<quorum-sign-up>`,
//! `<quorum-approve-transaction>` and `<quorum-export-wallet>` (small JS classes in
//! `elements.js`, since wasm-bindgen cannot subclass `HTMLElement`), and [`ElementFactory::mount`]
//! mounts the Leptos component into the element's open shadow root.
//!
//! Attributes become signals and the wallet's configuration; the `client`, `createSubOrganization`
//! and `reasonFor` properties become the wallet's client and hooks; outcomes leave as `CustomEvent`s
//! (`bubbles`, `composed`) and the state is reflected in a `state` attribute. Every exported
//! method takes `&self`: a host listener that sets an attribute synchronously re-enters.

use std::any::Any;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, ShadowRoot};

use super::client::to_js;
use super::input;
use crate::client::DynClient;
use crate::passkey::Registration;
use crate::ui::{
    ApproveTransaction, ExportWallet, SignUp, SignedUp, StandardWallet, Theme, UiError,
    WalletConfig, WalletRef,
};

#[wasm_bindgen(module = "/src/js/elements.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElements)]
    fn define_elements(factory: ElementFactory);
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ELEMENTS: &'static str = r#"
/** What `<quorum-sign-up>` sends in `quorum-signed-up`, and what `createSubOrganization` resolves to. */
export interface SignedUpDetail {
  subOrganizationId: string;
  userId: string;
  walletId: string;
  addresses: string[];
}
"#;

/// Registers `<quorum-sign-up>`, `<quorum-approve-transaction>` and `<quorum-export-wallet>`.
/// Call after `await init()`; calling again does nothing.
#[wasm_bindgen(js_name = defineQuorumElements)]
pub fn define_quorum_elements() {
    define_elements(ElementFactory);
}

/// Sets the locale of every component without its own `lang` (e.g. `"es"`, `"ar"`).
///
/// # Errors
/// An `InvalidInputError` when `locale` is not a string.
#[wasm_bindgen(js_name = setLocale)]
pub fn set_locale(
    #[wasm_bindgen(unchecked_param_type = "string")] locale: JsValue,
) -> Result<(), JsValue> {
    crate::ui::set_locale(&input::string(&locale, "setLocale: locale")?);
    Ok(())
}

/// Overrides strings for a locale at run time: `setStrings("en", {"signup.title": "Open your account"})`.
///
/// # Errors
/// An `InvalidInputError` when `locale` is not a string or `strings` is not an object of strings.
#[wasm_bindgen(js_name = setStrings)]
pub fn set_strings(
    #[wasm_bindgen(unchecked_param_type = "string")] locale: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] strings: JsValue,
) -> Result<(), JsValue> {
    let locale = input::string(&locale, "setStrings: locale")?;
    let object: Object = input::plain(
        &input::object(&strings, "setStrings: strings")?,
        "setStrings: strings",
    )?
    .dyn_into()
    .map_err(|_| super::error::invalid_input("setStrings: strings must be an object"))?;
    let mut pairs = Vec::new();
    for entry in Object::entries(&object).iter() {
        let entry: Array = entry.unchecked_into();
        match (entry.get(0).as_string(), entry.get(1).as_string()) {
            (Some(k), Some(v)) => pairs.push((k, v)),
            _ => {
                return Err(super::error::invalid_input(
                    "setStrings: every value must be a string",
                ));
            }
        }
    }
    crate::ui::set_strings(&locale, pairs);
    Ok(())
}

/// A `Client` handed to an element through its `client` property (internal).
#[wasm_bindgen(skip_typescript)]
pub struct ElementClient(DynClient);

impl ElementClient {
    pub(crate) fn new(client: DynClient) -> Self {
        Self(client)
    }
}

/// Mounts components for the element classes (internal).
#[wasm_bindgen(skip_typescript)]
pub struct ElementFactory;

/// The attributes an element forwards as signals.
pub(crate) struct Attributes(Vec<(&'static str, ArcRwSignal<Option<String>>)>);

impl Attributes {
    fn read(host: &HtmlElement, names: &[&'static str]) -> Self {
        Self(
            names
                .iter()
                .map(|n| (*n, ArcRwSignal::new(host.get_attribute(n))))
                .collect(),
        )
    }

    pub(crate) fn signal(&self, name: &str) -> ArcRwSignal<Option<String>> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| ArcRwSignal::new(None), |(_, s)| s.clone())
    }

    fn text(&self, name: &str) -> Signal<String> {
        let s = self.signal(name);
        Signal::derive(move || s.get().unwrap_or_default())
    }

    fn optional(&self, name: &str) -> Signal<Option<String>> {
        let s = self.signal(name);
        Signal::derive(move || s.get())
    }

    fn theme(&self) -> Signal<Theme> {
        let s = self.signal("theme");
        Signal::derive(move || Theme::parse(s.get().as_deref()))
    }
}

const SHARED: [&str; 5] = ["base-url", "organization-id", "rp-id", "theme", "lang"];

/// The host element, shareable with the components' callbacks.
type Host = SendWrapper<HtmlElement>;

pub(crate) fn emit(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

fn on_state(host: &Host) -> Callback<String> {
    let host = host.clone();
    Callback::new(move |state: String| {
        let _ = host.set_attribute("state", &state);
        emit(&host, "quorum-state", &object(&[("state", state.into())]));
    })
}

fn on_error(host: &Host) -> Callback<(String, String)> {
    let host = host.clone();
    Callback::new(move |(name, message): (String, String)| {
        emit(
            &host,
            "quorum-error",
            &object(&[("name", name.into()), ("message", message.into())]),
        );
    })
}

fn strings_array(items: &[String]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect::<Array>()
        .into()
}

/// A mounted element (internal): dropping it (the class calls `free()` once detached) unmounts the
/// component, stops its timers and zeroizes its secrets.
#[wasm_bindgen(skip_typescript)]
pub struct ElementHandle {
    mounted: Option<Box<dyn Any>>,
    container: web_sys::Element,
    attributes: Attributes,
    wallet: Rc<StandardWallet>,
}

impl Drop for ElementHandle {
    fn drop(&mut self) {
        self.mounted.take();
        self.container.remove();
    }
}

fn configure(wallet: &StandardWallet, name: &str, value: Option<String>) {
    wallet.configure(|c| match name {
        "base-url" => c.base_url = value,
        "organization-id" => c.organization_id = value,
        "rp-id" => c.rp_id = value,
        "rp-name" => c.rp_name = value,
        "signup-url" => c.signup_url = value,
        _ => {}
    });
}

#[wasm_bindgen]
impl ElementFactory {
    /// Mounts the component `kind` for `host` into `root`.
    ///
    /// # Errors
    /// An `InvalidInputError` for an unknown kind, or when the DOM refuses the container.
    pub fn mount(
        &self,
        kind: JsValue,
        host: JsValue,
        root: JsValue,
    ) -> Result<ElementHandle, JsValue> {
        let kind = input::string(&kind, "mount: kind")?;
        let kind = kind.as_str();
        let host: HtmlElement = host
            .dyn_into()
            .map_err(|_| super::error::invalid_input("mount: host must be an HTMLElement"))?;
        let root: ShadowRoot = root
            .dyn_into()
            .map_err(|_| super::error::invalid_input("mount: root must be a ShadowRoot"))?;
        let names: Vec<&'static str> = match kind {
            "sign-up" => vec!["rp-name", "signup-url"],
            "approve-transaction" => vec!["sign-with", "unsigned-transaction"],
            "export-wallet" => vec![
                "wallet-id",
                "dangerously-override-signer-public-key",
                "export-frame-url",
            ],
            _ => return Err(super::error::invalid_input("unknown element kind")),
        };
        let all: Vec<&'static str> = SHARED.iter().copied().chain(names).collect();
        let attributes = Attributes::read(&host, &all);
        let wallet = Rc::new(StandardWallet::new(WalletConfig::default()));
        for name in &all {
            configure(&wallet, name, host.get_attribute(name));
        }
        let document = host
            .owner_document()
            .ok_or_else(|| super::error::invalid_input("the element has no document"))?;
        let container = document.create_element("div")?;
        root.append_child(&container)?;
        let css = match kind {
            "sign-up" => crate::ui::sign_up::CSS,
            "approve-transaction" => crate::ui::approve_transaction::CSS,
            _ => crate::ui::export_wallet::CSS,
        };
        crate::ui::theme::adopt(&root, css);

        if let Some(url) = host
            .get_attribute("export-frame-url")
            .filter(|u| kind == "export-wallet" && !u.trim().is_empty())
        {
            let relay = super::export_relay::FrameRelay::start(
                &host,
                &container,
                &url,
                &attributes,
                Rc::clone(&wallet),
            )?;
            return Ok(ElementHandle {
                mounted: Some(Box::new(relay)),
                container,
                attributes,
                wallet,
            });
        }
        let w: WalletRef = wallet.clone();
        let host = SendWrapper::new(host);
        let (locale, theme) = (attributes.optional("lang"), attributes.theme());
        let parent: HtmlElement = container.clone().unchecked_into();
        let mounted: Box<dyn Any> = match kind {
            "sign-up" => {
                let signed_up = {
                    let host = host.clone();
                    Callback::new(move |done: SignedUp| {
                        emit(&host, "quorum-signed-up", &to_js(&done));
                    })
                };
                let (state, error) = (on_state(&host), on_error(&host));
                Box::new(leptos::mount::mount_to(parent, move || {
                    view! { <SignUp wallet=w locale=locale theme=theme on_signed_up=signed_up
                    on_state=state on_error=error /> }
                }))
            }
            "approve-transaction" => {
                let (sign_with, tx) = (
                    attributes.text("sign-with"),
                    attributes.text("unsigned-transaction"),
                );
                let pending = {
                    let host = host.clone();
                    Callback::new(move |p: crate::ui::PendingEvent| {
                        let detail = object(&[
                            ("activityId", p.activity_id.into()),
                            ("fingerprint", p.fingerprint.into()),
                            ("approvals", strings_array(&p.approvals)),
                        ]);
                        emit(&host, "quorum-pending-approval", &detail);
                    })
                };
                let approved = {
                    let host = host.clone();
                    Callback::new(move |(id, signed): (String, String)| {
                        let detail = object(&[
                            ("activityId", id.into()),
                            ("signedTransaction", signed.into()),
                        ]);
                        emit(&host, "quorum-approved", &detail);
                    })
                };
                let rejected = {
                    let host = host.clone();
                    Callback::new(move |(id, reason): (String, Option<String>)| {
                        let reason = reason.map_or(JsValue::UNDEFINED, JsValue::from);
                        let detail = object(&[("activityId", id.into()), ("reason", reason)]);
                        emit(&host, "quorum-rejected", &detail);
                    })
                };
                let (state, error) = (on_state(&host), on_error(&host));
                Box::new(leptos::mount::mount_to(parent, move || {
                    view! { <ApproveTransaction wallet=w sign_with=sign_with unsigned_transaction=tx
                    locale=locale theme=theme on_pending=pending on_approved=approved
                    on_rejected=rejected on_state=state on_error=error /> }
                }))
            }
            _ => {
                let (wallet_id, signer) = (
                    attributes.text("wallet-id"),
                    attributes.optional("dangerously-override-signer-public-key"),
                );
                let exported = {
                    let host = host.clone();
                    Callback::new(move |id: String| {
                        emit(
                            &host,
                            "quorum-exported",
                            &object(&[("walletId", id.into())]),
                        );
                    })
                };
                let (state, error) = (on_state(&host), on_error(&host));
                Box::new(leptos::mount::mount_to(parent, move || {
                    view! { <ExportWallet wallet=w wallet_id=wallet_id
                    dangerously_override_signer_public_key=signer locale=locale theme=theme
                    on_exported=exported on_state=state on_error=error /> }
                }))
            }
        };
        Ok(ElementHandle {
            mounted: Some(mounted),
            container,
            attributes,
            wallet,
        })
    }
}

/// Calls a host function and awaits what it returns (a value or a promise).
async fn call_host(f: &Function, arg: &JsValue) -> Result<JsValue, JsValue> {
    let value = f.call1(&JsValue::UNDEFINED, arg)?;
    JsFuture::from(Promise::resolve(&value)).await
}

fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the host's function failed".to_owned())
}

#[wasm_bindgen]
impl ElementHandle {
    /// Forwards an attribute change.
    ///
    /// # Errors
    /// An `InvalidInputError` when `name` is not a string or `value` not a string or null.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: JsValue, value: JsValue) -> Result<(), JsValue> {
        let name = input::string(&name, "attributeChanged: name")?;
        let name = name.as_str();
        let value = input::optional_string(&value, "attributeChanged: value")?;
        configure(&self.wallet, name, value.clone());
        if let Some((_, s)) = self.attributes.0.iter().find(|(n, _)| *n == name) {
            s.set(value);
        }
        if let Some(relay) = self
            .mounted
            .as_ref()
            .and_then(|m| m.downcast_ref::<super::export_relay::FrameRelay>())
        {
            relay.config_changed(&self.attributes);
        }
        Ok(())
    }

    /// Uses a `Client` (from the `client` property) instead of the attributes.
    #[wasm_bindgen(js_name = setClient)]
    pub fn set_client(&self, client: Option<ElementClient>) {
        self.wallet.set_client(client.map(|c| c.0));
    }

    /// Installs (or removes) `createSubOrganization` or `reasonFor`.
    ///
    /// # Errors
    /// An `InvalidInputError` when `name` is not a string or `value` not a function (or absent).
    #[wasm_bindgen(js_name = setHook)]
    pub fn set_hook(&self, name: JsValue, value: JsValue) -> Result<(), JsValue> {
        let name = input::string(&name, "setHook: name")?;
        let value = if input::is_absent(&value) {
            None
        } else {
            Some(input::function(value, "setHook: value")?)
        };
        match name.as_str() {
            "createSubOrganization" => self.wallet.set_sign_up(value.map(|f| {
                let f = Rc::new(f);
                Rc::new(move |user_name: &str, r: &Registration| {
                    let f = Rc::clone(&f);
                    let arg = object(&[
                        ("userName", user_name.into()),
                        ("authenticatorName", r.authenticator_name.clone().into()),
                        ("challenge", r.challenge.clone().into()),
                        ("attestation", to_js(&r.attestation)),
                    ]);
                    Box::pin(async move {
                        let value = call_host(&f, &arg)
                            .await
                            .map_err(|e| UiError::Platform(js_message(&e)))?;
                        serde_wasm_bindgen::from_value::<SignedUp>(value).map_err(|e| {
                            UiError::Platform(format!(
                                "createSubOrganization must resolve to {{subOrganizationId, userId, walletId, addresses}}: {e}"
                            ))
                        })
                    }) as crate::client::LocalBoxFuture<_>
                }) as crate::ui::SignUpHook
            })),
            "reasonFor" => self.wallet.set_reason_for(value.map(|f| {
                let f = Rc::new(f);
                Rc::new(move |activity_id: &str| {
                    let f = Rc::clone(&f);
                    let arg = JsValue::from_str(activity_id);
                    Box::pin(async move {
                        call_host(&f, &arg)
                            .await
                            .ok()
                            .and_then(|v| v.as_string())
                            .filter(|s| !s.is_empty())
                    }) as crate::client::LocalBoxFuture<_>
                }) as crate::ui::ReasonHook
            })),
            _ => {}
        }
        Ok(())
    }
}
