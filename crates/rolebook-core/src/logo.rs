//! The organisation's logo: `logo.svg` or `logo.png` at the root of a
//! catalog, next to `organisation.toml`, checked before any page, site or
//! document carries it.
//!
//! A logo is shown inside pages and documents a visitor trusts, so it is
//! checked, never repaired: a file that breaks a rule is a located error
//! naming the element or attribute, and nothing is silently removed (a
//! rewritten logo would look different from the file its owner sees).
//!
//! - **Size:** at most [`MAX_LOGO_BYTES`] (256 KiB); a logo is a few KiB.
//! - **PNG:** the PNG signature, an `IHDR` chunk first with a width and a
//!   height of 1 to [`MAX_LOGO_PIXELS`] (4096) and a valid bit depth and
//!   colour type, and an `IEND` chunk at the end.
//! - **SVG:** UTF-8 XML with `<svg>` as its root, parsed (quick-xml) and
//!   checked against a whitelist of drawing elements ([`SVG_ELEMENTS`])
//!   and presentation attributes ([`SVG_ATTRIBUTES`]). No DOCTYPE (so no
//!   entity can be declared or expanded: no billion laughs), no processing
//!   instruction, no entity reference but XML's five and character
//!   references; no `script`, `foreignObject`, `a`, animation or any other
//!   element not listed; no event handler (`on…`) or other unlisted
//!   attribute; `href` and `xlink:href` only to a `#fragment` or a
//!   `data:image/png` or `data:image/jpeg` URI; `url(…)` only to a
//!   `#fragment`; no `javascript:`, `@import` or `expression(` anywhere in
//!   an attribute or a `<style>`. Nesting is limited to [`MAX_SVG_DEPTH`].

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The largest logo file read.
pub const MAX_LOGO_BYTES: u64 = 256 * 1024;

/// The largest width or height of a PNG logo, in pixels.
pub const MAX_LOGO_PIXELS: u32 = 4096;

/// The deepest nesting of elements in an SVG logo.
pub const MAX_SVG_DEPTH: usize = 64;

/// Which file the logo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogoKind {
    Svg,
    Png,
}

impl LogoKind {
    pub const ALL: [LogoKind; 2] = [LogoKind::Svg, LogoKind::Png];

    /// The file's name at the catalog root (`logo.svg`, `logo.png`).
    pub fn file_name(self) -> &'static str {
        match self {
            LogoKind::Svg => "logo.svg",
            LogoKind::Png => "logo.png",
        }
    }

    /// The kind of the file named `name` at the catalog root, if it is a logo.
    pub fn of_file_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.file_name() == name)
    }

    pub fn extension(self) -> &'static str {
        match self {
            LogoKind::Svg => "svg",
            LogoKind::Png => "png",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            LogoKind::Svg => "image/svg+xml",
            LogoKind::Png => "image/png",
        }
    }
}

/// A checked logo: its kind and its bytes, exactly as in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    kind: LogoKind,
    bytes: Vec<u8>,
}

impl Logo {
    /// The logo, when `bytes` pass the rules for `kind`; otherwise the
    /// first problem.
    pub fn new(kind: LogoKind, bytes: Vec<u8>) -> Result<Self, LogoProblem> {
        check(kind, &bytes)?;
        Ok(Logo { kind, bytes })
    }

    pub fn kind(&self) -> LogoKind {
        self.kind
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A PNG's width and height in pixels, from its checked header;
    /// `None` for an SVG.
    pub fn png_size(&self) -> Option<(u32, u32)> {
        let number = |at: usize| {
            let bytes = self.bytes.get(at..at + 4)?;
            Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        };
        match self.kind {
            LogoKind::Png => Some((number(16)?, number(20)?)),
            LogoKind::Svg => None,
        }
    }
}

/// Why a logo was refused, at a byte range of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoProblem {
    pub message: String,
    pub span: Range<usize>,
    pub hint: &'static str,
}

impl LogoProblem {
    fn new(message: impl Into<String>, span: Range<usize>, hint: &'static str) -> Self {
        LogoProblem {
            message: message.into(),
            span,
            hint,
        }
    }
}

/// Checks `bytes` against the rules for `kind` (see the module's
/// documentation).
pub fn check(kind: LogoKind, bytes: &[u8]) -> Result<(), LogoProblem> {
    if bytes.len() as u64 > MAX_LOGO_BYTES {
        return Err(LogoProblem::new(
            format!(
                "`{}` is larger than {} KiB, the most a logo may be",
                kind.file_name(),
                MAX_LOGO_BYTES / 1024
            ),
            0..0,
            "export a smaller logo (a simplified SVG, or a PNG of at most a few hundred pixels)",
        ));
    }
    match kind {
        LogoKind::Png => check_png(bytes),
        LogoKind::Svg => match std::str::from_utf8(bytes) {
            Ok(text) => check_svg(text),
            Err(error) => Err(LogoProblem::new(
                "`logo.svg` is not valid UTF-8",
                error.valid_up_to()..error.valid_up_to() + 1,
                "save the SVG as UTF-8",
            )),
        },
    }
}

// ------------------------------------------------------------------- PNG

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
const PNG_HINT: &str = "save the logo again as a PNG from an image editor, or use logo.svg";

fn check_png(bytes: &[u8]) -> Result<(), LogoProblem> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(LogoProblem::new(
            "`logo.png` does not start with the PNG signature",
            0..0,
            PNG_HINT,
        ));
    }
    // The first chunk: length 13, type IHDR.
    let header = bytes.get(8..33).ok_or_else(|| {
        LogoProblem::new("`logo.png` ends before its IHDR header", 0..0, PNG_HINT)
    })?;
    if header[0..4] != [0, 0, 0, 13] || &header[4..8] != b"IHDR" {
        return Err(LogoProblem::new(
            "`logo.png` does not begin with an IHDR header",
            0..0,
            PNG_HINT,
        ));
    }
    let number = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let (width, height) = (number(8), number(12));
    if !(1..=MAX_LOGO_PIXELS).contains(&width) || !(1..=MAX_LOGO_PIXELS).contains(&height) {
        return Err(LogoProblem::new(
            format!(
                "`logo.png` is {width} × {height} pixels; a logo is 1 to {MAX_LOGO_PIXELS} pixels each way"
            ),
            0..0,
            "scale the logo down; a header shows it at about 40 pixels high",
        ));
    }
    let (depth, colour) = (header[16], header[17]);
    let valid_depth = match colour {
        0 => matches!(depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(depth, 1 | 2 | 4 | 8),
        2 | 4 | 6 => matches!(depth, 8 | 16),
        _ => false,
    };
    if !valid_depth || header[18] != 0 || header[19] != 0 || header[20] > 1 {
        return Err(LogoProblem::new(
            format!("`logo.png` has an invalid header (colour type {colour}, bit depth {depth})"),
            0..0,
            PNG_HINT,
        ));
    }
    if !bytes.ends_with(b"IEND\xae\x42\x60\x82") {
        return Err(LogoProblem::new(
            "`logo.png` does not end with an IEND chunk: the file is cut short",
            0..0,
            PNG_HINT,
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------- SVG

/// The elements an SVG logo may contain: shapes, text, grouping, paint
/// servers, clipping, masks and simple filters.
pub const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "image",
    "style",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComposite",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feOffset",
    "feDropShadow",
];

/// The attributes an SVG logo may use: geometry, presentation and the
/// few structural ones.
pub const SVG_ATTRIBUTES: &[&str] = &[
    "xmlns",
    "xmlns:xlink",
    "xmlns:svg",
    "version",
    "baseProfile",
    "id",
    "class",
    "style",
    "lang",
    "xml:lang",
    "xml:space",
    "role",
    "aria-label",
    "aria-hidden",
    "focusable",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "d",
    "points",
    "pathLength",
    "transform",
    "href",
    "xlink:href",
    "xlink:title",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "filter",
    "filterUnits",
    "primitiveUnits",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "marker-start",
    "marker-mid",
    "marker-end",
    "vector-effect",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "color-interpolation",
    "color-interpolation-filters",
    "paint-order",
    "mix-blend-mode",
    "isolation",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "flood-color",
    "flood-opacity",
    "media",
];

const SVG_HINT: &str = "export the logo as plain SVG (shapes and text only), or use logo.png";

fn check_svg(text: &str) -> Result<(), LogoProblem> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut seen_root = false;
    // The text of the `<style>` being read, checked at its end.
    let mut style: Option<(usize, String)> = None;
    loop {
        let start = position(&reader);
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(0);
            LogoProblem::new(
                format!("`logo.svg` is not well-formed XML: {error}"),
                at..at,
                SVG_HINT,
            )
        })?;
        let span = start..position(&reader);
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let empty = span.end >= 2 && text.as_bytes()[span.end - 2] == b'/';
                check_element(&element, &span, seen_root)?;
                seen_root = true;
                if !empty {
                    depth += 1;
                    if depth > MAX_SVG_DEPTH {
                        return Err(LogoProblem::new(
                            format!("`logo.svg` nests elements more than {MAX_SVG_DEPTH} deep"),
                            span,
                            SVG_HINT,
                        ));
                    }
                    if element.name().as_ref() == b"style" {
                        style = Some((span.start, String::new()));
                    }
                }
            }
            Event::End(element) => {
                depth = depth.saturating_sub(1);
                if element.name().as_ref() == b"style"
                    && let Some((at, css)) = style.take()
                {
                    check_css(&css, "a `<style>` element", at..span.end)?;
                }
            }
            Event::Text(content) => {
                if let Some((_, css)) = &mut style {
                    css.push_str(&String::from_utf8_lossy(content.as_ref()));
                }
            }
            Event::CData(content) => {
                if let Some((_, css)) = &mut style {
                    css.push_str(&String::from_utf8_lossy(content.as_ref()));
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined(reference.as_ref()),
                    Err(_) => None,
                };
                let Some(c) = resolved else {
                    return Err(LogoProblem::new(
                        format!(
                            "`logo.svg` refers to the entity `&{};`; only XML's own entities and character references are allowed",
                            String::from_utf8_lossy(reference.as_ref())
                        ),
                        span,
                        SVG_HINT,
                    ));
                };
                if let Some((_, css)) = &mut style {
                    css.push(c);
                }
            }
            Event::DocType(_) => {
                return Err(LogoProblem::new(
                    "`logo.svg` has a DOCTYPE; DOCTYPE and entity declarations are not allowed in a logo",
                    span,
                    "remove the <!DOCTYPE …> declaration; an SVG needs none",
                ));
            }
            Event::PI(_) => {
                return Err(LogoProblem::new(
                    "`logo.svg` has a processing instruction (such as <?xml-stylesheet?>); none is allowed",
                    span,
                    "remove it; styles belong in the SVG's own attributes",
                ));
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !seen_root {
        return Err(LogoProblem::new(
            "`logo.svg` has no <svg> element",
            0..0,
            SVG_HINT,
        ));
    }
    Ok(())
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn predefined(name: &[u8]) -> Option<char> {
    Some(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => return None,
    })
}

fn check_element(
    element: &BytesStart<'_>,
    span: &Range<usize>,
    seen_root: bool,
) -> Result<(), LogoProblem> {
    let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
    if !seen_root && name != "svg" {
        return Err(LogoProblem::new(
            format!("`logo.svg` starts with <{name}>, not <svg>"),
            span.clone(),
            SVG_HINT,
        ));
    }
    if !SVG_ELEMENTS.contains(&name.as_str()) {
        let why = match name.as_str() {
            "script" => "scripts are not allowed in a logo",
            "foreignObject" => "foreign content (HTML inside SVG) is not allowed in a logo",
            "a" => "links are not allowed in a logo",
            "animate" | "set" | "animateTransform" | "animateMotion" => {
                "animation is not allowed in a logo"
            }
            _ => "only drawing elements are allowed in a logo",
        };
        return Err(LogoProblem::new(
            format!("`logo.svg` has a <{name}> element: {why}"),
            span.clone(),
            SVG_HINT,
        ));
    }
    for attribute in element.attributes().with_checks(true) {
        let attribute = attribute.map_err(|error| {
            LogoProblem::new(
                format!("`logo.svg` has a malformed attribute in <{name}>: {error}"),
                span.clone(),
                SVG_HINT,
            )
        })?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let refuse = |why: String| {
            Err(LogoProblem::new(
                format!("`logo.svg` <{name}> has the attribute `{key}`: {why}"),
                span.clone(),
                SVG_HINT,
            ))
        };
        if key.to_ascii_lowercase().starts_with("on") {
            return refuse("event handlers are not allowed in a logo".into());
        }
        if !SVG_ATTRIBUTES.contains(&key.as_str()) {
            return refuse("only presentation attributes are allowed in a logo".into());
        }
        let Ok(value) = attribute.unescape_value() else {
            return refuse("its value refers to an unknown entity".into());
        };
        if key == "href" || key == "xlink:href" {
            let value = value.trim();
            let allowed = value.starts_with('#')
                || value.starts_with("data:image/png;base64,")
                || value.starts_with("data:image/jpeg;base64,");
            if !allowed {
                return refuse(format!(
                    "`{}` is not allowed; a logo may only refer to a #fragment of itself or embed a PNG or JPEG as a data: URI",
                    shorten(value)
                ));
            }
            continue;
        }
        if let Err(why) = css_problem(&value) {
            return refuse(why);
        }
    }
    Ok(())
}

fn check_css(css: &str, what: &str, span: Range<usize>) -> Result<(), LogoProblem> {
    css_problem(css).map_err(|why| {
        LogoProblem::new(format!("`logo.svg` has {what} with {why}"), span, SVG_HINT)
    })
}

/// What is wrong with a value that may be CSS (a `style` attribute, a
/// `<style>` element, a presentation attribute such as `fill`).
fn css_problem(value: &str) -> Result<(), String> {
    // Escapes (`\75rl(`) could spell anything; a logo needs none.
    let lower: String = value.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    for banned in ["javascript:", "@import", "expression(", "\\"] {
        if compact.contains(banned) {
            return Err(format!(
                "`{}`, which is not allowed in a logo",
                banned.trim_end_matches(':')
            ));
        }
    }
    let mut rest = compact.as_str();
    while let Some(at) = rest.find("url(") {
        let target = rest[at + 4..].trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return Err(format!(
                "`{}`: url(…) may only point at a #fragment of the logo",
                shorten(&rest[at..])
            ));
        }
        rest = &rest[at + 4..];
    }
    Ok(())
}

fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(40).collect();
    if short.len() < value.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 × 1 transparent PNG.
    pub(crate) const TINY_PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60,
        0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    fn svg(body: &str) -> Result<(), LogoProblem> {
        check(LogoKind::Svg, body.as_bytes())
    }

    #[test]
    fn a_plain_svg_and_a_small_png_pass() {
        assert_eq!(
            svg(
                r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><title>Acme</title><rect width="10" height="10" fill="url(#g)" style="stroke: red"/><text x="1" y="9">A &amp; B&#33;</text></svg>"##
            ),
            Ok(())
        );
        assert_eq!(check(LogoKind::Png, TINY_PNG), Ok(()));
    }

    #[test]
    fn hostile_svgs_are_refused_with_what_is_wrong() {
        let cases = [
            (r#"<svg><script>alert(1)</script></svg>"#, "<script>"),
            (r#"<svg onload="alert(1)"/>"#, "`onload`"),
            (r#"<svg><foreignObject/></svg>"#, "<foreignObject>"),
            (
                r#"<svg><use xlink:href="javascript:alert(1)"/></svg>"#,
                "javascript:alert",
            ),
            (
                r#"<svg><use href="&#106;avascript:alert(1)"/></svg>"#,
                "javascript:alert",
            ),
            (
                r#"<svg><image href="https://evil.example/x.png"/></svg>"#,
                "https://evil",
            ),
            (
                r#"<svg><image href="data:image/svg+xml;base64,AAAA"/></svg>"#,
                "data:image/svg",
            ),
            (
                r#"<svg><style>@import url(https://evil.example/a.css);</style></svg>"#,
                "@import",
            ),
            (
                r#"<svg><rect style="fill: url(https://evil.example/)"/></svg>"#,
                "url(https",
            ),
            (
                r#"<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>"#,
                "DOCTYPE",
            ),
            (r#"<svg>&b;</svg>"#, "`&b;`"),
            (
                r#"<?xml-stylesheet href="x.css"?><svg/>"#,
                "processing instruction",
            ),
            (r#"<html/>"#, "<html>"),
            (r#"<svg><rect></svg>"#, "not well-formed"),
            (r##"<svg><a href="#x"/></svg>"##, "<a>"),
            (
                r#"<svg><set attributeName="href" to="javascript:x"/></svg>"#,
                "<set>",
            ),
        ];
        for (body, expected) in cases {
            let problem = svg(body).expect_err(body);
            assert!(
                problem.message.contains(expected),
                "{body}: {}",
                problem.message
            );
        }
    }

    #[test]
    fn deep_nesting_and_huge_files_are_refused() {
        let deep = format!("<svg>{}{}</svg>", "<g>".repeat(100), "</g>".repeat(100));
        assert!(svg(&deep).expect_err("deep").message.contains("deep"));
        let huge = format!("<svg>{}</svg>", " ".repeat(300 * 1024));
        assert!(svg(&huge).expect_err("huge").message.contains("256 KiB"));
    }

    #[test]
    fn broken_pngs_are_refused() {
        let mut wide = TINY_PNG.to_vec();
        wide[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(
            check(LogoKind::Png, &wide)
                .expect_err("wide")
                .message
                .contains("pixels")
        );
        let mut colour = TINY_PNG.to_vec();
        colour[25] = 7;
        assert!(
            check(LogoKind::Png, &colour)
                .expect_err("colour")
                .message
                .contains("invalid header")
        );
        let cut = &TINY_PNG[..40];
        assert!(
            check(LogoKind::Png, cut)
                .expect_err("cut")
                .message
                .contains("IEND")
        );
        assert!(
            check(LogoKind::Png, b"GIF89a")
                .expect_err("gif")
                .message
                .contains("signature")
        );
    }
}
