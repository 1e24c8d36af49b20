//! The Rust client crate emitter: token streams built with `quote`, formatted with `prettyplease`.

pub mod examples;
pub mod surface;

use crate::error::Error;
use crate::model::Model;
use crate::output::FileSet;
use crate::Timings;

/// Adds the crate's files under `sailpoint/`.
pub fn emit(_model: &Model, _files: &mut FileSet, _timings: &mut Timings) -> Result<(), Error> {
    Ok(())
}
