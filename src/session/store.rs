//! Session records in IndexedDB, so a reload keeps the session until it expires. The record holds
//! the non-extractable `CryptoKey` itself (structured clone keeps it non-extractable), never key bytes.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::SessionError;

/// The IndexedDB database name.
pub const DB_NAME: &str = "quorum-kit";
/// The object store holding sessions (keyed by a caller-chosen name).
pub const STORE_NAME: &str = "sessions";

fn js_err(e: &JsValue) -> SessionError {
    let get = |k: &str| {
        Reflect::get(e, &k.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    SessionError::Storage(format!("{}: {}", get("name"), get("message")))
}

fn method(target: &JsValue, name: &str) -> Result<Function, SessionError> {
    Reflect::get(target, &name.into())
        .map_err(|e| js_err(&e))?
        .dyn_into::<Function>()
        .map_err(|_| SessionError::Storage(format!("{name} is not a function")))
}

/// Resolves with `request.result` on `success`, rejects with `request.error` on `error`.
fn request_promise(request: &JsValue, on_upgrade: Option<JsValue>) -> Promise {
    let request = request.clone();
    let mut executor = |resolve: Function, reject: Function| {
        let req = request.clone();
        let on_success = Closure::once_into_js(move || {
            let result = Reflect::get(&req, &"result".into()).unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::UNDEFINED, &result);
        });
        let req = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = Reflect::get(&req, &"error".into()).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        let _ = Reflect::set(&request, &"onsuccess".into(), &on_success);
        let _ = Reflect::set(&request, &"onerror".into(), &on_error);
        if let Some(u) = &on_upgrade {
            let _ = Reflect::set(&request, &"onupgradeneeded".into(), u);
        }
    };
    Promise::new(&mut executor)
}

async fn open_db() -> Result<JsValue, SessionError> {
    let idb = Reflect::get(&js_sys::global(), &"indexedDB".into()).map_err(|e| js_err(&e))?;
    if !idb.is_object() {
        return Err(SessionError::Storage("IndexedDB is unavailable".into()));
    }
    let request = method(&idb, "open")?
        .call2(&idb, &DB_NAME.into(), &JsValue::from(1))
        .map_err(|e| js_err(&e))?;
    let req = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = Reflect::get(&req, &"result".into())
            && let Ok(create) = method(&db, "createObjectStore")
        {
            let _ = create.call1(&db, &STORE_NAME.into());
        }
    });
    JsFuture::from(request_promise(&request, Some(on_upgrade)))
        .await
        .map_err(|e| js_err(&e))
}

async fn with_store(
    mode: &str,
    op: impl FnOnce(&JsValue) -> Result<JsValue, SessionError>,
) -> Result<JsValue, SessionError> {
    let db = open_db().await?;
    let tx = method(&db, "transaction")?
        .call2(&db, &STORE_NAME.into(), &mode.into())
        .map_err(|e| js_err(&e))?;
    let store = method(&tx, "objectStore")?
        .call1(&tx, &STORE_NAME.into())
        .map_err(|e| js_err(&e))?;
    let request = op(&store)?;
    let result = JsFuture::from(request_promise(&request, None))
        .await
        .map_err(|e| js_err(&e));
    if let Ok(close) = method(&db, "close") {
        let _ = close.call0(&db);
    }
    result
}

/// Stores `record` under `name`.
///
/// # Errors
/// [`SessionError::Storage`] when IndexedDB is unavailable or refuses the write.
pub async fn put(name: &str, record: &Object) -> Result<(), SessionError> {
    let name = JsValue::from_str(name);
    with_store("readwrite", |store| {
        method(store, "put")?
            .call2(store, record, &name)
            .map_err(|e| js_err(&e))
    })
    .await
    .map(|_| ())
}

/// Reads the record stored under `name` (`None` when there is none).
///
/// # Errors
/// [`SessionError::Storage`] when IndexedDB is unavailable.
pub async fn get(name: &str) -> Result<Option<Object>, SessionError> {
    let name = JsValue::from_str(name);
    let v = with_store("readonly", |store| {
        method(store, "get")?
            .call1(store, &name)
            .map_err(|e| js_err(&e))
    })
    .await?;
    Ok(v.dyn_into::<Object>().ok())
}

/// Deletes the record stored under `name`.
///
/// # Errors
/// [`SessionError::Storage`] when IndexedDB is unavailable.
pub async fn delete(name: &str) -> Result<(), SessionError> {
    let name = JsValue::from_str(name);
    with_store("readwrite", |store| {
        method(store, "delete")?
            .call1(store, &name)
            .map_err(|e| js_err(&e))
    })
    .await
    .map(|_| ())
}
