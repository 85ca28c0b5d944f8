//! What the components act through: the [`Wallet`] trait (passkey registration, the platform's
//! sign-up call, the activity client, the co-signer's reasons) and [`StandardWallet`], its
//! implementation over the passkey and client layers. A component never calls `fetch` or WebAuthn
//! itself; tests give it a fake `Wallet` (or a [`StandardWallet`] over a fake transport).

use std::cell::RefCell;
use std::rc::Rc;

use crate::activity::intents::ExportWallet;
use crate::bundle::BundleError;
use crate::client::{
    Client, ClientError, ClientStamper, FetchTransport, LocalBoxFuture, Transport, platform,
};
use crate::export_target::ExportTargetError;
use crate::passkey::{self, AssertionOptions, PasskeyError, Registration, RegistrationOptions};
use crate::tx::TxError;

use crate::client::DynClient;
pub use crate::client::platform::SignedUp;

/// Why a component's action did not succeed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UiError {
    /// The passkey ceremony failed.
    #[error(transparent)]
    Passkey(PasskeyError),
    /// A request or an activity failed.
    #[error(transparent)]
    Client(ClientError),
    /// The platform's sign-up call failed.
    #[error("the platform could not create the wallet: {0}")]
    Platform(String),
    /// The component lacks what it needs (a URL, an organization, a wallet id…).
    #[error("{0}")]
    Config(String),
    /// The export bundle did not verify or decrypt.
    #[error(transparent)]
    Bundle(BundleError),
    /// The unsigned transaction cannot be read.
    #[error(transparent)]
    Transaction(TxError),
    /// WebCrypto (or its key storage) failed outside a bundle check.
    #[error("{0}")]
    WebCrypto(String),
}

impl UiError {
    /// The stable `name` of the error (as in the JS API).
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::Passkey(e) => e.js_name(),
            Self::Client(e) => e.js_name(),
            Self::Platform(_) => "PlatformError",
            Self::Config(_) => "ConfigurationError",
            Self::Bundle(e) => e.name(),
            Self::Transaction(e) => e.js_name(),
            Self::WebCrypto(_) => "WebCryptoError",
        }
    }
}

impl From<PasskeyError> for UiError {
    fn from(e: PasskeyError) -> Self {
        Self::Passkey(e)
    }
}

impl From<ExportTargetError> for UiError {
    fn from(e: ExportTargetError) -> Self {
        match e {
            ExportTargetError::Bundle(b) => Self::Bundle(b),
            other => Self::WebCrypto(other.to_string()),
        }
    }
}

impl From<ClientError> for UiError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Stamper(crate::client::StamperError::Passkey(p)) => Self::Passkey(p),
            other => Self::Client(other),
        }
    }
}

/// What the components need from the outside world.
pub trait Wallet {
    /// Whether passkeys can be used on this page.
    fn passkey_supported(&self) -> bool;
    /// Registers a passkey for `user_name`; the ceremony starts before this returns.
    fn register_passkey(
        &self,
        user_name: &str,
    ) -> LocalBoxFuture<Result<Registration, PasskeyError>>;
    /// The platform's sign-up: creates the sub-organization (user + platform, 2-of-2) and wallet.
    fn create_sub_organization(
        &self,
        user_name: &str,
        registration: &Registration,
    ) -> LocalBoxFuture<Result<SignedUp, UiError>>;
    /// The activity client, acting in the user's sub-organization.
    ///
    /// # Errors
    /// [`UiError::Config`] when neither a client nor a base URL and organization are set.
    fn client(&self) -> Result<DynClient, UiError>;
    /// The platform's reason for deciding on an activity, when the host can tell.
    fn reason_for(&self, activity_id: &str) -> LocalBoxFuture<Option<String>>;

    /// Exports `wallet_id` to `target_public_key` (uncompressed hex): `EXPORT_WALLET` through
    /// [`Wallet::client`], the stamper (passkey prompt) started before this returns. The isolated
    /// export frame overrides it to ask the host page instead.
    fn export_bundle(
        &self,
        wallet_id: &str,
        target_public_key: &str,
    ) -> LocalBoxFuture<Result<ExportedBundle, UiError>> {
        let client = match self.client() {
            Ok(c) => c,
            Err(e) => return ready(Err(e)),
        };
        let pending = client.export_wallet(&ExportWallet {
            wallet_id: wallet_id.to_owned(),
            target_public_key: target_public_key.to_owned(),
            language: None,
        });
        let organization_id = client.organization_id();
        Box::pin(async move {
            let result = pending.await?.result::<ExportWallet>().await?;
            Ok(ExportedBundle {
                export_bundle: result.export_bundle,
                organization_id,
            })
        })
    }
}

/// An export bundle and the organization it must come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBundle {
    /// The v1.0.0 export bundle (encrypted to the target; safe to relay).
    pub export_bundle: String,
    /// The organization the bundle's signed data must name.
    pub organization_id: String,
}

/// A shared [`Wallet`].
pub type WalletRef = Rc<dyn Wallet>;

/// The host's own sign-up call.
pub type SignUpHook = Rc<dyn Fn(&str, &Registration) -> LocalBoxFuture<Result<SignedUp, UiError>>>;

/// The host's `reasonFor(activityId)`.
pub type ReasonHook = Rc<dyn Fn(&str) -> LocalBoxFuture<Option<String>>>;

/// Where a [`StandardWallet`] sends its requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalletConfig {
    /// `https://api.turnkey.com` or the sandbox's origin.
    pub base_url: Option<String>,
    /// The user's sub-organization.
    pub organization_id: Option<String>,
    /// The passkeys' relying-party id (default: the page's host name).
    pub rp_id: Option<String>,
    /// The relying party's display name (default: the page's host name).
    pub rp_name: Option<String>,
    /// A URL that takes `{userName, authenticatorName, challenge, attestation}` and returns [`SignedUp`].
    pub signup_url: Option<String>,
}

/// The [`Wallet`] over the real passkey and client layers, configured at run time (the custom
/// elements update it from their attributes and properties).
#[derive(Default)]
pub struct StandardWallet {
    config: RefCell<WalletConfig>,
    client: RefCell<Option<DynClient>>,
    sign_up: RefCell<Option<SignUpHook>>,
    reason: RefCell<Option<ReasonHook>>,
}

impl core::fmt::Debug for StandardWallet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StandardWallet")
            .field("config", &self.config.borrow())
            .field("client", &self.client.borrow().is_some())
            .finish_non_exhaustive()
    }
}

impl StandardWallet {
    /// A wallet with this configuration.
    #[must_use]
    pub fn new(config: WalletConfig) -> Self {
        Self {
            config: RefCell::new(config),
            ..Self::default()
        }
    }

    /// Changes the configuration with `f`.
    pub fn configure(&self, f: impl FnOnce(&mut WalletConfig)) {
        f(&mut self.config.borrow_mut());
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> WalletConfig {
        self.config.borrow().clone()
    }

    /// Uses this client instead of one built from `base_url` and `organization_id`.
    pub fn set_client(&self, client: Option<DynClient>) {
        *self.client.borrow_mut() = client;
    }

    /// Uses this function for sign-up instead of `signup_url`.
    pub fn set_sign_up(&self, hook: Option<SignUpHook>) {
        *self.sign_up.borrow_mut() = hook;
    }

    /// Uses this function to learn why the platform decided as it did.
    pub fn set_reason_for(&self, hook: Option<ReasonHook>) {
        *self.reason.borrow_mut() = hook;
    }

    fn host_name() -> String {
        web_sys::window()
            .and_then(|w| w.location().hostname().ok())
            .unwrap_or_default()
    }

    fn rp_id(&self) -> String {
        self.config
            .borrow()
            .rp_id
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(Self::host_name)
    }
}

fn ready<T: 'static>(v: T) -> LocalBoxFuture<T> {
    Box::pin(std::future::ready(v))
}

impl Wallet for StandardWallet {
    fn passkey_supported(&self) -> bool {
        passkey::is_supported()
    }

    fn register_passkey(
        &self,
        user_name: &str,
    ) -> LocalBoxFuture<Result<Registration, PasskeyError>> {
        let config = self.config.borrow();
        let rp_name = config
            .rp_name
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(Self::host_name);
        let options = RegistrationOptions::new(rp_name, user_name).rp_id(self.rp_id());
        passkey::register(&options, None)
    }

    fn create_sub_organization(
        &self,
        user_name: &str,
        registration: &Registration,
    ) -> LocalBoxFuture<Result<SignedUp, UiError>> {
        if let Some(hook) = self.sign_up.borrow().clone() {
            return hook(user_name, registration);
        }
        let Some(url) = self.config.borrow().signup_url.clone() else {
            return ready(Err(UiError::Config(
                "set a `signup-url` attribute or a `createSubOrganization` property".into(),
            )));
        };
        let pending = platform::sign_up(&FetchTransport, &url, user_name, registration);
        Box::pin(async move { pending.await.map_err(UiError::Platform) })
    }

    fn client(&self) -> Result<DynClient, UiError> {
        if let Some(c) = self.client.borrow().clone() {
            return Ok(c);
        }
        let config = self.config.borrow();
        let (Some(base), Some(org)) = (
            config.base_url.clone().filter(|s| !s.is_empty()),
            config.organization_id.clone().filter(|s| !s.is_empty()),
        ) else {
            return Err(UiError::Config(
                "set `base-url` and `organization-id`, or a `client` property".into(),
            ));
        };
        drop(config);
        let stamper = passkey::WebauthnStamper::new(AssertionOptions::new(self.rp_id()));
        Ok(Client::new(
            &base,
            &org,
            Rc::new(FetchTransport) as Rc<dyn Transport>,
            Rc::new(stamper) as Rc<dyn ClientStamper>,
        ))
    }

    fn reason_for(&self, activity_id: &str) -> LocalBoxFuture<Option<String>> {
        match self.reason.borrow().clone() {
            Some(hook) => hook(activity_id),
            None => ready(None),
        }
    }
}
