//! `/compare`: two to four roles side by side.

use axum::response::Response;

use crate::analysis::MAX_COMPARE;
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::views::Links;
use crate::views::compare::compare_page;

pub async fn compare(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let names = query::list(request.query(), "roles");
    let render = || compare_page(snap, Links::Server, &names);
    // Only canonical comparisons (ids) are cached; anything else renders
    // fresh, which bounds the cache to real role combinations.
    if names.len() <= MAX_COMPARE && names.iter().all(|n| snap.catalog.role(n).is_some()) {
        request.cached(&format!("/compare?{}", names.join(",")), render)
    } else {
        request.fresh(render())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use crate::cache::MAX_ENTRIES;
    use crate::state::AppState;

    /// Issue 15: after more distinct compare pages than the cache holds, a
    /// new page is still cached and asking again is a hit.
    #[tokio::test]
    async fn compare_pages_past_the_cache_capacity_are_still_cached() {
        let state = AppState::builtin().expect("the built-in catalog is valid");
        let router = crate::app(state.clone());
        // Requests without a peer address are the public's.
        let snap = state.snapshot_for(crate::audience::Audience::PUBLIC);
        let ids: Vec<&str> = snap.catalog.roles().iter().map(|r| r.id.as_str()).collect();
        let mut triples = Vec::new();
        for a in &ids {
            for b in &ids {
                for c in &ids {
                    if a != b && b != c && a != c && triples.len() <= MAX_ENTRIES + 52 {
                        triples.push([*a, *b, *c]);
                    }
                }
            }
        }
        assert_eq!(triples.len(), MAX_ENTRIES + 53);
        let get = |roles: [&str; 3]| {
            let uri = format!(
                "/compare?roles={}&roles={}&roles={}",
                roles[0], roles[1], roles[2]
            );
            let router = router.clone();
            async move {
                let response = router
                    .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
                    .await
                    .expect("infallible");
                assert_eq!(response.status(), StatusCode::OK);
            }
        };
        let (last, earlier) = triples.split_last().expect("triples");
        for roles in earlier {
            get(*roles).await;
        }
        let key = format!("/compare?{}", last.join(","));
        assert!(snap.cache.get(&key).is_none());
        get(*last).await;
        let cached = snap
            .cache
            .get(&key)
            .expect("a new page is cached when full");
        get(*last).await;
        let again = snap.cache.get(&key).expect("still cached");
        assert!(
            Arc::ptr_eq(&cached, &again),
            "the repeat was served from the cache"
        );
    }
}
