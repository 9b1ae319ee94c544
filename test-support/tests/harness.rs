//! The harness's own pieces, checked without a server: the committed fixtures are what
//! fixtures/README.md says, bencode finds the infohash bytes, keys and names are well formed.

// Test code: a failed step stops the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use ferrotube_test_support::bencode::{self, B, BencodeExt};
use ferrotube_test_support::keys::KeyPair;
use ferrotube_test_support::{db, fixtures, media};

fn ffprobe(path: &std::path::Path) -> String {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height",
        ])
        .args(["-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe is needed (scripts/test installs it)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn tiny_media_fixtures_are_what_the_readme_says() {
    assert_eq!(ffprobe(&media::tiny_video()), "h264,320,240\naac");
    assert_eq!(ffprobe(&media::tiny_image()), "mjpeg,320,240");
    let total: u64 = [media::tiny_video(), media::tiny_image()]
        .iter()
        .map(|p| p.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    assert!(total < 100_000, "fixtures grew to {total} bytes");
}

#[test]
fn the_mock_person_fixture_has_every_placeholder_filled_by_the_mock() {
    let text = fixtures::text(fixtures::MOCK_PERSON);
    for placeholder in ["{{base}}", "{{username}}", "{{name}}"] {
        assert!(text.contains(placeholder), "{placeholder}");
    }
    let doc = fixtures::load(fixtures::MOCK_PERSON);
    assert_eq!(doc["type"], "Person");
    assert!(doc["publicKey"]["publicKeyPem"].is_null());
}

#[test]
fn info_bytes_are_the_raw_info_dictionary() {
    let torrent = b"d8:announce3:url4:infod6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces0:ee";
    let Some(t) = bencode::decode(torrent) else {
        panic!("not bencode");
    };
    assert_eq!(t.get("announce").and_then(B::str).as_deref(), Some("url"));
    assert_eq!(
        t.get("info").and_then(|i| i.get("length")).and_then(B::int),
        Some(5)
    );
    assert_eq!(
        bencode::info_bytes(torrent),
        Some(&b"d6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces0:e"[..])
    );
    // Keys out of order are not canonical bencode: the infohash bytes cannot be trusted.
    let unsorted = b"d4:infod4:name1:a6:lengthi5ee8:announce3:urle";
    assert_eq!(bencode::info_bytes(unsorted), None);
    assert_eq!(bencode::decode(b"i1etrailing"), None);
}

#[test]
fn generated_keys_are_spki_and_pkcs8() {
    let keys = KeyPair::generate(1024);
    assert!(keys.public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(
        keys.private_pem
            .starts_with("-----BEGIN PRIVATE KEY-----\n")
    );
    assert_ne!(KeyPair::generate(1024).public_pem, keys.public_pem);
}

#[test]
fn the_template_is_named_after_the_migrations() {
    let name = db::template_name();
    assert_eq!(name, db::template_name());
    assert!(name.starts_with("ft_template_") && name.len() == "ft_template_".len() + 16);
}

#[tokio::test]
async fn a_test_database_is_migrated_and_dropped() {
    let database = db::TestDatabase::new().await;
    let name = database.name().to_string();
    let (client, conn) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={name}"),
        tokio_postgres::NoTls,
    )
    .await
    .expect("connect");
    tokio::spawn(conn);
    let applied: i64 = client
        .query_one("SELECT count(*) FROM __diesel_schema_migrations", &[])
        .await
        .expect("migrations table")
        .get(0);
    let on_disk = std::fs::read_dir(ferrotube_test_support::workspace_root().join("migrations"))
        .expect("migrations/")
        .flatten()
        .filter(|e| e.path().join("up.sql").is_file())
        .count();
    assert_eq!(applied as usize, on_disk);
    drop(client);
    drop(database);
    let (admin, conn) = tokio_postgres::connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
        tokio_postgres::NoTls,
    )
    .await
    .expect("connect");
    tokio::spawn(conn);
    let left = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .expect("pg_database");
    assert!(left.is_none(), "{name} was not dropped");
}
