//! How long one password hash takes on this machine with the chosen
//! argon2id parameters: run it in a release build to choose or check them.
//!
//!     cargo run --release -p rolebook-accounts --example hash_cost

use std::time::Instant;

use rolebook_accounts::password;

fn main() {
    let runs = 20;
    let mut times: Vec<f64> = (0..runs)
        .map(|n| {
            let start = Instant::now();
            let hash = password::hash(&format!("a passphrase of many words {n}"));
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            assert!(hash.is_ok(), "hashing failed");
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "argon2id m={} KiB, t={}, p={}: median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms over {runs} hashes",
        password::MEMORY_KIB,
        password::PASSES,
        password::LANES,
        times[runs / 2],
        times[0],
        times[runs - 1],
    );
}
