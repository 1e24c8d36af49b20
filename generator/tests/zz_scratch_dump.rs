use std::path::{Path, PathBuf};
fn root() -> PathBuf { Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf() }
#[test]
fn dump() {
    let spec = codegen::load::load(&root().join("spec/sailpoint-api.v2024.yaml")).unwrap();
    let sel = codegen::select::select(&spec.api, &codegen::select::TagFilter::Tags(vec!["Auth Users".into()])).unwrap();
    let model = codegen::lower::lower(&spec, &sel).unwrap();
    std::fs::write("/tmp/docs_helper_model.txt", format!("{model:#?}")).unwrap();
}
