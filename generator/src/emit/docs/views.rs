//! View structs of the docs pages: every string a template places, already derived and escaped.
//!
//! Spec text is escaped with [`mdx::block`] (descriptions placed as blocks) or [`mdx::cell`]
//! (table cells, list items); names and Rust types, which are plain text, with [`mdx::literal`].

use askama::Template;

use super::mdx;
use crate::emit::rust::examples::Examples;
use crate::emit::rust::surface;
use crate::model::*;

/// Where the pages live on the docs site.
const SITE_BASE: &str = "/tools/sdk/rust";
/// SailPoint's API reference, one page per operation.
const API_SPEC_BASE: &str = "https://developer.sailpoint.com/docs/api";

/// Front matter of a page, in the reference's key order (see `docs/front_matter.md`).
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    /// Index pages only.
    pub sidebar_key: Option<String>,
    /// Index pages only.
    pub sidebar_position: Option<u32>,
    pub sidebar_class_name: String,
    /// A YAML flow list, e.g. `['rust', 'Rust', 'sdk', 'Auth_Users', 'V2024Auth_Users']`.
    pub keywords: String,
    pub slug: String,
    /// A YAML flow list.
    pub tags: String,
}

impl FrontMatter {
    /// A methods or model page: `id: v2024-auth-users`, `title: Auth_Users`.
    fn page(model: &Model, section: &str, slug: &str, title: &str) -> FrontMatter {
        let version = &model.version;
        let tagged = format!("{}{title}", capitalized(version));
        FrontMatter {
            id: mdx::yaml_scalar(&format!("{version}-{slug}")),
            title: mdx::yaml_scalar(title),
            sidebar_key: None,
            sidebar_position: None,
            sidebar_class_name: "rustsdk".to_string(),
            keywords: yaml_list(&["rust", "Rust", "sdk", title, &tagged]),
            slug: mdx::yaml_scalar(&format!("{SITE_BASE}/{version}/{section}/{slug}")),
            tags: yaml_list(&["SDK", "Software Development Kit", title, &tagged]),
        }
    }

    /// An index page: `id: methods`, `title: Methods`.
    fn index(model: &Model, section: &str, title: &str) -> FrontMatter {
        let version = &model.version;
        FrontMatter {
            id: mdx::yaml_scalar(section),
            title: mdx::yaml_scalar(title),
            sidebar_key: Some(mdx::yaml_scalar(&format!("{version}-rust-{section}"))),
            sidebar_position: Some(3),
            sidebar_class_name: mdx::yaml_scalar(section),
            keywords: yaml_list(&["rust", "Rust", "sdk", section]),
            slug: mdx::yaml_scalar(&format!("{SITE_BASE}/{version}/{section}")),
            tags: yaml_list(&["SDK", "Software Development Kit", version, section]),
        }
    }
}

fn yaml_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| mdx::yaml_quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A Rust type shown in a table cell: bold, linked to the model page of the named type it holds
/// (`[**Vec\<JsonPatchOperation\>**](../models/json-patch-operation)`), plain when it holds none.
fn type_cell(model: &Model, shown: &str, ty: &TypeRef, models_dir: &str, bold: bool) -> String {
    let text = mdx::literal(shown);
    let text = if bold { format!("**{text}**") } else { text };
    match linked_type(model, ty) {
        Some(def) => format!("[{text}]({models_dir}{})", def.names.doc_slug),
        None => text,
    }
}

/// The named type a reference holds, looking through arrays and maps.
fn linked_type<'m>(model: &'m Model, ty: &TypeRef) -> Option<&'m TypeDef> {
    match ty {
        TypeRef::Named(id) => model.type_def(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => linked_type(model, inner),
        _ => None,
    }
}

/// A JSON value as a code span, e.g. `` `"replace"` ``, `` `250` ``.
fn json_code(value: &serde_json::Value, in_cell: bool) -> String {
    mdx::code_span(&value.to_string(), in_cell)
}

/// A Rust example as a fenced code block's parts.
pub struct CodeBlock {
    pub fence: String,
    pub code: String,
}

impl CodeBlock {
    fn new(code: &str) -> CodeBlock {
        let code = code.trim_end().to_string();
        CodeBlock {
            fence: mdx::fence_for(&code),
            code,
        }
    }
}

// ------------------------------------------------------------------ methods page

/// `docs/methods/<api>.md`: one API (tag) with all its operations.
#[derive(Template)]
#[template(path = "docs/methods.md", escape = "none")]
pub struct MethodsPage {
    pub front: FrontMatter,
    /// `sailpoint::v2024::AuthUsersApi`.
    pub heading: String,
    /// The tag's description, escaped.
    pub description: Option<String>,
    /// The first server's URL with its defaults, escaped.
    pub base_url: String,
    pub rows: Vec<MethodRow>,
    pub operations: Vec<OperationView>,
}

/// A row of the method table.
pub struct MethodRow {
    /// The operation's heading text, e.g. `get-auth-user`.
    pub name: String,
    /// The heading's id, e.g. `get-auth-user`.
    pub anchor: String,
    pub method: &'static str,
    /// The path as a code span, e.g. `` `/auth-users/{id}` ``.
    pub path: String,
    pub summary: String,
}

/// One operation's section.
pub struct OperationView {
    pub heading: String,
    pub deprecated: bool,
    pub experimental: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The operation's page in SailPoint's API reference.
    pub spec_url: String,
    pub params: Vec<ParamRow>,
    /// The struct holding the optional parameters, as a code span, when there are any.
    pub params_struct: Option<String>,
    /// The return type, linked when named, or `(empty response body)`.
    pub return_type: String,
    pub responses: Vec<ResponseRow>,
    pub content_type: String,
    pub accept: String,
    pub example: CodeBlock,
}

/// A row of an operation's parameter table.
pub struct ParamRow {
    /// `Path`, `Query`, `Header`, `Cookie` or `Body`.
    pub location: &'static str,
    pub name: String,
    pub data_type: String,
    /// `True`/`False`, with the default of an optional parameter.
    pub required: String,
    pub description: String,
}

/// A row of an operation's response table.
pub struct ResponseRow {
    pub code: String,
    pub description: String,
    pub data_type: String,
    pub headers: String,
}

impl MethodsPage {
    pub fn new(model: &Model, api: &Api, examples: &Examples) -> MethodsPage {
        let rows = api
            .operations
            .iter()
            .map(|op| MethodRow {
                name: mdx::literal(&op.names.doc_anchor),
                anchor: mdx::heading_slug(&op.names.doc_anchor),
                method: op.method.as_str(),
                path: mdx::code_span(&op.path, true),
                summary: op.summary.as_deref().map(mdx::cell).unwrap_or_default(),
            })
            .collect();
        MethodsPage {
            front: FrontMatter::page(model, "methods", &api.names.doc_slug, &api.names.doc_title),
            heading: mdx::literal(&format!(
                "sailpoint::{}::{}",
                model.version, api.names.rust_struct
            )),
            description: non_empty(api.description.as_deref()).map(mdx::block),
            base_url: model
                .servers
                .first()
                .map(|s| mdx::cell(&s.default_url))
                .unwrap_or_default(),
            rows,
            operations: api
                .operations
                .iter()
                .map(|op| OperationView::new(model, op, examples))
                .collect(),
        }
    }
}

impl OperationView {
    fn new(model: &Model, op: &Operation, examples: &Examples) -> OperationView {
        let models = "../models/";
        let mut params: Vec<ParamRow> = op
            .parameters
            .iter()
            .map(|p| {
                let positional = surface::is_positional(p);
                let shown = if positional {
                    surface::param_arg_display(model, &p.ty)
                } else {
                    surface::type_display(&p.ty)
                };
                let mut required = if p.required { "True" } else { "False" }.to_string();
                if let Some(default) = &p.default {
                    required.push_str(&format!(" (default to {})", json_code(default, true)));
                }
                ParamRow {
                    location: p.location.as_str(),
                    name: mdx::literal(&p.rust_name),
                    data_type: type_cell(model, &shown, &p.ty, models, true),
                    required,
                    description: described(p.description.as_deref(), p.deprecated),
                }
            })
            .collect();
        if let Some(body) = &op.request_body {
            params.push(ParamRow {
                location: "Body",
                name: mdx::literal(&body.rust_name),
                data_type: type_cell(
                    model,
                    &surface::type_display(&body.ty),
                    &body.ty,
                    models,
                    true,
                ),
                required: if body.required { "True" } else { "False" }.to_string(),
                description: described(body.description.as_deref(), false),
            });
        }

        let return_type = if surface::returns_unit(op) {
            "(empty response body)".to_string()
        } else {
            let ty = surface::return_type(op);
            type_cell(model, &surface::return_type_display(op), &ty, models, true)
        };

        let responses = op
            .responses
            .iter()
            .map(|r| ResponseRow {
                code: mdx::literal(&r.status.label()),
                description: mdx::cell(&r.description),
                data_type: r
                    .body
                    .as_ref()
                    .map(|b| type_cell(model, &surface::type_display(&b.ty), &b.ty, models, false))
                    .unwrap_or_default(),
                headers: if r.headers.is_empty() {
                    "-".to_string()
                } else {
                    r.headers
                        .iter()
                        .map(|h| match non_empty(h.description.as_deref()) {
                            Some(d) => format!("**{}** - {}", mdx::literal(&h.name), mdx::cell(d)),
                            None => format!("**{}**", mdx::literal(&h.name)),
                        })
                        .collect::<Vec<_>>()
                        .join("<br/>")
                },
            })
            .collect();

        let mut accept: Vec<&str> = Vec::new();
        for body in op.responses.iter().filter_map(|r| r.body.as_ref()) {
            if !accept.contains(&body.content_type.as_str()) {
                accept.push(&body.content_type);
            }
        }

        OperationView {
            heading: mdx::literal(&op.names.doc_anchor),
            deprecated: op.deprecated,
            experimental: op.experimental,
            summary: non_empty(op.summary.as_deref()).map(mdx::block),
            description: non_empty(op.description.as_deref()).map(mdx::block),
            spec_url: format!("{API_SPEC_BASE}/{}/{}", model.version, op.names.doc_anchor),
            params,
            params_struct: surface::has_params_struct(op)
                .then(|| mdx::code_span(&op.names.rust_params, false)),
            return_type,
            responses,
            content_type: op
                .request_body
                .as_ref()
                .map_or("Not defined".to_string(), |b| mdx::literal(&b.content_type)),
            accept: if accept.is_empty() {
                "Not defined".to_string()
            } else {
                mdx::literal(&accept.join(", "))
            },
            example: CodeBlock::new(examples.operation(op)),
        }
    }
}

/// A description cell, marked when deprecated.
fn described(description: Option<&str>, deprecated: bool) -> String {
    let text = description.map(mdx::cell).unwrap_or_default();
    match (deprecated, text.is_empty()) {
        (false, _) => text,
        (true, true) => "**Deprecated.**".to_string(),
        (true, false) => format!("**Deprecated.** {text}"),
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

// -------------------------------------------------------------------- model page

/// `docs/models/<type>.md`: one named type.
#[derive(Template)]
#[template(path = "docs/model.md", escape = "none")]
pub struct ModelPage {
    pub front: FrontMatter,
    /// The Rust type name.
    pub heading: String,
    pub deprecated: bool,
    pub description: Option<String>,
    /// Fields of an object type.
    pub properties: Option<Vec<PropertyRow>>,
    /// The value type of properties beyond the listed ones, linked when named.
    pub additional: Option<String>,
    /// Values of an enum.
    pub enum_values: Option<Vec<EnumRow>>,
    /// Variants of a union.
    pub variants: Option<VariantsView>,
    /// What an alias stands for, linked when named.
    pub alias: Option<String>,
    pub example: Option<CodeBlock>,
}

/// A row of the properties table.
pub struct PropertyRow {
    /// The Rust field name (without `r#`).
    pub name: String,
    pub ty: String,
    pub description: String,
    /// `[required]`/`[optional]`, `[readonly]`, `[writeonly]`, default, `[deprecated]`.
    pub notes: String,
}

/// An enum value: the Rust variant and the value on the wire.
pub struct EnumRow {
    pub variant: String,
    pub value: String,
}

/// The variants of a union.
pub struct VariantsView {
    /// `oneOf` or `anyOf`, as a sentence.
    pub intro: String,
    /// A discriminator property tells the variants apart: the table shows its values.
    pub discriminated: bool,
    pub rows: Vec<VariantRow>,
}

pub struct VariantRow {
    pub variant: String,
    pub ty: String,
    pub description: String,
    /// The discriminator values that select this variant (when discriminated).
    pub notes: String,
}

impl ModelPage {
    pub fn new(model: &Model, def: &TypeDef, examples: &Examples) -> ModelPage {
        let name = &def.names.rust;
        let mut page = ModelPage {
            front: FrontMatter::page(model, "models", &def.names.doc_slug, name),
            heading: mdx::literal(name),
            deprecated: def.deprecated,
            description: non_empty(def.description.as_deref()).map(mdx::block),
            properties: None,
            additional: None,
            enum_values: None,
            variants: None,
            alias: None,
            example: examples.model(def).map(CodeBlock::new),
        };
        match &def.kind {
            TypeKind::Object(object) => {
                page.properties = Some(
                    object
                        .fields
                        .iter()
                        .map(|f| PropertyRow::new(model, f))
                        .collect(),
                );
                page.additional = object
                    .additional
                    .as_ref()
                    .map(|ty| type_cell(model, &surface::type_display(ty), ty, "", true));
            }
            TypeKind::Enum(e) => {
                page.enum_values = Some(
                    e.values
                        .iter()
                        .map(|v| EnumRow {
                            variant: mdx::code_span(&v.rust_variant, false),
                            value: json_code(&v.wire, false),
                        })
                        .collect(),
                );
            }
            TypeKind::Union(u) => page.variants = Some(VariantsView::new(model, u)),
            TypeKind::Alias(ty) => {
                page.alias = Some(type_cell(model, &surface::type_display(ty), ty, "", true))
            }
        }
        page
    }
}

impl PropertyRow {
    fn new(model: &Model, f: &Field) -> PropertyRow {
        let name = f.rust_name.strip_prefix("r#").unwrap_or(&f.rust_name);
        let mut notes = vec![if f.required {
            "[required]"
        } else {
            "[optional]"
        }
        .to_string()];
        if f.read_only {
            notes.push("[readonly]".to_string());
        }
        if f.write_only {
            notes.push("[writeonly]".to_string());
        }
        if let Some(default) = &f.default {
            notes.push(format!("[default to {}]", json_code(default, true)));
        }
        if f.deprecated {
            notes.push("[deprecated]".to_string());
        }
        PropertyRow {
            name: mdx::literal(name),
            ty: type_cell(
                model,
                &surface::field_type_display(model, f),
                &f.ty,
                "",
                true,
            ),
            description: f.description.as_deref().map(mdx::cell).unwrap_or_default(),
            notes: notes.join(" "),
        }
    }
}

impl VariantsView {
    fn new(model: &Model, u: &UnionType) -> VariantsView {
        let intro = match (u.kind, &u.discriminator) {
            (UnionKind::OneOf, None) => {
                "A value of exactly one of these types (`oneOf`):".to_string()
            }
            (UnionKind::AnyOf, None) => {
                "A value of one or more of these types (`anyOf`):".to_string()
            }
            (kind, Some(d)) => format!(
                "A value of {} these types (`{}`); its {} property tells which:",
                if kind == UnionKind::OneOf {
                    "exactly one of"
                } else {
                    "one or more of"
                },
                if kind == UnionKind::OneOf {
                    "oneOf"
                } else {
                    "anyOf"
                },
                mdx::code_span(&d.property, false)
            ),
        };
        let rows = u
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let description = non_empty(v.description.as_deref())
                    .or(non_empty(v.title.as_deref()))
                    .map(mdx::cell)
                    .unwrap_or_default();
                let notes = u
                    .discriminator
                    .iter()
                    .flat_map(|d| d.mapping.iter())
                    .filter(|(_, index)| *index == i)
                    .map(|(value, _)| mdx::code_span(value, true))
                    .collect::<Vec<_>>()
                    .join(", ");
                VariantRow {
                    variant: format!("**{}**", mdx::literal(&v.rust_variant)),
                    ty: type_cell(model, &surface::type_display(&v.ty), &v.ty, "", true),
                    description,
                    notes,
                }
            })
            .chain(u.discriminator.iter().map(|d| VariantRow {
                variant: format!("**{}**", mdx::literal(&d.unknown_variant)),
                ty: mdx::literal("serde_json::Value"),
                description: format!(
                    "An object whose {} this version of the client does not know, kept as sent.",
                    mdx::code_span(&d.property, true)
                ),
                notes: "any other".to_string(),
            }))
            .collect();
        VariantsView {
            intro,
            discriminated: u.discriminator.is_some(),
            rows,
        }
    }
}

// ------------------------------------------------------------------- index pages

/// `docs/methods/index.md`: every API with the first sentence of its description.
#[derive(Template)]
#[template(path = "docs/methods_index.md", escape = "none")]
pub struct MethodsIndex {
    pub front: FrontMatter,
    /// `V2024`.
    pub version_title: String,
    /// The client crate's package name and version, for the `Cargo.toml` lines.
    pub crate_name: &'static str,
    pub crate_version: &'static str,
    /// The first API's cargo feature, for the example of enabling only some APIs.
    pub first_feature: Option<String>,
    pub entries: Vec<IndexEntry>,
}

/// `docs/models/index.md`: every model.
#[derive(Template)]
#[template(path = "docs/models_index.md", escape = "none")]
pub struct ModelsIndex {
    pub front: FrontMatter,
    pub version_title: String,
    pub entries: Vec<IndexEntry>,
}

/// A link to a page, with the first sentence of its description.
pub struct IndexEntry {
    pub title: String,
    /// The page's file, relative to the index (Docusaurus resolves `.md` links as files).
    pub href: String,
    pub summary: Option<String>,
}

impl IndexEntry {
    fn new(title: &str, slug: &str, description: Option<&str>) -> IndexEntry {
        IndexEntry {
            title: mdx::literal(title),
            href: format!("{slug}.md"),
            summary: non_empty(description)
                .map(mdx::first_sentence)
                .filter(|s| !s.is_empty())
                .map(|s| mdx::cell(&s)),
        }
    }
}

impl MethodsIndex {
    pub fn new(model: &Model) -> MethodsIndex {
        MethodsIndex {
            front: FrontMatter::index(model, "methods", "Methods"),
            version_title: capitalized(&model.version),
            crate_name: crate::CRATE_NAME,
            crate_version: crate::CRATE_VERSION,
            first_feature: model.apis.first().map(|a| a.names.feature.clone()),
            entries: model
                .apis
                .iter()
                .map(|a| {
                    IndexEntry::new(
                        &a.names.doc_title,
                        &a.names.doc_slug,
                        a.description.as_deref(),
                    )
                })
                .collect(),
        }
    }
}

impl ModelsIndex {
    pub fn new(model: &Model) -> ModelsIndex {
        ModelsIndex {
            front: FrontMatter::index(model, "models", "Models"),
            version_title: capitalized(&model.version),
            entries: model
                .types
                .iter()
                .map(|t| {
                    IndexEntry::new(&t.names.rust, &t.names.doc_slug, t.description.as_deref())
                })
                .collect(),
        }
    }
}
