//! The three inputs load: the project's spec, upstream's split document, upstream's bundle.

use std::path::{Path, PathBuf};

use codegen::load::load;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn upstream() -> PathBuf {
    root().join("../shared/upstream/api-specs")
}

#[test]
fn project_spec_loads_with_each_file_schema_as_one_component() {
    let spec = load(&root().join("spec/sailpoint-api.v2024.yaml")).unwrap();
    let schemas = &spec.api.components.as_ref().unwrap().schemas;
    let mut names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "AuthUser",
            "ErrorMessageDto",
            "ErrorResponseDto",
            "JsonPatchOperation",
            "LocaleOrigin"
        ]
    );
    assert!(spec.api.paths.paths.contains_key("/auth-users/{id}"));
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
}

#[test]
fn upstream_split_document_loads() {
    let spec = load(&upstream().join("idn/sailpoint-api.v2024.yaml")).unwrap();
    assert_eq!(spec.api.paths.paths.len(), 485);
    let ops: usize = spec
        .api
        .paths
        .paths
        .values()
        .map(|p| p.as_item().unwrap().iter().count())
        .sum();
    assert_eq!(ops, 716);
    assert!(spec.file_count > 1000, "{}", spec.file_count);
}

#[test]
fn upstream_bundled_document_loads() {
    let spec = load(&upstream().join("dereferenced/deref-sailpoint-api.v2024.yaml")).unwrap();
    assert_eq!(spec.api.paths.paths.len(), 485);
    assert_eq!(spec.file_count, 1);
}
