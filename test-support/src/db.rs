//! PostgreSQL for tests (127.0.0.1:5432, user postgres, trust): a database per test, cloned from
//! a template migrated once from the files in `migrations/`. The template is named after a hash
//! of those files, so a changed migration makes a new template and an unchanged one is reused by
//! every test process and worktree on the machine. No binary is needed, so in-crate tests use it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::{unique, workspace_root};

/// libpq-style parameters of the maintenance database.
const ADMIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres";
/// Serialises template builds across processes (cargo runs test binaries one by one, but other
/// worktrees may run theirs at the same time).
const TEMPLATE_LOCK: i64 = 727_273;

/// The URL of database `name` on the test PostgreSQL.
pub fn url(name: &str) -> String {
    format!("postgres://postgres@127.0.0.1:5432/{name}")
}

async fn admin() -> tokio_postgres::Client {
    let (client, conn) = match tokio_postgres::connect(ADMIN, tokio_postgres::NoTls).await {
        Ok(c) => c,
        Err(e) => panic!("PostgreSQL at 127.0.0.1:5432 (user postgres) is needed: {e}"),
    };
    tokio::spawn(conn);
    client
}

fn migrations_dir() -> PathBuf {
    workspace_root().join("migrations")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `ft_template_` and the first 16 hex digits of the SHA-256 of every migration file's
/// relative path and contents.
pub fn template_name() -> String {
    let dir = migrations_dir();
    let mut files = files_under(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    for path in files {
        let relative = path.strip_prefix(&dir).unwrap_or(&path);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("ft_template_{hex}")
}

/// Applies the migration files to database `name`. diesel-async's harness blocks in place, which
/// needs a multi-threaded runtime: it gets one of its own on a plain thread, whatever runtime
/// (or none) the calling test has.
fn migrate(name: &str) {
    let url = url(name);
    let dir = migrations_dir();
    let result = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the migrations");
        runtime.block_on(async move {
            let source = FileBasedMigrations::from_path(&dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            let conn = AsyncPgConnection::establish(&url)
                .await
                .map_err(|e| format!("connecting to {url}: {e}"))?;
            let mut harness = AsyncMigrationHarness::new(conn);
            harness
                .run_pending_migrations(source)
                .map(|_| ())
                .map_err(|e| format!("migrations: {e}"))
        })
    })
    .join();
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("building the template database: {e}"),
        Err(_) => panic!("building the template database: the migration thread panicked"),
    }
}

/// The migrated template, built once per process (and once per machine while migrations/ does
/// not change): under a lock, as `<name>_building`, renamed when complete.
pub async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let client = admin().await;
            if let Err(e) = client
                .execute("SELECT pg_advisory_lock($1)", &[&TEMPLATE_LOCK])
                .await
            {
                panic!("template lock: {e}");
            }
            let exists = match client
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
            {
                Ok(row) => row.is_some(),
                Err(e) => panic!("looking for the template: {e}"),
            };
            if !exists {
                let building = format!("{name}_building");
                let steps = [
                    format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"),
                    format!("CREATE DATABASE \"{building}\""),
                ];
                for sql in steps {
                    if let Err(e) = client.batch_execute(&sql).await {
                        panic!("{sql}: {e}");
                    }
                }
                let for_thread = building.clone();
                if let Err(e) = tokio::task::spawn_blocking(move || migrate(&for_thread)).await {
                    panic!("{e}");
                }
                let rename = format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
                if let Err(e) = client.batch_execute(&rename).await {
                    panic!("{rename}: {e}");
                }
            }
            let _ = client
                .execute("SELECT pg_advisory_unlock($1)", &[&TEMPLATE_LOCK])
                .await;
            name
        })
        .await
}

/// A new database cloned from the template; its name.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = unique("ft_test");
    let client = admin().await;
    // CREATE DATABASE … TEMPLATE fails while another clone of the same template is starting.
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    let mut attempt = 0;
    loop {
        match client.batch_execute(&sql).await {
            Ok(()) => return name,
            Err(_) if attempt < 50 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot clone the template: {e}"),
        }
    }
}

/// A name for a database that does not exist yet (a server started on it creates it).
pub fn missing_database() -> String {
    unique("ft_fresh")
}

/// Drops database `name`, closing its connections.
pub async fn drop_database(name: &str) {
    let client = admin().await;
    let _ = client
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}

/// Drops `name` from any context, a panicking test's unwinding included: on a thread with a
/// runtime of its own, since the caller's runtime may be gone or single-threaded.
pub fn drop_database_blocking(name: &str) {
    let name = name.to_string();
    let _ = std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            rt.block_on(drop_database(&name));
        }
    })
    .join();
}

/// A database cloned from the template for one test, dropped with this value.
pub struct TestDatabase {
    name: String,
}

impl TestDatabase {
    pub async fn new() -> TestDatabase {
        TestDatabase {
            name: fresh_database().await,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> String {
        url(&self.name)
    }

    /// A diesel-async connection to it.
    pub async fn conn(&self) -> AsyncPgConnection {
        match AsyncPgConnection::establish(&self.url()).await {
            Ok(c) => c,
            Err(e) => panic!("connecting to {}: {e}", self.name),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        drop_database_blocking(&self.name);
    }
}
