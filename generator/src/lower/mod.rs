//! Lowering: the selection of a loaded document into the language-neutral [`Model`].

pub mod names;
mod operations;
mod types;
mod widen;

use crate::error::Error;
use crate::load::LoadedSpec;
use crate::model::*;
use crate::select::Selection;

use names::Scope;
use operations::OperationLowerer;
use types::TypeLowerer;

/// Lowers the selected operations, and every type they reach, into the model.
pub fn lower(spec: &LoadedSpec, selection: &Selection) -> Result<Model, Error> {
    let api = &spec.api;
    let mut types = TypeLowerer::new(spec);
    let mut apis = Vec::new();
    for tag in &selection.tags {
        let mut fn_scope = Scope::new();
        let mut lowerer = OperationLowerer { types: &mut types };
        let operations = tag
            .operations
            .iter()
            .map(|sel| lowerer.lower(sel, &mut fn_scope))
            .collect();
        let base = names::type_name(&tag.name);
        apis.push(Api {
            tag: tag.name.clone(),
            description: tag.description.clone(),
            names: ApiNames {
                rust_struct: format!("{base}Api"),
                rust_module: format!("{}_api", names::module_name(&base)),
                feature: names::slug(&tag.name),
                doc_slug: names::slug(&tag.name),
                doc_title: tag.name.split_whitespace().collect::<Vec<_>>().join("_"),
            },
            operations,
        });
    }
    if !types.problems.is_empty() {
        let mut problems = std::mem::take(&mut types.problems);
        problems.sort();
        problems.dedup();
        return Err(Error::Unsupported(problems));
    }
    let mut warnings: Vec<String> = spec.warnings.iter().map(|w| w.to_string()).collect();
    warnings.extend(types.warnings.iter().map(|w| format!("warning: {w}")));
    let mut types: Vec<TypeDef> = std::mem::take(&mut types.defs)
        .into_values()
        .flatten()
        .collect();
    mark_response_types(&apis, &mut types);
    let servers = api
        .servers
        .iter()
        .map(|s| {
            let variables: Vec<ServerVariable> = s
                .variables
                .iter()
                .flat_map(|vars| vars.iter())
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    description: v.description.clone(),
                })
                .collect();
            let default_url = variables.iter().fold(s.url.clone(), |url, v| {
                url.replace(&format!("{{{}}}", v.name), &v.default)
            });
            Server {
                url: s.url.clone(),
                default_url,
                description: s.description.clone(),
                variables,
            }
        })
        .collect();
    let mut model = Model {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        servers,
        apis,
        types,
        warnings,
    };
    let widened = widen::widen_overflowed_int32(spec, &mut model);
    model.warnings.extend(widened);
    Ok(model)
}

/// Sets `in_responses` on every type a response body (or header) reaches.
fn mark_response_types(apis: &[Api], types: &mut [TypeDef]) {
    let index: std::collections::HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.names.rust.clone(), i))
        .collect();
    let mut stack: Vec<String> = Vec::new();
    let push =
        |t: &TypeRef, stack: &mut Vec<String>| t.for_each_named(&mut |id| stack.push(id.0.clone()));
    for r in apis
        .iter()
        .flat_map(|a| &a.operations)
        .flat_map(|o| &o.responses)
    {
        if let Some(b) = &r.body {
            push(&b.ty, &mut stack);
        }
        for h in &r.headers {
            push(&h.ty, &mut stack);
        }
    }
    while let Some(name) = stack.pop() {
        let Some(&i) = index.get(&name) else { continue };
        if types[i].in_responses {
            continue;
        }
        types[i].in_responses = true;
        match &types[i].kind {
            TypeKind::Object(o) => {
                for t in o
                    .fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(&o.additional)
                    .chain(&o.all_of)
                {
                    push(t, &mut stack);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| push(&v.ty, &mut stack)),
            TypeKind::Alias(t) => push(t, &mut stack),
            TypeKind::Enum(_) => {}
        }
    }
}
