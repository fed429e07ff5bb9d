//! The organisation's logo: read from a catalog directory with its limit,
//! checked by `load`, refused with a located error naming what is wrong.

use std::fs;
use std::path::{Path, PathBuf};

use rolebook_core::logo::MAX_LOGO_BYTES;
use rolebook_core::{LogoKind, Sources, diagnostic, load};

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(path)
}

/// A copy of the minimal valid catalog in a temporary directory.
fn catalog_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&testdata("catalogs/valid/minimal"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The diagnostics of the minimal catalog with `bytes` as its logo.
fn diagnostics_with(kind: LogoKind, bytes: &[u8]) -> String {
    let mut sources = Sources::from_dir(&testdata("catalogs/valid/minimal"))
        .expect("readable")
        .with_logo(kind, bytes.to_vec());
    sources.root = Some(PathBuf::from("catalog"));
    let loaded = load(sources);
    assert!(loaded.catalog.is_none(), "{kind:?} logo should be refused");
    for d in &loaded.diagnostics {
        assert_eq!(d.code, "invalid-logo", "{d:?}");
        assert!(d.file.is_some() && d.hint.is_some(), "{d:?}");
    }
    diagnostic::render(&loaded.sources, &loaded.diagnostics, false)
}

#[test]
fn valid_logos_reach_the_catalog_as_they_are() {
    for (kind, file) in [
        (LogoKind::Svg, "logos/acme.svg"),
        (LogoKind::Png, "logos/acme.png"),
    ] {
        let dir = catalog_dir();
        let bytes = fs::read(testdata(file)).expect("logo");
        fs::write(dir.path().join(kind.file_name()), &bytes).expect("write");
        let loaded = load(Sources::from_dir(dir.path()).expect("readable"));
        let catalog = loaded.catalog.expect("valid");
        let logo = catalog.logo().expect("a logo");
        assert_eq!((logo.kind(), logo.bytes()), (kind, bytes.as_slice()));
    }
    let plain = load(Sources::from_dir(&testdata("catalogs/valid/minimal")).expect("readable"));
    assert!(plain.catalog.expect("valid").logo().is_none());
}

#[test]
fn hostile_svgs_are_refused_where_they_are_wrong() {
    let cases = [
        (
            "script",
            r#"<svg xmlns="http://www.w3.org/2000/svg">
  <script>alert(document.cookie)</script>
</svg>"#,
        ),
        (
            "onload",
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
        ),
        (
            "javascript-href",
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <use xlink:href="javascript:alert(1)"/>
</svg>"#,
        ),
        (
            "external-image",
            r#"<svg xmlns="http://www.w3.org/2000/svg">
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
</svg>"#,
        ),
        (
            "billion-laughs",
            r#"<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol3;</text></svg>"#,
        ),
        (
            "style-import",
            r#"<svg xmlns="http://www.w3.org/2000/svg">
  <style>@import url("https://evil.example/x.css");</style>
</svg>"#,
        ),
        (
            "foreign-object",
            r#"<svg xmlns="http://www.w3.org/2000/svg">
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
</svg>"#,
        ),
    ];
    for (name, svg) in cases {
        insta::assert_snapshot!(
            format!("svg-{name}"),
            diagnostics_with(LogoKind::Svg, svg.as_bytes())
        );
    }
}

#[test]
fn broken_pngs_are_refused() {
    let good = fs::read(testdata("logos/acme.png")).expect("logo");
    let mut huge = good.clone();
    huge[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    let mut bad_header = good.clone();
    bad_header[12..16].copy_from_slice(b"IDAT");
    let report = [
        diagnostics_with(LogoKind::Png, b"<svg/>"),
        diagnostics_with(LogoKind::Png, &huge),
        diagnostics_with(LogoKind::Png, &bad_header),
        diagnostics_with(LogoKind::Png, &good[..good.len() - 4]),
    ]
    .join("\n");
    insta::assert_snapshot!("png-problems", report);
}

#[test]
fn a_logo_over_the_limit_is_not_read_whole() {
    let dir = catalog_dir();
    let file = fs::File::create(dir.path().join("logo.svg")).expect("create");
    file.set_len(MAX_LOGO_BYTES * 64).expect("sparse");
    let sources = Sources::from_dir(dir.path()).expect("readable");
    assert!(sources.logo().is_none());
    let loaded = load(sources);
    let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["logo-too-large"]);
}

#[test]
fn two_logos_are_an_error_and_a_logo_below_the_root_is_no_logo() {
    let dir = catalog_dir();
    fs::copy(testdata("logos/acme.svg"), dir.path().join("logo.svg")).expect("copy");
    fs::copy(testdata("logos/acme.png"), dir.path().join("logo.png")).expect("copy");
    let loaded = load(Sources::from_dir(dir.path()).expect("readable"));
    let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["two-logos"]);

    let dir = catalog_dir();
    fs::copy(
        testdata("logos/acme.svg"),
        dir.path().join("roles/logo.svg"),
    )
    .expect("copy");
    let loaded = load(Sources::from_dir(dir.path()).expect("readable"));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(loaded.catalog.expect("valid").logo().is_none());
}
