//! A document for people, written once for two styles: Markdown, or plain
//! text wrapped for a terminal.
//!
//! Blueprints ([`crate::render`]) and the career reports build on this, so
//! that headings, fields, lists and tables look the same in every
//! document; a renderer walks its data once and only headings, emphasis
//! and tables differ between the styles.
//!
//! Every string given to a [`TextDoc`] is text, never markup: in Markdown
//! it is escaped ([`crate::escape::markdown`]) where it is written, so no
//! catalog or profile text (a profile name, a career note) can add a
//! heading, a link or an image to a report that someone forwards.

use std::borrow::Cow;
use std::fmt::Write;

/// Line width of the plain-text style: readable in any terminal.
const TEXT_WIDTH: usize = 96;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Text,
}

/// A document being written in one [`Style`].
#[derive(Debug)]
pub struct TextDoc {
    style: Style,
    out: String,
}

impl TextDoc {
    pub fn new(style: Style) -> Self {
        TextDoc {
            style,
            out: String::new(),
        }
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// `text` as it is written in this style: escaped in Markdown.
    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.style {
            Style::Markdown => Cow::Owned(crate::escape::markdown(text)),
            Style::Text => Cow::Borrowed(text),
        }
    }

    /// Markdown `#` headings; in text, levels 1 and 2 are upper case and
    /// underlined (`=` and `-`), deeper ones plain.
    pub fn heading(&mut self, level: usize, text: &str) {
        match self.style {
            Style::Markdown => {
                let text = self.text(text);
                let _ = writeln!(self.out, "{} {text}\n", "#".repeat(level));
            }
            Style::Text => {
                let shown = if level <= 2 {
                    text.to_uppercase()
                } else {
                    text.to_string()
                };
                let _ = writeln!(self.out, "{shown}");
                if level <= 2 {
                    let rule = if level == 1 { "=" } else { "-" };
                    let _ = writeln!(self.out, "{}", rule.repeat(shown.chars().count()));
                }
                self.out.push('\n');
            }
        }
    }

    /// A paragraph; nothing for blank text.
    pub fn para(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let text = self.wrapped(&self.text(text.trim()), "", "");
        let _ = writeln!(self.out, "{text}\n");
    }

    /// `text` after `first`, and in the text style wrapped with the other
    /// lines after `rest`. Markdown is left to its reader to wrap.
    pub fn wrapped(&self, text: &str, first: &str, rest: &str) -> String {
        match self.style {
            Style::Markdown => format!("{first}{text}"),
            Style::Text => {
                // Names such as "Post-incident review" stay whole.
                let options = textwrap::Options::new(TEXT_WIDTH)
                    .initial_indent(first)
                    .subsequent_indent(rest)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                textwrap::fill(text, options).to_string()
            }
        }
    }

    /// A "name: value" line; nothing for a blank value. Fields run on
    /// until [`TextDoc::end_block`].
    pub fn field(&mut self, name: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        let line = match self.style {
            Style::Markdown => format!("- **{}:** {}", self.text(name), self.text(value)),
            Style::Text => self.wrapped(&format!("{name}: {value}"), "  ", "      "),
        };
        let _ = writeln!(self.out, "{line}");
    }

    /// The blank line that ends a run of fields or items.
    pub fn end_block(&mut self) {
        self.out.push('\n');
    }

    /// A bulleted list, ended by a blank line; nothing for no items.
    pub fn list(&mut self, items: &[String]) {
        for item in items {
            let line = self.wrapped(&self.text(item), "- ", "  ");
            let _ = writeln!(self.out, "{line}");
        }
        if !items.is_empty() {
            self.end_block();
        }
    }

    /// A list item after `marker` ("-", "1.") with indented detail lines
    /// under it. Items run on until [`TextDoc::end_block`].
    pub fn item(&mut self, marker: &str, text: &str, details: &[String]) {
        let indent = " ".repeat(marker.chars().count() + 1);
        let line = self.wrapped(&self.text(text), &format!("{marker} "), &indent);
        let _ = writeln!(self.out, "{line}");
        for detail in details {
            let line = match self.style {
                Style::Markdown => format!("{indent}- {}", self.text(detail)),
                Style::Text => self.wrapped(detail, &indent, &format!("{indent}  ")),
            };
            let _ = writeln!(self.out, "{line}");
        }
    }

    /// A table (in text, columns padded to their widest cell); nothing for
    /// no rows.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        if rows.is_empty() {
            return;
        }
        match self.style {
            Style::Markdown => {
                let header: Vec<Cow<'_, str>> = header.iter().map(|h| self.text(h)).collect();
                let _ = writeln!(self.out, "| {} |", header.join(" | "));
                let _ = writeln!(
                    self.out,
                    "|{}|",
                    header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
                );
                for row in rows {
                    // Escaping keeps a pipe or a line break from ending a cell.
                    let cells: Vec<Cow<'_, str>> = row.iter().map(|c| self.text(c)).collect();
                    let _ = writeln!(self.out, "| {} |", cells.join(" | "));
                }
            }
            Style::Text => {
                let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
                for row in rows {
                    for (width, cell) in widths.iter_mut().zip(row) {
                        *width = (*width).max(cell.chars().count());
                    }
                }
                let line = |cells: &[&str]| {
                    cells
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect::<Vec<_>>()
                        .join("  ")
                        .trim_end()
                        .to_string()
                };
                let _ = writeln!(self.out, "{}", line(header));
                for row in rows {
                    let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                    let _ = writeln!(self.out, "{}", line(&cells));
                }
            }
        }
        self.end_block();
    }

    /// A role as "Title (id)" in Markdown, "Title [id]" in text: text,
    /// to be given to the document like any other.
    pub fn role_name(&self, title: &str, id: &str) -> String {
        match self.style {
            Style::Markdown => format!("{title} ({id})"),
            Style::Text => format!("{title} [{id}]"),
        }
    }

    /// The document, without trailing blank lines.
    pub fn finish(mut self) -> String {
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }
}
