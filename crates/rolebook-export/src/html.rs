//! A [`Document`] as one self-contained HTML file: inline CSS, no scripts
//! to run, no external resources, so it can be mailed, attached or opened
//! from a file share. Structured data (JSON-LD) rides along in the head.

use std::fmt::Write;

use rolebook_core::Logo;

use crate::document::{Block, Document};
pub use rolebook_core::escape::xml as escape;

/// Styles for screen and print, kept small and inline.
const CSS: &str = "\
:root{color-scheme:light;--ink:#1d2330;--muted:#5b6475;--rule:#d8dce4;--band:#f3f5f8;--accent:#1f5fbf}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:60rem;margin:0 auto;padding:2.5rem 1.5rem 4rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .25rem}
.subtitle{color:var(--muted);margin:0 0 1.5rem;font-size:1.1rem}
h2{font-size:1.35rem;margin:2.25rem 0 .75rem;padding-bottom:.3rem;border-bottom:2px solid var(--rule)}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0 .9rem}
ul{margin:.25rem 0 1rem;padding-left:1.3rem}
li{margin:.2rem 0}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.3rem 1rem;margin:.5rem 0 1rem}
dt{font-weight:600;color:var(--muted)}
dd{margin:0}
.table-wrap{overflow-x:auto;margin:.5rem 0 1.25rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--rule)}
thead th{background:var(--band);border-bottom:2px solid var(--rule)}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}h3{break-after:avoid}tr{break-inside:avoid}.table-wrap{overflow:visible}}
@page{margin:18mm 16mm}
";

/// The logo's style, added only to a document that has one, so that the
/// others stay as they were.
const LOGO_CSS: &str = ".logo{display:block;max-height:3rem;max-width:14rem;margin:0 0 1.25rem}\n";

/// JSON for a `<script>` element: `<` is written as `\u003c` so that no
/// catalog text can close the element early.
fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
}

/// The body blocks of a document as HTML fragments (no `<html>` shell):
/// also what a job posting's JSON-LD `description` carries.
pub fn body_html(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text } => {
                let level = (*level).clamp(2, 6);
                let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::Fields(fields) => {
                out.push_str("<dl>\n");
                for (name, value) in fields {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
                }
                out.push_str("</dl>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", escape(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(table) => {
                out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
                for header in &table.header {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", escape(header));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &table.rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", escape(cell));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
        }
    }
    out
}

/// The logo as a `data:` URI (base64).
pub fn data_uri(logo: &Logo) -> String {
    format!(
        "data:{};base64,{}",
        logo.kind().media_type(),
        base64(logo.bytes())
    )
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A complete HTML page for `doc`, with `json_ld` (if any) in the head for
/// search engines and integrators, and `footer` as the last line.
pub fn to_html(doc: &Document, json_ld: Option<&serde_json::Value>, footer: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&doc.title));
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(
            out,
            "<meta name=\"description\" content=\"{}\">",
            escape(&format!("{}: {subtitle}", doc.title))
        );
    }
    let logo_css = if doc.logo.is_some() { LOGO_CSS } else { "" };
    let _ = writeln!(out, "<style>\n{CSS}{logo_css}</style>");
    if let Some(value) = json_ld {
        let _ = writeln!(
            out,
            "<script type=\"application/ld+json\">\n{}\n</script>",
            script_json(value)
        );
    }
    out.push_str("</head>\n<body>\n<main>\n");
    if let Some(logo) = &doc.logo {
        // A data: URI keeps the file self-contained; an <img> never runs
        // an SVG's scripts (and a logo has none: core checks it).
        let _ = writeln!(
            out,
            "<img class=\"logo\" src=\"{}\" alt=\"\">",
            data_uri(logo)
        );
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    out.push_str(&body_html(doc));
    if !footer.is_empty() {
        let _ = writeln!(out, "<footer>{}</footer>", escape(footer));
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Builder;

    #[test]
    fn base64_pads_like_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn text_is_escaped_everywhere() {
        let mut doc = Builder::new("<T&>", Some("\"q\"".to_string()));
        doc.para("<script>alert(1)</script>");
        doc.table(&["<h>"], &[1], vec![vec!["a & b".to_string()]]);
        let html = to_html(
            &doc.finish(),
            Some(&serde_json::json!({"x": "</script><b>"})),
            "",
        );
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<th scope=\"col\">&lt;h&gt;</th>"));
        assert!(html.contains("a &amp; b"));
        assert!(html.contains("\\u003c/script>\\u003cb>"));
        assert_eq!(html.matches("</script>").count(), 1);
    }
}
