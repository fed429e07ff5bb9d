//! What an audit entry costs a change, on this machine: the marginal time
//! of one entry written inside a change's transaction (as every store
//! write does), against the same transaction without it, and against a
//! whole durable commit. Run it in a release build; with a PostgreSQL URL
//! as the argument it measures that server too (on a fresh database it
//! makes there).
//!
//!     cargo run --release -p rolebook-store --example audit_cost [postgres://…/db]

use std::time::Instant;

use rolebook_store::{Db, Location, audit};

const RUNS: usize = 300;

/// Median microseconds of `RUNS` runs of `step`.
async fn median<F, Fut>(mut step: F) -> f64
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(RUNS);
    for n in 0..RUNS {
        let start = Instant::now();
        step(n).await;
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

async fn measure(label: &str, db: &Db) {
    // A change's transaction: one row written, then commit.
    let bare = median(|n| async move {
        let mut tx = db.begin_write().await.expect("begin");
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, 'x') ON CONFLICT (name) DO UPDATE SET value = $1")
            .bind(format!("bench-{}", n % 7))
            .execute(&mut *tx)
            .await
            .expect("write");
        tx.commit().await.expect("commit");
    })
    .await;
    let audited = median(|n| async move {
        let mut tx = db.begin_write().await.expect("begin");
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, 'x') ON CONFLICT (name) DO UPDATE SET value = $1")
            .bind(format!("bench-{}", n % 7))
            .execute(&mut *tx)
            .await
            .expect("write");
        audit::insert(
            &mut tx,
            "bench@example.org",
            "r-1",
            "127.0.0.1",
            "entity-saved",
            "change-request:1",
            "role/sre-manager (with token:1)",
        )
        .await
        .expect("audit");
        tx.commit().await.expect("commit");
    })
    .await;
    println!(
        "{label}: a change's transaction {bare:.0} µs; with its audit entry {audited:.0} µs ({:+.0} µs, {:.2}×)",
        audited - bare,
        audited / bare
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = Db::open(&Location::SqliteFile(dir.path().join("bench.db")))
        .await
        .expect("opens");
    measure("SQLite (synchronous = FULL)", &sqlite).await;
    if let Some(url) = std::env::args().nth(1) {
        let db = Db::open(&Location::Postgres(url)).await.expect("opens");
        measure("PostgreSQL", &db).await;
    }
}
