//! RSA keys for mock remote actors, made in the test: a mock actor of ours never borrows a key
//! from someone else's captures, so no test silently depends on shared files.

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};

/// PeerTube's production size, and the size of the keys in its captures.
pub const BITS: usize = 2048;

/// A key pair as actors publish and keep it: SPKI public and PKCS#8 private PEM.
#[derive(Clone, Debug)]
pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl KeyPair {
    /// A new key pair of `bits` bits (blocking: tens to hundreds of milliseconds).
    pub fn generate(bits: usize) -> KeyPair {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), bits).expect("RSA key generation");
        KeyPair {
            private_pem: key
                .to_pkcs8_pem(LineEnding::LF)
                .expect("PKCS#8 encoding")
                .to_string(),
            public_pem: RsaPublicKey::from(&key)
                .to_public_key_pem(LineEnding::LF)
                .expect("SPKI encoding"),
        }
    }

    /// A new [`BITS`]-bit key pair, made off the async runtime's thread.
    pub async fn generate_async() -> KeyPair {
        tokio::task::spawn_blocking(|| KeyPair::generate(BITS))
            .await
            .expect("the key generation task")
    }
}
