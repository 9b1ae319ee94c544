//! ferrotube's WebTorrent and HTTP BitTorrent tracker. It owns no database: the server tells
//! it which infohashes exist through [`KnownInfohashes`].

/// Answers whether an infohash belongs to a file this instance knows (local or remote), so a
/// private tracker serves only those swarms.
pub trait KnownInfohashes: Send + Sync + 'static {
    fn is_known(&self, info_hash: &[u8; 20]) -> bool;
}
