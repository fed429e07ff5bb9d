//! A posting's options as people type them: the CLI's flags and the web
//! builder's form fields are the same text fields, read here into
//! [`PostingOptions`] with the organisation's settings as defaults. Every
//! field is checked and every problem reported with the field it is in,
//! so a form can show each error beside its field.

use std::fmt;

use rolebook_core::model::Organisation;
use rolebook_core::text;

use super::{
    DEFAULT_VALID_DAYS, Date, EmploymentType, Location, PostingOptions, Salary, SalaryPeriod,
    Section, is_https_address,
};
use crate::ExportError;

/// The most characters of a one-line field (a name, an address, a place).
pub const MAX_LINE_CHARS: usize = 200;
/// The most characters of a text field (about us, a statement).
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The most entries of a list (benefits, locations, countries).
pub const MAX_ENTRIES: usize = 30;

/// A field of the posting's input: its name in a form and, with `--`, its
/// flag on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostingField {
    Company,
    CompanyUrl,
    About,
    WorkingModel,
    Benefits,
    EqualOpportunity,
    HowToApply,
    Locations,
    Remote,
    EmploymentType,
    Salary,
    Currency,
    SalaryPer,
    Sections,
    DatePosted,
    ValidThrough,
}

impl PostingField {
    pub const ALL: [PostingField; 16] = [
        PostingField::Company,
        PostingField::CompanyUrl,
        PostingField::About,
        PostingField::WorkingModel,
        PostingField::Benefits,
        PostingField::EqualOpportunity,
        PostingField::HowToApply,
        PostingField::Locations,
        PostingField::Remote,
        PostingField::EmploymentType,
        PostingField::Salary,
        PostingField::Currency,
        PostingField::SalaryPer,
        PostingField::Sections,
        PostingField::DatePosted,
        PostingField::ValidThrough,
    ];

    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            PostingField::Company => "company",
            PostingField::CompanyUrl => "company-url",
            PostingField::About => "about",
            PostingField::WorkingModel => "working-model",
            PostingField::Benefits => "benefits",
            PostingField::EqualOpportunity => "equal-opportunity",
            PostingField::HowToApply => "how-to-apply",
            PostingField::Locations => "locations",
            PostingField::Remote => "remote",
            PostingField::EmploymentType => "employment-type",
            PostingField::Salary => "salary",
            PostingField::Currency => "currency",
            PostingField::SalaryPer => "salary-per",
            PostingField::Sections => "sections",
            PostingField::DatePosted => "date-posted",
            PostingField::ValidThrough => "valid-through",
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: PostingField,
    pub message: String,
}

/// Every problem with a posting's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingInputError {
    pub errors: Vec<FieldError>,
}

impl PostingInputError {
    /// The message about `field`, if it has a problem.
    pub fn about(&self, field: PostingField) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl fmt::Display for PostingInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.errors.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for PostingInputError {}

impl From<PostingInputError> for ExportError {
    fn from(error: PostingInputError) -> Self {
        ExportError::Invalid(error.to_string())
    }
}

/// A posting's fields as text. `None` is "not given": the organisation's
/// setting (or the built-in default) applies; `Some("")` is "given as
/// nothing", which overrides a setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingInput {
    pub company: Option<String>,
    pub company_url: Option<String>,
    pub about: Option<String>,
    pub working_model: Option<String>,
    pub benefits: Option<Vec<String>>,
    pub equal_opportunity: Option<String>,
    pub how_to_apply: Option<String>,
    pub locations: Vec<String>,
    pub remote: Vec<String>,
    /// An [`EmploymentType::id`]; full-time when not given.
    pub employment_type: Option<String>,
    /// `MIN-MAX` or one figure.
    pub salary: Option<String>,
    pub currency: Option<String>,
    /// A [`SalaryPeriod::id`]; a year when not given.
    pub salary_per: Option<String>,
    /// [`Section::id`]s; every section when not given.
    pub sections: Option<Vec<String>>,
    /// `YYYY-MM-DD`; today when not given.
    pub date_posted: Option<String>,
    /// `YYYY-MM-DD`; 60 days after the posting date when not given.
    pub valid_through: Option<String>,
}

impl PostingInput {
    /// The input with what it does not give taken from the organisation's
    /// settings: the company's name and website, and the posting text.
    /// This is what a form shows before anyone types.
    pub fn with_defaults(&self, organisation: &Organisation) -> PostingInput {
        let posting = &organisation.posting;
        let or = |given: &Option<String>, default: Option<&str>| {
            given.clone().or_else(|| default.map(str::to_string))
        };
        PostingInput {
            company: or(&self.company, organisation.name.as_deref()),
            company_url: or(
                &self.company_url,
                organisation.website.as_ref().map(|w| w.as_str()),
            ),
            about: or(&self.about, posting.about.as_deref()),
            working_model: or(&self.working_model, posting.working_model.as_deref()),
            benefits: self
                .benefits
                .clone()
                .or_else(|| Some(posting.benefits.clone()).filter(|b| !b.is_empty())),
            equal_opportunity: or(
                &self.equal_opportunity,
                posting.equal_opportunity.as_deref(),
            ),
            how_to_apply: or(&self.how_to_apply, posting.how_to_apply.as_deref()),
            ..self.clone()
        }
    }

    /// The options this input gives, with the organisation's settings for
    /// what it leaves out and `today` as the default posting date; or every
    /// problem, each with its field.
    pub fn resolve(
        &self,
        organisation: &Organisation,
        today: Date,
    ) -> Result<PostingOptions, PostingInputError> {
        let input = self.with_defaults(organisation);
        let mut errors = Vec::new();
        let mut fail = |field: PostingField, message: String| {
            errors.push(FieldError { field, message });
        };

        let line = |field: PostingField,
                    value: &Option<String>,
                    fail: &mut dyn FnMut(PostingField, String)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match checked(value, MAX_LINE_CHARS) {
                Ok(()) => Some(value.to_string()),
                Err(message) => {
                    fail(field, message);
                    None
                }
            }
        };
        let block = |field: PostingField,
                     value: &Option<String>,
                     fail: &mut dyn FnMut(PostingField, String)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match checked(value, MAX_TEXT_CHARS) {
                Ok(()) => Some(value.to_string()),
                Err(message) => {
                    fail(field, message);
                    None
                }
            }
        };
        let entries = |field: PostingField,
                       values: &[String],
                       fail: &mut dyn FnMut(PostingField, String)|
         -> Vec<String> {
            let values: Vec<String> = values
                .iter()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            if values.len() > MAX_ENTRIES {
                fail(
                    field,
                    format!(
                        "{} entries are too many; give at most {MAX_ENTRIES}",
                        values.len()
                    ),
                );
                return Vec::new();
            }
            for value in &values {
                if let Err(message) = checked(value, MAX_LINE_CHARS) {
                    fail(field, message);
                    return Vec::new();
                }
            }
            values
        };

        let company = line(PostingField::Company, &input.company, &mut fail);
        let company_url = line(PostingField::CompanyUrl, &input.company_url, &mut fail);
        if let Some(url) = &company_url
            && !is_https_address(url)
        {
            fail(
                PostingField::CompanyUrl,
                format!("company URL `{url}`: give a full address starting with https://"),
            );
        }
        let about = block(PostingField::About, &input.about, &mut fail);
        let working_model = block(PostingField::WorkingModel, &input.working_model, &mut fail);
        let benefits = entries(
            PostingField::Benefits,
            input.benefits.as_deref().unwrap_or_default(),
            &mut fail,
        );
        let equal_opportunity = block(
            PostingField::EqualOpportunity,
            &input.equal_opportunity,
            &mut fail,
        );
        let how_to_apply = block(PostingField::HowToApply, &input.how_to_apply, &mut fail);

        let mut locations = Vec::new();
        for text in entries(PostingField::Locations, &input.locations, &mut fail) {
            match Location::parse(&text) {
                Ok(location) => locations.push(location),
                Err(error) => fail(PostingField::Locations, error.to_string()),
            }
        }
        let remote = entries(PostingField::Remote, &input.remote, &mut fail);

        let employment_type = match input.employment_type.as_deref().map(str::trim) {
            None | Some("") => EmploymentType::FullTime,
            Some(id) => EmploymentType::from_id(id).unwrap_or_else(|| {
                let ids: Vec<&str> = EmploymentType::ALL.iter().map(|t| t.id()).collect();
                fail(
                    PostingField::EmploymentType,
                    format!("employment type `{id}` is not one of {}", ids.join(", ")),
                );
                EmploymentType::FullTime
            }),
        };
        let period = match input.salary_per.as_deref().map(str::trim) {
            None | Some("") => SalaryPeriod::Year,
            Some(id) => SalaryPeriod::from_id(id).unwrap_or_else(|| {
                let ids: Vec<&str> = SalaryPeriod::ALL.iter().map(|p| p.id()).collect();
                fail(
                    PostingField::SalaryPer,
                    format!("salary period `{id}` is not one of {}", ids.join(", ")),
                );
                SalaryPeriod::Year
            }),
        };
        let range = line(PostingField::Salary, &input.salary, &mut fail);
        let currency = line(PostingField::Currency, &input.currency, &mut fail);
        let salary = match (range, currency) {
            (None, None) => None,
            (Some(_), None) => {
                fail(
                    PostingField::Currency,
                    "a salary needs its currency: a three-letter ISO 4217 code such as EUR, USD or GBP".to_string(),
                );
                None
            }
            (None, Some(_)) => {
                fail(
                    PostingField::Salary,
                    "a currency needs a salary: write MIN-MAX, e.g. 150000-190000 or 150k-190k"
                        .to_string(),
                );
                None
            }
            (Some(range), Some(currency)) => match Salary::parse(&range, &currency, period) {
                Ok(salary) => Some(salary),
                Err(error) => {
                    let message = error.to_string();
                    let field = if message.starts_with("salary currency") {
                        PostingField::Currency
                    } else {
                        PostingField::Salary
                    };
                    fail(field, message);
                    None
                }
            },
        };

        let sections = match &input.sections {
            None => Section::ALL.to_vec(),
            Some(ids) => {
                let mut sections = Vec::new();
                for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
                    match Section::from_id(id) {
                        Some(section) => sections.push(section),
                        None => {
                            let known: Vec<&str> = Section::ALL.iter().map(|s| s.id()).collect();
                            fail(
                                PostingField::Sections,
                                format!(
                                    "there is no section `{}`; the sections are {}",
                                    text::printable(id),
                                    known.join(", ")
                                ),
                            );
                        }
                    }
                }
                sections.sort();
                sections.dedup();
                sections
            }
        };

        let date = |field: PostingField,
                    value: &Option<String>,
                    fail: &mut dyn FnMut(PostingField, String)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            if value.chars().count() > 20 {
                fail(
                    field,
                    "a date is written YYYY-MM-DD, e.g. 2026-11-01".to_string(),
                );
                return None;
            }
            match Date::parse(value) {
                Ok(date) => Some(date),
                Err(error) => {
                    fail(field, error.to_string());
                    None
                }
            }
        };
        let date_posted =
            date(PostingField::DatePosted, &input.date_posted, &mut fail).unwrap_or(today);
        let valid_through = date(PostingField::ValidThrough, &input.valid_through, &mut fail)
            .unwrap_or_else(|| date_posted.add_days(DEFAULT_VALID_DAYS));
        if valid_through < date_posted {
            fail(
                PostingField::ValidThrough,
                format!(
                    "the posting closes ({valid_through}) before it is posted ({date_posted}); give a later closing date"
                ),
            );
        }

        if !errors.is_empty() {
            return Err(PostingInputError { errors });
        }
        Ok(PostingOptions {
            company,
            company_url,
            about,
            working_model,
            benefits,
            equal_opportunity,
            how_to_apply,
            sections,
            locations,
            remote,
            employment_type,
            salary,
            date_posted,
            valid_through,
        })
    }
}

/// The text rule of catalog text (no control characters) and a length
/// bound, as a message.
fn checked(value: &str, max: usize) -> Result<(), String> {
    if let Some(problem) = text::check(value) {
        return Err(problem.message());
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(format!(
            "{chars} characters are too many here; give at most {max}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-01").expect("date")
    }

    fn organisation() -> Organisation {
        Organisation {
            name: Some("Acme".to_string()),
            posting: rolebook_core::model::PostingDefaults {
                about: Some("We make anvils.".to_string()),
                benefits: vec!["Thirty days of leave".to_string()],
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn the_organisation_fills_what_is_not_given() {
        let options = PostingInput::default()
            .resolve(&organisation(), today())
            .expect("valid");
        assert_eq!(options.company.as_deref(), Some("Acme"));
        assert_eq!(options.about.as_deref(), Some("We make anvils."));
        assert_eq!(options.benefits, ["Thirty days of leave"]);
        assert_eq!(options.sections, Section::ALL);
        assert_eq!(options.valid_through.to_string(), "2026-12-31");
        // Given as nothing overrides the setting.
        let input = PostingInput {
            about: Some(String::new()),
            benefits: Some(Vec::new()),
            company: Some("Other".to_string()),
            ..PostingInput::default()
        };
        let options = input.resolve(&organisation(), today()).expect("valid");
        assert_eq!(options.about, None);
        assert!(options.benefits.is_empty());
        assert_eq!(options.company.as_deref(), Some("Other"));
    }

    #[test]
    fn every_bad_field_is_reported_with_its_field() {
        let input = PostingInput {
            salary: Some("abc".to_string()),
            currency: Some("EUR".to_string()),
            company_url: Some("http://acme.example".to_string()),
            about: Some("x".repeat(MAX_TEXT_CHARS + 1)),
            date_posted: Some("2026-11-10".to_string()),
            valid_through: Some("2026-11-01".to_string()),
            sections: Some(vec!["about".to_string(), "perks".to_string()]),
            employment_type: Some("gig".to_string()),
            ..PostingInput::default()
        };
        let error = input
            .resolve(&Organisation::default(), today())
            .expect_err("bad input");
        for field in [
            PostingField::Salary,
            PostingField::CompanyUrl,
            PostingField::About,
            PostingField::ValidThrough,
            PostingField::Sections,
            PostingField::EmploymentType,
        ] {
            assert!(error.about(field).is_some(), "{field:?}: {error}");
        }
        assert!(
            error
                .about(PostingField::Salary)
                .is_some_and(|m| m.contains("MIN-MAX"))
        );
        assert!(error.about(PostingField::Currency).is_none());
    }
}
