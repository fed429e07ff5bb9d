//! Live reload: asks the catalog's provider for its version twice a second
//! and reloads when it changes.
//!
//! For catalog files the version is a digest of names, sizes and
//! modification times (see [`crate::provider`]): polling rather than OS
//! notifications works the same on every file system, including network
//! and container mounts where inotify sees nothing. An editor that writes a
//! file in two steps may be caught half way; the next tick sees the second
//! write and reloads again.

use std::time::Duration;

use crate::state::{AppState, ReloadOutcome};

/// How often the directory is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Watches the state's catalog until the runtime shuts down. Does nothing
/// for a catalog that cannot change (the built-in one).
pub fn spawn(state: AppState, interval: Duration) {
    let provider = state.provider();
    if !provider.watched() {
        return;
    }
    let label = provider.label();
    tokio::spawn(async move {
        let probe = provider.clone();
        let mut last = tokio::task::spawn_blocking(move || probe.version())
            .await
            .ok()
            .flatten();
        loop {
            tokio::time::sleep(interval).await;
            let probe = provider.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || probe.version()).await else {
                continue;
            };
            // Nothing new, or a version this server already serves (it
            // reloads at once after its own publishes).
            let served = now.is_some() && now == state.snapshot().version;
            if now == last || served {
                last = now;
                continue;
            }
            last = now;
            let reloading = state.clone();
            match tokio::task::spawn_blocking(move || reloading.reload()).await {
                Ok(ReloadOutcome::Loaded { roles, warnings }) => {
                    tracing::info!(roles, warnings, catalog = %label, "catalog reloaded");
                }
                Ok(ReloadOutcome::Kept { errors }) => {
                    tracing::warn!(
                        errors,
                        catalog = %label,
                        "catalog has errors; still serving the last valid version (see /admin/diagnostics)"
                    );
                }
                Err(error) => tracing::error!(%error, "catalog reload failed"),
            }
        }
    });
}
