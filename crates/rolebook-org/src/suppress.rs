//! Findings a team has accepted, each with its reason:
//!
//! ```toml
//! [[suppress]]
//! id = "span-over:E0042"
//! reason = "Interim: leads the payments team too until the new manager starts"
//! ```

use serde::Deserialize;

use crate::check::Check;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions(Vec<Suppression>);

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    suppress: Vec<Suppression>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuppressError {
    #[error("{0}")]
    Toml(String),
    #[error("suppression {index} ({id}) has an empty reason; say why the team accepts it")]
    NoReason { index: usize, id: String },
    #[error("`{id}` is suppressed twice")]
    Twice { id: String },
}

impl Suppressions {
    pub fn parse(text: &str) -> Result<Suppressions, SuppressError> {
        let file: File = toml::from_str(text).map_err(|e| SuppressError::Toml(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for (index, s) in file.suppress.iter().enumerate() {
            if s.reason.trim().is_empty() {
                return Err(SuppressError::NoReason {
                    index: index + 1,
                    id: s.id.clone(),
                });
            }
            if !seen.insert(s.id.as_str()) {
                return Err(SuppressError::Twice { id: s.id.clone() });
            }
        }
        Ok(Suppressions(file.suppress))
    }

    /// Marks the suppressed findings with their reasons and lists the
    /// suppressions that matched nothing.
    pub fn apply(&self, check: &mut Check) {
        for s in &self.0 {
            match check.findings.iter_mut().find(|f| f.id == s.id) {
                Some(f) => f.suppressed = Some(s.reason.clone()),
                None => check.unused_suppressions.push(s.id.clone()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required() {
        let error =
            Suppressions::parse("[[suppress]]\nid = \"x\"\nreason = \" \"\n").expect_err("fails");
        assert!(matches!(error, SuppressError::NoReason { .. }));
        let error = Suppressions::parse("[[suppress]]\nid = \"x\"\n")
            .expect_err("fails")
            .to_string();
        assert!(error.contains("line 1"), "{error}");
        assert!(error.contains("reason"), "{error}");
    }
}
