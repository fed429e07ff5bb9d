//! The skill-gap assessment (`/gap`): a person picks a target role, rates
//! themselves on each skill it requires, and sees the gap per skill, their
//! readiness with its formula, a development plan and a radar chart, all
//! computed by `rolebook-career` ([`Career::assess`], [`radar_svg`]).
//!
//! Nothing about the person is kept: the ratings travel in the form, come
//! back as a `profile.toml` download ([`Profile::to_toml`]) and go in again
//! as an upload ([`parse_profile`], with located diagnostics for a bad
//! file). Answers that hold ratings are sent `Cache-Control: no-store` and
//! never enter the page cache; request logs carry only the path.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolebook_career::Profile;
use rolebook_career::profile::AssessedSkill;
use rolebook_core::Catalog;
use rolebook_core::model::Role;
use rolebook_core::suggest::did_you_mean;

use crate::analysis;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::views::gap::{
    GapForm, MAX_EVIDENCE_CHARS, MAX_NAME_CHARS, NO_STORE, show, uploaded_page,
};

/// Form fields that carry a skill's level and evidence: `level.SKILL-ID`
/// and `evidence.SKILL-ID`.
const LEVEL: &str = "level.";
const EVIDENCE: &str = "evidence.";
const MANAGER: &str = "manager.";
/// Name of a pasted profile in diagnostics.
const PASTED: &str = "pasted profile";

const TOML: HeaderValue = HeaderValue::from_static("application/toml; charset=utf-8");

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn unknown_skill(catalog: &Catalog, id: &str) -> AppError {
    let hint = did_you_mean(id, catalog.skills().iter().map(|s| s.id.as_str()))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    AppError::bad_request(format!("there is no skill with id `{id}`{hint}"))
}

fn form_role<'c>(catalog: &'c Catalog, field: &str, name: &str) -> Result<&'c Role, AppError> {
    analysis::find_role(catalog, name).map_err(|_| {
        let hint = catalog
            .suggest_roles(name)
            .first()
            .map(|r| format!("; did you mean `{}`?", r.id.as_str()))
            .unwrap_or_default();
        AppError::bad_request(format!("{field}: no role matches `{name}`{hint}"))
    })
}

/// Reads the form's fields: `target`, `name`, `current` (a role),
/// `level.SKILL` (0, or empty, for not held; else a level on the scale),
/// `manager.SKILL` (the manager's rating, the same scale; 0 or empty for
/// none) and `evidence.SKILL`. Anything else, an unknown skill or role, a level
/// off the scale or an overlong text is a 400 that names the field.
pub fn parse_form<'a>(
    catalog: &Catalog,
    fields: impl IntoIterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
) -> Result<GapForm, AppError> {
    let mut form = GapForm {
        target: None,
        profile: Profile {
            name: None,
            current_role: None,
            skills: Vec::new(),
        },
        rated: false,
    };
    // Levels in the order the form lists them; evidence by skill.
    let mut levels: Vec<(String, u8)> = Vec::new();
    let mut evidence: HashMap<String, String> = HashMap::new();
    let mut manager: HashMap<String, u8> = HashMap::new();
    let level_of = |id: &str, value: &str, whose: &str| {
        match value {
        "" => Ok(0),
        v => v
            .parse::<u8>()
            .ok()
            .filter(|&l| l == 0 || catalog.proficiency_level(l).is_some())
            .ok_or_else(|| {
                AppError::bad_request(format!(
                    "{whose} level of `{id}` must be 0 (not held) or a level on the scale ({}), got `{v}`",
                    scale(catalog)
                ))
            }),
    }
    };
    for (key, value) in fields {
        let value = value.trim();
        if let Some(id) = key.strip_prefix(MANAGER) {
            let skill = catalog
                .skill(id)
                .ok_or_else(|| unknown_skill(catalog, id))?;
            let level = level_of(id, value, "the manager's")?;
            if level > 0 {
                manager.insert(skill.id.to_string(), level);
            } else {
                manager.remove(skill.id.as_str());
            }
        } else if let Some(id) = key.strip_prefix(LEVEL) {
            let skill = catalog
                .skill(id)
                .ok_or_else(|| unknown_skill(catalog, id))?;
            let level = level_of(id, value, "the")?;
            form.rated = true;
            match levels.iter_mut().find(|(s, _)| s == skill.id.as_str()) {
                Some(entry) => entry.1 = level,
                None => levels.push((skill.id.to_string(), level)),
            }
        } else if let Some(id) = key.strip_prefix(EVIDENCE) {
            if catalog.skill(id).is_none() {
                return Err(unknown_skill(catalog, id));
            }
            if chars(value) > MAX_EVIDENCE_CHARS {
                return Err(AppError::bad_request(format!(
                    "the evidence for `{id}` is {} characters long; the limit is {MAX_EVIDENCE_CHARS}",
                    chars(value)
                )));
            }
            if !value.is_empty() {
                evidence.insert(id.to_string(), value.to_string());
            }
        } else {
            match key.as_ref() {
                "target" if !value.is_empty() => {
                    form.target = Some(form_role(catalog, "target", value)?.id.to_string());
                }
                "current" if !value.is_empty() => {
                    form.profile.current_role =
                        Some(form_role(catalog, "current role", value)?.id.to_string());
                }
                "name" if !value.is_empty() => {
                    if chars(value) > MAX_NAME_CHARS {
                        return Err(AppError::bad_request(format!(
                            "the name is {} characters long; the limit is {MAX_NAME_CHARS}",
                            chars(value)
                        )));
                    }
                    form.profile.name = Some(value.to_string());
                }
                "target" | "current" | "name" => {}
                other => {
                    return Err(AppError::bad_request(format!(
                        "unknown form field `{other}`; known: target, name, current, level.SKILL, manager.SKILL, evidence.SKILL"
                    )));
                }
            }
        }
    }
    // A skill rated 0 is not held: the profile leaves it out, as the
    // format asks, and its evidence and manager's rating with it.
    form.profile.skills = levels
        .into_iter()
        .filter(|(_, level)| *level > 0)
        .map(|(skill, level)| AssessedSkill {
            evidence: evidence.remove(&skill),
            manager_level: manager.get(&skill).copied(),
            skill,
            level,
        })
        .collect();
    Ok(form)
}

fn scale(catalog: &Catalog) -> String {
    let levels: Vec<u8> = catalog.proficiency().iter().map(|p| *p.level).collect();
    match (levels.first(), levels.last()) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "none defined".to_string(),
    }
}

fn url_fields(raw: &[u8]) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    form_urlencoded::parse(raw)
}

/// `GET /gap[?target=ROLE[&level.SKILL=N…]]`: the role picker; with a
/// target, its rating form; with ratings, the assessment too.
pub async fn page(request: RequestContext, RawQuery(raw): RawQuery) -> Response {
    let snap = request.snap.clone();
    match parse_form(
        &snap.catalog,
        url_fields(raw.unwrap_or_default().as_bytes()),
    ) {
        Ok(form) => show(&snap, &form),
        Err(error) => error.into_response(),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// Checks that a POST body is a URL-encoded form of UTF-8 text.
fn form_body(headers: &HeaderMap, body: &Bytes) -> Result<(), AppError> {
    if !is_form(headers) {
        return Err(AppError::bad_request(
            "send the ratings as a form (application/x-www-form-urlencoded)",
        ));
    }
    std::str::from_utf8(body)
        .map(|_| ())
        .map_err(|_| AppError::bad_request("the form is not UTF-8 text"))
}

/// `POST /gap`: the rating form submitted; the ratings stay out of the
/// URL (and so out of history and logs).
pub async fn submit(request: RequestContext, headers: HeaderMap, body: Bytes) -> Response {
    let snap = request.snap.clone();
    let form =
        form_body(&headers, &body).and_then(|()| parse_form(&snap.catalog, url_fields(&body)));
    match form {
        Ok(form) => show(&snap, &form),
        Err(error) => error.into_response(),
    }
}

// ------------------------------------------------------------ the download

/// The profile as a file to keep: a comment saying what it is, then
/// [`Profile::to_toml`].
pub fn profile_file(form: &GapForm) -> String {
    let mut out = String::from(
        "# A rolebook person profile: self-assessed skill levels (docs/profile-format.md).\n\
         # Upload it again on the skill gap page, or run `rolebook gap profile.toml --target ROLE`.\n",
    );
    if let Some(target) = &form.target {
        out.push_str(&format!("# Assessed against: {target}\n"));
    }
    out.push('\n');
    out.push_str(&form.profile.to_toml());
    out
}

fn download_response(form: Result<GapForm, AppError>) -> Response {
    match form {
        Ok(form) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, TOML),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"profile.toml\""),
                ),
                (header::CACHE_CONTROL, NO_STORE),
            ],
            profile_file(&form),
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /gap/profile.toml?…`: the ratings in the query as a profile.
pub async fn download(request: RequestContext, RawQuery(raw): RawQuery) -> Response {
    let snap = request.snap.clone();
    let form = parse_form(
        &snap.catalog,
        url_fields(raw.unwrap_or_default().as_bytes()),
    );
    download_response(form)
}

/// `POST /gap/profile.toml`: the rating form's "Download" button.
pub async fn download_form(request: RequestContext, headers: HeaderMap, body: Bytes) -> Response {
    let snap = request.snap.clone();
    let form =
        form_body(&headers, &body).and_then(|()| parse_form(&snap.catalog, url_fields(&body)));
    download_response(form)
}

// -------------------------------------------------------------- the upload

/// What the upload form sent.
#[derive(Debug, Default)]
struct Upload {
    target: String,
    file_name: String,
    file: String,
    text: String,
}

/// 413 when the body went over the limit (which a chunked body only shows
/// while it is read), else 400.
fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large()
    } else {
        AppError::bad_request(format!("the upload could not be read: {e}"))
    }
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "target" => upload.target = field.text().await.map_err(multipart_error)?,
            "text" => upload.text = field.text().await.map_err(multipart_error)?,
            "profile" => {
                // Only the last path segment, in case a browser sends more.
                upload.file_name = field
                    .file_name()
                    .and_then(|n| n.rsplit(['/', '\\']).next())
                    .filter(|n| !n.is_empty() && chars(n) <= 100)
                    .unwrap_or("profile.toml")
                    .to_string();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                upload.file = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    AppError::bad_request(
                        "the file is not UTF-8 text; a profile.toml is a TOML text file",
                    )
                })?;
            }
            other => {
                return Err(AppError::bad_request(format!(
                    "unknown form field `{other}`; known: target, profile, text"
                )));
            }
        }
    }
    Ok(upload)
}

/// `POST /gap/upload` (multipart): a `profile.toml` file, or its text
/// pasted, and the target role. A good profile fills the rating form and
/// shows the assessment; a bad one gets a 400 page with every problem
/// located, and the form to try again.
pub async fn upload(
    request: RequestContext,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let snap = request.snap.clone();
    let upload = match multipart {
        Ok(multipart) => read_upload(multipart).await,
        Err(rejection) => Err(AppError::bad_request(format!(
            "send the profile as a file upload form (multipart/form-data): {}",
            rejection.body_text()
        ))),
    };
    let upload = match upload {
        Ok(upload) => upload,
        Err(error) => return error.into_response(),
    };
    let target = match upload.target.trim() {
        "" => None,
        name => match form_role(&snap.catalog, "target", name) {
            Ok(role) => Some(role),
            Err(error) => return error.into_response(),
        },
    };
    let (path, text) = if !upload.file.trim().is_empty() {
        (upload.file_name.as_str(), upload.file.as_str())
    } else {
        (PASTED, upload.text.as_str())
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return AppError::bad_request("choose a profile.toml file or paste its text")
            .into_response();
    }
    uploaded_page(&snap, target, path, text)
}

#[cfg(test)]
mod tests {
    use crate::builtin_catalog as catalog;
    use rolebook_career::parse_profile;

    use super::*;

    fn fields(
        pairs: &[(&'static str, &'static str)],
    ) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
        pairs
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), Cow::Borrowed(*v)))
            .collect()
    }

    #[test]
    fn the_form_becomes_a_profile_that_reads_back_equal() {
        let catalog = catalog();
        let form = parse_form(
            &catalog,
            fields(&[
                ("target", "SRE Director"),
                ("name", " Ada "),
                ("current", "sre-manager"),
                ("level.slo-engineering", "4"),
                ("evidence.slo-engineering", "Ran the SLO review"),
                ("level.people-leadership", "0"),
                ("evidence.people-leadership", "dropped with the level"),
                ("level.observability", ""),
                ("level.incident-management", "2"),
                ("level.incident-management", "3"),
                ("manager.incident-management", "4"),
                ("manager.people-leadership", "3"),
                ("manager.observability", ""),
            ]),
        )
        .expect("valid form");
        assert_eq!(form.target.as_deref(), Some("sre-director"));
        assert!(form.rated);
        assert_eq!(form.profile.name.as_deref(), Some("Ada"));
        assert_eq!(form.profile.current_role.as_deref(), Some("sre-manager"));
        assert_eq!(form.profile.level("slo-engineering"), 4);
        assert_eq!(form.profile.level("incident-management"), 3);
        assert_eq!(form.profile.skills.len(), 2);
        // The manager's rating rides with the person's; a skill the person
        // does not hold drops it.
        let managed: Vec<(&str, Option<u8>)> = form
            .profile
            .skills
            .iter()
            .map(|s| (s.skill.as_str(), s.manager_level))
            .collect();
        assert_eq!(
            managed,
            [("slo-engineering", None), ("incident-management", Some(4))]
        );
        let text = profile_file(&form);
        assert!(text.contains("manager_level = 4"));
        assert!(text.starts_with("# A rolebook person profile"));
        let parsed = parse_profile("profile.toml", &text, &catalog);
        assert_eq!(parsed.error_count(), 0, "{:?}", parsed.diagnostics);
        assert_eq!(parsed.profile.as_ref(), Some(&form.profile));
    }

    #[test]
    fn bad_fields_are_refused_by_name() {
        let catalog = catalog();
        for (pairs, message) in [
            (
                vec![("level.slo-engineerin", "3")],
                "did you mean `slo-engineering`",
            ),
            (vec![("level.slo-engineering", "6")], "got `6`"),
            (
                vec![("manager.slo-engineering", "9")],
                "the manager's level of `slo-engineering`",
            ),
            (
                vec![("manager.slo-engineerin", "3")],
                "did you mean `slo-engineering`",
            ),
            (
                vec![("level.slo-engineering", "two")],
                "must be 0 (not held)",
            ),
            (vec![("target", "nobody at all")], "target: no role matches"),
            (vec![("colour", "blue")], "unknown form field `colour`"),
        ] {
            let pairs: Vec<(&'static str, &'static str)> = pairs;
            match parse_form(&catalog, fields(&pairs)) {
                Err(AppError::BadRequest(m)) => assert!(m.contains(message), "{m}"),
                other => panic!("{pairs:?}: expected a 400, got {other:?}"),
            }
        }
        let long = "x".repeat(MAX_EVIDENCE_CHARS + 1);
        let pairs = vec![(Cow::Borrowed("evidence.slo-engineering"), Cow::Owned(long))];
        assert!(matches!(
            parse_form(&catalog, pairs),
            Err(AppError::BadRequest(m)) if m.contains("the limit is 500")
        ));
    }

    #[test]
    fn a_target_alone_is_not_an_assessment() {
        let catalog = catalog();
        let form = parse_form(&catalog, fields(&[("target", "sre-director")])).expect("valid");
        assert!(!form.rated);
        assert!(form.profile.skills.is_empty());
    }
}
