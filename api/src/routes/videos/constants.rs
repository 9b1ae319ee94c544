//! `GET /api/v1/videos/categories|licences|languages|privacies`: id → label maps.

use axum::Json;
use ferrotube_federation::models::enums::VideoPrivacy;
use ferrotube_federation::video;
use serde_json::{Map, Value};

fn map<K: ToString>(entries: impl Iterator<Item = (K, &'static str)>) -> Json<Value> {
    Json(Value::Object(
        entries
            .map(|(k, v)| (k.to_string(), Value::String(v.into())))
            .collect::<Map<_, _>>(),
    ))
}

pub async fn categories() -> Json<Value> {
    map(video::CATEGORIES.iter().copied())
}

pub async fn licences() -> Json<Value> {
    map(video::LICENCES.iter().copied())
}

pub async fn languages() -> Json<Value> {
    map(video::languages::LANGUAGES.iter().copied())
}

pub async fn privacies() -> Json<Value> {
    map(VideoPrivacy::ALL.iter().map(|p| (p.id(), p.label())))
}
