//! Selection and lowering, on the project's spec and on the whole upstream document.

use std::path::{Path, PathBuf};

use codegen::load::load;
use codegen::lower::lower;
use codegen::model::*;
use codegen::select::{select, TagFilter};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn auth_users() -> Model {
    let spec = load(&root().join("spec/sailpoint-api.v2024.yaml")).unwrap();
    let sel = select(&spec.api, &TagFilter::Tags(vec!["Auth Users".into()])).unwrap();
    lower(&spec, &sel).unwrap()
}

#[test]
fn auth_users_selection_holds_its_two_operations_and_the_models_they_reach() {
    let model = auth_users();
    assert_eq!(model.apis.len(), 1);
    let ids: Vec<&str> = model.apis[0]
        .operations
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids, ["getAuthUser", "patchAuthUser"]);
    let types: Vec<&str> = model.types.iter().map(|t| t.names.rust.as_str()).collect();
    assert_eq!(
        types,
        [
            "AuthUser",
            "AuthUserCapability",
            "ErrorMessageDto",
            "ErrorResponseDto",
            "JsonPatchOperation",
            "JsonPatchOperationOp",
            "JsonPatchOperationValue",
            "JsonPatchOperationValueArrayItem",
            "LocaleOrigin",
            "Response401",
            "Response429",
        ]
    );
}

#[test]
fn whole_upstream_document_lowers() {
    let spec =
        load(&root().join("../shared/upstream/api-specs/idn/sailpoint-api.v2024.yaml")).unwrap();
    let sel = select(&spec.api, &TagFilter::All).unwrap();
    let model = lower(&spec, &sel).unwrap();
    let ops: usize = model.apis.iter().map(|a| a.operations.len()).sum();
    assert_eq!(ops, 716);
    assert_eq!(model.apis.len(), 93);
    for w in &model.warnings {
        eprintln!("{w}");
    }
    eprintln!("types: {}", model.types.len());

    // attributesHash says int32, but AccessRequestResponse's examples hold 2843118224 there:
    // an i32 would make such a response undecodable.
    let tracking = model
        .types
        .iter()
        .find(|t| t.names.rust == "AccessRequestTracking")
        .unwrap();
    let TypeKind::Object(o) = &tracking.kind else {
        panic!("AccessRequestTracking is an object")
    };
    let hash = o
        .fields
        .iter()
        .find(|f| f.wire_name == "attributesHash")
        .unwrap();
    assert_eq!(hash.ty, TypeRef::Primitive(Primitive::I64));
    assert!(
        model
            .warnings
            .iter()
            .any(|w| w.contains("AccessRequestTracking.yaml:15:")
                && w.contains("attributesHash")
                && w.contains("2843118224")),
        "{:?}",
        model.warnings
    );
}
