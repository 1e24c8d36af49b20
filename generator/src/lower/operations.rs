//! Lowering operations: parameters, bodies, responses, security, paging.

use openapiv3::{
    MediaType as OaMediaType, Parameter as OaParameter, ParameterSchemaOrContent, QueryStyle,
    ReferenceOr, StatusCode,
};
use serde_json::Value;

use super::names::{self, Scope};
use super::types::{Hint, SRef, TypeLowerer};
use crate::model::*;
use crate::select::{last, SelectedOperation};

/// The header that marks experimental operations; the runtime sends it, callers don't pass it.
const EXPERIMENTAL_HEADER: &str = "X-SailPoint-Experimental";

pub(crate) struct OperationLowerer<'a, 'b> {
    pub types: &'b mut TypeLowerer<'a>,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl<'a> OperationLowerer<'a, '_> {
    fn warn(&mut self, origin: &str, pointer: &str, message: String) {
        let loc = self.types.spec.locate(origin, pointer);
        self.types.warnings.push(format!("{loc}: {message}"));
    }

    pub fn lower(&mut self, sel: &SelectedOperation<'a>, fn_scope: &mut Scope) -> Operation {
        let op = sel.operation;
        let origin = format!("paths/{}", sel.path);
        let method_key = sel.method.as_str().to_ascii_lowercase();
        let id = match &op.operation_id {
            Some(id) => id.clone(),
            None => {
                let id = format!("{}{}", method_key, names::type_name(sel.path));
                self.warn(
                    &origin,
                    &format!("/{method_key}"),
                    format!("operation has no operationId; named {id:?}"),
                );
                id
            }
        };
        let type_base = names::type_name(&id);
        let names = OperationNames {
            rust_fn: fn_scope.unique(&names::value_name(&id), true),
            rust_error: format!("{type_base}Error"),
            rust_params: format!("{type_base}Params"),
            doc_anchor: names::slug(&id),
        };

        // Parameters: the path item's, overridden by the operation's of the same name and place.
        let api = &self.types.spec.api;
        let mut raw: Vec<(&'a OaParameter, String, String)> = Vec::new();
        let all = sel
            .path_parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("/{method_key}/parameters/{i}"))),
            );
        for (p, pointer) in all {
            let (param, porigin, ppointer) = match p {
                ReferenceOr::Item(p) => (p, origin.clone(), pointer),
                ReferenceOr::Reference { reference } => {
                    let key = last(reference);
                    match api
                        .components
                        .as_ref()
                        .and_then(|c| c.parameters.get(&key))
                        .and_then(ReferenceOr::as_item)
                    {
                        Some(p) => (p, format!("components/parameters/{key}"), String::new()),
                        None => {
                            let loc = self.types.spec.locate(&origin, &pointer);
                            self.types.problems.push(format!(
                                "  {loc}: parameter $ref {reference:?} names no component"
                            ));
                            continue;
                        }
                    }
                }
            };
            let d = param.parameter_data_ref();
            let same = |q: &OaParameter| {
                q.parameter_data_ref().name == d.name
                    && std::mem::discriminant(q) == std::mem::discriminant(param)
            };
            if let Some(slot) = raw.iter_mut().find(|(q, ..)| same(q)) {
                *slot = (param, porigin, ppointer);
            } else {
                raw.push((param, porigin, ppointer));
            }
        }

        let mut experimental = false;
        let mut scope = Scope::new();
        let mut parameters = Vec::new();
        for (param, porigin, ppointer) in raw {
            let d = param.parameter_data_ref();
            if d.name.eq_ignore_ascii_case(EXPERIMENTAL_HEADER) {
                experimental = true;
                continue;
            }
            let (location, array_style) = match param {
                OaParameter::Path { .. } => (ParamLocation::Path, ArrayStyle::Csv),
                OaParameter::Query { style, .. } => {
                    let explode = d.explode.unwrap_or(matches!(style, QueryStyle::Form));
                    (
                        ParamLocation::Query,
                        if explode && matches!(style, QueryStyle::Form) {
                            ArrayStyle::Multi
                        } else {
                            ArrayStyle::Csv
                        },
                    )
                }
                OaParameter::Header { .. } => (ParamLocation::Header, ArrayStyle::Csv),
                OaParameter::Cookie { .. } => (ParamLocation::Cookie, ArrayStyle::Csv),
            };
            let hint = Hint {
                name: format!("{type_base}{}", names::type_name(&d.name)),
                origin: porigin.clone(),
                pointer: format!("{ppointer}/schema"),
            };
            let (ty, default, schema_example, maximum) = match &d.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let sref = SRef::from(s);
                    let (default, example) = match s {
                        ReferenceOr::Item(s) => {
                            (s.schema_data.default.clone(), s.schema_data.example.clone())
                        }
                        ReferenceOr::Reference { .. } => (None, None),
                    };
                    let maximum = self.types.maximum(sref);
                    (self.types.lower(sref, &hint), default, example, maximum)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let schema = content.values().next().and_then(|m| m.schema.as_ref());
                    match schema {
                        Some(s) => (self.types.lower(SRef::from(s), &hint), None, None, None),
                        None => (TypeRef::Primitive(Primitive::String), None, None, None),
                    }
                }
            };
            let example = d
                .example
                .clone()
                .or_else(|| d.examples.values().find_map(|e| self.example_value(e)))
                .or(schema_example);
            parameters.push(Parameter {
                wire_name: d.name.clone(),
                rust_name: scope.unique(&names::value_name(&d.name), true),
                location,
                ty,
                required: d.required || location == ParamLocation::Path,
                default,
                description: d.description.clone(),
                example,
                deprecated: d.deprecated.unwrap_or(false),
                array_style,
                maximum,
            });
        }

        let path_segments = self.path_template(sel, &origin, &mut parameters, &mut scope);
        // Path parameters first, in template order; then the rest as declared.
        let mut order: Vec<usize> = path_segments
            .iter()
            .filter_map(|s| match s {
                PathSegment::Param(i) => Some(*i),
                PathSegment::Literal(_) => None,
            })
            .collect();
        let rest: Vec<usize> = (0..parameters.len())
            .filter(|i| !order.contains(i))
            .collect();
        order.extend(rest);
        let reordered: Vec<Parameter> = order.iter().map(|&i| parameters[i].clone()).collect();
        let remap = |i: usize| order.iter().position(|&j| j == i).unwrap_or(i);
        let path_segments = path_segments
            .into_iter()
            .map(|s| match s {
                PathSegment::Param(i) => PathSegment::Param(remap(i)),
                lit => lit,
            })
            .collect();

        let request_body = self.request_body(sel, &origin, &method_key, &type_base, &mut scope);
        let responses = self.responses(sel, &origin, &method_key, &type_base);
        let security = op
            .security
            .as_ref()
            .or(api.security.as_ref())
            .map(|reqs| {
                reqs.iter()
                    .map(|req| {
                        req.iter()
                            .map(|(scheme, scopes)| SecurityScope {
                                scheme: scheme.clone(),
                                scopes: scopes.clone(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();

        let mut operation = Operation {
            id,
            names,
            method: sel.method,
            path: sel.path.to_string(),
            path_segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            experimental,
            parameters: reordered,
            request_body,
            responses,
            security,
            pagination: None,
        };
        operation.pagination = pagination(&operation);
        operation
    }

    /// Splits the path template; the template's names win over mismatched declared names.
    fn path_template(
        &mut self,
        sel: &SelectedOperation<'a>,
        origin: &str,
        parameters: &mut Vec<Parameter>,
        scope: &mut Scope,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut rest = sel.path;
        let mut names_in_template = Vec::new();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_string()));
            }
            names_in_template.push(rest[start + 1..start + len].to_string());
            segments.push(PathSegment::Param(usize::MAX));
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        let declared: Vec<usize> = (0..parameters.len())
            .filter(|&i| parameters[i].location == ParamLocation::Path)
            .collect();
        let mut unmatched_declared: Vec<usize> = declared
            .iter()
            .copied()
            .filter(|&i| !names_in_template.contains(&parameters[i].wire_name))
            .collect();
        let method_key = sel.method.as_str().to_ascii_lowercase();
        let mut indexes = Vec::new();
        for name in &names_in_template {
            let idx = match declared
                .iter()
                .copied()
                .find(|&i| &parameters[i].wire_name == name)
            {
                Some(i) => i,
                None if !unmatched_declared.is_empty() => {
                    let i = unmatched_declared.remove(0);
                    let old = parameters[i].wire_name.clone();
                    self.warn(
                        origin,
                        &format!("/{method_key}"),
                        format!(
                            "path template names {{{name}}} but the declared path parameter is {old:?}; the template wins"
                        ),
                    );
                    parameters[i].wire_name = name.clone();
                    i
                }
                None => {
                    self.warn(
                        origin,
                        &format!("/{method_key}"),
                        format!("path template names {{{name}}}, which no parameter declares; taken as a required string"),
                    );
                    parameters.push(Parameter {
                        wire_name: name.clone(),
                        rust_name: scope.unique(&names::value_name(name), true),
                        location: ParamLocation::Path,
                        ty: TypeRef::Primitive(Primitive::String),
                        required: true,
                        default: None,
                        description: None,
                        example: None,
                        deprecated: false,
                        array_style: ArrayStyle::Csv,
                        maximum: None,
                    });
                    parameters.len() - 1
                }
            };
            indexes.push(idx);
        }
        for i in unmatched_declared.iter().rev() {
            let name = parameters[*i].wire_name.clone();
            self.warn(
                origin,
                &format!("/{method_key}"),
                format!("declared path parameter {name:?} is not in the path template; dropped"),
            );
        }
        // Drop unused path parameters, then point segments at the right indexes.
        let dropped: Vec<usize> = unmatched_declared;
        let mut it = indexes.into_iter();
        let segments: Vec<PathSegment> = segments
            .into_iter()
            .map(|s| match s {
                PathSegment::Param(_) => PathSegment::Param(it.next().unwrap_or(0)),
                lit => lit,
            })
            .collect();
        let mut kept_index = Vec::new();
        let mut new_params = Vec::new();
        for (i, p) in parameters.drain(..).enumerate() {
            if dropped.contains(&i) {
                kept_index.push(usize::MAX);
            } else {
                kept_index.push(new_params.len());
                new_params.push(p);
            }
        }
        *parameters = new_params;
        segments
            .into_iter()
            .map(|s| match s {
                PathSegment::Param(i) => PathSegment::Param(kept_index[i]),
                lit => lit,
            })
            .collect()
    }

    fn example_value(&self, e: &ReferenceOr<openapiv3::Example>) -> Option<Value> {
        match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { reference } => self
                .types
                .spec
                .api
                .components
                .as_ref()?
                .examples
                .get(&last(reference))?
                .as_item()?
                .value
                .clone(),
        }
    }

    fn media_example(&self, m: &OaMediaType) -> Option<Value> {
        m.example
            .clone()
            .or_else(|| m.examples.values().find_map(|e| self.example_value(e)))
    }

    fn request_body(
        &mut self,
        sel: &SelectedOperation<'a>,
        origin: &str,
        method_key: &str,
        type_base: &str,
        scope: &mut Scope,
    ) -> Option<RequestBody> {
        let (body, borigin, bpointer) = match sel.operation.request_body.as_ref()? {
            ReferenceOr::Item(b) => (b, origin.to_string(), format!("/{method_key}/requestBody")),
            ReferenceOr::Reference { reference } => {
                let key = last(reference);
                let b = self
                    .types
                    .spec
                    .api
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(&key)?
                    .as_item()?;
                (b, format!("components/requestBodies/{key}"), String::new())
            }
        };
        let (content_type, media) = pick_media(&body.content)?;
        let hint = Hint {
            name: format!("{type_base}Request"),
            origin: borigin,
            pointer: format!("{bpointer}/content/{}/schema", escape(content_type)),
        };
        let ty = match &media.schema {
            Some(s) => self.types.lower(SRef::from(s), &hint),
            None => TypeRef::Any,
        };
        if classify(content_type, &ty) == MediaType::Multipart {
            self.types.file_parts(&ty);
        }
        let base_name = match &ty {
            TypeRef::Named(TypeId(n)) => names::value_name(n),
            TypeRef::Array(inner) => match &**inner {
                TypeRef::Named(TypeId(n)) => names::value_name(n),
                _ => "body".to_string(),
            },
            _ => "body".to_string(),
        };
        let rust_name = if scope.contains(&base_name) {
            scope.unique(
                &format!("{}_body", base_name.trim_start_matches("r#")),
                true,
            )
        } else {
            scope.unique(&base_name, true)
        };
        Some(RequestBody {
            content_type: content_type.to_string(),
            media: classify(content_type, &ty),
            ty,
            required: body.required,
            description: body.description.clone(),
            rust_name,
            example: self.media_example(media),
        })
    }

    fn responses(
        &mut self,
        sel: &SelectedOperation<'a>,
        origin: &str,
        method_key: &str,
        type_base: &str,
    ) -> Vec<Response> {
        let r = &sel.operation.responses;
        let mut out = Vec::new();
        let entries = r
            .responses
            .iter()
            .map(|(code, resp)| {
                let status = match code {
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r as u8),
                };
                (status, resp)
            })
            .chain(r.default.iter().map(|d| (Status::Default, d)));
        let mut variants = Scope::new();
        for (status, resp) in entries {
            let label = status.label();
            let (resp, rorigin, rpointer, hint_name) = match resp {
                ReferenceOr::Item(x) => {
                    let name = if status.is_success() {
                        format!("{type_base}Response")
                    } else {
                        format!("{type_base}{label}Response")
                    };
                    (
                        x,
                        origin.to_string(),
                        format!("/{method_key}/responses/{label}"),
                        name,
                    )
                }
                ReferenceOr::Reference { reference } => {
                    let key = last(reference);
                    let Some(x) = self
                        .types
                        .spec
                        .api
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(&key))
                        .and_then(ReferenceOr::as_item)
                    else {
                        let loc = self
                            .types
                            .spec
                            .locate(origin, &format!("/{method_key}/responses/{label}"));
                        self.types.problems.push(format!(
                            "  {loc}: response $ref {reference:?} names no component"
                        ));
                        continue;
                    };
                    let name = if key.starts_with(|c: char| c.is_ascii_digit()) {
                        format!("Response{key}")
                    } else {
                        format!("{key}Response")
                    };
                    (
                        x,
                        format!("components/responses/{key}"),
                        String::new(),
                        names::type_name(&name),
                    )
                }
            };
            let body = pick_media(&resp.content).map(|(content_type, media)| {
                let hint = Hint {
                    name: hint_name.clone(),
                    origin: rorigin.clone(),
                    pointer: format!("{rpointer}/content/{}/schema", escape(content_type)),
                };
                let (ty, nullable) = match &media.schema {
                    Some(s) => (
                        self.types.lower(SRef::from(s), &hint),
                        self.types.nullable(SRef::from(s)),
                    ),
                    None => (TypeRef::Any, false),
                };
                ResponseBody {
                    content_type: content_type.to_string(),
                    media: classify(content_type, &ty),
                    ty,
                    nullable,
                    example: self.media_example(media),
                }
            });
            let headers = resp
                .headers
                .iter()
                .map(|(name, h)| {
                    let (description, ty) = match h {
                        ReferenceOr::Item(h) => {
                            let ty = match &h.format {
                                ParameterSchemaOrContent::Schema(s) => {
                                    let hint = Hint {
                                        name: format!("{hint_name}{}", names::type_name(name)),
                                        origin: rorigin.clone(),
                                        pointer: format!(
                                            "{rpointer}/headers/{}/schema",
                                            escape(name)
                                        ),
                                    };
                                    self.types.lower(SRef::from(s), &hint)
                                }
                                ParameterSchemaOrContent::Content(_) => {
                                    TypeRef::Primitive(Primitive::String)
                                }
                            };
                            (h.description.clone(), ty)
                        }
                        ReferenceOr::Reference { .. } => {
                            (None, TypeRef::Primitive(Primitive::String))
                        }
                    };
                    ResponseHeader {
                        name: name.clone(),
                        description,
                        ty,
                    }
                })
                .collect();
            let variant = match status {
                Status::Code(c) => names::status_variant(c),
                Status::Range(r) => format!("Status{r}xx"),
                Status::Default => "Default".to_string(),
            };
            out.push(Response {
                status,
                description: resp.description.clone(),
                rust_variant: variants.unique(&variant, false),
                body,
                headers,
            });
        }
        out.sort_by_key(|r| r.status);
        out
    }
}

/// The media type to generate for: JSON first, then JSON Patch, multipart, form, the rest.
fn pick_media(content: &indexmap::IndexMap<String, OaMediaType>) -> Option<(&str, &OaMediaType)> {
    let rank = |ct: &str| {
        let ct = ct.to_ascii_lowercase();
        if ct == "application/json" || ct.starts_with("application/json;") {
            0
        } else if ct.contains("json-patch") {
            1
        } else if ct.ends_with("+json") || ct.contains("json") {
            2
        } else if ct.starts_with("multipart/form-data") {
            3
        } else if ct.starts_with("application/x-www-form-urlencoded") {
            4
        } else {
            5
        }
    };
    content
        .iter()
        .min_by_key(|(ct, _)| rank(ct))
        .map(|(ct, m)| (ct.as_str(), m))
}

fn classify(content_type: &str, ty: &TypeRef) -> MediaType {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("json-patch") {
        MediaType::JsonPatch
    } else if ct.contains("json") {
        if *ty == TypeRef::Primitive(Primitive::Binary) {
            MediaType::Binary
        } else {
            MediaType::Json
        }
    } else if ct.starts_with("multipart/form-data") {
        MediaType::Multipart
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        MediaType::FormUrlEncoded
    } else if ct.starts_with("text/") && *ty != TypeRef::Primitive(Primitive::Binary) {
        MediaType::Text
    } else {
        MediaType::Binary
    }
}

/// Limit/offset paging: an operation with both query parameters whose success body is a list.
fn pagination(op: &Operation) -> Option<Pagination> {
    let find = |name: &str| {
        op.parameters
            .iter()
            .position(|p| p.location == ParamLocation::Query && p.wire_name == name)
    };
    let limit_param = find("limit")?;
    let offset_param = find("offset")?;
    let item = match &op.success()?.body.as_ref()?.ty {
        TypeRef::Array(item) => (**item).clone(),
        _ => return None,
    };
    // The largest page the spec allows; 250 (the API's usual maximum) when it says nothing.
    let max_limit = match op.parameters[limit_param].maximum {
        Some(m) if m >= 1.0 => m.floor().min(u32::MAX as f64) as u64,
        _ => 250,
    };
    Some(Pagination {
        limit_param,
        offset_param,
        count_param: find("count"),
        item,
        max_limit,
    })
}
