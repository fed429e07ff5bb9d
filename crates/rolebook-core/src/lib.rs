//! rolebook-core: the role blueprint model, catalog loading, validation and
//! content lint.
//!
//! Data flows one way: catalog files ([`Sources`]) → [`load`] → a validated,
//! immutable [`Catalog`] plus [`Diagnostic`]s → derived views in other
//! crates. This crate reads catalog files and nothing else: no network, no
//! HTTP, no SQL, no templates.

pub mod builtin;
pub mod catalog;
pub mod changes;
pub mod diagnostic;
pub mod escape;
pub mod lint;
pub mod logo;
pub mod model;
mod parse;
pub mod prose;
pub mod read;
pub mod render;
pub mod schema;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod text;
pub mod textdoc;
mod validate;
pub mod validator;

pub use catalog::{Catalog, Loaded, RoleFilter, RoleName, UnknownFilterValue, UnknownRole, load};
pub use diagnostic::{Diagnostic, Severity};
pub use logo::{Logo, LogoKind};
pub use source::{CatalogSource, ReadError, SourceFile, Sources};
pub use validator::{Checked, Validator};
