//! A [`Document`] as PDF, typeset by typst used as a library.
//!
//! The document becomes typst markup ([`typst_markup`]); every piece of
//! catalog text goes in as a typst string literal (`#"..."`), so no
//! character in the catalog can be read as markup, code or math. The fonts
//! are embedded in the binary ([`EMBEDDED_FONTS`]): nothing is read from
//! the machine, the fonts are embedded in the PDF, and the same input gives
//! the same bytes anywhere.

use std::fmt::Write;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use rolebook_core::{Logo, LogoKind};

use crate::ExportError;
use crate::document::{Block, Document};

/// A typst string literal holding `text` exactly.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Page set-up, fonts and table style shared by every document.
const PREAMBLE: &str = r##"#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.4cm))
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en")
#set par(leading: 0.62em, spacing: 0.9em)
#set list(spacing: 0.55em, indent: 0.4em)
#show heading: set block(above: 1.3em, below: 0.7em)
#show heading.where(level: 1): set text(size: 15pt, fill: rgb("#1f5fbf"))
#show heading.where(level: 2): set text(size: 12pt)
#show heading.where(level: 3): set text(size: 11pt)
#set table(stroke: 0.5pt + rgb("#b8bfcc"), inset: (x: 5pt, y: 4pt), fill: (_, y) => if y == 0 { rgb("#e9edf3") })
#show table.cell: set text(size: 9pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show table: set par(justify: false)
"##;

/// The logo as a typst image of its bytes, written into the markup (the
/// world reads no files): an SVG's text as a string literal, a PNG's
/// bytes as an array.
fn logo_image(logo: &Logo) -> String {
    let (bytes, format) = match logo.kind() {
        LogoKind::Svg => (literal(&String::from_utf8_lossy(logo.bytes())), "svg"),
        LogoKind::Png => {
            let numbers: Vec<String> = logo.bytes().iter().map(u8::to_string).collect();
            (format!("({},)", numbers.join(",")), "png")
        }
    };
    format!("#image(bytes({bytes}), format: \"{format}\", height: 1.2cm, alt: \"\")")
}

/// The document as typst markup. `footer` starts each page's footer, which
/// ends with "Page N of M".
pub fn typst_markup(doc: &Document, footer: &str) -> String {
    let mut out = String::from(PREAMBLE);
    let _ = writeln!(
        out,
        "#set document(title: {}, author: \"rolebook\")",
        literal(&doc.title)
    );
    let _ = writeln!(
        out,
        "#set page(footer: context {{ set text(size: 8pt, fill: luma(90)); {}; h(1fr); [Page #counter(page).display() of #counter(page).final().first()] }})",
        literal(footer)
    );
    if let Some(logo) = &doc.logo {
        let _ = writeln!(out, "{}\n#v(0.6em)", logo_image(logo));
    }
    let _ = writeln!(
        out,
        "#text(size: 22pt, weight: \"bold\", {})",
        literal(&doc.title)
    );
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(
            out,
            "\n#text(size: 12pt, fill: luma(90), {})\n#v(0.4em)",
            literal(subtitle)
        );
    }
    for block in &doc.blocks {
        out.push('\n');
        match block {
            Block::Heading { level, text } => {
                let level = level.saturating_sub(1).max(1);
                let _ = writeln!(out, "#heading(level: {level}, {})", literal(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "#par({})", literal(text));
            }
            Block::Fields(fields) => {
                // Labels in one column, values in the next, like a form.
                out.push_str(
                    "#block(above: 0.9em, below: 1.1em, grid(columns: (auto, 1fr), column-gutter: 0.9em, row-gutter: 0.55em,\n",
                );
                for (name, value) in fields {
                    let _ = writeln!(out, "  strong({}), {},", literal(name), literal(value));
                }
                out.push_str("))\n");
            }
            Block::List(items) => {
                out.push_str("#list(\n");
                for item in items {
                    let _ = writeln!(out, "  {},", literal(item));
                }
                out.push_str(")\n");
            }
            Block::Table(table) => {
                let columns: Vec<String> = (0..table.header.len())
                    .map(|i| format!("{}fr", table.widths.get(i).copied().unwrap_or(1)))
                    .collect();
                let _ = writeln!(out, "#table(columns: ({},),", columns.join(", "));
                let header: Vec<String> = table.header.iter().map(|h| literal(h)).collect();
                let _ = writeln!(out, "  table.header({}),", header.join(", "));
                for row in &table.rows {
                    let cells: Vec<String> = row.iter().map(|c| literal(c)).collect();
                    let _ = writeln!(out, "  {},", cells.join(", "));
                }
                out.push_str(")\n");
            }
        }
    }
    out
}

/// The fonts a document is set in: Libertinus Serif in the styles the
/// template uses, and DejaVu Sans Mono for the symbols Libertinus lacks
/// (check marks, small squares). Copied from typst-assets with their
/// licences (`fonts/NOTICE`); its other fonts (New Computer Modern, 7 MB)
/// set nothing of ours, and a test checks every character of the built-in
/// catalog has a glyph here.
const EMBEDDED_FONTS: [&[u8]; 7] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../fonts/LibertinusSerif-Semibold.otf"),
    include_bytes!("../fonts/LibertinusSerif-SemiboldItalic.otf"),
    include_bytes!("../fonts/DejaVuSansMono.ttf"),
];

/// The embedded fonts, parsed once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = EMBEDDED_FONTS
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The smallest world typst needs: one source file, the embedded fonts, no
/// file system, no packages, no clock.
struct DocWorld {
    main: Source,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets typst markup into PDF bytes. `ident` names the document
/// stably (the PDF's document id is derived from it), so that the output
/// does not change between runs.
pub fn compile(markup: &str, ident: &str) -> Result<Vec<u8>, ExportError> {
    let world = DocWorld {
        main: Source::detached(markup),
    };
    let messages = |diagnostics: &[typst::diag::SourceDiagnostic]| {
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| ExportError::Pdf(messages(&errors)))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("rolebook".to_string())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| ExportError::Pdf(messages(&errors)))
}

/// The document as PDF bytes.
pub fn to_pdf(doc: &Document, footer: &str, ident: &str) -> Result<Vec<u8>, ExportError> {
    compile(&typst_markup(doc, footer), ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_of_the_builtin_catalog_has_a_glyph() {
        let fonts = &FONTS.1;
        assert_eq!(fonts.len(), EMBEDDED_FONTS.len(), "one face per file");
        let mut missing: Vec<char> = rolebook_core::builtin::sources()
            .files()
            .iter()
            .flat_map(|file| file.text.chars())
            .filter(|c| !c.is_control())
            .filter(|&c| {
                !fonts
                    .iter()
                    .any(|font| font.info().coverage.contains(u32::from(c)))
            })
            .collect();
        missing.sort_unstable();
        missing.dedup();
        assert!(missing.is_empty(), "no embedded font has {missing:?}");
        // The symbols the fallback font is there for.
        for symbol in ['✓', '✗', '▪', '☆'] {
            assert!(
                fonts
                    .iter()
                    .any(|font| font.info().coverage.contains(u32::from(symbol))),
                "{symbol}"
            );
        }
    }

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(literal("x\ny\u{1}"), r#""x\ny\u{1}""#);
        assert_eq!(
            literal("#set *bold* $x$ @ref <l>"),
            "\"#set *bold* $x$ @ref <l>\""
        );
    }
}
