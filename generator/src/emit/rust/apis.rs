//! API files: one struct per tag with one async method per operation, its error enum and its
//! optional-parameters struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::surface;
use super::tokens::{doc, doc_parts, doc_raw, ident, ty, uses};
use crate::error::Error;
use crate::model::*;

pub fn api_file(model: &Model, api: &Api) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", api.names.rust_struct);
    let module_doc = format!("The {} API.", api.tag);
    let struct_doc = doc_parts(&[Some(&module_doc), api.description.as_deref()]);
    let mut methods = Vec::new();
    let mut extras = Vec::new();
    for op in &api.operations {
        let (method, extra) = operation(model, api, op)?;
        methods.push(method);
        extras.push(extra);
    }
    let mod_doc = format!(" {module_doc}");
    let mut imports = surface::Imports::default();
    let mut client = vec![quote!(ApiClient)];
    for op in &api.operations {
        for p in &op.parameters {
            imports.add(&p.ty);
        }
        if let Some(b) = &op.request_body {
            if !matches!(b.media, MediaType::Binary | MediaType::Text) {
                imports.add(&b.ty);
            }
        }
        if !surface::returns_unit(op) {
            imports.add(&surface::return_type(op));
        }
        for r in op.errors() {
            if let Some(b) = r
                .body
                .as_ref()
                .filter(|b| matches!(b.media, MediaType::Json | MediaType::JsonPatch))
            {
                imports.add(&b.ty);
            }
        }
    }
    if api.operations.iter().any(|o| {
        o.path_segments
            .iter()
            .any(|s| matches!(s, PathSegment::Param(_)))
    }) {
        client.insert(0, quote!(encode_path_segment));
    }
    if api.operations.iter().any(|o| {
        o.request_body
            .as_ref()
            .is_some_and(|b| b.media == MediaType::Multipart)
    }) {
        client.push(quote!(Part));
    }
    let model_uses = uses(&imports, "crate::v2024::models", None);
    let mut paged = false;
    for op in &api.operations {
        paged |= paging_parts(model, op)?.is_some();
    }
    let paging_uses = paged.then(|| {
        quote! {
            use crate::v2024::paging::{self, Page};
            use futures_util::Stream;
        }
    });
    let mentions_deprecated = api
        .operations
        .iter()
        .any(|o| o.deprecated || o.parameters.iter().any(|p| p.deprecated))
        || imports.models.iter().any(|m| {
            model
                .type_def(&TypeId(m.clone()))
                .is_some_and(|d| d.deprecated)
        });
    let allow = mentions_deprecated.then(|| quote!(#![allow(deprecated)]));
    Ok(quote! {
        #![doc = #mod_doc]
        #allow

        use crate::v2024::client::{#(#client),*};
        use crate::v2024::error::Error;
        #paging_uses
        #model_uses

        #struct_doc
        #[derive(Debug, Clone)]
        pub struct #name {
            client: ApiClient,
        }

        impl #name {
            /// The API on a client. Cheap: clients share one connection pool and token cache.
            pub fn new(client: &ApiClient) -> Self {
                Self { client: client.clone() }
            }

            #(#methods)*
        }

        #(#extras)*
    })
}

/// How a value of this type is written into a query string or header.
fn to_text(model: &Model, t: &TypeRef, v: TokenStream) -> TokenStream {
    match t {
        TypeRef::Primitive(Primitive::DateTime) => quote!(#v.to_rfc3339()),
        TypeRef::Primitive(_) => v,
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Enum(_)) => v,
            Some(TypeKind::Alias(inner))
                if !matches!(
                    inner,
                    TypeRef::Named(_)
                        | TypeRef::Array(_)
                        | TypeRef::Map(_)
                        | TypeRef::Any
                        | TypeRef::Object
                ) =>
            {
                v
            }
            _ => quote!(serde_json::to_string(&#v).unwrap_or_default()),
        },
        _ => quote!(serde_json::to_string(&#v).unwrap_or_default()),
    }
}

fn operation(
    model: &Model,
    api: &Api,
    op: &Operation,
) -> Result<(TokenStream, TokenStream), Error> {
    let fn_name = ident(&op.names.rust_fn);
    let error_name = format_ident!("{}", op.names.rust_error);
    let params_name = format_ident!("{}", op.names.rust_params);

    // Arguments: required parameters in order, the body, then the optional-parameters struct.
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    // The stream method's arguments: references live as long as the stream ('a).
    let mut stream_args = Vec::new();
    let mut stream_call_args = Vec::new();
    for p in op.parameters.iter().filter(|p| surface::is_positional(p)) {
        let n = ident(&p.rust_name);
        let text = surface::param_arg_display(model, &p.ty);
        let t = ty(&text)?;
        args.push(quote!(#n: #t));
        let ts = ty(&text.replacen('&', "&'a ", 1))?;
        stream_args.push(quote!(#n: #ts));
        // The stream calls the page method again and again: owned (enum) arguments are cloned.
        stream_call_args.push(
            if matches!(p.ty, TypeRef::Named(_)) && !text.starts_with('&') {
                quote!(#n.clone())
            } else {
                quote!(#n)
            },
        );
        arg_names.push(n);
    }
    if let Some(b) = &op.request_body {
        let n = ident(&b.rust_name);
        let text = surface::param_arg_display(model, &b.ty);
        let t = ty(&text)?;
        let ts = ty(&text.replacen('&', "&'a ", 1))?;
        if b.required {
            args.push(quote!(#n: #t));
            stream_args.push(quote!(#n: #ts));
        } else {
            args.push(quote!(#n: Option<#t>));
            stream_args.push(quote!(#n: Option<#ts>));
        }
        stream_call_args.push(quote!(#n));
        arg_names.push(n);
    }
    let has_params = surface::has_params_struct(op);
    if has_params {
        args.push(quote!(params: #params_name));
        stream_args.push(quote!(params: #params_name));
        stream_call_args.push(quote!(params));
        arg_names.push(format_ident!("params"));
    }

    // The path, each parameter encoded as one segment.
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    for s in &op.path_segments {
        match s {
            PathSegment::Literal(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
            PathSegment::Param(i) => {
                let p = &op.parameters[*i];
                let n = ident(&p.rust_name);
                fmt.push_str("{}");
                let text = match &p.ty {
                    TypeRef::Primitive(Primitive::String | Primitive::Uuid | Primitive::Byte) => {
                        quote!(#n)
                    }
                    _ => quote!(&#n.to_string()),
                };
                fmt_args.push(quote!(encode_path_segment(#text)));
            }
        }
    }
    let path = if fmt_args.is_empty() {
        quote!(String::from(#fmt))
    } else {
        quote!(format!(#fmt, #(#fmt_args),*))
    };
    let method = format_ident!("{}", op.method.as_str());

    let mut steps = Vec::new();
    if op.experimental {
        let id = &op.id;
        steps.push(quote!(let request = request.experimental(#id);));
    }
    for p in op
        .parameters
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        let wire = &p.wire_name;
        let n = ident(&p.rust_name);
        let value = if surface::is_positional(p) {
            quote!(#n)
        } else {
            quote!(value)
        };
        let set = match (&p.location, &p.ty) {
            (ParamLocation::Query, TypeRef::Array(item)) => {
                let item_text = to_text(model, item, quote!(v));
                let call = if p.array_style == ArrayStyle::Multi {
                    quote!(query_multi)
                } else {
                    quote!(query_csv)
                };
                if item_text.to_string() == "v" {
                    quote!(request.#call(#wire, #value.iter()))
                } else {
                    quote!(request.#call(#wire, #value.iter().map(|v| #item_text)))
                }
            }
            (ParamLocation::Query, t) => {
                let text = to_text(model, t, quote!(#value));
                quote!(request.query(#wire, #text))
            }
            (ParamLocation::Header, TypeRef::Array(item)) => {
                let item_text = to_text(model, item, quote!(v));
                quote!(request.header(#wire, #value.iter().map(|v| (#item_text).to_string()).collect::<Vec<_>>().join(",")))
            }
            (ParamLocation::Header, t) => {
                let text = to_text(model, t, quote!(#value));
                quote!(request.header(#wire, #text))
            }
            (ParamLocation::Cookie, t) => {
                let text = to_text(model, t, quote!(#value));
                quote!(request.header("Cookie", format!("{}={}", #wire, #text)))
            }
            (ParamLocation::Path, _) => continue,
        };
        if surface::is_positional(p) {
            steps.push(quote!(let request = #set;));
        } else {
            steps.push(quote! {
                let request = match &params.#n {
                    Some(value) => #set,
                    None => request,
                };
            });
        }
    }
    if let Some(b) = &op.request_body {
        let n = ident(&b.rust_name);
        let ct = &b.content_type;
        let set = match b.media {
            MediaType::Json | MediaType::JsonPatch => quote!(request.json(#ct, body)),
            MediaType::FormUrlEncoded => quote!(request.form(body)),
            MediaType::Text => quote!(request.text(#ct, body.to_string())),
            MediaType::Binary => quote!(request.bytes(#ct, bytes::Bytes::copy_from_slice(body))),
            MediaType::Multipart => multipart(model, &b.ty)?,
        };
        if b.required {
            if b.rust_name != "body" {
                steps.push(quote!(let body = #n;));
            }
            steps.push(quote!(let request = #set;));
        } else {
            steps.push(quote! {
                let request = match #n {
                    Some(body) => #set,
                    None => request,
                };
            });
        }
    }
    if let Some(success) = op.success().and_then(|r| r.body.as_ref()) {
        if !matches!(success.media, MediaType::Json | MediaType::JsonPatch) {
            let ct = &success.content_type;
            steps.push(quote!(let request = request.header("Accept", #ct);));
        }
    }

    // Responses: success statuses decode the return type; documented errors their bodies.
    let ret = surface::return_type(op);
    let success_codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            Status::Code(c) if r.status.is_success() => Some(c),
            _ => None,
        })
        .collect();
    let decode = if surface::returns_unit(op) {
        quote!(response.empty())
    } else {
        match op.success().and_then(|r| r.body.as_ref()).map(|b| &b.media) {
            Some(MediaType::Text) => quote!(response.text()),
            Some(MediaType::Binary) => quote!(response.bytes().map(|b| b.to_vec())),
            // A struct must come as a JSON object (serde would also fill one from an array).
            _ if is_struct(model, &ret) => quote!(response.json_object()),
            _ => quote!(response.json()),
        }
    };
    let mut arms = Vec::new();
    if success_codes.is_empty() {
        arms.push(quote!(200..=299 => #decode,));
    } else {
        let codes = success_codes
            .iter()
            .map(|c| proc_macro2::Literal::u16_unsuffixed(*c));
        arms.push(quote!(#(#codes)|* => #decode,));
    }
    let mut error_variants = Vec::new();
    let mut display_arms = Vec::new();
    let mut fallthrough = None;
    for r in op.errors() {
        let v = format_ident!("{}", r.rust_variant);
        let desc = r.description.trim().to_string();
        let label = r.status.label();
        let vdoc = doc(&format!("{label}: {desc}"));
        let pattern = match r.status {
            Status::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote!(#c)
            }
            Status::Range(d) => {
                let lo = proc_macro2::Literal::u16_unsuffixed(u16::from(d) * 100);
                let hi = proc_macro2::Literal::u16_unsuffixed(u16::from(d) * 100 + 99);
                quote!(#lo..=#hi)
            }
            Status::Default => quote!(_),
        };
        let json_body = r
            .body
            .as_ref()
            .filter(|b| matches!(b.media, MediaType::Json | MediaType::JsonPatch));
        match json_body {
            Some(b) => {
                let t = ty(&surface::type_display(&b.ty))?;
                error_variants.push(quote!(#vdoc #v(#t),));
                let text = format!(
                    "{label} ({}): {{}}",
                    desc.replace('{', "{{").replace('}', "}}")
                );
                display_arms.push(quote!(Self::#v(body) => write!(f, #text, serde_json::to_string(body).unwrap_or_default()),));
                let arm = quote!(#pattern => Err(response.error(#error_name::#v)),);
                if r.status == Status::Default {
                    fallthrough = Some(arm);
                } else {
                    arms.push(arm);
                }
            }
            None => {
                error_variants.push(quote!(#vdoc #v,));
                let text = format!("{label} ({desc})");
                display_arms.push(quote!(Self::#v => f.write_str(#text),));
                let arm = quote!(#pattern => Err(response.error_without_body(#error_name::#v)),);
                if r.status == Status::Default {
                    fallthrough = Some(arm);
                } else {
                    arms.push(arm);
                }
            }
        }
    }
    let fallthrough = fallthrough.unwrap_or_else(|| quote!(_ => Err(response.unexpected()),));

    let ret_ty = if surface::returns_unit(op) {
        quote!(())
    } else {
        ty(&surface::return_type_display(op))?
    };
    let mut docs = vec![op.summary.clone(), op.description.clone()];
    let mut facts = format!("`{} {}`", op.method.as_str(), op.path);
    let scopes: Vec<String> = op
        .security
        .iter()
        .flatten()
        .flat_map(|s| s.scopes.iter().cloned())
        .collect();
    if !scopes.is_empty() {
        facts.push_str(&format!(
            " · scopes: {}",
            scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    docs.push(Some(facts));
    if op.experimental {
        docs.push(Some(
            "Experimental: the configuration must enable experimental calls (`Configuration::with_experimental(true)`), else this returns `Error::ExperimentalDisabled` without sending anything.".to_string(),
        ));
    }
    let arg_docs: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| surface::is_positional(p))
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.rust_name.trim_start_matches("r#"),
                p.description.as_deref().unwrap_or("").replace('\n', " ")
            )
        })
        .chain(op.request_body.iter().map(|b| {
            format!(
                "- `{}`: {}",
                b.rust_name.trim_start_matches("r#"),
                b.description
                    .as_deref()
                    .unwrap_or("The request body.")
                    .replace('\n', " ")
            )
        }))
        .collect();
    if !arg_docs.is_empty() || has_params {
        docs.push(Some(format!("# Arguments\n{}", arg_docs.join("\n"))));
    }
    let docs: Vec<Option<&str>> = docs.iter().map(|d| d.as_deref()).collect();
    let mut method_doc = doc_parts(&docs);
    // The generator's own line, last in the list: its intra-doc link is kept.
    if has_params {
        method_doc.extend(doc_raw(&format!(
            "- `params`: optional parameters, see [`{}`]",
            op.names.rust_params
        )));
    }
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    if let Some(paging) = paging_parts(model, op)? {
        let page_fn = format_ident!("{}_page", op.names.rust_fn.trim_start_matches("r#"));
        let stream_fn = format_ident!("{}_stream", op.names.rust_fn.trim_start_matches("r#"));
        let item = ty(&surface::type_display(&paging.item))?;
        let fn_label = op.names.rust_fn.trim_start_matches("r#");
        let page_doc = doc_raw(&format!(
            "One page of [`Self::{fn_label}`], with the list's total from `X-Total-Count` when the server sends it."
        ));
        let stream_doc = doc_raw(&format!(
            "Every item of [`Self::{fn_label}`] as a stream, fetched page by page from `params`' offset (pages of `params`' limit, or {}), asking the server for the total where the operation can.",
            paging.default_limit
        ));
        let PagingParts {
            page_size,
            start,
            set,
            ..
        } = paging;
        let success_codes: Vec<_> = success_codes
            .iter()
            .map(|c| proc_macro2::Literal::u16_unsuffixed(*c))
            .collect();
        arms[0] =
            quote!(#(#success_codes)|* => response.json().map(|items| Page { items, total }),);
        let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        let method_tokens = quote! {
            #method_doc
            #deprecated
            #too_many
            #allow
            pub async fn #fn_name(&self, #(#args),*) -> Result<#ret_ty, Error<#error_name>> {
                self.#page_fn(#(#arg_names),*).await.map(|page| page.items)
            }

            #page_doc
            #deprecated
            #too_many
            pub async fn #page_fn(&self, #(#args),*) -> Result<Page<#item>, Error<#error_name>> {
                let path = #path;
                let request = self.client.request(reqwest::Method::#method, path);
                #(#steps)*
                let response = self.client.execute(request).await?;
                let total = response.total_count();
                match response.status() {
                    #(#arms)*
                    #fallthrough
                }
            }

            #stream_doc
            #deprecated
            #too_many
            #allow
            pub fn #stream_fn<'a>(&'a self, #(#stream_args),*) -> impl Stream<Item = Result<#item, Error<#error_name>>> + 'a {
                let page_size = #page_size;
                let start = #start;
                paging::items(page_size, start, move |offset, limit| {
                    let params = params.clone() #set;
                    self.#page_fn(#(#stream_call_args),*)
                })
            }
        };
        return Ok((
            method_tokens,
            extra_tokens(model, api, op, error_variants, display_arms, has_params)?,
        ));
    }

    let method_tokens = quote! {
        #method_doc
        #deprecated
        #too_many
        pub async fn #fn_name(&self, #(#args),*) -> Result<#ret_ty, Error<#error_name>> {
            let path = #path;
            let request = self.client.request(reqwest::Method::#method, path);
            #(#steps)*
            let response = self.client.execute(request).await?;
            match response.status() {
                #(#arms)*
                #fallthrough
            }
        }
    };

    Ok((
        method_tokens,
        extra_tokens(model, api, op, error_variants, display_arms, has_params)?,
    ))
}

/// The operation's error enum and, when it has optional parameters, its params struct.
fn extra_tokens(
    model: &Model,
    api: &Api,
    op: &Operation,
    error_variants: Vec<TokenStream>,
    display_arms: Vec<TokenStream>,
    has_params: bool,
) -> Result<TokenStream, Error> {
    let error_name = format_ident!("{}", op.names.rust_error);
    let fn_label = op.names.rust_fn.trim_start_matches("r#");
    let error_doc = doc_raw(&format!(
        "The documented error responses of [`{}::{}`].",
        api.names.rust_struct, fn_label
    ));
    let (formatter, error_display) = if display_arms.is_empty() {
        (quote!(_f), quote!(match *self {}))
    } else {
        (quote!(f), quote!(match self { #(#display_arms)* }))
    };
    let mut extra = quote! {
        #error_doc
        // Variants hold the decoded bodies as they are; an error is built once and not moved much.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error_name {
            #(#error_variants)*
        }

        impl std::fmt::Display for #error_name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #error_display
            }
        }

        impl std::error::Error for #error_name {}
    };
    if has_params {
        extra.extend(params_struct(model, api, op)?);
    }
    Ok(extra)
}

/// What the stream method of a paged operation needs: the page size and start from `params`,
/// and the setters that put a page's offset and limit (and `count=true`) into `params`.
pub(super) struct PagingParts {
    page_size: TokenStream,
    start: TokenStream,
    set: TokenStream,
    default_limit: u64,
    item: TypeRef,
}

pub(super) fn paging_parts(_model: &Model, op: &Operation) -> Result<Option<PagingParts>, Error> {
    let Some(p) = &op.pagination else {
        return Ok(None);
    };
    let limit = &op.parameters[p.limit_param];
    let offset = &op.parameters[p.offset_param];
    if surface::is_positional(limit) || surface::is_positional(offset) {
        return Ok(None);
    }
    // The pager counts in i64; an i32 parameter converts both ways.
    let as_i64 = |t: &TypeRef, v: TokenStream| match t {
        TypeRef::Primitive(Primitive::I32) => Some(quote!(#v.map(i64::from))),
        TypeRef::Primitive(Primitive::I64) => Some(v),
        _ => None,
    };
    let from_i64 = |t: &TypeRef, v: TokenStream| match t {
        TypeRef::Primitive(Primitive::I32) => quote!(i32::try_from(#v).unwrap_or(i32::MAX)),
        _ => v,
    };
    let (l, o) = (ident(&limit.rust_name), ident(&offset.rust_name));
    let (Some(limit_i64), Some(offset_i64)) = (
        as_i64(&limit.ty, quote!(params.#l)),
        as_i64(&offset.ty, quote!(params.#o)),
    ) else {
        return Ok(None);
    };
    let default_limit = p.max_limit;
    let default_lit = proc_macro2::Literal::u64_unsuffixed(default_limit);
    let set_offset = from_i64(&offset.ty, quote!(offset));
    let set_limit = from_i64(&limit.ty, quote!(limit));
    let mut set = quote!(.#o(#set_offset).#l(#set_limit));
    if let Some(c) = p.count_param {
        let count = &op.parameters[c];
        if count.ty == TypeRef::Primitive(Primitive::Bool) && !surface::is_positional(count) {
            let c = ident(&count.rust_name);
            set.extend(quote!(.#c(true)));
        }
    }
    Ok(Some(PagingParts {
        page_size: quote!(#limit_i64.unwrap_or(#default_lit)),
        start: quote!(#offset_i64.unwrap_or(0)),
        set,
        default_limit,
        item: p.item.clone(),
    }))
}

fn is_struct(model: &Model, t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Object(_)) => true,
            Some(TypeKind::Alias(inner)) => is_struct(model, inner),
            _ => false,
        },
        _ => false,
    }
}

fn params_struct(_model: &Model, api: &Api, op: &Operation) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", op.names.rust_params);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in op.parameters.iter().filter(|p| !surface::is_positional(p)) {
        let n = ident(&p.rust_name);
        let t = ty(&surface::type_display(&p.ty))?;
        let mut text = p
            .description
            .clone()
            .unwrap_or_else(|| format!("The `{}` parameter.", p.wire_name));
        if let Some(d) = &p.default {
            text.push_str(&format!("\n\nThe server's default: `{d}`."));
        }
        let fdoc = doc(&text);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        fields.push(quote!(#fdoc #deprecated pub #n: Option<#t>,));
        let setter = ident(&p.rust_name);
        let (param_ty, conv) = match &p.ty {
            TypeRef::Primitive(Primitive::String | Primitive::Uuid | Primitive::Byte) => {
                (quote!(impl Into<String>), quote!(.into()))
            }
            _ => (quote!(#t), quote!()),
        };
        let sdoc = doc(&format!("Sets `{}`.", p.wire_name));
        let allow = p.deprecated.then(|| quote!(#[allow(deprecated)]));
        setters.push(quote! {
            #sdoc
            #allow
            #[must_use]
            pub fn #setter(mut self, value: #param_ty) -> Self {
                self.#n = Some(value #conv);
                self
            }
        });
    }
    let sdoc = doc_raw(&format!(
        "Optional parameters of [`{}::{}`]; start from `{}::default()` and set what you need.",
        api.names.rust_struct,
        op.names.rust_fn.trim_start_matches("r#"),
        op.names.rust_params
    ));
    Ok(quote! {
        #sdoc
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#setters)*
        }
    })
}

/// A multipart body: one part per field of the body's object type.
fn multipart(model: &Model, body: &TypeRef) -> Result<TokenStream, Error> {
    let fields = match body {
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Object(o)) => &o.fields,
            _ => {
                return Ok(quote!(request.multipart(vec![Part::json("body", body)])));
            }
        },
        _ => return Ok(quote!(request.multipart(vec![Part::json("body", body)]))),
    };
    // Required parts first, in a `vec!`; optional ones pushed when set.
    let mut required = Vec::new();
    let mut pushes = Vec::new();
    for f in fields {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let binary = f.ty == TypeRef::Primitive(Primitive::Binary);
        let file = f.ty == TypeRef::Primitive(Primitive::File);
        let files = f.ty == TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::File)));
        let text = match &f.ty {
            TypeRef::Primitive(_) => true,
            TypeRef::Named(id) => {
                matches!(model.type_def(id).map(|d| &d.kind), Some(TypeKind::Enum(_)))
            }
            _ => false,
        };
        // `owned` is the field's value, `borrowed` a reference to it.
        let make = |owned: TokenStream, borrowed: TokenStream| {
            if file {
                quote!(Part::upload(#wire, #owned.clone()))
            } else if binary {
                quote!(Part::file(#wire, #owned.clone()).file_name(#wire))
            } else if text {
                quote!(Part::text(#wire, #borrowed))
            } else {
                quote!(Part::json(#wire, #borrowed))
            }
        };
        if files {
            // A list of files: one part each, under the same name.
            let each = quote!(for file in files { parts.push(Part::upload(#wire, file.clone())); });
            pushes.push(match surface::field_shape(model, f) {
                surface::FieldShape::Plain => quote!({ let files = &body.#n; #each }),
                surface::FieldShape::Optional => quote!(if let Some(files) = &body.#n { #each }),
                surface::FieldShape::OptionalNullable => {
                    quote!(if let Some(Some(files)) = &body.#n { #each })
                }
            });
            continue;
        }
        match surface::field_shape(model, f) {
            surface::FieldShape::Plain => required.push(make(quote!(body.#n), quote!(&body.#n))),
            surface::FieldShape::Optional => {
                let part = make(quote!(value), quote!(value));
                pushes.push(quote!(if let Some(value) = &body.#n { parts.push(#part); }));
            }
            surface::FieldShape::OptionalNullable => {
                let part = make(quote!(value), quote!(value));
                pushes.push(quote!(if let Some(Some(value)) = &body.#n { parts.push(#part); }));
            }
        }
    }
    if pushes.is_empty() {
        return Ok(quote!(request.multipart(vec![#(#required),*])));
    }
    let init = if required.is_empty() {
        quote!(Vec::new())
    } else {
        quote!(vec![#(#required),*])
    };
    Ok(quote! {{
        let mut parts = #init;
        #(#pushes)*
        request.multipart(parts)
    }})
}
