//! Generated round-trip tests: every example in the spec decodes into its type and re-encodes to
//! equal JSON.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::models::ModelFacts;
use super::surface;
use super::tokens::ty;
use crate::error::Error;
use crate::model::*;

/// One example to check: its test name, its type and its JSON.
struct Case {
    name: String,
    ty: TypeRef,
    json: Value,
    /// The features that enable the type (any one of them does).
    features: Vec<String>,
}

/// `text` as a raw string literal (`r#"…"#`), so that the JSON reads as JSON in the test.
fn raw_string(text: &str) -> Result<TokenStream, Error> {
    let mut hashes = "#".to_string();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .map_err(|e| Error::Emit {
            what: "a round-trip test".into(),
            message: format!("the example is not a raw string literal: {e}"),
        })
}

/// The spec's own example of a type, or one assembled from its fields' examples.
pub fn assembled_example(model: &Model, t: &TypeRef, seen: &mut HashSet<String>) -> Option<Value> {
    match t {
        TypeRef::Named(id) => {
            let def = model.type_def(id)?;
            if let Some(e) = &def.example {
                return Some(e.clone());
            }
            if !seen.insert(id.0.clone()) {
                return None;
            }
            let out = match &def.kind {
                TypeKind::Object(o) => object_example(model, o, seen),
                TypeKind::Enum(e) => e.values.first().map(|v| v.wire.clone()),
                TypeKind::Union(u) => u.variants.iter().find_map(|v| {
                    v.example
                        .clone()
                        .or_else(|| assembled_example(model, &v.ty, seen))
                }),
                TypeKind::Alias(inner) => assembled_example(model, inner, seen),
            };
            seen.remove(&id.0);
            out
        }
        TypeRef::Array(inner) => {
            assembled_example(model, inner, seen).map(|v| Value::Array(vec![v]))
        }
        _ => None,
    }
}

/// An object from its fields' examples; None when a required field has none.
pub fn object_example(model: &Model, o: &ObjectType, seen: &mut HashSet<String>) -> Option<Value> {
    let mut map = Map::new();
    for f in &o.fields {
        let value = f
            .example
            .clone()
            .or_else(|| assembled_example(model, &f.ty, seen));
        match value {
            // An array field whose example is one item (common in the spec) is a list of it.
            Some(v) if matches!(f.ty, TypeRef::Array(_)) && !v.is_array() => {
                map.insert(f.wire_name.clone(), Value::Array(vec![v]));
            }
            Some(v) => {
                map.insert(f.wire_name.clone(), v);
            }
            None if f.required => return None,
            None => {}
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

fn cases(model: &Model, facts: &ModelFacts) -> Vec<Case> {
    let mut out = Vec::new();
    let cfg_of = |t: &TypeRef| {
        let mut names = Vec::new();
        t.for_each_named(&mut |id| names.push(id.0.clone()));
        names
            .first()
            .and_then(|n| facts.features.get(n))
            .map(|f| f.iter().cloned().collect())
            .unwrap_or_default()
    };
    for def in &model.types {
        let t = TypeRef::Named(TypeId(def.names.rust.clone()));
        if let Some(e) = &def.example {
            out.push(Case {
                name: format!(
                    "{}_schema_example",
                    def.names.rust_module.trim_end_matches('_')
                ),
                ty: t.clone(),
                json: e.clone(),
                features: cfg_of(&t),
            });
        }
        if let TypeKind::Object(o) = &def.kind {
            if let Some(e) = object_example(model, o, &mut HashSet::from([def.names.rust.clone()]))
            {
                out.push(Case {
                    name: format!(
                        "{}_property_examples",
                        def.names.rust_module.trim_end_matches('_')
                    ),
                    ty: t.clone(),
                    json: e,
                    features: cfg_of(&t),
                });
            }
        }
    }
    for api in &model.apis {
        for op in &api.operations {
            let fname = op.names.rust_fn.trim_start_matches("r#");
            if let Some(b) = &op.request_body {
                if let (Some(e), true) = (
                    &b.example,
                    matches!(b.media, MediaType::Json | MediaType::JsonPatch),
                ) {
                    out.push(Case {
                        name: format!("{fname}_request_example"),
                        ty: b.ty.clone(),
                        json: e.clone(),
                        features: cfg_of(&b.ty),
                    });
                }
            }
            for r in &op.responses {
                let Some(b) = &r.body else { continue };
                if let (Some(e), true) = (&b.example, matches!(b.media, MediaType::Json)) {
                    out.push(Case {
                        name: format!(
                            "{fname}_{}_response_example",
                            r.status.label().to_ascii_lowercase()
                        ),
                        ty: b.ty.clone(),
                        json: e.clone(),
                        features: cfg_of(&b.ty),
                    });
                }
            }
        }
    }
    // Operations share response components (one error example serves hundreds of them): each
    // example is checked once, under the first name it has.
    let mut checked = HashSet::new();
    out.retain(|c| checked.insert((format!("{:?}", c.ty), c.json.to_string())));
    out
}

pub fn tests(model: &Model, facts: &ModelFacts) -> Result<TokenStream, Error> {
    // A multipart body with files has no JSON form to round-trip.
    let cases: Vec<Case> = cases(model, facts)
        .into_iter()
        .filter(|c| !surface::holds_files(model, &c.ty))
        .collect();
    if cases.is_empty() {
        // Nothing to check: the helpers below would be dead code.
        return Ok(quote! {
            //! Every example in the spec decodes into its type and encodes back to the same JSON
            //! (this document has none).
        });
    }
    // One module per set of features, under one `cfg`: a crate built with some features
    // compiles only the tests (and imports) of the types it has, and the cfg is written once.
    let mut groups: Vec<(Vec<String>, Vec<Case>)> = Vec::new();
    for case in cases {
        match groups.iter_mut().find(|(f, _)| *f == case.features) {
            Some((_, members)) => members.push(case),
            None => groups.push((case.features.clone(), vec![case])),
        }
    }
    let mut modules = Vec::new();
    let mut shared = 0;
    for (features, cases) in groups {
        let (name, cfg, doc) = match features.as_slice() {
            [] => (
                "every_build".to_string(),
                quote!(),
                "Types every build has.".to_string(),
            ),
            [one] => (
                one.to_snake_case(),
                quote!(#[cfg(feature = #one)]),
                format!("Types of the `{one}` feature."),
            ),
            many => {
                shared += 1;
                (
                    format!("shared_{shared}"),
                    quote!(#[cfg(any(#(feature = #many),*))]),
                    format!(
                        "Types that any of these features has: {}.",
                        many.iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
        };
        let mut imports = surface::Imports::default();
        for case in &cases {
            imports.add(&case.ty);
        }
        let uses = super::tokens::uses(&imports, "sailpoint::v2024::models", None);
        let mut fns = Vec::new();
        for case in cases {
            let name = format_ident!("{}", case.name);
            let t = ty(&surface::type_display(&case.ty))?;
            let json = raw_string(&serde_json::to_string_pretty(&case.json).unwrap_or_default())?;
            fns.push(quote! {
                #[test]
                fn #name() {
                    round_trip::<#t>(#json);
                }
            });
        }
        let module = format_ident!("{}", name);
        let doc = super::tokens::doc(&doc);
        modules.push(quote! {
            #doc
            #cfg
            mod #module {
                use super::round_trip;
                #uses

                #(#fns)*
            }
        });
    }
    Ok(quote! {
        //! Every example in the spec decodes into its type and encodes back to the same JSON.
        //! Date-times compare as instants and numbers as numbers: `…00.000Z` and `…00Z` are equal.

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(example: &str) {
            let expected: serde_json::Value = serde_json::from_str(example).expect("the example is JSON");
            let decoded: T = serde_json::from_value(expected.clone())
                .unwrap_or_else(|e| panic!("the example does not decode: {e}\n{example}"));
            let encoded = serde_json::to_value(&decoded).expect("the value encodes");
            assert_eq!(normalize(encoded), normalize(expected), "the round trip changed the example");
        }

        fn normalize(value: serde_json::Value) -> serde_json::Value {
            use serde_json::Value;
            match value {
                Value::String(s) => match chrono::DateTime::parse_from_rfc3339(&s) {
                    Ok(t) => Value::String(t.with_timezone(&chrono::Utc).to_rfc3339()),
                    Err(_) => Value::String(s),
                },
                Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
                Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
                Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
                other => other,
            }
        }

        #(#modules)*
    })
}
