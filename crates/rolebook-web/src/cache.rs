//! Rendered responses cached per catalog snapshot, with ETags.
//!
//! Only responses that are the same for every visitor belong here: the
//! key is the URL (and the snapshot that owns the cache), never anything
//! about who asked. A page that differs per signed-in user must not be
//! cached here. Once rendered, a response is kept in the snapshot until the
//! next reload replaces the snapshot (and with it the cache). The cache is
//! bounded: at [`MAX_ENTRIES`] responses or [`MAX_BYTES`] of bodies
//! (downloads are larger than pages: a role's PDF is about 170 KB),
//! arbitrary entries make room for the new one, so arbitrary query strings
//! cannot grow memory without limit and pages asked for later still get
//! cached.
//! ETags are a hash of the body, so an unchanged page keeps its ETag across
//! reloads and browsers revalidate with a cheap 304.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Most responses one snapshot keeps.
pub const MAX_ENTRIES: usize = 2048;
/// Most bytes of bodies one snapshot keeps; a larger body is served but
/// not kept.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// HTML and JSON may change whenever the catalog does: browsers and
/// proxies must revalidate, which the ETag makes cheap.
pub const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

pub const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
pub const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A response body ready to send again.
#[derive(Debug, Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: HeaderValue,
    pub content_type: HeaderValue,
}

impl Cached {
    pub fn new(body: impl Into<Bytes>, content_type: HeaderValue) -> Self {
        let body = body.into();
        Cached {
            etag: etag_of(&body),
            body,
            content_type,
        }
    }

    /// 200 with the body, or 304 when the client already has it.
    pub fn respond(&self, request_headers: &HeaderMap) -> Response {
        self.respond_to(request_headers.get(header::IF_NONE_MATCH))
    }

    /// [`Cached::respond`] given only the request's `If-None-Match`.
    pub fn respond_to(&self, if_none_match: Option<&HeaderValue>) -> Response {
        let not_modified = if_none_match
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| etag_matches(tags, &self.etag));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(self.body.clone()));
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, self.content_type.clone());
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, REVALIDATE);
        response
    }
}

/// A strong ETag from the body's hash.
pub fn etag_of(body: &[u8]) -> HeaderValue {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
        .unwrap_or(HeaderValue::from_static("\"0\""))
}

/// `If-None-Match` holds `*` or a list of (possibly weak) tags. Weak
/// comparison is right for GET: a compressed body keeps the tag.
fn etag_matches(header: &str, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or("");
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours)
}

/// Rendered responses of one snapshot, for pages the same for everyone.
#[derive(Debug)]
pub struct PageCache {
    entries: RwLock<Entries>,
    capacity: usize,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, Arc<Cached>>,
    /// The bodies' bytes, together.
    bytes: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_limits(MAX_ENTRIES, MAX_BYTES)
    }
}

impl PageCache {
    /// A cache of at most `capacity` responses (at least one) and
    /// `max_bytes` of bodies.
    pub fn with_limits(capacity: usize, max_bytes: usize) -> Self {
        PageCache {
            entries: RwLock::default(),
            capacity: capacity.max(1),
            max_bytes,
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        self.entries
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .get(key)
            .cloned()
    }

    pub fn insert(&self, key: String, value: Cached) -> Arc<Cached> {
        let value = Arc::new(value);
        let size = value.body.len();
        if size > self.max_bytes {
            return value;
        }
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = entries.map.remove(&key) {
            entries.bytes -= old.body.len();
        }
        while entries.map.len() >= self.capacity || entries.bytes + size > self.max_bytes {
            // HashMap order is arbitrary per process: no query pattern can
            // pin the entries it keeps.
            let Some(victim) = entries.map.keys().next().cloned() else {
                break;
            };
            if let Some(old) = entries.map.remove(&victim) {
                entries.bytes -= old.body.len();
            }
        }
        entries.bytes += size;
        entries.map.insert(key, value.clone());
        value
    }

    /// The cached response for `key`, rendering it on a miss.
    pub fn get_or_render<E>(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<Cached, E>,
    ) -> Result<Arc<Cached>, E> {
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        Ok(self.insert(key.to_string(), render()?))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .len()
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries.read().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_gives_304_with_the_same_etag() {
        let page = Cached::new("hello", HTML);
        let fresh = page.respond(&HeaderMap::new());
        assert_eq!(fresh.status(), StatusCode::OK);
        let etag = fresh.headers()[header::ETAG].clone();
        for sent in [
            etag.to_str().expect("ascii").to_string(),
            format!("W/{}", etag.to_str().expect("ascii")),
            format!("\"other\", {}", etag.to_str().expect("ascii")),
            "*".to_string(),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, sent.parse().expect("header"));
            let again = page.respond(&headers);
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{sent}");
            assert_eq!(again.headers()[header::ETAG], etag);
        }
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, "\"stale\"".parse().expect("header"));
        assert_eq!(page.respond(&headers).status(), StatusCode::OK);
        assert_ne!(Cached::new("hello!", HTML).etag, etag);
    }

    #[test]
    fn cache_is_bounded() {
        let cache = PageCache::default();
        for i in 0..MAX_ENTRIES + 10 {
            cache.insert(i.to_string(), Cached::new("x", HTML));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        // The newest entry is kept: the cache evicts rather than refusing.
        assert!(cache.get(&(MAX_ENTRIES + 9).to_string()).is_some());
        let rendered: Result<_, ()> = cache.get_or_render("new", || Ok(Cached::new("y", HTML)));
        assert_eq!(rendered.expect("rendered").body, "y");
    }

    #[test]
    fn cache_is_bounded_in_bytes() {
        let cache = PageCache::with_limits(100, 10);
        cache.insert("a".into(), Cached::new("aaaa", HTML));
        cache.insert("b".into(), Cached::new("bbbb", HTML));
        assert_eq!((cache.len(), cache.bytes()), (2, 8));
        // Room is made for a new body...
        cache.insert("c".into(), Cached::new("cccc", HTML));
        assert_eq!((cache.len(), cache.bytes()), (2, 8));
        assert!(cache.get("c").is_some());
        // ...a replaced one counts once...
        cache.insert("c".into(), Cached::new("cc", HTML));
        assert_eq!((cache.len(), cache.bytes()), (2, 6));
        // ...and one larger than the budget is served, never kept.
        let big = cache.insert("big".into(), Cached::new("x".repeat(11), HTML));
        assert_eq!(big.body.len(), 11);
        assert!(cache.get("big").is_none());
        assert_eq!((cache.len(), cache.bytes()), (2, 6));
    }

    /// Issue 15: once full, the cache must keep caching new pages (an
    /// earlier version stopped caching at capacity).
    #[test]
    fn a_full_cache_still_caches_new_pages() {
        let cache = PageCache::with_limits(16, MAX_BYTES);
        let renders = std::cell::Cell::new(0);
        let render = |body: String| {
            renders.set(renders.get() + 1);
            Ok::<_, ()>(Cached::new(body, HTML))
        };
        for i in 0..100 {
            let key = format!("/compare?page-{i}");
            cache
                .get_or_render(&key, || render(key.clone()))
                .expect("rendered");
        }
        assert_eq!(cache.len(), 16);
        assert_eq!(renders.get(), 100);
        let first = cache
            .get_or_render("/compare?late", || render("late".to_string()))
            .expect("rendered");
        let again = cache
            .get_or_render("/compare?late", || render("late again".to_string()))
            .expect("hit");
        assert_eq!(renders.get(), 101, "the repeat is a hit");
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(again.body, "late");
    }
}
