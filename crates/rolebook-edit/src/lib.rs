//! Forms over catalog entities, for the editor.
//!
//! The workspace keeps every role, skill and KPI as the TOML text its
//! author wrote. The editor shows that text as a form: each field of the
//! entity's [`Schema`] is read from the text ([`read`]), the person edits
//! the [`Values`], and [`write`] puts back into the same text only the
//! fields whose value changed. Comments, key order and the layout of
//! everything else stay as written, so a form save and a raw TOML save are
//! the same kind of edit, and saving an untouched form changes nothing.
//!
//! A diagnostic of the catalog's validation is located by line and column
//! in an entity's text; [`locate`] turns that into the dotted name of the
//! field it falls in (`skills.3.level`), which is also the name of the
//! form control, so the editor shows it beside the field.
//!
//! Pure: no I/O, no HTTP, no SQL; the web layer renders the forms and the
//! store saves the text.

mod document;
mod locate;
pub mod schema;
mod values;

pub use document::{EditError, read, with_id, write};
pub use locate::{locate, nearest_field};
pub use schema::{Choices, Field, RecordStyle, Schema, Section, Shape};
pub use values::{Op, Row, Value, Values, from_form, to_form};
