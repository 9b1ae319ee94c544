//! `GET /api/v1/users/me/subscriptions/exist?uris=a@host&uris=b`: `{uri: bool}` per handle.

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use serde_json::{Map, Value};

use super::subscriptions_common::{subscribed_channel, valid_uri};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let uris: Vec<String> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
            .map_err(|_| ApiError::bad_request("Invalid query"))?
            .into_iter()
            .filter(|(k, _)| k == "uris" || k == "uris[]")
            .map(|(_, v)| v)
            .collect();
    if uris.is_empty() || !uris.iter().all(|u| valid_uri(u)) {
        return Err(ApiError::invalid_field("query", "uris", Value::from(uris)));
    }
    let mut out = Map::new();
    for uri in uris {
        let found = subscribed_channel(&state, &auth, &uri).await?.is_some();
        out.insert(uri, Value::Bool(found));
    }
    Ok(Json(Value::Object(out)))
}
