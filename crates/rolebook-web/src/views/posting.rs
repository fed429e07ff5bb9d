//! The job-posting builder (`/roles/{id}/posting`): a form of the
//! posting's options, prefilled from the organisation's settings, and
//! beside it a preview of the posting rendered from `rolebook-export`'s
//! [`posting_document`], with each inclusive-language finding marked in
//! the text it concerns and its note beside that paragraph. The downloads
//! carry the same query, so they are the posting the preview shows.
//!
//! Everything comes from the query string: [`read_input`] reads it into a
//! [`PostingInput`], the type the CLI's flags fill, and the export crate
//! resolves it with the organisation's defaults. Nothing is stored.

use askama::Template;
use rolebook_core::model::Role;
use rolebook_export::RoleFormat;
use rolebook_export::document::{Block, Document};
use rolebook_export::jd::{
    Date, EmploymentType, PlacedFinding, PostingField, PostingInput, PostingInputError,
    SalaryPeriod, Section, block_pieces,
};
use rolebook_export::{PostingOptions, placed_findings, posting_document};

use super::Layout;
use super::downloads::{DownloadLink, format_label, formats};
use crate::state::Snapshot;

/// The hidden field that says the form was sent: then a section left
/// unticked is left out, rather than all sections being the default.
pub const SENT: &str = "form";

/// The formats a posting downloads as, documents first.
pub fn posting_formats() -> impl Iterator<Item = RoleFormat> {
    formats().filter(|f| *f != RoleFormat::Json)
}

/// `/downloads/postings/sre-manager.docx`.
pub fn posting_path(id: &str, format: RoleFormat) -> String {
    format!("/downloads/postings/{id}.{}", format.extension())
}

/// The builder's fields out of a query string. No query is "nothing
/// given": the organisation's settings fill the form. A sent form gives
/// every field, empty ones as "nothing" (a cleared about-us stays
/// cleared).
pub fn read_input(raw: Option<&str>) -> PostingInput {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let value = |field: PostingField| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == field.name())
            .map(|(_, v)| v.clone())
    };
    let lines = |field: PostingField, separators: &[char]| {
        value(field).map(|text| {
            text.split(separators)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
    };
    let sent = pairs.iter().any(|(k, _)| k == SENT);
    let sections: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "section")
        .map(|(_, v)| v.clone())
        .collect();
    PostingInput {
        company: value(PostingField::Company),
        company_url: value(PostingField::CompanyUrl),
        about: value(PostingField::About),
        working_model: value(PostingField::WorkingModel),
        benefits: lines(PostingField::Benefits, &['\n']),
        equal_opportunity: value(PostingField::EqualOpportunity),
        how_to_apply: value(PostingField::HowToApply),
        locations: lines(PostingField::Locations, &['\n', ';']).unwrap_or_default(),
        remote: lines(PostingField::Remote, &['\n', ',']).unwrap_or_default(),
        employment_type: value(PostingField::EmploymentType),
        salary: value(PostingField::Salary),
        currency: value(PostingField::Currency),
        salary_per: value(PostingField::SalaryPer),
        sections: (sent || !sections.is_empty()).then_some(sections),
        date_posted: value(PostingField::DatePosted),
        valid_through: value(PostingField::ValidThrough),
    }
}

/// The query that gives `input` back through [`read_input`]: what the
/// download links and the preview carry.
pub fn query_of(input: &PostingInput) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair(SENT, "posting");
    let mut pair = |field: PostingField, value: &Option<String>| {
        if let Some(value) = value {
            query.append_pair(field.name(), value);
        }
    };
    pair(PostingField::Company, &input.company);
    pair(PostingField::CompanyUrl, &input.company_url);
    pair(PostingField::About, &input.about);
    pair(PostingField::WorkingModel, &input.working_model);
    pair(
        PostingField::Benefits,
        &input.benefits.as_ref().map(|b| b.join("\n")),
    );
    pair(PostingField::EqualOpportunity, &input.equal_opportunity);
    pair(PostingField::HowToApply, &input.how_to_apply);
    if !input.locations.is_empty() {
        pair(PostingField::Locations, &Some(input.locations.join("\n")));
    }
    if !input.remote.is_empty() {
        pair(PostingField::Remote, &Some(input.remote.join(", ")));
    }
    pair(PostingField::EmploymentType, &input.employment_type);
    pair(PostingField::Salary, &input.salary);
    pair(PostingField::Currency, &input.currency);
    pair(PostingField::SalaryPer, &input.salary_per);
    pair(PostingField::DatePosted, &input.date_posted);
    pair(PostingField::ValidThrough, &input.valid_through);
    for section in input.sections.iter().flatten() {
        query.append_pair("section", section);
    }
    query.finish()
}

/// Today's date, the posting date when none is given.
pub fn today() -> Date {
    Date::of_system_time(std::time::SystemTime::now())
}

// --------------------------------------------------------------- the form

/// One option of a select or a checkbox.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// The form's fields as they are shown: the text typed (or the
/// organisation's setting), and the error beside each.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    pub company: String,
    pub company_url: String,
    pub about: String,
    pub working_model: String,
    pub benefits: String,
    pub equal_opportunity: String,
    pub how_to_apply: String,
    pub locations: String,
    pub remote: String,
    pub salary: String,
    pub currency: String,
    pub date_posted: String,
    pub valid_through: String,
    pub employment_types: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub sections: Vec<Choice>,
    errors: Vec<(PostingField, String)>,
}

impl FormView {
    /// The error beside `name`'s field, or nothing.
    pub fn error(&self, name: &str) -> &str {
        self.errors
            .iter()
            .find(|(field, _)| field.name() == name)
            .map_or("", |(_, message)| message.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    fn of(
        input: &PostingInput,
        options: Option<&PostingOptions>,
        error: Option<&PostingInputError>,
    ) -> FormView {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let employment = input.employment_type.as_deref().unwrap_or("full-time");
        let period = input.salary_per.as_deref().unwrap_or("year");
        let chosen: Vec<Section> = match (&input.sections, options) {
            (_, Some(options)) => options.sections.clone(),
            (Some(ids), None) => ids.iter().filter_map(|id| Section::from_id(id)).collect(),
            (None, None) => Section::ALL.to_vec(),
        };
        FormView {
            company: text(&input.company),
            company_url: text(&input.company_url),
            about: text(&input.about),
            working_model: text(&input.working_model),
            benefits: input.benefits.clone().unwrap_or_default().join("\n"),
            equal_opportunity: text(&input.equal_opportunity),
            how_to_apply: text(&input.how_to_apply),
            locations: input.locations.join("\n"),
            remote: input.remote.join(", "),
            salary: text(&input.salary),
            currency: text(&input.currency),
            // The dates the posting has, once they are known.
            date_posted: options
                .map_or_else(|| text(&input.date_posted), |o| o.date_posted.to_string()),
            valid_through: options.map_or_else(
                || text(&input.valid_through),
                |o| o.valid_through.to_string(),
            ),
            employment_types: EmploymentType::ALL
                .into_iter()
                .map(|t| Choice {
                    value: t.id(),
                    label: t.label(),
                    selected: t.id() == employment,
                })
                .collect(),
            periods: SalaryPeriod::ALL
                .into_iter()
                .map(|p| Choice {
                    value: p.id(),
                    label: p.per(),
                    selected: p.id() == period,
                })
                .collect(),
            sections: Section::ALL
                .into_iter()
                .map(|s| Choice {
                    value: s.id(),
                    label: s.label(),
                    selected: chosen.contains(&s),
                })
                .collect(),
            errors: error
                .map(|e| {
                    e.errors
                        .iter()
                        .map(|f| (f.field, f.message.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

// ------------------------------------------------------------ the preview

/// A run of text, marked when a finding concerns it.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    /// The number of the finding that marks it; 0 for plain text.
    pub note: usize,
}

/// A piece of a block (a paragraph, a list item, a field, a cell) as runs.
#[derive(Debug, Clone)]
pub struct Piece {
    pub label: String,
    pub runs: Vec<Run>,
}

/// A finding's note, beside its block.
#[derive(Debug, Clone)]
pub struct Note {
    pub number: usize,
    pub message: String,
    pub hint: String,
}

/// One block of the posting and the notes on it.
#[derive(Debug, Clone)]
pub struct BlockView {
    /// `h2`, `h3`, `p`, `fields`, `list` or `table`.
    pub kind: &'static str,
    pub pieces: Vec<Piece>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Piece>>,
    pub notes: Vec<Note>,
}

/// The preview: the posting's blocks, its findings, and its downloads.
#[derive(Debug, Clone, Default)]
pub struct PreviewView {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<BlockView>,
    pub findings: usize,
    pub downloads: Vec<DownloadLink>,
    /// Why there is no JSON-LD download, if there is none.
    pub jsonld_problem: String,
    /// Why there is no preview: the form has errors.
    pub blocked: bool,
    /// The form's errors, when it has any, for the preview's place.
    pub errors: Vec<String>,
}

fn runs(text: &str, findings: &[(&PlacedFinding, usize)]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut marks: Vec<&(&PlacedFinding, usize)> = findings.iter().collect();
    marks.sort_by_key(|(f, _)| f.span.start);
    for (finding, number) in marks {
        let span = &finding.span;
        if span.start < at
            || span.end > text.len()
            || !text.is_char_boundary(span.start)
            || !text.is_char_boundary(span.end)
        {
            continue;
        }
        if span.start > at {
            out.push(Run {
                text: text[at..span.start].to_string(),
                note: 0,
            });
        }
        out.push(Run {
            text: text[span.clone()].to_string(),
            note: *number,
        });
        at = span.end;
    }
    if at < text.len() {
        out.push(Run {
            text: text[at..].to_string(),
            note: 0,
        });
    }
    out
}

fn preview(role: &Role, document: &Document, options: &PostingOptions, query: &str) -> PreviewView {
    let findings = placed_findings(role, document);
    let mut blocks = Vec::new();
    let mut number = 0;
    for (index, block) in document.blocks.iter().enumerate() {
        let mut notes = Vec::new();
        let mut numbered: Vec<(&PlacedFinding, usize)> = Vec::new();
        for finding in findings.iter().filter(|f| f.block == index) {
            number += 1;
            numbered.push((finding, number));
            notes.push(Note {
                number,
                message: super::typographic_quotes(&finding.message),
                hint: finding
                    .hint
                    .as_deref()
                    .map(super::typographic_quotes)
                    .unwrap_or_default(),
            });
        }
        let piece_runs = |piece: usize, text: &str| {
            let mine: Vec<(&PlacedFinding, usize)> = numbered
                .iter()
                .filter(|(f, _)| f.piece == piece)
                .copied()
                .collect();
            runs(text, &mine)
        };
        let texts = block_pieces(block);
        let mut view = BlockView {
            kind: "p",
            pieces: Vec::new(),
            header: Vec::new(),
            rows: Vec::new(),
            notes,
        };
        match block {
            Block::Heading { level, .. } => {
                view.kind = if *level <= 2 { "h2" } else { "h3" };
                view.pieces = vec![Piece {
                    label: String::new(),
                    runs: piece_runs(0, texts[0]),
                }];
            }
            Block::Paragraph(_) => {
                view.pieces = vec![Piece {
                    label: String::new(),
                    runs: piece_runs(0, texts[0]),
                }];
            }
            Block::Fields(fields) => {
                view.kind = "fields";
                view.pieces = fields
                    .iter()
                    .enumerate()
                    .map(|(i, (name, value))| Piece {
                        label: name.clone(),
                        runs: piece_runs(i, value),
                    })
                    .collect();
            }
            Block::List(items) => {
                view.kind = "list";
                view.pieces = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Piece {
                        label: String::new(),
                        runs: piece_runs(i, item),
                    })
                    .collect();
            }
            Block::Table(table) => {
                view.kind = "table";
                view.header = table.header.clone();
                let columns = table.header.len().max(1);
                view.rows = table
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        row.iter()
                            .enumerate()
                            .map(|(c, cell)| Piece {
                                label: String::new(),
                                runs: piece_runs(r * columns + c, cell),
                            })
                            .collect()
                    })
                    .collect();
            }
        }
        blocks.push(view);
    }
    let jsonld_problem = options.structured_data_problem().unwrap_or_default();
    PreviewView {
        title: document.title.clone(),
        subtitle: document.subtitle.clone().unwrap_or_default(),
        blocks,
        findings: number,
        downloads: posting_formats()
            .filter(|f| *f != RoleFormat::JsonLd || jsonld_problem.is_empty())
            .map(|format| DownloadLink {
                href: format!("{}?{query}", posting_path(role.id.as_str(), format)),
                label: format_label(format).to_string(),
            })
            .collect(),
        jsonld_problem,
        blocked: false,
        errors: Vec::new(),
    }
}

/// The form and the preview of one role's posting for `input`.
pub struct Builder {
    pub form: FormView,
    pub preview: PreviewView,
}

impl Builder {
    pub fn new(snap: &Snapshot, role: &Role, input: &PostingInput, today: Date) -> Builder {
        let organisation = snap.catalog.organisation();
        let shown = input.with_defaults(organisation);
        match input.resolve(organisation, today) {
            Ok(options) => {
                // The links carry the dates the posting has, so a download
                // tomorrow is still this posting.
                let pinned = PostingInput {
                    date_posted: Some(options.date_posted.to_string()),
                    valid_through: Some(options.valid_through.to_string()),
                    sections: Some(
                        options
                            .sections
                            .iter()
                            .map(|s| s.id().to_string())
                            .collect(),
                    ),
                    employment_type: Some(options.employment_type.id().to_string()),
                    ..shown.clone()
                };
                let document = posting_document(&snap.catalog, role, &options);
                Builder {
                    form: FormView::of(&shown, Some(&options), None),
                    preview: preview(role, &document, &options, &query_of(&pinned)),
                }
            }
            Err(error) => Builder {
                form: FormView::of(&shown, None, Some(&error)),
                preview: PreviewView {
                    title: role.title.to_string(),
                    blocked: true,
                    errors: error.errors.iter().map(|e| e.message.clone()).collect(),
                    ..PreviewView::default()
                },
            },
        }
    }
}

/// The whole builder page.
#[derive(Template)]
#[template(path = "posting.html")]
pub struct PostingPage {
    pub layout: Layout,
    pub role_id: String,
    pub role_title: String,
    pub form: FormView,
    pub preview: PreviewView,
}

/// The preview alone, for the page's script to swap in.
#[derive(Template)]
#[template(path = "posting-preview.html")]
pub struct PreviewFragment {
    pub preview: PreviewView,
}

pub fn page(snap: &Snapshot, role: &Role, builder: Builder) -> PostingPage {
    let layout = Layout::new(
        snap,
        format!("Job posting: {}", role.title.as_str()),
        format!("Build a job posting for the {} role", role.title.as_str()),
        "roles",
    );
    PostingPage {
        layout,
        role_id: role.id.to_string(),
        role_title: role.title.to_string(),
        form: builder.form,
        preview: builder.preview,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_back_as_the_input_it_came_from() {
        let input = PostingInput {
            company: Some("Acme & Co".to_string()),
            about: Some(String::new()),
            benefits: Some(vec!["Leave".to_string(), "Budget".to_string()]),
            locations: vec!["Berlin, DE".to_string(), "Austin, TX, US".to_string()],
            remote: vec!["Germany".to_string()],
            sections: Some(vec!["about".to_string()]),
            ..PostingInput::default()
        };
        assert_eq!(read_input(Some(&query_of(&input))), input);
        assert_eq!(read_input(None), PostingInput::default());
        // A sent form with no section ticked leaves every section out.
        assert_eq!(read_input(Some("form=posting")).sections, Some(Vec::new()));
    }

    #[test]
    fn marked_runs_cover_the_text() {
        let finding = PlacedFinding {
            block: 0,
            piece: 0,
            span: 4..12,
            message: String::new(),
            hint: None,
        };
        let runs = runs("a a rockstar b", &[(&finding, 1)]);
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "a a rockstar b");
        assert_eq!(
            runs.iter()
                .filter(|r| r.note == 1)
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>(),
            ["rockstar"]
        );
    }
}
