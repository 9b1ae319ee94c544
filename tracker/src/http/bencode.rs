//! A minimal bencode writer for tracker responses. Callers write dictionary keys in sorted
//! order themselves; the formats are fixed.

pub(crate) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn new() -> Self {
        Self(Vec::with_capacity(256))
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(b.len().to_string().as_bytes());
        self.0.push(b':');
        self.0.extend_from_slice(b);
        self
    }

    pub fn int(&mut self, v: i64) -> &mut Self {
        self.0.push(b'i');
        self.0.extend_from_slice(v.to_string().as_bytes());
        self.0.push(b'e');
        self
    }

    pub fn dict(&mut self) -> &mut Self {
        self.0.push(b'd');
        self
    }

    pub fn list(&mut self) -> &mut Self {
        self.0.push(b'l');
        self
    }

    pub fn end(&mut self) -> &mut Self {
        self.0.push(b'e');
        self
    }
}

/// `d14:failure reason…e`.
pub(crate) fn failure(reason: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.dict()
        .bytes(b"failure reason")
        .bytes(reason.as_bytes())
        .end();
    w.0
}
