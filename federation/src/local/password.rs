//! Password hashing with bcrypt (cost 10, PeerTube's), off the async runtime.

use crate::error::FederationError;

const COST: u32 = 10;

pub async fn hash(password: String) -> Result<String, FederationError> {
    tokio::task::spawn_blocking(move || bcrypt::hash(password, COST))
        .await
        .map_err(|e| FederationError::Internal(format!("bcrypt task: {e}")))?
        .map_err(|e| FederationError::Internal(format!("bcrypt: {e}")))
}

/// False on any mismatch or malformed hash: a login never fails louder than "wrong password".
pub async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
        .await
        .unwrap_or(false)
}
