use std::path::{Path, PathBuf};
fn root() -> PathBuf { Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf() }
#[test]
fn dump_all() {
    let spec = codegen::load::load(&root().join("../shared/upstream/api-specs/idn/sailpoint-api.v2024.yaml")).unwrap();
    let sel = codegen::select::select(&spec.api, &codegen::select::TagFilter::All).unwrap();
    let mut model = codegen::lower::lower(&spec, &sel).unwrap();
    for t in &mut model.types { if t.names.doc_slug == "index" { t.names.doc_slug = "index-model".into(); } }
    let mut files = codegen::FileSet::default();
    codegen::emit::docs::emit(&model, &mut files).unwrap();
    let _ = std::fs::remove_dir_all("/tmp/docs_helper_all");
    files.write(Path::new("/tmp/docs_helper_all")).unwrap();
}
