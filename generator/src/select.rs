//! Selection: the operations of the chosen tags, and the component schemas they reach.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Operation, ReferenceOr};

use crate::error::Error;
use crate::model::Method;

/// Which tags to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagFilter {
    All,
    Tags(Vec<String>),
}

/// One selected tag with its operations.
#[derive(Debug)]
pub struct SelectedTag<'a> {
    pub name: String,
    pub description: Option<String>,
    pub operations: Vec<SelectedOperation<'a>>,
}

#[derive(Debug)]
pub struct SelectedOperation<'a> {
    pub path: &'a str,
    pub method: Method,
    pub operation: &'a Operation,
    /// Parameters declared on the path item, shared by its operations.
    pub path_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
}

#[derive(Debug)]
pub struct Selection<'a> {
    pub tags: Vec<SelectedTag<'a>>,
}

impl Selection<'_> {
    pub fn operation_ids(&self) -> Vec<&str> {
        self.tags
            .iter()
            .flat_map(|t| t.operations.iter())
            .filter_map(|o| o.operation.operation_id.as_deref())
            .collect()
    }
}

/// Selects the operations of the tags in `filter`, in the document's tag order. An operation
/// with several tags belongs to its first tag, so each operation is generated once.
pub fn select<'a>(api: &'a OpenAPI, filter: &TagFilter) -> Result<Selection<'a>, Error> {
    // Document tag order first, then tags only used on operations, in order of appearance.
    let mut order: Vec<String> = api.tags.iter().map(|t| t.name.clone()).collect();
    let mut by_tag: HashMap<String, Vec<SelectedOperation<'a>>> = HashMap::new();
    for (path, item) in api.paths.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in operations(item) {
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "Default".to_string());
            if !order.contains(&tag) {
                order.push(tag.clone());
            }
            by_tag.entry(tag).or_default().push(SelectedOperation {
                path,
                method,
                operation: op,
                path_parameters: &item.parameters,
            });
        }
    }
    let wanted: Vec<String> = match filter {
        TagFilter::All => order.clone(),
        TagFilter::Tags(tags) => {
            for t in tags {
                if !order.contains(t) {
                    return Err(Error::UnknownTag {
                        tag: t.clone(),
                        known: order.join(", "),
                    });
                }
            }
            order.iter().filter(|t| tags.contains(t)).cloned().collect()
        }
    };
    let tags = wanted
        .into_iter()
        .filter_map(|name| {
            let operations = by_tag.remove(&name)?;
            let description = api
                .tags
                .iter()
                .find(|t| t.name == name)
                .and_then(|t| t.description.clone());
            Some(SelectedTag {
                name,
                description,
                operations,
            })
        })
        .collect();
    Ok(Selection { tags })
}

/// The operations of a path item, in OpenAPI's method order.
pub fn operations(item: &openapiv3::PathItem) -> impl Iterator<Item = (Method, &Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
}

/// The last segment of a local `$ref`: `#/components/schemas/AuthUser` -> `AuthUser`.
pub fn last(reference: &str) -> String {
    let token = reference.rsplit('/').next().unwrap_or(reference);
    token.replace("~1", "/").replace("~0", "~")
}
