//! Job postings from a blueprint: about the role, what you will do, what
//! you bring, how success is measured; as a [`Document`] (for Markdown,
//! HTML, DOCX and PDF) and as schema.org `JobPosting` JSON-LD with every
//! property Google's job search requires.
//!
//! The posting's options (company, locations, salary, dates) are checked
//! here, with messages that say what to write instead. The company's own
//! text (about us, working model, benefits, equal-opportunity statement,
//! how to apply) comes with the options; [`input`] reads all of them as
//! people type them (the CLI's flags, the web builder's form), with the
//! organisation's settings as defaults, so both give the same posting.

mod input;

use std::fmt;
use std::ops::Range;

use rolebook_core::Catalog;
use rolebook_core::diagnostic::Diagnostic;
use rolebook_core::lint::inclusive_language_text;
use rolebook_core::model::{Importance, Role};
use rolebook_core::source::{SourceFile, Sources};
use serde_json::{Map, Value, json};

use crate::ExportError;
use crate::document::{Block, Builder, Document, kpi_rows, level_label, reports_to};
use crate::html::body_html;
use crate::jsonld::{self, CONTEXT};

pub use input::{FieldError, PostingField, PostingInput, PostingInputError};

/// How long a posting stays open when no closing date is given.
pub const DEFAULT_VALID_DAYS: i64 = 60;

// ---------------------------------------------------------------- dates

/// A calendar date (proleptic Gregorian), enough for posting dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, ExportError> {
        let invalid = || {
            ExportError::Invalid(format!(
                "`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01"
            ))
        };
        let mut parts = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(invalid());
        }
        let date = Date {
            year: y.parse().map_err(|_| invalid())?,
            month: m.parse().map_err(|_| invalid())?,
            day: d.parse().map_err(|_| invalid())?,
        };
        if date.month == 0 || date.month > 12 || date.day == 0 || date.day > date.days_in_month() {
            return Err(invalid());
        }
        Ok(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days since 1970-01-01 (`days_from_civil`).
    pub fn unix_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The UTC date of `time` (a posting's default date is today's).
    pub fn of_system_time(time: std::time::SystemTime) -> Date {
        let seconds = time
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_unix_days(self.unix_days() + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// ------------------------------------------------------------- options

/// schema.org / Google `employmentType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contractor,
    Temporary,
    Intern,
    Volunteer,
    PerDiem,
    Other,
}

impl EmploymentType {
    /// Every type, the usual first.
    pub const ALL: [EmploymentType; 8] = [
        EmploymentType::FullTime,
        EmploymentType::PartTime,
        EmploymentType::Contractor,
        EmploymentType::Temporary,
        EmploymentType::Intern,
        EmploymentType::Volunteer,
        EmploymentType::PerDiem,
        EmploymentType::Other,
    ];

    /// The name a form or a flag gives: `full-time`, `per-diem`.
    pub fn id(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "full-time",
            EmploymentType::PartTime => "part-time",
            EmploymentType::Contractor => "contractor",
            EmploymentType::Temporary => "temporary",
            EmploymentType::Intern => "intern",
            EmploymentType::Volunteer => "volunteer",
            EmploymentType::PerDiem => "per-diem",
            EmploymentType::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<EmploymentType> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn schema_value(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "FULL_TIME",
            EmploymentType::PartTime => "PART_TIME",
            EmploymentType::Contractor => "CONTRACTOR",
            EmploymentType::Temporary => "TEMPORARY",
            EmploymentType::Intern => "INTERN",
            EmploymentType::Volunteer => "VOLUNTEER",
            EmploymentType::PerDiem => "PER_DIEM",
            EmploymentType::Other => "OTHER",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "Full-time",
            EmploymentType::PartTime => "Part-time",
            EmploymentType::Contractor => "Contract",
            EmploymentType::Temporary => "Temporary",
            EmploymentType::Intern => "Internship",
            EmploymentType::Volunteer => "Volunteer",
            EmploymentType::PerDiem => "Per diem",
            EmploymentType::Other => "Other",
        }
    }
}

/// A workplace: "City, Country" or "City, Region, Country".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub locality: String,
    pub region: Option<String>,
    pub country: String,
}

impl Location {
    pub fn parse(text: &str) -> Result<Location, ExportError> {
        let parts: Vec<&str> = text
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [locality, country] => Ok(Location {
                locality: (*locality).to_string(),
                region: None,
                country: (*country).to_string(),
            }),
            [locality, region, country] => Ok(Location {
                locality: (*locality).to_string(),
                region: Some((*region).to_string()),
                country: (*country).to_string(),
            }),
            _ => Err(ExportError::Invalid(format!(
                "location `{text}`: write \"City, Country\" or \"City, Region, Country\", e.g. \"Berlin, DE\" or \"Austin, TX, US\"; for remote work use --remote COUNTRY"
            ))),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.region {
            Some(region) => write!(f, "{}, {region}, {}", self.locality, self.country),
            None => write!(f, "{}, {}", self.locality, self.country),
        }
    }
}

/// The period a salary figure is paid for (schema.org `unitText`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalaryPeriod {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl SalaryPeriod {
    /// Every period, the usual first.
    pub const ALL: [SalaryPeriod; 5] = [
        SalaryPeriod::Year,
        SalaryPeriod::Month,
        SalaryPeriod::Week,
        SalaryPeriod::Day,
        SalaryPeriod::Hour,
    ];

    /// The name a form or a flag gives: `year`, `hour`.
    pub fn id(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "hour",
            SalaryPeriod::Day => "day",
            SalaryPeriod::Week => "week",
            SalaryPeriod::Month => "month",
            SalaryPeriod::Year => "year",
        }
    }

    pub fn from_id(id: &str) -> Option<SalaryPeriod> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    fn unit_text(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "HOUR",
            SalaryPeriod::Day => "DAY",
            SalaryPeriod::Week => "WEEK",
            SalaryPeriod::Month => "MONTH",
            SalaryPeriod::Year => "YEAR",
        }
    }

    /// "per year".
    pub fn per(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "per hour",
            SalaryPeriod::Day => "per day",
            SalaryPeriod::Week => "per week",
            SalaryPeriod::Month => "per month",
            SalaryPeriod::Year => "per year",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salary {
    pub min: u64,
    pub max: u64,
    /// ISO 4217 code, upper case.
    pub currency: String,
    pub period: SalaryPeriod,
}

impl Salary {
    /// Parses `MIN-MAX` (or one figure) and a currency code: `150000-190000`,
    /// `150,000-190,000`, `150k-190k`, with `EUR`.
    pub fn parse(range: &str, currency: &str, period: SalaryPeriod) -> Result<Salary, ExportError> {
        let amount = |text: &str| -> Result<u64, ExportError> {
            let cleaned: String = text
                .trim()
                .chars()
                .filter(|c| !matches!(c, ',' | '_' | ' '))
                .collect();
            let (digits, factor) = match cleaned.strip_suffix(['k', 'K']) {
                Some(digits) => (digits, 1000),
                None => (cleaned.as_str(), 1),
            };
            digits
                .parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(factor))
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    ExportError::Invalid(format!(
                        "salary `{range}`: `{}` is not a positive whole amount; write MIN-MAX, e.g. 150000-190000 or 150k-190k",
                        text.trim()
                    ))
                })
        };
        let (min, max) = match range.split_once('-') {
            Some((min, max)) => (amount(min)?, amount(max)?),
            None => {
                let value = amount(range)?;
                (value, value)
            }
        };
        if min > max {
            return Err(ExportError::Invalid(format!(
                "salary `{range}`: the minimum is above the maximum; write MIN-MAX"
            )));
        }
        let code = currency.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ExportError::Invalid(format!(
                "salary currency `{currency}`: give a three-letter ISO 4217 code such as EUR, USD or GBP"
            )));
        }
        Ok(Salary {
            min,
            max,
            currency: code,
            period,
        })
    }

    /// "EUR 90,000 to 110,000 per year".
    pub fn display(&self) -> String {
        let group = rolebook_core::text::thousands;
        if self.min == self.max {
            format!(
                "{} {} {}",
                self.currency,
                group(self.min),
                self.period.per()
            )
        } else {
            format!(
                "{} {} to {} {}",
                self.currency,
                group(self.min),
                group(self.max),
                self.period.per()
            )
        }
    }
}

/// A part of a posting that a posting may leave out. Every part is in by
/// default; a part with nothing to say (no benefits given) is left out
/// all the same. The terms (company, place, salary, dates) are always in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// About the company (its about-us text).
    About,
    /// The role's summary and reporting line.
    Summary,
    Responsibilities,
    /// Experience, skills, certifications, education.
    Requirements,
    /// KPIs and targets, the first 90 days and 12 months.
    Outcomes,
    Benefits,
    EqualOpportunity,
    HowToApply,
}

impl Section {
    /// Every section, in the order a posting shows them.
    pub const ALL: [Section; 8] = [
        Section::About,
        Section::Summary,
        Section::Responsibilities,
        Section::Requirements,
        Section::Outcomes,
        Section::Benefits,
        Section::EqualOpportunity,
        Section::HowToApply,
    ];

    /// The name a form or `--sections` gives.
    pub fn id(self) -> &'static str {
        match self {
            Section::About => "about",
            Section::Summary => "summary",
            Section::Responsibilities => "responsibilities",
            Section::Requirements => "requirements",
            Section::Outcomes => "outcomes",
            Section::Benefits => "benefits",
            Section::EqualOpportunity => "equal-opportunity",
            Section::HowToApply => "how-to-apply",
        }
    }

    /// What a form's checkbox says.
    pub fn label(self) -> &'static str {
        match self {
            Section::About => "About the company",
            Section::Summary => "About the role",
            Section::Responsibilities => "Responsibilities",
            Section::Requirements => "Requirements and skills",
            Section::Outcomes => "KPIs and first-year outcomes",
            Section::Benefits => "Benefits",
            Section::EqualOpportunity => "Equal opportunity",
            Section::HowToApply => "How to apply",
        }
    }

    pub fn from_id(id: &str) -> Option<Section> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// Everything a posting says that the blueprint does not.
#[derive(Debug, Clone)]
pub struct PostingOptions {
    pub company: Option<String>,
    /// The company's website, for `hiringOrganization.sameAs`.
    pub company_url: Option<String>,
    /// About the company; a blank line starts a new paragraph.
    pub about: Option<String>,
    /// Where and how people work (on-site, hybrid, remote), in words.
    pub working_model: Option<String>,
    pub benefits: Vec<String>,
    pub equal_opportunity: Option<String>,
    pub how_to_apply: Option<String>,
    /// The sections shown, in any order (a posting shows them in
    /// [`Section::ALL`]'s).
    pub sections: Vec<Section>,
    /// Workplaces (on-site or hybrid).
    pub locations: Vec<Location>,
    /// Countries (or regions) a remote applicant may work from.
    pub remote: Vec<String>,
    pub employment_type: EmploymentType,
    pub salary: Option<Salary>,
    pub date_posted: Date,
    pub valid_through: Date,
}

impl PostingOptions {
    /// A posting with nothing but its dates: every section, no company
    /// text, full-time.
    pub fn new(date_posted: Date, valid_through: Date) -> PostingOptions {
        PostingOptions {
            company: None,
            company_url: None,
            about: None,
            working_model: None,
            benefits: Vec::new(),
            equal_opportunity: None,
            how_to_apply: None,
            sections: Section::ALL.to_vec(),
            locations: Vec::new(),
            remote: Vec::new(),
            employment_type: EmploymentType::FullTime,
            salary: None,
            date_posted,
            valid_through,
        }
    }

    /// Whether the posting shows `section`.
    pub fn shows(&self, section: Section) -> bool {
        self.sections.contains(&section)
    }

    /// Checks the options that hold for every format.
    pub fn check(&self) -> Result<(), ExportError> {
        if self.valid_through < self.date_posted {
            return Err(ExportError::Invalid(format!(
                "the posting closes ({}) before it is posted ({}); give a later --valid-through",
                self.valid_through, self.date_posted
            )));
        }
        if let Some(url) = &self.company_url
            && !is_https_address(url)
        {
            return Err(ExportError::Invalid(format!(
                "company URL `{url}`: give a full address starting with https://"
            )));
        }
        Ok(())
    }

    /// Why the posting cannot be JobPosting JSON-LD, if it cannot.
    pub fn structured_data_problem(&self) -> Option<String> {
        self.check_for_structured_data()
            .err()
            .map(|error| error.to_string())
    }

    /// What Google requires before it shows a posting: a hiring
    /// organisation and a place (or remote applicant locations).
    fn check_for_structured_data(&self) -> Result<&str, ExportError> {
        let company = self.company.as_deref().ok_or_else(|| {
            ExportError::Invalid(
                "JobPosting JSON-LD needs the hiring organisation: give the company name (--company NAME)".to_string(),
            )
        })?;
        if self.locations.is_empty() && self.remote.is_empty() {
            return Err(ExportError::Invalid(
                "JobPosting JSON-LD needs a place of work: give a location \"City, Country\" (--location), or the countries of a remote job (--remote COUNTRY)".to_string(),
            ));
        }
        Ok(company)
    }

    pub fn where_line(&self) -> String {
        let mut places: Vec<String> = self.locations.iter().map(ToString::to_string).collect();
        if !self.remote.is_empty() {
            places.push(format!("Remote ({})", self.remote.join(", ")));
        }
        places.join("; ")
    }
}

/// `https://` and something after it, with no space.
pub fn is_https_address(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.chars().any(char::is_whitespace))
}

/// Paragraphs of a text: a blank line starts a new one.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

// ------------------------------------------------------------ document

/// The posting as a document: about the company and the role, what you
/// will do, what you bring, how success is measured, benefits, the terms,
/// the equal-opportunity statement and how to apply; the sections the
/// options leave out are not there. It opens with the company's about-us
/// (when given) and the role's summary, never with the catalog's notes on
/// where the role is used.
pub fn posting_document(catalog: &Catalog, role: &Role, options: &PostingOptions) -> Document {
    let subtitle = [
        options.company.clone().unwrap_or_default(),
        options.where_line(),
        options.employment_type.label().to_string(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let mut doc = Builder::new(role.title.as_str(), Some(subtitle));
    let text_section = |doc: &mut Builder, heading: &str, text: &Option<String>| {
        let paras = text.as_deref().map(paragraphs).unwrap_or_default();
        if !paras.is_empty() {
            doc.heading(2, heading);
            for para in &paras {
                doc.para(para);
            }
        }
    };

    if options.shows(Section::About) {
        let heading = match &options.company {
            Some(company) => format!("About {company}"),
            None => "About us".to_string(),
        };
        text_section(&mut doc, &heading, &options.about);
    }

    if options.shows(Section::Summary) {
        doc.heading(2, "About the role");
        doc.para(&role.summary);
        doc.fields(vec![
            ("Reports to", reports_to(catalog, role)),
            ("Team", role.scope.direct_reports.clone()),
            ("Scope", role.scope.span.clone()),
        ]);
    }

    if options.shows(Section::Responsibilities) {
        doc.heading(2, "What you will do");
        for area in &role.responsibilities {
            doc.titled_list(3, &area.area, &area.items);
        }
    }

    if options.shows(Section::Requirements) {
        doc.heading(2, "What you bring");
        let skills = |importance: Importance| -> Vec<String> {
            role.skills
                .iter()
                .filter(|req| req.importance == importance)
                .filter_map(|req| {
                    let skill = catalog.skill(&req.skill)?;
                    let level = level_label(catalog, *req.level);
                    Some(match skill.level_descriptor(*req.level) {
                        Some(text) => format!("{} (level {level}): {text}", skill.name),
                        None => format!("{} (level {level})", skill.name),
                    })
                })
                .collect()
        };
        doc.list(&role.qualifications.experience);
        doc.titled_list(3, "Core skills", &skills(Importance::Core));
        doc.titled_list(3, "Also valuable", &skills(Importance::Supporting));
        doc.titled_list(
            3,
            "Certifications that help",
            &role.qualifications.certifications,
        );
        doc.titled_list(3, "Education", &role.qualifications.education);
    }

    if options.shows(Section::Outcomes) {
        doc.heading(2, "How success is measured");
        doc.para("You will own these measures, with these targets:");
        doc.table(
            &["KPI", "Target", "Unit", "Direction", "Cadence"],
            &[6, 8, 3, 3, 3],
            kpi_rows(catalog, role),
        );
        doc.titled_list(3, "In your first 90 days", &role.success.days_90);
        doc.titled_list(3, "In your first 12 months", &role.success.months_12);
    }

    if options.shows(Section::Benefits) {
        doc.titled_list(2, "What we offer", &options.benefits);
    }

    doc.heading(2, "The details");
    doc.fields(vec![
        ("Company", options.company.clone().unwrap_or_default()),
        ("Where", options.where_line()),
        (
            "Working model",
            options
                .working_model
                .as_deref()
                .map(|text| paragraphs(text).join(" "))
                .unwrap_or_default(),
        ),
        (
            "Employment type",
            options.employment_type.label().to_string(),
        ),
        (
            "Salary",
            options
                .salary
                .as_ref()
                .map_or_else(String::new, Salary::display),
        ),
        ("Posted", options.date_posted.to_string()),
        ("Apply by", options.valid_through.to_string()),
    ]);

    if options.shows(Section::EqualOpportunity) {
        text_section(&mut doc, "Equal opportunity", &options.equal_opportunity);
    }
    if options.shows(Section::HowToApply) {
        text_section(&mut doc, "How to apply", &options.how_to_apply);
    }
    doc.finish_for(catalog)
}

/// The posting as schema.org `JobPosting` JSON-LD: the properties Google
/// requires (title, description, datePosted, hiringOrganization, and
/// jobLocation or, for remote jobs, applicantLocationRequirements with
/// jobLocationType TELECOMMUTE) and the recommended ones it can fill
/// (validThrough, employmentType, baseSalary, identifier).
pub fn posting_jsonld(
    catalog: &Catalog,
    role: &Role,
    options: &PostingOptions,
) -> Result<Value, ExportError> {
    options.check()?;
    let company = options.check_for_structured_data()?;
    let doc = posting_document(catalog, role, options);
    let mut map = Map::new();
    map.insert("@context".into(), json!(CONTEXT));
    map.insert("@type".into(), json!("JobPosting"));
    map.insert("title".into(), json!(role.title.as_str()));
    map.insert("description".into(), json!(body_html(&doc)));
    map.insert("datePosted".into(), json!(options.date_posted.to_string()));
    map.insert(
        "validThrough".into(),
        json!(options.valid_through.to_string()),
    );
    map.insert(
        "employmentType".into(),
        json!(options.employment_type.schema_value()),
    );
    let mut organisation = json!({"@type": "Organization", "name": company});
    if let Some(url) = &options.company_url {
        organisation["sameAs"] = json!(url);
    }
    map.insert("hiringOrganization".into(), organisation);
    if !options.benefits.is_empty() {
        map.insert("jobBenefits".into(), json!(options.benefits.join("; ")));
    }
    map.insert(
        "identifier".into(),
        json!({"@type": "PropertyValue", "name": company, "value": role.id.as_str()}),
    );
    let places: Vec<Value> = options
        .locations
        .iter()
        .map(|location| {
            let mut address = json!({
                "@type": "PostalAddress",
                "addressLocality": location.locality,
                "addressCountry": location.country,
            });
            if let Some(region) = &location.region {
                address["addressRegion"] = json!(region);
            }
            json!({"@type": "Place", "address": address})
        })
        .collect();
    match places.len() {
        0 => {}
        1 => {
            map.insert(
                "jobLocation".into(),
                places.into_iter().next().unwrap_or_default(),
            );
        }
        _ => {
            map.insert("jobLocation".into(), Value::Array(places));
        }
    }
    if !options.remote.is_empty() {
        map.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        let countries: Vec<Value> = options
            .remote
            .iter()
            .map(|name| json!({"@type": "Country", "name": name}))
            .collect();
        map.insert(
            "applicantLocationRequirements".into(),
            if countries.len() == 1 {
                countries.into_iter().next().unwrap_or_default()
            } else {
                Value::Array(countries)
            },
        );
    }
    if let Some(salary) = &options.salary {
        let value = if salary.min == salary.max {
            json!({"@type": "QuantitativeValue", "value": salary.min, "unitText": salary.period.unit_text()})
        } else {
            json!({
                "@type": "QuantitativeValue",
                "minValue": salary.min,
                "maxValue": salary.max,
                "unitText": salary.period.unit_text(),
            })
        };
        map.insert(
            "baseSalary".into(),
            json!({"@type": "MonetaryAmount", "currency": salary.currency, "value": value}),
        );
    }
    jsonld::put_occupation_details(&mut map, catalog, role);
    Ok(Value::Object(map))
}

/// The inclusive-language report on a posting: the text that was checked
/// (as a one-file [`Sources`], for located diagnostics) and the findings,
/// after the role's own `[[lint.allow]]` suppressions.
#[derive(Debug)]
pub struct PostingLint {
    pub sources: Sources,
    pub findings: Vec<Diagnostic>,
}

/// Lints the posting's Markdown text, which is what every format shows;
/// `name` is what the report calls that text.
pub fn lint_posting(role: &Role, document: &Document, name: &str) -> PostingLint {
    let text = crate::document::to_markdown(document);
    let findings = inclusive_language_text(0, &text, Some(role));
    let mut sources = Sources::new([SourceFile::new(name, text)]);
    // Locations read as `name` itself, not as a file of the built-in catalog.
    sources.root = Some(std::path::PathBuf::new());
    PostingLint { sources, findings }
}

/// One inclusive-language finding on a posting, placed in the text it
/// concerns: the block of the [`Document`], the piece of that block (a
/// list item, a field's value, a table cell counted row by row; 0 for a
/// heading or a paragraph) and the byte range of the words in that piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedFinding {
    pub block: usize,
    pub piece: usize,
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// The pieces of text of a block, in order, as [`PlacedFinding::piece`]
/// counts them.
pub fn block_pieces(block: &Block) -> Vec<&str> {
    match block {
        Block::Heading { text, .. } | Block::Paragraph(text) => vec![text.as_str()],
        Block::Fields(fields) => fields.iter().map(|(_, value)| value.as_str()).collect(),
        Block::List(items) => items.iter().map(String::as_str).collect(),
        Block::Table(table) => table.rows.iter().flatten().map(String::as_str).collect(),
    }
}

/// The inclusive-language check of [`lint_posting`], piece by piece, so
/// that a page can show each finding beside the text it concerns. The same
/// rules and the role's suppressions apply; only a phrase split across two
/// pieces (which no format shows as one sentence) is not found.
pub fn placed_findings(role: &Role, document: &Document) -> Vec<PlacedFinding> {
    let mut out = Vec::new();
    for (block_index, block) in document.blocks.iter().enumerate() {
        for (piece, text) in block_pieces(block).into_iter().enumerate() {
            for finding in inclusive_language_text(0, text, Some(role)) {
                out.push(PlacedFinding {
                    block: block_index,
                    piece,
                    span: finding.span,
                    message: finding.message,
                    hint: finding.hint,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-01", "2099-12-31"] {
            let date = Date::parse(text).expect("valid date");
            assert_eq!(date.to_string(), text);
            assert_eq!(Date::from_unix_days(date.unix_days()), date);
        }
        assert_eq!(
            Date::parse("2026-11-01").ok().map(|d| d.unix_days()),
            Some(20_758)
        );
        assert_eq!(
            Date::parse("2026-12-20")
                .ok()
                .map(|d| d.add_days(60).to_string()),
            Some("2027-02-18".to_string())
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-11-01",
            "tomorrow",
            "2026-1-1",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn salaries_parse_in_common_spellings() {
        let year = SalaryPeriod::Year;
        let parsed = Salary::parse("150k-190k", "eur", year).expect("valid");
        assert_eq!(
            (parsed.min, parsed.max, parsed.currency.as_str()),
            (150_000, 190_000, "EUR")
        );
        assert_eq!(
            Salary::parse("150,000 - 190,000", "USD", year)
                .ok()
                .map(|s| s.display()),
            Some("USD 150,000 to 190,000 per year".to_string())
        );
        assert!(Salary::parse("190000-150000", "EUR", year).is_err());
        assert!(Salary::parse("lots", "EUR", year).is_err());
        assert!(Salary::parse("1-2", "EURO", year).is_err());
        assert!(Salary::parse("0", "EUR", year).is_err());
    }

    #[test]
    fn locations_need_a_country() {
        assert_eq!(
            Location::parse("Austin, TX, US")
                .ok()
                .map(|l| l.to_string()),
            Some("Austin, TX, US".to_string())
        );
        assert!(Location::parse("Berlin").is_err());
        assert!(Location::parse("a, b, c, d").is_err());
    }
}
