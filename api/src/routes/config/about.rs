//! `GET /api/v1/config/about`

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use serde_json::{Value, json};

pub async fn handler(State(state): State<AppState>) -> Json<Value> {
    let i = &state.config.instance;
    Json(json!({
        "instance": {
            "name": i.name,
            "shortDescription": i.short_description,
            "description": i.description,
            "terms": i.terms,
            "codeOfConduct": i.code_of_conduct,
            "hardwareInformation": i.hardware_information,
            "creationReason": i.creation_reason,
            "moderationInformation": i.moderation_information,
            "administrator": i.administrator,
            "maintenanceLifetime": i.maintenance_lifetime,
            "businessModel": i.business_model,
            "languages": i.languages,
            "categories": i.categories,
            "banners": [],
            "avatars": [],
        }
    }))
}
