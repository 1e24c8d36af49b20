//! Emitters: each reads only the [`crate::model::Model`] and adds files to a [`crate::FileSet`].

pub mod docs;
pub mod format_cache;
pub mod rust;
