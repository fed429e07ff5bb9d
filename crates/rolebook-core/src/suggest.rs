//! "Did you mean ...?" for ids and keys, and the id syntax rule.

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo rather than a different word. Of equally close candidates the
/// first in alphabetical order, so the hint never depends on the order
/// the candidates come in (often a hash set's).
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&input_lower, &candidate.to_lowercase());
            (candidate, score)
        })
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(candidate, _)| candidate)
}

/// Ids are lowercase ASCII words of letters and digits joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The kebab-case form of any text, used to suggest a valid id.
pub fn to_kebab_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["sre-manager", "sre-director", "chief-technology-officer"];
        assert_eq!(did_you_mean("sre-manger", ids), Some("sre-manager"));
        assert_eq!(did_you_mean("SRE-Director", ids), Some("sre-director"));
        assert_eq!(did_you_mean("payroll", ids), None);
    }

    #[test]
    fn equally_close_candidates_give_one_answer_in_any_order() {
        // Both score the same against `vp-of-it`; a validator reusing its
        // parses once got the other one than a fresh load.
        let ids = ["vp-of-engineering", "vp-of-data-and-ai"];
        let reversed = ["vp-of-data-and-ai", "vp-of-engineering"];
        assert_eq!(did_you_mean("vp-of-it", ids), Some("vp-of-data-and-ai"));
        assert_eq!(
            did_you_mean("vp-of-it", reversed),
            Some("vp-of-data-and-ai")
        );
    }

    #[test]
    fn kebab_case_rules() {
        assert!(is_kebab_case("vp-of-data-and-ai"));
        assert!(is_kebab_case("sre2"));
        for bad in [
            "",
            "SRE",
            "sre_manager",
            "-sre",
            "sre--manager",
            "sre-",
            "é",
        ] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
        assert_eq!(to_kebab_case("SRE Manager (EMEA)"), "sre-manager-emea");
    }
}
