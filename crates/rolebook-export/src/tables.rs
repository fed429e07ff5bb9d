//! The whole catalog as the tables HR works with: roles × skills (required
//! levels), KPI ownership (roles × KPIs, with targets), responsibilities,
//! and the career edges; as CSV files, one XLSX workbook (a sheet each,
//! frozen headers, filters, widths) or JSON.
//!
//! The tables are computed once ([`CatalogTables`], long form: one record
//! per role and skill, role and KPI, ...). Spreadsheets get the two
//! ownership tables as matrices, one row per role and one column per skill
//! or KPI, which is how people read and filter them; JSON keeps the long
//! form, which is how programs read it.

use std::collections::HashMap;

use rolebook_career::{Career, CareerGraph};
use rolebook_core::Catalog;
use rust_xlsxwriter::{
    Color, ConditionalFormat2ColorScale, ConditionalFormatType, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use serde::Serialize;

use crate::{ExportError, Scope};

/// Identifies the JSON shape of [`CatalogTables`].
pub const FORMAT: &str = "rolebook-catalog-tables/1";

#[derive(Debug, Serialize)]
pub struct CatalogTables {
    pub format: &'static str,
    pub role_skills: Vec<RoleSkill>,
    pub kpi_ownership: Vec<KpiOwner>,
    pub responsibilities: Vec<Responsibility>,
    pub career_edges: Vec<CareerEdge>,
}

#[derive(Debug, Serialize)]
pub struct RoleSkill {
    pub role: String,
    pub role_title: String,
    pub skill: String,
    pub skill_name: String,
    pub level: u8,
    pub importance: &'static str,
}

#[derive(Debug, Serialize)]
pub struct KpiOwner {
    pub role: String,
    pub role_title: String,
    pub kpi: String,
    pub kpi_name: String,
    pub target: String,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct Responsibility {
    pub role: String,
    pub role_title: String,
    pub area: String,
    pub responsibility: String,
}

#[derive(Debug, Serialize)]
pub struct CareerEdge {
    pub from: String,
    pub from_title: String,
    pub to: String,
    pub to_title: String,
    /// `next`, `lateral` or `implied`.
    pub kind: &'static str,
    /// The skill gap of the move (see `rolebook_career::GAP_FORMULA`).
    pub gap: u32,
    /// Where the move is declared: "roles/a.toml career.next", ...
    pub evidence: Vec<String>,
    pub note: String,
}

impl CatalogTables {
    /// The tables as pretty JSON with a final newline: what `rolebook
    /// export --all --format json` prints and the web app serves.
    pub fn to_json(&self) -> Result<Vec<u8>, ExportError> {
        crate::pretty_json(self)
    }

    pub fn new(catalog: &Catalog) -> Self {
        CatalogTables::new_in(catalog, Scope::Catalog)
    }

    /// The tables of the roles of `scope`: their rows, and the career moves
    /// between two of them.
    pub fn new_in(catalog: &Catalog, scope: Scope<'_>) -> Self {
        let mut role_skills = Vec::new();
        let mut kpi_ownership = Vec::new();
        let mut responsibilities = Vec::new();
        for role in catalog.roles().iter().filter(|r| scope.has_role(&r.id)) {
            for req in &role.skills {
                role_skills.push(RoleSkill {
                    role: role.id.to_string(),
                    role_title: role.title.to_string(),
                    skill: req.skill.to_string(),
                    skill_name: catalog
                        .skill(&req.skill)
                        .map_or_else(|| req.skill.to_string(), |s| s.name.clone()),
                    level: *req.level,
                    importance: req.importance.label(),
                });
            }
            for own in &role.kpis {
                kpi_ownership.push(KpiOwner {
                    role: role.id.to_string(),
                    role_title: role.title.to_string(),
                    kpi: own.kpi.to_string(),
                    kpi_name: catalog
                        .kpi(&own.kpi)
                        .map_or_else(|| own.kpi.to_string(), |k| k.name.clone()),
                    target: own.target.clone(),
                    why: own.why.clone(),
                });
            }
            for (area, item) in role.responsibility_items() {
                responsibilities.push(Responsibility {
                    role: role.id.to_string(),
                    role_title: role.title.to_string(),
                    area: area.to_string(),
                    responsibility: item.to_string(),
                });
            }
        }
        let career = Career::new(catalog);
        let graph = CareerGraph::new(&career);
        let career_edges = graph
            .edges()
            .iter()
            .filter(|edge| {
                scope.has_role(&graph.role(edge.from).id) && scope.has_role(&graph.role(edge.to).id)
            })
            .map(|edge| {
                let (from, to) = (graph.role(edge.from), graph.role(edge.to));
                let evidence = graph.evidence(edge);
                CareerEdge {
                    from: from.id.to_string(),
                    from_title: from.title.to_string(),
                    to: to.id.to_string(),
                    to_title: to.title.to_string(),
                    kind: edge.kind.label(),
                    gap: edge.gap,
                    evidence: evidence.iter().map(|e| e.location()).collect(),
                    note: evidence
                        .iter()
                        .filter_map(|e| e.note.as_deref())
                        .filter(|n| !n.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(" / "),
                }
            })
            .collect();
        CatalogTables {
            format: FORMAT,
            role_skills,
            kpi_ownership,
            responsibilities,
            career_edges,
        }
    }
}

/// One spreadsheet cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            // A note starting with `=` must not become a formula when HR
            // opens the file.
            Cell::Text(text) => rolebook_core::escape::csv_cell(text).into_owned(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// The most characters a spreadsheet cell holds (Excel, LibreOffice).
const MAX_CELL_CHARS: usize = rolebook_core::text::MAX_TEXT_CHARS;

/// `text` cut to fit a cell, saying so at the end. Each catalog value fits
/// (validation bounds it), but a cell joining several (a move's notes from
/// both roles) may not, and a workbook that cannot be written helps nobody.
fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = " … [cut to fit a spreadsheet cell]";
    if text.len() <= MAX_CELL_CHARS || text.chars().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = MAX_CELL_CHARS - CUT.chars().count();
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(CUT);
    std::borrow::Cow::Owned(out)
}

/// How a column is shown in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    /// An identifier or short label.
    Key(f64),
    /// Running text, wrapped.
    Text(f64),
    /// A matrix column (one skill or KPI): narrow, header turned upright.
    Matrix(f64),
}

/// One table as a spreadsheet sheet or CSV file.
#[derive(Debug)]
pub struct Sheet {
    /// Sheet name (at most 31 characters).
    pub name: &'static str,
    /// CSV file name.
    pub file: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    columns: Vec<Column>,
    /// Leading columns that stay in view when scrolling right.
    frozen: u16,
    /// Whether the matrix cells are levels, shaded by value.
    levels: bool,
}

impl Sheet {
    pub fn to_csv(&self) -> Result<String, ExportError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.header)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(Cell::csv))?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| ExportError::Invalid(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| ExportError::Invalid(e.to_string()))
    }
}

/// The name and CSV file name of each table, in the order of [`sheets`]:
/// what a page can list without computing the tables.
pub const SHEETS: [(&str, &str); 4] = [
    ("Skills matrix", "skills-matrix.csv"),
    ("KPI ownership", "kpi-ownership.csv"),
    ("Responsibilities", "responsibilities.csv"),
    ("Career edges", "career-edges.csv"),
];

/// The four tables as sheets: skills and KPI ownership as matrices.
pub fn sheets(catalog: &Catalog, tables: &CatalogTables) -> Vec<Sheet> {
    sheets_in(catalog, tables, Scope::Catalog)
}

/// The sheets of tables made with [`CatalogTables::new_in`] for `scope`:
/// a row per role of the scope, and, for a part of the catalog, a column
/// only for the skills and KPIs its roles use.
pub fn sheets_in(catalog: &Catalog, tables: &CatalogTables, scope: Scope<'_>) -> Vec<Sheet> {
    let roles: Vec<&rolebook_core::model::Role> = catalog
        .roles()
        .iter()
        .map(|r| &**r)
        .filter(|r| scope.has_role(&r.id))
        .collect();
    let used_skills: std::collections::HashSet<&str> = tables
        .role_skills
        .iter()
        .map(|r| r.skill.as_str())
        .collect();
    let used_kpis: std::collections::HashSet<&str> = tables
        .kpi_ownership
        .iter()
        .map(|r| r.kpi.as_str())
        .collect();
    // Indexes, so that large catalogs fill their matrices in linear time.
    let role_rows: HashMap<&str, usize> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let role_index = |id: &str| role_rows.get(id).copied();
    let role_columns = |role: &rolebook_core::model::Role| {
        vec![
            Cell::text(role.id.as_str()),
            Cell::text(role.title.as_str()),
            Cell::text(
                catalog
                    .family(&role.family)
                    .map_or(role.family.as_str(), |f| f.name.as_str()),
            ),
            Cell::text(
                catalog
                    .level(&role.level)
                    .map_or(role.level.as_str(), |l| l.name.as_str()),
            ),
        ]
    };
    let role_header = ["Role id", "Role", "Family", "Level"];
    let key_columns = [
        Column::Key(10.0),
        Column::Key(12.0),
        Column::Key(10.0),
        Column::Key(10.0),
    ];

    // Skills matrix: every catalog skill is a column, in category then name
    // order, so related skills sit together.
    let mut skills: Vec<&rolebook_core::model::Skill> = catalog
        .skills()
        .iter()
        .filter(|s| scope.is_catalog() || used_skills.contains(s.id.as_str()))
        .collect();
    skills.sort_by(|a, b| (a.category, &a.name).cmp(&(b.category, &b.name)));
    let skill_columns_by_id: HashMap<&str, usize> = skills
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let skill_column = |id: &str| skill_columns_by_id.get(id).copied();
    let mut skill_rows: Vec<Vec<Cell>> = roles
        .iter()
        .map(|role| {
            let mut row = role_columns(role);
            row.extend(std::iter::repeat_n(Cell::Empty, skills.len()));
            row
        })
        .collect();
    for record in &tables.role_skills {
        if let (Some(r), Some(c)) = (role_index(&record.role), skill_column(&record.skill)) {
            skill_rows[r][role_header.len() + c] = Cell::Number(f64::from(record.level));
        }
    }
    let mut skill_header: Vec<String> = role_header.iter().map(|h| h.to_string()).collect();
    skill_header.extend(skills.iter().map(|s| s.name.clone()));
    let mut skill_columns = key_columns.to_vec();
    skill_columns.extend(std::iter::repeat_n(Column::Matrix(4.5), skills.len()));

    // KPI ownership matrix: each cell is the role's target.
    let kpis: Vec<&rolebook_core::model::Kpi> = catalog
        .kpis()
        .iter()
        .filter(|k| scope.is_catalog() || used_kpis.contains(k.id.as_str()))
        .collect();
    let kpi_columns_by_id: HashMap<&str, usize> = kpis
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    let mut kpi_rows: Vec<Vec<Cell>> = roles
        .iter()
        .map(|role| {
            let mut row = role_columns(role);
            row.extend(std::iter::repeat_n(Cell::Empty, kpis.len()));
            row
        })
        .collect();
    for record in &tables.kpi_ownership {
        let column = kpi_columns_by_id.get(record.kpi.as_str()).copied();
        if let (Some(r), Some(c)) = (role_index(&record.role), column) {
            kpi_rows[r][role_header.len() + c] = Cell::text(record.target.as_str());
        }
    }
    let mut kpi_header: Vec<String> = role_header.iter().map(|h| h.to_string()).collect();
    kpi_header.extend(kpis.iter().map(|k| k.name.clone()));
    let mut kpi_columns = key_columns.to_vec();
    kpi_columns.extend(std::iter::repeat_n(Column::Text(28.0), kpis.len()));

    vec![
        Sheet {
            name: SHEETS[0].0,
            file: SHEETS[0].1,
            header: skill_header,
            rows: skill_rows,
            columns: skill_columns,
            frozen: 2,
            levels: true,
        },
        Sheet {
            name: SHEETS[1].0,
            file: SHEETS[1].1,
            header: kpi_header,
            rows: kpi_rows,
            columns: kpi_columns,
            frozen: 2,
            levels: false,
        },
        Sheet {
            name: SHEETS[2].0,
            file: SHEETS[2].1,
            header: ["Role id", "Role", "Area", "Responsibility"]
                .map(String::from)
                .to_vec(),
            rows: tables
                .responsibilities
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(r.role.as_str()),
                        Cell::text(r.role_title.as_str()),
                        Cell::text(r.area.as_str()),
                        Cell::text(r.responsibility.as_str()),
                    ]
                })
                .collect(),
            columns: vec![
                Column::Key(24.0),
                Column::Key(30.0),
                Column::Text(30.0),
                Column::Text(90.0),
            ],
            frozen: 2,
            levels: false,
        },
        Sheet {
            name: SHEETS[3].0,
            file: SHEETS[3].1,
            header: [
                "From id",
                "From",
                "To id",
                "To",
                "Kind",
                "Skill gap",
                "Evidence",
                "Note",
            ]
            .map(String::from)
            .to_vec(),
            rows: tables
                .career_edges
                .iter()
                .map(|e| {
                    vec![
                        Cell::text(e.from.as_str()),
                        Cell::text(e.from_title.as_str()),
                        Cell::text(e.to.as_str()),
                        Cell::text(e.to_title.as_str()),
                        Cell::text(e.kind),
                        Cell::Number(f64::from(e.gap)),
                        Cell::text(e.evidence.join("; ")),
                        Cell::text(e.note.as_str()),
                    ]
                })
                .collect(),
            columns: vec![
                Column::Key(24.0),
                Column::Key(30.0),
                Column::Key(24.0),
                Column::Key(30.0),
                Column::Key(9.0),
                Column::Key(9.0),
                Column::Text(40.0),
                Column::Text(60.0),
            ],
            frozen: 2,
            levels: false,
        },
    ]
}

fn write_sheet(worksheet: &mut Worksheet, sheet: &Sheet) -> Result<(), ExportError> {
    let rule = Color::RGB(0xB8BFCC);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE9EDF3))
        .set_border(FormatBorder::Thin)
        .set_border_color(rule)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let upright = header
        .clone()
        .set_rotation(90)
        .set_align(FormatAlign::Center);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let level = Format::new().set_align(FormatAlign::Center);

    worksheet.set_name(sheet.name)?;
    for (c, (title, column)) in sheet.header.iter().zip(&sheet.columns).enumerate() {
        let c = u16::try_from(c).map_err(|_| too_wide(sheet))?;
        match column {
            Column::Matrix(width) => {
                worksheet.set_column_width(c, *width)?;
                worksheet.write_string_with_format(0, c, title, &upright)?;
            }
            Column::Key(width) => {
                // As wide as the longest value, within reason.
                let longest = sheet
                    .rows
                    .iter()
                    .filter_map(|row| row.get(usize::from(c)))
                    .map(|cell| cell.csv().chars().count())
                    .chain([title.chars().count()])
                    .max()
                    .unwrap_or(0);
                let fitted = (longest as f64 + 2.0).clamp(*width, 45.0);
                worksheet.set_column_width(c, fitted)?;
                worksheet.write_string_with_format(0, c, title, &header)?;
            }
            Column::Text(width) => {
                worksheet.set_column_width(c, *width)?;
                worksheet.write_string_with_format(0, c, title, &header)?;
            }
        }
    }
    if sheet.columns.iter().any(|c| matches!(c, Column::Matrix(_))) {
        // Upright skill names need the room.
        worksheet.set_row_height(0, 150)?;
    }
    // The body's format is the column's: a cell written without a format
    // takes its column's when the workbook is saved, which costs one format
    // lookup per column instead of one per cell (hashing the format for
    // each of a large catalog's cells was a seventh of its export).
    for (c, column) in sheet.columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| too_wide(sheet))?;
        let format = match column {
            Column::Text(_) => &wrap,
            Column::Matrix(_) => &level,
            Column::Key(_) => &top,
        };
        worksheet.set_column_format(c, format)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| {
            ExportError::Invalid(format!(
                "sheet `{}` has more rows than a spreadsheet holds",
                sheet.name
            ))
        })?;
        for (c, cell) in row.iter().take(sheet.columns.len()).enumerate() {
            let c = u16::try_from(c).map_err(|_| too_wide(sheet))?;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    worksheet.write_string(r, c, fit_cell(text).as_ref())?;
                }
                Cell::Number(n) => {
                    worksheet.write_number(r, c, *n)?;
                }
            }
        }
    }
    let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
    let last_col =
        u16::try_from(sheet.header.len().saturating_sub(1)).map_err(|_| too_wide(sheet))?;
    worksheet.set_freeze_panes(1, sheet.frozen)?;
    worksheet.autofilter(0, 0, last_row, last_col)?;
    if sheet.levels && !sheet.rows.is_empty() {
        // Shade required levels from light to dark, 1 to 5, so the matrix
        // reads as a heat map.
        let scale = ConditionalFormat2ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, 1)
            .set_maximum(ConditionalFormatType::Number, 5)
            .set_minimum_color(Color::RGB(0xE8F0FB))
            .set_maximum_color(Color::RGB(0x3D7BD9));
        let first = sheet.frozen.max(4);
        worksheet.add_conditional_format(1, first, last_row, last_col, &scale)?;
    }
    Ok(())
}

fn too_wide(sheet: &Sheet) -> ExportError {
    ExportError::Invalid(format!(
        "sheet `{}` has more columns than a spreadsheet holds",
        sheet.name
    ))
}

/// When the catalog was last reviewed: its newest role review date, or
/// the start of the ZIP format's epoch for a catalog without roles.
fn reviewed(catalog: &Catalog) -> ExcelDateTime {
    catalog
        .roles()
        .iter()
        .map(|role| role.provenance.last_reviewed.to_string())
        .max()
        .and_then(|date| ExcelDateTime::parse_from_str(&date).ok())
        .or_else(|| ExcelDateTime::from_ymd(1980, 1, 1).ok())
        .unwrap_or_default()
}

/// The sheets of `catalog` as one XLSX workbook. The workbook is dated by
/// the catalog's newest review, not by the clock, so the same catalog
/// gives the same bytes (the CLI's file, the web app's download and its
/// ETag agree).
pub fn to_xlsx(catalog: &Catalog, sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("rolebook catalog")
            .set_author("rolebook")
            .set_creation_datetime(&reviewed(catalog)),
    );
    for sheet in sheets {
        write_sheet(workbook.add_worksheet(), sheet)?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_joining_long_values_is_cut_to_fit_and_says_so() {
        let joined = format!("{} / {}", "a".repeat(30_000), "b".repeat(30_000));
        let cell = fit_cell(&joined);
        assert_eq!(cell.chars().count(), MAX_CELL_CHARS);
        assert!(cell.ends_with("[cut to fit a spreadsheet cell]"));
        assert!(matches!(
            fit_cell("short"),
            std::borrow::Cow::Borrowed("short")
        ));
    }
}
