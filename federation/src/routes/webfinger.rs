//! `GET /.well-known/webfinger?resource=acct:name@host`: any local account, channel or the
//! server actor.

use axum::Json;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::problem::{InvalidParam, Problem};
use crate::protocol::webfinger::{Webfinger, parse_acct};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<WebfingerQuery>,
) -> Result<Response, FederationError> {
    let name = q
        .resource
        .as_deref()
        .filter(|r| r.starts_with("acct:"))
        .and_then(parse_acct)
        .filter(|(_, host)| state.urls.is_local_host(host))
        .map(|(name, _)| name.to_string());
    let (Some(name), Some(resource)) = (name, q.resource.clone()) else {
        let param = InvalidParam::new(
            "query",
            "resource",
            q.resource.map(Value::String),
            "Invalid value",
        );
        let instance = uri.path_and_query().map(|p| p.to_string());
        return Err(FederationError::Invalid(Box::new(Problem::invalid_params(
            instance,
            vec![param],
        ))));
    };
    let mut conn = state.conn().await?;
    let actor = Actor::find_local_by_name(&mut conn, &name)
        .await?
        .ok_or_else(|| FederationError::NotFound("Actor not found".into()))?;
    let mut res =
        Json(Webfinger::for_actor(resource, &actor.url, &state.urls.base)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(res)
}
