//! `GET /.well-known/host-meta`: the XRD pointing at WebFinger.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::state::AppState;

pub async fn get(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" type=\"application/xrd+xml\" \
         template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>",
        state.urls.base
    );
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
}
