//! Logging through `tracing`: human-readable or JSON lines, a request id on
//! every line of a request, and no personal data (see LOGGING.md): spans
//! record the method, the route's path and the status, never query strings,
//! bodies, cookies or client addresses.

use axum::http::{Request, Response};
use std::time::Duration;
use tracing::Span;
use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("GONGKAI_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}

pub fn make_span<B>(req: &Request<B>) -> Span {
    let request_id = req
        .headers()
        .get(crate::routes::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // The path only: query strings may carry what a citizen typed.
    tracing::info_span!("request", id = %request_id, method = %req.method(), path = %req.uri().path())
}

pub fn on_response<B>(res: &Response<B>, latency: Duration, _span: &Span) {
    let status = res.status().as_u16();
    if status >= 500 {
        tracing::error!(status, ms = latency.as_millis() as u64, "response");
    } else {
        tracing::debug!(status, ms = latency.as_millis() as u64, "response");
    }
}
