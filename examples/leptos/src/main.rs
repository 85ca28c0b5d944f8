//! quorum-kit's Leptos components in a Rust CSR app: sign up, then approve a transaction that
//! waits for the platform's co-signature. The same `StandardWallet` the custom elements use, here
//! configured from Rust; the components' CSS goes into the document.

use std::rc::Rc;

use leptos::prelude::*;
use quorum_kit::ui::{
    ApproveTransaction, ExportWallet, SignUp, SignedUp, StandardWallet, WalletConfig, WalletRef,
    install_document_styles,
};

/// An unsigned EIP-1559 transfer of 0.01 ETH to 0x…dEaD on Sepolia (nonce 0), as hex.
const TX: &str = "02f283aa36a780843b9aca008506fc23ac0082520894000000000000000000000000000000000000dead872386f26fc1000080c0";

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[component]
fn App() -> impl IntoView {
    let user = RwSignal::new(None::<SignedUp>);
    let outcome = RwSignal::new(String::new());
    // Sign-up goes to the platform's endpoint; the wallet is reconfigured once the user exists.
    let wallet = Rc::new(StandardWallet::new(WalletConfig {
        base_url: Some(origin()),
        signup_url: Some(format!("{}/platform/signup", origin())),
        rp_name: Some("Leptos example".into()),
        ..WalletConfig::default()
    }));
    let standard = StoredValue::new_local(Rc::clone(&wallet));
    let signed_up = Callback::new(move |done: SignedUp| {
        standard.with_value(|w| {
            w.configure(|c| c.organization_id = Some(done.sub_organization_id.clone()));
        });
        user.set(Some(done));
    });
    let as_ref: WalletRef = wallet;
    let wallet = StoredValue::new_local(as_ref);
    view! {
        <main class="app">
            <h1>"quorum-kit in Leptos"</h1>
            {move || match user.get() {
                None => view! { <SignUp wallet=wallet.get_value() on_signed_up=signed_up /> }.into_any(),
                Some(u) => {
                    let address = u.addresses.first().cloned().unwrap_or_default();
                    view! {
                        <p>"Address: " <output id="address">{address.clone()}</output></p>
                        <ApproveTransaction
                            wallet=wallet.get_value()
                            sign_with=address
                            unsigned_transaction=TX.to_owned()
                            on_pending=Callback::new(move |_| outcome.set("pending the platform's approval".into()))
                            on_approved=Callback::new(move |(_, signed): (String, String)| outcome.set(format!("signed {signed}")))
                            on_rejected=Callback::new(move |(_, reason): (String, Option<String>)| outcome.set(format!("rejected: {}", reason.unwrap_or_default())))
                        />
                        <p role="status" id="result">{move || outcome.get()}</p>
                        <ExportWallet wallet=wallet.get_value() wallet_id=u.wallet_id.clone() />
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

fn main() {
    install_document_styles();
    leptos::mount::mount_to_body(App);
}
