//! The HTTP seam: a [`Transport`] POSTs a body and returns status and text. The browser uses
//! [`FetchTransport`] (gloo-net over `fetch`); tests inject a fake.

use super::LocalBoxFuture;

/// An HTTP response: status and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// A request that got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The request could not be sent or the response not read (offline, DNS, CORS, reset).
    #[error("network error: {0}")]
    Network(String),
}

/// POSTs JSON bodies. Implementations send the body string unchanged (it is what was stamped).
pub trait Transport {
    /// POSTs `body` to `url` with `headers`.
    fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>>;
}

/// `fetch` through gloo-net.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        let mut builder = gloo_net::http::Request::post(url);
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        let request = builder.body(body.to_owned());
        Box::pin(async move {
            let request = request.map_err(|e| TransportError::Network(e.to_string()))?;
            let response = request
                .send()
                .await
                .map_err(|e| TransportError::Network(e.to_string()))?;
            let status = response.status();
            let body = response
                .text()
                .await
                .map_err(|e| TransportError::Network(e.to_string()))?;
            Ok(HttpResponse { status, body })
        })
    }
}

impl<T: Transport + ?Sized> Transport for std::rc::Rc<T> {
    fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        (**self).post(url, headers, body)
    }
}
