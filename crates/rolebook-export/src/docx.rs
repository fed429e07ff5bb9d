//! A [`Document`] as a Word document (DOCX, Office Open XML) via docx-rs:
//! real Title and Heading styles (so Word's navigation pane and table of
//! contents work), bulleted lists, bordered tables with a shaded header
//! row, and "Page N of M" in the footer. A4 with 2 cm margins.

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, Docx, Footer, Header, IndentLevel, Level,
    LevelJc, LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageMargin,
    PageNum, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Start, Style, StyleType,
    Table, TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableRow,
    WidthType,
};

use crate::ExportError;
use crate::document::{Block, Document};

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
/// 2 cm.
const MARGIN: i32 = 1_134;
const TEXT_WIDTH: usize = PAGE_WIDTH as usize - 2 * MARGIN as usize;
const BULLETS: usize = 2;
const FONT: &str = "Calibri";
const RULE: &str = "B8BFCC";
const BAND: &str = "E9EDF3";

/// Text safe for XML 1.0: control characters other than tab are dropped
/// (they cannot appear in a DOCX at all), line breaks become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' => Some(' '),
            '\t' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn styles(docx: Docx) -> Docx {
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT);
    docx.default_fonts(fonts)
        .default_size(21)
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .line_spacing(LineSpacing::new().after(120).line(264)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .size(44)
                .bold()
                .color("1D2330")
                .line_spacing(LineSpacing::new().after(60)),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .next("Normal")
                .size(26)
                .color("5B6475")
                .line_spacing(LineSpacing::new().after(240)),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .based_on("Normal")
                .next("Normal")
                .size(30)
                .bold()
                .color("1F5FBF")
                .outline_lvl(0)
                .line_spacing(LineSpacing::new().before(360).after(120)),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .based_on("Normal")
                .next("Normal")
                .size(24)
                .bold()
                .color("1D2330")
                .outline_lvl(1)
                .line_spacing(LineSpacing::new().before(240).after(80)),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("Heading 3")
                .based_on("Normal")
                .next("Normal")
                .size(22)
                .bold()
                .outline_lvl(2)
                .line_spacing(LineSpacing::new().before(200).after(60)),
        )
        .add_style(
            Style::new("ListParagraph", StyleType::Paragraph)
                .name("List Paragraph")
                .based_on("Normal")
                .line_spacing(LineSpacing::new().after(60)),
        )
        .add_style(
            Style::new("Footer", StyleType::Paragraph)
                .name("footer")
                .based_on("Normal")
                .size(18)
                .color("5B6475"),
        )
}

fn bullets(docx: Docx) -> Docx {
    docx.add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(360), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn borders() -> TableBorders {
    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color(RULE)
    };
    TableBorders::new()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV))
}

fn cell(text: &str, width: usize, header: bool) -> TableCell {
    let mut run = Run::new().add_text(clean(text)).size(19);
    if header {
        run = run.bold();
    }
    let mut cell = TableCell::new().width(width, WidthType::Dxa).add_paragraph(
        Paragraph::new()
            .line_spacing(LineSpacing::new().before(0).after(0))
            .add_run(run),
    );
    if header {
        cell = cell.shading(Shading::new().fill(BAND));
    }
    cell
}

fn table(table: &crate::document::Table) -> Table {
    let total: usize = table
        .widths
        .iter()
        .map(|w| usize::from(*w))
        .sum::<usize>()
        .max(1);
    let columns = table.header.len().max(1);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            let share = table.widths.get(i).map_or(1, |w| usize::from(*w));
            TEXT_WIDTH * share / total
        })
        .collect();
    let header = TableRow::new(
        table
            .header
            .iter()
            .zip(&widths)
            .map(|(text, width)| cell(text, *width, true))
            .collect(),
    )
    .cant_split();
    let rows = std::iter::once(header).chain(table.rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(&widths)
                .map(|(text, width)| cell(text, *width, false))
                .collect(),
        )
        .cant_split()
    }));
    Table::new(rows.collect())
        .set_grid(widths.clone())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(borders())
        .margins(TableCellMargins::new().margin(60, 100, 60, 100))
}

/// The page header with the organisation's logo, when it is a PNG: Word
/// shows an SVG only with a PNG beside it, so an SVG logo stays out of the
/// DOCX (the footer still names the organisation). 1.2 cm high, its width
/// in proportion; the picture's id is fixed so that the same document
/// gives the same bytes.
fn logo_header(doc: &Document) -> Option<Header> {
    const EMU_PER_CM: u64 = 360_000;
    let logo = doc.logo.as_ref()?;
    let (width, height) = logo.png_size()?;
    let height_emu = 12 * EMU_PER_CM / 10;
    let width_emu = height_emu * u64::from(width) / u64::from(height.max(1));
    let pic = Pic::new_with_dimensions(logo.bytes().to_vec(), width, height)
        .id("rIdImageLogo")
        .size(
            u32::try_from(width_emu).unwrap_or(u32::MAX),
            u32::try_from(height_emu).unwrap_or(u32::MAX),
        );
    Some(Header::new().add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic))))
}

fn heading_style(level: u8) -> &'static str {
    match level {
        0..=2 => "Heading1",
        3 => "Heading2",
        _ => "Heading3",
    }
}

/// The document as DOCX bytes. `footer` starts the footer line, before the
/// page numbers.
pub fn to_docx(doc: &Document, footer: &str) -> Result<Vec<u8>, ExportError> {
    let footer_paragraph = Paragraph::new()
        .style("Footer")
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(clean(&format!("{footer} · Page "))))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" of "))
        .add_num_pages(NumPages::new());
    let mut docx = bullets(styles(Docx::new()))
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(600)
                .footer(600),
        )
        .footer(Footer::new().add_paragraph(footer_paragraph))
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(clean(&doc.title))),
        );
    if let Some(header) = logo_header(doc) {
        docx = docx.header(header);
    }
    if let Some(subtitle) = &doc.subtitle {
        docx = docx.add_paragraph(
            Paragraph::new()
                .style("Subtitle")
                .add_run(Run::new().add_text(clean(subtitle))),
        );
    }
    for block in &doc.blocks {
        docx = match block {
            Block::Heading { level, text } => docx.add_paragraph(
                Paragraph::new()
                    .style(heading_style(*level))
                    .keep_next(true)
                    .add_run(Run::new().add_text(clean(text))),
            ),
            Block::Paragraph(text) => docx.add_paragraph(
                Paragraph::new()
                    .style("Normal")
                    .add_run(Run::new().add_text(clean(text))),
            ),
            Block::Fields(fields) => fields.iter().fold(docx, |docx, (name, value)| {
                docx.add_paragraph(
                    Paragraph::new()
                        .style("Normal")
                        .line_spacing(LineSpacing::new().after(60))
                        .add_run(Run::new().add_text(clean(&format!("{name}: "))).bold())
                        .add_run(Run::new().add_text(clean(value))),
                )
            }),
            Block::List(items) => items.iter().fold(docx, |docx, item| {
                docx.add_paragraph(
                    Paragraph::new()
                        .style("ListParagraph")
                        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
                        .add_run(Run::new().add_text(clean(item))),
                )
            }),
            Block::Table(data) => docx
                .add_table(table(data))
                .add_paragraph(Paragraph::new().style("Normal")),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.pack(&mut bytes)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(bytes.into_inner())
}
