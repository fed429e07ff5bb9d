//! Reading values out of a raw query string, the same way for pages and
//! the API: repeated keys, comma-separated lists, bounded numbers.

use std::ops::RangeInclusive;

use crate::error::AppError;

/// Values of `key`, repeated (`roles=a&roles=b`) or comma-separated
/// (`roles=a,b`), trimmed, empty ones dropped.
pub fn list(raw: Option<&str>, key: &str) -> Vec<String> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == key)
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The last value of `key`, trimmed.
pub fn value(raw: Option<&str>, key: &str) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_string())
        .last()
}

/// The whole number `key` holds, when it is in `range`; `None` when the
/// key is absent, a 400 naming the range otherwise.
pub fn number(
    raw: Option<&str>,
    key: &str,
    range: RangeInclusive<usize>,
) -> Result<Option<usize>, AppError> {
    let Some(text) = value(raw, key) else {
        return Ok(None);
    };
    match text.parse::<usize>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(AppError::bad_request(format!(
            "{key} must be a whole number from {} to {}, got `{text}`",
            range.start(),
            range.end()
        ))),
    }
}

/// Rejects query parameters the endpoint does not know, so a typo
/// (`?famly=`) is an error rather than silently ignored.
pub(crate) fn check_params(raw: Option<&str>, known: &[&str]) -> Result<(), AppError> {
    for (key, _) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if !known.contains(&key.as_ref()) {
            let expected = if known.is_empty() {
                "this endpoint takes no query parameters".to_string()
            } else {
                format!("known parameters: {}", known.join(", "))
            };
            return Err(AppError::bad_request(format!(
                "unknown query parameter `{key}`; {expected}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_accept_repeated_and_comma_separated_values() {
        assert_eq!(
            list(Some("roles=a,b&x=1&roles=c&roles=&roles=%20d%20"), "roles"),
            ["a", "b", "c", "d"]
        );
        assert!(list(None, "roles").is_empty());
        assert_eq!(value(Some("to=a&to=b"), "to").as_deref(), Some("b"));
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        assert_eq!(number(Some("k=3"), "k", 1..=10).expect("in range"), Some(3));
        assert_eq!(number(None, "k", 1..=10).expect("absent"), None);
        for bad in ["k=0", "k=11", "k=x", "k=-1"] {
            let error = number(Some(bad), "k", 1..=10).expect_err(bad);
            assert!(error.to_string().contains("from 1 to 10"), "{error}");
        }
    }
}
