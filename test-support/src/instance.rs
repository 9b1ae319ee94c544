//! A PeerTube-compatible server as a REST and ActivityPub client sees it: ferrotube under test
//! ([`crate::TestServer`]) and a real PeerTube ([`crate::peertube::PeerTube`]) both deref to it,
//! so the same helpers (login, uploads, JSON reads) drive either.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

/// Where a server answers, and how to talk to it.
pub struct Instance {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// `127.0.0.1:<port>`, as handles and ActivityPub write it.
    pub host: String,
    pub client: reqwest::Client,
    pub root_password: String,
    /// Its log file, shown when a test fails.
    pub log: PathBuf,
}

impl Instance {
    pub fn new(url: String, host: String, root_password: String, log: PathBuf) -> Self {
        Self {
            url,
            host,
            client: crate::http(),
            root_password,
            log,
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub async fn oauth_client(&self) -> (String, String) {
        let v: Value = self.get_json("/api/v1/oauth-clients/local").await;
        (
            v["client_id"].as_str().unwrap_or_default().to_string(),
            v["client_secret"].as_str().unwrap_or_default().to_string(),
        )
    }

    /// Logs in as PeerTube's CLI does (form-encoded password grant); returns the token JSON.
    pub async fn login_full(&self, username: &str, password: &str) -> reqwest::Response {
        let (id, secret) = self.oauth_client().await;
        let form: HashMap<&str, &str> = HashMap::from([
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("username", username),
            ("password", password),
            ("response_type", "code"),
            ("grant_type", "password"),
            ("scope", "upload"),
        ]);
        match self
            .client
            .post(self.api("/users/token"))
            .form(&form)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => panic!("token request: {e}"),
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let res = self.login_full(username, password).await;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "login of {username} failed: {v}");
        v["access_token"].as_str().unwrap_or_default().to_string()
    }

    pub async fn root_token(&self) -> String {
        self.login("root", &self.root_password).await
    }

    /// Creates a user through the admin API and returns its token.
    pub async fn create_user(&self, username: &str, password: &str) -> String {
        let root = self.root_token().await;
        let res = self
            .client
            .post(self.api("/users"))
            .bearer_auth(&root)
            .json(&serde_json::json!({
                "username": username,
                "password": password,
                "email": format!("{username}@example.com"),
                "videoQuota": -1,
                "videoQuotaDaily": -1,
                "role": 2,
            }))
            .send()
            .await;
        let res = match res {
            Ok(r) => r,
            Err(e) => panic!("create user: {e}"),
        };
        assert_eq!(
            res.status(),
            200,
            "create user {username}: {:?}",
            res.text().await
        );
        self.login(username, password).await
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let res = match self.client.get(format!("{}{path}", self.url)).send().await {
            Ok(r) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        assert!(res.status().is_success(), "GET {path}: {}", res.status());
        res.json().await.unwrap_or(Value::Null)
    }

    pub async fn get_ap(&self, path: &str) -> reqwest::Response {
        match self
            .client
            .get(format!("{}{path}", self.url))
            .header("Accept", "application/activity+json")
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => panic!("GET {path}: {e}"),
        }
    }
}
