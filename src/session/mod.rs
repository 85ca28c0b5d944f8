//! Sessions for batched signing (browser layer; PROTOCOL §4 `create_read_write_session`, §6).
//!
//! One passkey prompt creates a read-write session: the kit makes a fresh target key, Turnkey
//! returns a credential bundle encrypted to it, the core decrypts the session's P-256 key, and the
//! key is imported into WebCrypto as a **non-extractable** `CryptoKey` (the raw bytes are zeroized).
//! Until it expires, the client stamps with it ([`WebCryptoStamper`], `X-Stamp`) and the person sees no
//! further prompt; afterwards the client falls back to its own stamper (the passkey).
//! The `CryptoKey` is kept in IndexedDB ([`store`]) so a reload keeps the session until expiry.

pub mod store;
mod webcrypto;

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub use webcrypto::{PreferWebCryptoStamper, WebCryptoStamper, subtle};
pub(crate) use webcrypto::{call, crypto_err};

use crate::activity::intents::CreateReadWriteSession;
use crate::bundle::decrypt_credential_bundle;
use crate::client::{
    ActiveSession, Client, ClientError, ClientStamper, LocalBoxFuture, StamperError, Transport,
    now_ms,
};
use crate::keys::P256KeyPair;

/// Turnkey's default session lifetime: 15 minutes.
pub const DEFAULT_EXPIRATION_SECONDS: u32 = 900;

/// The IndexedDB record name used when the caller names none.
pub const DEFAULT_STORAGE_NAME: &str = "default";

/// Why a session could not be created, stored or restored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The `create_read_write_session` activity did not complete.
    #[error(transparent)]
    Client(ClientError),
    /// The credential bundle did not decrypt to a key for this target.
    #[error("the credential bundle could not be decrypted: {0}")]
    Bundle(String),
    /// WebCrypto refused the key.
    #[error(transparent)]
    Crypto(StamperError),
    /// IndexedDB failed.
    #[error("session storage failed: {0}")]
    Storage(String),
}

impl SessionError {
    /// The stable JS `name` for this error.
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::Client(c) => c.js_name(),
            Self::Bundle(_) => "SessionBundleError",
            Self::Crypto(_) => "WebCryptoError",
            Self::Storage(_) => "SessionStorageError",
        }
    }
}

/// What a caller asks of a new session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// Lifetime in seconds.
    pub expiration_seconds: u32,
    /// The user the session is for (Turnkey defaults to the stamping user).
    pub user_id: Option<String>,
    /// A label for the session's API key.
    pub api_key_name: Option<String>,
    /// The IndexedDB record name; `None` keeps the session in memory only.
    pub storage_name: Option<String>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            expiration_seconds: DEFAULT_EXPIRATION_SECONDS,
            user_id: None,
            api_key_name: None,
            storage_name: Some(DEFAULT_STORAGE_NAME.to_owned()),
        }
    }
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The WebCrypto stamper holding the non-extractable session key.
    pub stamper: Rc<WebCryptoStamper>,
    /// The organization the session acts in.
    pub organization_id: String,
    /// The user it acts as.
    pub user_id: String,
    /// Expiry, milliseconds since the Unix epoch.
    pub expires_at_ms: f64,
}

impl Session {
    /// Whether it has expired at `now` (milliseconds since the Unix epoch).
    #[must_use]
    pub fn is_expired_at(&self, now: f64) -> bool {
        now >= self.expires_at_ms
    }

    /// Whether it has expired now.
    #[must_use]
    pub fn is_expired(&self) -> bool {
        self.is_expired_at(now_ms())
    }

    /// The compressed public key of the session key, hex.
    #[must_use]
    pub fn public_key(&self) -> &str {
        self.stamper.public_key()
    }

    /// The form the client uses to stamp while the session lasts.
    #[must_use]
    pub fn to_active(&self) -> ActiveSession {
        ActiveSession {
            stamper: Rc::clone(&self.stamper) as Rc<dyn ClientStamper>,
            expires_at_ms: self.expires_at_ms,
            public_key: self.stamper.public_key().to_owned(),
        }
    }

    fn to_record(&self) -> Result<Object, SessionError> {
        let o = Object::new();
        let set = |k: &str, v: &JsValue| {
            Reflect::set(&o, &k.into(), v)
                .map(|_| ())
                .map_err(|_| SessionError::Storage("cannot build the record".into()))
        };
        set("privateKey", self.stamper.crypto_key())?;
        set("publicKey", &self.stamper.public_key().into())?;
        set("organizationId", &self.organization_id.as_str().into())?;
        set("userId", &self.user_id.as_str().into())?;
        set("expiresAt", &JsValue::from_f64(self.expires_at_ms))?;
        Ok(o)
    }

    fn from_record(record: &Object) -> Option<Self> {
        let get = |k: &str| Reflect::get(record, &k.into()).ok();
        let key = get("privateKey").filter(JsValue::is_object)?;
        let public_key = get("publicKey")?.as_string()?;
        Some(Self {
            stamper: Rc::new(WebCryptoStamper::from_crypto_key(key, public_key)),
            organization_id: get("organizationId")?.as_string()?,
            user_id: get("userId")?.as_string()?,
            expires_at_ms: get("expiresAt")?.as_f64()?,
        })
    }

    /// Saves it to IndexedDB under `name`.
    ///
    /// # Errors
    /// [`SessionError::Storage`].
    pub async fn save(&self, name: &str) -> Result<(), SessionError> {
        store::put(name, &self.to_record()?).await
    }

    /// Loads the session stored under `name`; an expired one is deleted and `None` returned.
    ///
    /// # Errors
    /// [`SessionError::Storage`].
    pub async fn load(name: &str) -> Result<Option<Self>, SessionError> {
        let Some(record) = store::get(name).await? else {
            return Ok(None);
        };
        match Self::from_record(&record) {
            Some(s) if !s.is_expired() => Ok(Some(s)),
            _ => {
                store::delete(name).await?;
                Ok(None)
            }
        }
    }

    /// Deletes the session stored under `name`.
    ///
    /// # Errors
    /// [`SessionError::Storage`].
    pub async fn clear(name: &str) -> Result<(), SessionError> {
        store::delete(name).await
    }
}

/// Creates a read-write session with one stamp from the client's current stamper (the passkey),
/// installs it on the client, and stores it when `options.storage_name` is set. The target key is
/// made and the stamper started before this returns (a passkey prompt keeps the click's gesture).
///
/// # Errors
/// [`SessionError::Client`] when the activity fails or is rejected, [`SessionError::Bundle`] when
/// the credential bundle does not decrypt, [`SessionError::Crypto`] / [`SessionError::Storage`].
#[must_use]
pub fn create_read_write_session<T, S>(
    client: &Client<T, S>,
    options: &SessionOptions,
) -> LocalBoxFuture<Result<Session, SessionError>>
where
    T: Transport + 'static,
    S: ClientStamper + 'static,
{
    let target = P256KeyPair::generate();
    let started = now_ms();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let default_name = format!("quorum-kit session {}", started as u64);
    let intent = CreateReadWriteSession {
        target_public_key: target.public_key_uncompressed().to_hex(),
        user_id: options.user_id.clone(),
        api_key_name: Some(options.api_key_name.clone().unwrap_or(default_name)),
        expiration_seconds: Some(options.expiration_seconds.to_string()),
    };
    let submitted = client.submit(&intent);
    let client = client.clone();
    let options = options.clone();
    Box::pin(async move {
        let handle = submitted.await.map_err(SessionError::Client)?;
        let result = handle
            .result::<CreateReadWriteSession>()
            .await
            .map_err(SessionError::Client)?;
        let key = decrypt_credential_bundle(&result.credential_bundle, &target)
            .map_err(|e| SessionError::Bundle(e.to_string()))?;
        drop(target);
        let stamper = WebCryptoStamper::import(&key)
            .await
            .map_err(SessionError::Crypto)?;
        drop(key);
        let session = Session {
            stamper: Rc::new(stamper),
            organization_id: result.organization_id,
            user_id: result.user_id,
            expires_at_ms: started + f64::from(options.expiration_seconds) * 1000.0,
        };
        if let Some(name) = &options.storage_name {
            session.save(name).await?;
        }
        client.set_session(Some(session.to_active()));
        Ok(session)
    })
}
