//! Who a request is from, as far as what it may see goes: the one place
//! that decides whether a request is shown the catalog's problems (the
//! banner, `/admin/diagnostics`, the problem in `/healthz`).
//!
//! For now the people who can fix the catalog are the ones on the machine
//! that serves its files: a request from a loopback address. Accounts
//! will add administrators here, in [`Audience::of`], and nowhere else.
//!
//! No header is believed. `X-Forwarded-For` and its kin are whatever the
//! client or a proxy wrote, so they never make a request a maintainer's;
//! their presence only makes it the public's, because a reverse proxy on
//! the same machine connects from loopback on behalf of anyone.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap, HeaderName};

/// Who a page is rendered for: whether it shows the catalog's problems,
/// and whether it offers to edit. Each audience is served its own
/// snapshot (see [`crate::state`]), so a cached page never reaches
/// another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Audience {
    /// Whoever can fix the catalog: its problems too, on a banner and at
    /// `/admin/diagnostics`.
    diagnostics: bool,
    /// A signed-in editor, approver or admin: pages offer to edit what
    /// they show and link the change requests.
    editing: bool,
}

impl Audience {
    /// Anyone: the last valid catalog, no word of its problems, nothing to
    /// edit.
    pub const PUBLIC: Audience = Audience {
        diagnostics: false,
        editing: false,
    };
    /// The catalog's maintainers: its problems too.
    pub const MAINTAINERS: Audience = Audience {
        diagnostics: true,
        editing: false,
    };
    /// Every audience, in the order of [`Audience::index`].
    pub const ALL: [Audience; 4] = [
        Audience::PUBLIC,
        Audience::MAINTAINERS,
        Audience {
            diagnostics: false,
            editing: true,
        },
        Audience {
            diagnostics: true,
            editing: true,
        },
    ];

    /// Its place in [`Audience::ALL`].
    pub fn index(self) -> usize {
        usize::from(self.diagnostics) + 2 * usize::from(self.editing)
    }
}

/// Headers a reverse proxy adds: a request carrying one came through a
/// proxy, whatever its peer address.
static FORWARDING: [HeaderName; 3] = [
    HeaderName::from_static("forwarded"),
    HeaderName::from_static("x-forwarded-for"),
    HeaderName::from_static("x-real-ip"),
];

impl Audience {
    /// The audience of a request: its peer address (the `ConnectInfo`
    /// that [`crate::server`] attaches to every request) and its headers.
    /// A request with no peer address (a router driven without the
    /// server) is the public's.
    pub fn of(extensions: &Extensions, headers: &HeaderMap) -> Audience {
        let caller = extensions.get::<crate::auth::Caller>();
        let editing = caller.is_some_and(crate::auth::Caller::may_edit);
        if caller.is_some_and(crate::auth::Caller::is_admin) {
            return Audience {
                diagnostics: true,
                editing,
            };
        }
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let proxied = FORWARDING.iter().any(|name| headers.contains_key(name));
        Audience {
            diagnostics: !proxied && peer.is_some_and(|peer| is_loopback(peer.ip())),
            editing,
        }
    }

    /// Whether it is shown the catalog's problems and diagnostics.
    pub fn may_see_diagnostics(self) -> bool {
        self.diagnostics
    }

    /// Whether its pages offer to edit what they show.
    pub fn may_edit(self) -> bool {
        self.editing
    }
}

/// 127.0.0.0/8 and `::1`, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`,
/// which a dual-stack listener reports).
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(peer: Option<&str>, headers: &[(&str, &str)]) -> Audience {
        let mut extensions = Extensions::new();
        if let Some(peer) = peer {
            extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().expect("address")));
        }
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                HeaderName::from_bytes(name.as_bytes()).expect("name"),
                value.parse().expect("value"),
            );
        }
        Audience::of(&extensions, &map)
    }

    #[test]
    fn only_loopback_peers_without_a_proxy_are_maintainers() {
        for peer in [
            "127.0.0.1:5000",
            "127.1.2.3:5000",
            "[::1]:5000",
            "[::ffff:127.0.0.1]:5000",
        ] {
            assert_eq!(audience(Some(peer), &[]), Audience::MAINTAINERS, "{peer}");
        }
        for peer in [
            "10.0.0.7:5000",
            "192.168.1.2:5000",
            "[2001:db8::1]:5000",
            "[::ffff:10.0.0.7]:5000",
            "0.0.0.0:5000",
        ] {
            assert_eq!(audience(Some(peer), &[]), Audience::PUBLIC, "{peer}");
        }
        assert_eq!(audience(None, &[]), Audience::PUBLIC, "no peer known");
        // A header never promotes a request, and a proxy's headers demote
        // a loopback one: the proxy speaks for someone else.
        assert_eq!(
            audience(Some("10.0.0.7:5000"), &[("x-forwarded-for", "127.0.0.1")]),
            Audience::PUBLIC
        );
        for header in ["x-forwarded-for", "forwarded", "x-real-ip"] {
            assert_eq!(
                audience(Some("127.0.0.1:5000"), &[(header, "for=203.0.113.9")]),
                Audience::PUBLIC,
                "{header}"
            );
        }
        assert!(Audience::MAINTAINERS.may_see_diagnostics());
        assert!(!Audience::PUBLIC.may_see_diagnostics());
    }
}
