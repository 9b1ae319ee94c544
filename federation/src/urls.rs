//! Public URLs of this instance, computed once from `webserver.*`.

use crate::config::Webserver;

#[derive(Debug, Clone)]
pub struct InstanceUrls {
    /// `scheme://hostname[:port]`, the port left out when it is the scheme's default.
    pub base: String,
    /// `hostname[:port]`, as PeerTube writes it in handles and `host` fields.
    pub host: String,
    /// The WebSocket tracker URL; PeerTube always writes the port here.
    pub tracker_ws: String,
}

impl InstanceUrls {
    pub fn new(web: &Webserver) -> Self {
        let (scheme, ws, default_port) = if web.https {
            ("https", "wss", 443)
        } else {
            ("http", "ws", 80)
        };
        let host = if web.port == default_port {
            web.hostname.clone()
        } else {
            format!("{}:{}", web.hostname, web.port)
        };
        Self {
            base: format!("{scheme}://{host}"),
            tracker_ws: format!("{ws}://{}:{}/tracker/socket", web.hostname, web.port),
            host,
        }
    }

    pub fn account(&self, name: &str) -> String {
        format!("{}/accounts/{name}", self.base)
    }

    pub fn channel(&self, name: &str) -> String {
        format!("{}/video-channels/{name}", self.base)
    }

    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// Whether a `host` as written in a handle or WebFinger resource names this instance.
    pub fn is_local_host(&self, host: &str) -> bool {
        host.eq_ignore_ascii_case(&self.host)
            || host
                .strip_suffix(":443")
                .is_some_and(|h| h.eq_ignore_ascii_case(&self.host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_are_left_out() {
        let u = InstanceUrls::new(&Webserver {
            https: true,
            hostname: "tube.example".into(),
            port: 443,
        });
        assert_eq!(u.base, "https://tube.example");
        assert_eq!(u.host, "tube.example");
        assert_eq!(u.tracker_ws, "wss://tube.example:443/tracker/socket");
        assert!(u.is_local_host("tube.example:443"));
        let u = InstanceUrls::new(&Webserver {
            https: false,
            hostname: "127.0.0.1".into(),
            port: 9001,
        });
        assert_eq!(u.base, "http://127.0.0.1:9001");
        assert_eq!(u.account("alice"), "http://127.0.0.1:9001/accounts/alice");
    }
}
