//! RSA key pairs for actors: PKCS#8 private and SPKI public PEM, as PeerTube stores them.

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::error::FederationError;

pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

/// Generates a key pair off the async runtime: RSA generation takes tens of milliseconds.
pub async fn generate(bits: usize) -> Result<KeyPair, FederationError> {
    tokio::task::spawn_blocking(move || generate_blocking(bits))
        .await
        .map_err(|e| FederationError::Internal(format!("key generation task: {e}")))?
}

fn generate_blocking(bits: usize) -> Result<KeyPair, FederationError> {
    let mut rng = rand::thread_rng();
    let key = RsaPrivateKey::new(&mut rng, bits)
        .map_err(|e| FederationError::Internal(format!("rsa: {e}")))?;
    let private_pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| FederationError::Internal(format!("pkcs8: {e}")))?
        .to_string();
    let public_pem = RsaPublicKey::from(&key)
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| FederationError::Internal(format!("spki: {e}")))?;
    Ok(KeyPair {
        private_pem,
        public_pem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_headers_match_peertube() {
        let Ok(pair) = generate_blocking(1024) else {
            panic!("key generation failed");
        };
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(
            pair.private_pem
                .starts_with("-----BEGIN PRIVATE KEY-----\n")
        );
    }
}
