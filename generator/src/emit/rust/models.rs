//! Model files: structs, forward-compatible enums, unions and aliases.

use std::collections::{BTreeSet, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::surface::{self, FieldShape};
use super::tokens::{doc, doc_parts, doc_raw, ident, ty, uses};
use crate::error::Error;
use crate::model::*;

/// Facts about the model that several model files need.
pub struct ModelFacts {
    /// (type, field wire name) pairs whose field must be boxed: they close a cycle of direct
    /// containment, which would give the struct an infinite size.
    pub boxed: HashSet<(String, String)>,
    /// Types that can derive `Default`.
    pub defaultable: HashSet<String>,
    /// Features (API tags) that reach each type.
    pub features: HashMap<String, BTreeSet<String>>,
}

impl ModelFacts {
    pub fn new(model: &Model) -> ModelFacts {
        ModelFacts {
            boxed: boxed_fields(model),
            defaultable: defaultable(model),
            features: features(model),
        }
    }

    /// `#[cfg(any(feature = "a", feature = "b"))]` for a type.
    pub fn cfg(&self, name: &str) -> TokenStream {
        let features: Vec<&String> = self
            .features
            .get(name)
            .map(|f| f.iter().collect())
            .unwrap_or_default();
        match features.as_slice() {
            [] => quote!(),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }
}

/// Direct containment edges: a struct field, union variant or alias naming a type without a
/// `Vec`/map in between.
fn direct_edges(def: &TypeDef) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Object(o) => {
            for f in &o.fields {
                if let TypeRef::Named(TypeId(n)) = &f.ty {
                    out.push((Some(f.wire_name.as_str()), n.as_str()));
                }
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                if let TypeRef::Named(TypeId(n)) = &v.ty {
                    out.push((Some(v.rust_variant.as_str()), n.as_str()));
                }
            }
        }
        TypeKind::Alias(TypeRef::Named(TypeId(n))) => out.push((None, n.as_str())),
        _ => {}
    }
    out
}

fn boxed_fields(model: &Model) -> HashSet<(String, String)> {
    // An edge needs a box when its target reaches back to its source directly.
    let edges: HashMap<&str, Vec<(Option<&str>, &str)>> = model
        .types
        .iter()
        .map(|t| (t.names.rust.as_str(), direct_edges(t)))
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges.get(n).into_iter().flatten().map(|(_, t)| *t));
            }
        }
        false
    };
    let mut boxed = HashSet::new();
    for (src, es) in &edges {
        for (label, target) in es {
            if let Some(label) = label {
                if reaches(target, src) {
                    boxed.insert((src.to_string(), label.to_string()));
                }
            }
        }
    }
    boxed
}

fn defaultable(model: &Model) -> HashSet<String> {
    // Fixed point: a struct is defaultable when each required field's type is.
    let mut ok: HashSet<String> = HashSet::new();
    loop {
        let mut changed = false;
        for t in &model.types {
            if ok.contains(&t.names.rust) {
                continue;
            }
            let yes = match &t.kind {
                TypeKind::Object(o) => o.fields.iter().all(|f| {
                    surface::field_shape(model, f) != FieldShape::Plain
                        || ty_defaultable(&f.ty, &ok)
                }),
                TypeKind::Alias(_) => false,
                _ => false,
            };
            if yes {
                ok.insert(t.names.rust.clone());
                changed = true;
            }
        }
        if !changed {
            return ok;
        }
    }
}

fn ty_defaultable(ty: &TypeRef, ok: &HashSet<String>) -> bool {
    match ty {
        TypeRef::Named(TypeId(n)) => ok.contains(n),
        _ => true,
    }
}

fn features(model: &Model) -> HashMap<String, BTreeSet<String>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for api in &model.apis {
        let mut stack: Vec<String> = Vec::new();
        let push = |t: &TypeRef, stack: &mut Vec<String>| {
            t.for_each_named(&mut |id| stack.push(id.0.clone()))
        };
        for op in &api.operations {
            for p in &op.parameters {
                push(&p.ty, &mut stack);
            }
            if let Some(b) = &op.request_body {
                push(&b.ty, &mut stack);
            }
            for r in &op.responses {
                if let Some(b) = &r.body {
                    push(&b.ty, &mut stack);
                }
                for h in &r.headers {
                    push(&h.ty, &mut stack);
                }
            }
        }
        while let Some(name) = stack.pop() {
            let set = out.entry(name.clone()).or_default();
            if !set.insert(api.names.feature.clone()) {
                continue;
            }
            if let Some(def) = model.type_def(&TypeId(name)) {
                for t in type_children(def) {
                    push(t, &mut stack);
                }
            }
        }
    }
    out
}

/// Every type reference a definition mentions.
pub fn type_children(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Object(o) => {
            let mut v: Vec<&TypeRef> = o.fields.iter().map(|f| &f.ty).collect();
            v.extend(o.additional.iter());
            v.extend(o.all_of.iter());
            v
        }
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(t) => vec![t],
        TypeKind::Enum(_) => vec![],
    }
}

/// The file of one model type.
pub fn model_file(model: &Model, facts: &ModelFacts, def: &TypeDef) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", def.names.rust);
    let heading = def
        .title
        .as_deref()
        .filter(|t| !t.is_empty() && def.description.is_none());
    let mut docs = doc_parts(&[def.description.as_deref().or(heading)]);
    if docs.is_empty() {
        docs = doc_raw(&format!("The `{}` model.", def.names.rust));
    }
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let body = match &def.kind {
        TypeKind::Object(o) => object(model, facts, def, o, &name)?,
        TypeKind::Enum(e) => enumeration(e, &name)?,
        TypeKind::Union(u) => union(model, facts, def, u, &name)?,
        TypeKind::Alias(t) => {
            let t = ty(&surface::type_display(t))?;
            quote!(pub type #name = #t;)
        }
    };
    let mut imports = surface::Imports::default();
    // allOf parts are merged into the fields: the file names only the fields' types.
    match &def.kind {
        TypeKind::Object(o) => o
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(&o.additional)
            .for_each(|t| imports.add(t)),
        _ => type_children(def).into_iter().for_each(|t| imports.add(t)),
    }
    if let TypeKind::Object(ObjectType {
        additional: Some(_),
        ..
    }) = &def.kind
    {
        imports.hash_map = true;
    }
    let mut uses = uses(&imports, "super", Some(&def.names.rust));
    if imports.upload_file {
        uses.extend(quote!(
            use crate::v2024::UploadFile;
        ));
    }
    // The file's own code may name deprecated items; users of them still get the warning.
    let mentions_deprecated = def.deprecated
        || imports.models.iter().any(|m| {
            model
                .type_def(&TypeId(m.clone()))
                .is_some_and(|d| d.deprecated)
        })
        || matches!(&def.kind, TypeKind::Object(o) if o.fields.iter().any(|f| f.deprecated));
    let allow = mentions_deprecated.then(|| quote!(#![allow(deprecated)]));
    Ok(quote! {
        #allow
        #uses

        #docs
        #deprecated
        #body
    })
}

fn field_type(
    model: &Model,
    facts: &ModelFacts,
    owner: &str,
    f: &Field,
) -> Result<TokenStream, Error> {
    let inner = surface::type_display(&f.ty);
    let inner = if facts
        .boxed
        .contains(&(owner.to_string(), f.wire_name.clone()))
    {
        format!("Box<{inner}>")
    } else {
        inner
    };
    let text = match surface::field_shape(model, f) {
        FieldShape::Plain => inner,
        FieldShape::Optional => format!("Option<{inner}>"),
        FieldShape::OptionalNullable => format!("Option<Option<{inner}>>"),
    };
    ty(&text)
}

fn field_doc(f: &Field) -> TokenStream {
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: never returned by the server.".to_string());
    }
    if let Some(d) = &f.default {
        notes.push(format!("Default: `{d}`."));
    }
    let notes = notes.join(" ");
    let fallback = format!("The `{}` field.", f.wire_name);
    let description = f
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or(&fallback);
    doc_parts(&[Some(description), Some(notes.as_str())])
}

fn object(
    model: &Model,
    facts: &ModelFacts,
    def: &TypeDef,
    o: &ObjectType,
    name: &proc_macro2::Ident,
) -> Result<TokenStream, Error> {
    let owner = def.names.rust.as_str();
    // A multipart body with file parts is sent part by part: `UploadFile` has no JSON form, so
    // such a struct has no serde (nor `PartialEq`) derives.
    let json = !o.fields.iter().any(|f| surface::is_file(&f.ty));
    let mut fields = Vec::new();
    let mut ctor_params = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut withs = Vec::new();
    let mut ctor_docs = Vec::new();
    for f in &o.fields {
        let fname = ident(&f.rust_name);
        let fty = field_type(model, facts, owner, f)?;
        let wire = &f.wire_name;
        let shape = surface::field_shape(model, f);
        // serde reads a raw identifier without its `r#`; rename only when the names differ.
        let mut serde_args = Vec::new();
        if f.rust_name.trim_start_matches("r#") != wire {
            serde_args.push(quote!(rename = #wire));
        }
        let by_server = surface::set_by_server(model, def, f);
        match shape {
            FieldShape::Plain if by_server => {
                serde_args.push(quote!(skip_serializing_if = "is_unset"));
            }
            FieldShape::Plain => {}
            FieldShape::Optional if f.required => {}
            FieldShape::Optional => {
                serde_args.push(quote!(default));
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            FieldShape::OptionalNullable => {
                serde_args.push(quote!(default));
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
                serde_args.push(quote!(with = "crate::v2024::nullable"));
            }
        }
        let serde = (json && !serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        let fdoc = field_doc(f);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        fields.push(quote! {
            #fdoc
            #deprecated
            #serde
            pub #fname: #fty,
        });
        let boxed = facts
            .boxed
            .contains(&(owner.to_string(), f.wire_name.clone()));
        let plain = ty(&surface::type_display(&f.ty))?;
        let wrap_box = |v: TokenStream| if boxed { quote!(Box::new(#v)) } else { v };
        match shape {
            FieldShape::Plain if by_server => {
                ctor_inits.push(quote!(#fname: Default::default()));
            }
            FieldShape::Plain => {
                let (param_ty, conv) = into_param(&f.ty, &plain);
                ctor_params.push(quote!(#fname: #param_ty));
                if conv.is_empty() && !boxed {
                    ctor_inits.push(quote!(#fname));
                } else {
                    let v = wrap_box(quote!(#fname #conv));
                    ctor_inits.push(quote!(#fname: #v));
                }
                ctor_docs.push(f.rust_name.trim_start_matches("r#").to_string());
            }
            FieldShape::Optional if f.required => {
                // Required but nullable: an argument that may be `None`.
                ctor_params.push(quote!(#fname: Option<#plain>));
                if boxed {
                    ctor_inits.push(quote!(#fname: #fname.map(Box::new)));
                } else {
                    ctor_inits.push(quote!(#fname));
                }
                ctor_docs.push(f.rust_name.trim_start_matches("r#").to_string());
            }
            FieldShape::Optional | FieldShape::OptionalNullable => {
                ctor_inits.push(quote!(#fname: None));
                let with = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
                let (param_ty, conv) = into_param(&f.ty, &plain);
                let v = wrap_box(quote!(value #conv));
                let set = if shape == FieldShape::OptionalNullable {
                    quote!(Some(Some(#v)))
                } else {
                    quote!(Some(#v))
                };
                let wdoc = doc(&format!("Sets `{}`.", f.rust_name.trim_start_matches("r#")));
                let allow = f.deprecated.then(|| quote!(#[allow(deprecated)]));
                withs.push(quote! {
                    #wdoc
                    #allow
                    #[must_use]
                    pub fn #with(mut self, value: #param_ty) -> Self {
                        self.#fname = #set;
                        self
                    }
                });
            }
        }
    }
    if let Some(add) = &o.additional {
        let t = ty(&format!("HashMap<String, {}>", surface::type_display(add)))?;
        let flatten = json.then(|| quote!(#[serde(flatten)]));
        fields.push(quote! {
            /// Properties beyond the declared ones.
            #flatten
            pub additional_properties: #t,
        });
        ctor_inits.push(quote!(additional_properties: Default::default()));
    }
    let default = facts.defaultable.contains(owner).then(|| quote!(Default,));
    let derives = if json {
        quote!(#[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, #default)])
    };
    let ctor_doc = if ctor_docs.is_empty() {
        doc(&format!("A `{owner}` with every optional field unset."))
    } else {
        doc(&format!(
            "A `{owner}` from its required fields ({}); optional fields are unset.",
            ctor_docs
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    let any_deprecated = o
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let too_many = (ctor_params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let by_server = json
        && o.fields
            .iter()
            .any(|f| surface::set_by_server(model, def, f));
    let is_unset = by_server.then(|| {
        quote! {
            /// Whether a field the server sets still holds its default (and is not sent).
            fn is_unset<T: Default + PartialEq>(value: &T) -> bool {
                *value == T::default()
            }
        }
    });
    Ok(quote! {
        #derives
        pub struct #name {
            #(#fields)*
        }

        #any_deprecated
        impl #name {
            #ctor_doc
            #too_many
            pub fn new(#(#ctor_params),*) -> Self {
                Self { #(#ctor_inits),* }
            }
            #(#withs)*
        }

        #is_unset
    })
}

/// The parameter type for setting a value: `impl Into<String>` for strings, the type otherwise.
fn into_param(t: &TypeRef, plain: &TokenStream) -> (TokenStream, TokenStream) {
    match t {
        TypeRef::Primitive(Primitive::String | Primitive::Uuid | Primitive::Byte) => {
            (quote!(impl Into<String>), quote!(.into()))
        }
        _ => (quote!(#plain), quote!()),
    }
}

fn enumeration(e: &EnumType, name: &proc_macro2::Ident) -> Result<TokenStream, Error> {
    match e.base {
        EnumBase::String => string_enum(e, name),
        EnumBase::Integer => integer_enum(e, name),
        EnumBase::Number => number_enum(e, name),
        // A boolean enum (one or both of `true`, `false`) is a `bool`.
        EnumBase::Boolean => Ok(quote!(pub type #name = bool;)),
    }
}

fn string_enum(e: &EnumType, name: &proc_macro2::Ident) -> Result<TokenStream, Error> {
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.rust_variant))
        .collect();
    let wires: Vec<String> = e
        .values
        .iter()
        .map(|v| match &v.wire {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let docs = wires
        .iter()
        .map(|w| doc(&format!("`{}`", w.replace('`', "'"))));
    Ok(quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version of the client does not know; kept as sent.
            Unknown(String),
        }

        impl #name {
            /// Every value the spec lists.
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    })
}

fn integer_enum(e: &EnumType, name: &proc_macro2::Ident) -> Result<TokenStream, Error> {
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.rust_variant))
        .collect();
    let wires: Vec<i64> = e.values.iter().filter_map(|v| v.wire.as_i64()).collect();
    if wires.len() != variants.len() {
        return Err(Error::Emit {
            what: name.to_string(),
            message: "an integer enum lists a value that is not an integer".into(),
        });
    }
    let docs = wires.iter().map(|w| doc(&format!("`{w}`")));
    let wire_impls = number_wire_impls(name, "i64");
    Ok(quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version of the client does not know; kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// Every value the spec lists.
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];

            /// The value on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }

        #wire_impls
    })
}

/// `Display`, `Serialize` and `Deserialize` of an enum of numbers through its `value()` and
/// `From<#wire>` (`wire` is `i64` or `f64`).
fn number_wire_impls(name: &proc_macro2::Ident, wire: &str) -> TokenStream {
    let wire_ty = format_ident!("{}", wire);
    let serialize = format_ident!("serialize_{}", wire);
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <#wire_ty as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    }
}

/// An enum of numbers: named values, and any other number kept as sent. Floats have no `Eq`,
/// so the values compare with `==` rather than by pattern.
fn number_enum(e: &EnumType, name: &proc_macro2::Ident) -> Result<TokenStream, Error> {
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.rust_variant))
        .collect();
    let wires: Vec<f64> = e.values.iter().filter_map(|v| v.wire.as_f64()).collect();
    if wires.len() != variants.len() || wires.iter().any(|w| !w.is_finite()) {
        return Err(Error::Emit {
            what: name.to_string(),
            message: "a number enum lists a value that is not a finite number".into(),
        });
    }
    let docs = e.values.iter().map(|v| doc(&format!("`{}`", v.wire)));
    let wires: Vec<proc_macro2::Literal> = wires
        .iter()
        .map(|w| proc_macro2::Literal::f64_unsuffixed(*w))
        .collect();
    let wire_impls = number_wire_impls(name, "f64");
    Ok(quote! {
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version of the client does not know; kept as sent.
            Unknown(f64),
        }

        impl #name {
            /// Every value the spec lists.
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];

            /// The value on the wire.
            pub fn value(&self) -> f64 {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        impl From<f64> for #name {
            fn from(value: f64) -> Self {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|known| known.value() == value)
                    .unwrap_or(Self::Unknown(value))
            }
        }

        #wire_impls
    })
}

/// The JSON kinds a type can decode from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    String,
    Integer,
    Number,
    Bool,
    Array,
    Object,
    Any,
}

fn kinds(model: &Model, t: &TypeRef, depth: usize) -> Vec<Kind> {
    if depth > 16 {
        return vec![Kind::Any];
    }
    match t {
        TypeRef::Primitive(p) => vec![match p {
            Primitive::String
            | Primitive::DateTime
            | Primitive::Date
            | Primitive::Uuid
            | Primitive::Byte => Kind::String,
            Primitive::Binary | Primitive::File => Kind::String,
            Primitive::I32 | Primitive::I64 => Kind::Integer,
            Primitive::F32 | Primitive::F64 => Kind::Number,
            Primitive::Bool => Kind::Bool,
        }],
        TypeRef::Array(_) => vec![Kind::Array],
        TypeRef::Map(_) | TypeRef::Object => vec![Kind::Object],
        TypeRef::Any => vec![Kind::Any],
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Object(_)) => vec![Kind::Object],
            Some(TypeKind::Enum(e)) => vec![match e.base {
                EnumBase::String => Kind::String,
                EnumBase::Integer => Kind::Integer,
                EnumBase::Number => Kind::Number,
                EnumBase::Boolean => Kind::Bool,
            }],
            Some(TypeKind::Alias(t)) => kinds(model, t, depth + 1),
            Some(TypeKind::Union(u)) => u
                .variants
                .iter()
                .flat_map(|v| kinds(model, &v.ty, depth + 1))
                .collect(),
            None => vec![Kind::Any],
        },
    }
}

fn union(
    model: &Model,
    facts: &ModelFacts,
    def: &TypeDef,
    u: &UnionType,
    name: &proc_macro2::Ident,
) -> Result<TokenStream, Error> {
    let owner = def.names.rust.as_str();
    let mut variants = Vec::new();
    let mut ser_arms = Vec::new();
    let mut types = Vec::new();
    for v in &u.variants {
        let vname = format_ident!("{}", v.rust_variant);
        let boxed = facts
            .boxed
            .contains(&(owner.to_string(), v.rust_variant.clone()));
        let inner = surface::type_display(&v.ty);
        let t = ty(&if boxed {
            format!("Box<{inner}>")
        } else {
            inner
        })?;
        let vdoc = doc_parts(&[v.description.as_deref().or(v.title.as_deref())]);
        let vdoc = if vdoc.is_empty() {
            doc(&format!("A `{}`.", surface::type_display(&v.ty)))
        } else {
            vdoc
        };
        variants.push(quote!(#vdoc #vname(#t),));
        ser_arms
            .push(quote!(Self::#vname(value) => serde::Serialize::serialize(value, serializer),));
        types.push((vname, t, boxed));
    }

    if let Some(d) = &u.discriminator {
        let unknown = format_ident!("{}", d.unknown_variant);
        let vdoc = doc(&format!(
            "An object whose `{}` this version of the client does not know; kept as sent.",
            d.property
        ));
        variants.push(quote!(#vdoc #unknown(serde_json::Value),));
        ser_arms
            .push(quote!(Self::#unknown(value) => serde::Serialize::serialize(value, serializer),));
    }

    // Decoding: by discriminator when there is one, else by the JSON value's kind, trying the
    // alternatives that can hold that kind in the order the spec lists them.
    let decode = if let Some(d) = &u.discriminator {
        let prop = &d.property;
        let arms = d.mapping.iter().map(|(value, idx)| {
            let (vname, t, boxed) = &types[*idx];
            let wrap = if *boxed { quote!(|v| Self::#vname(Box::new(v))) } else { quote!(Self::#vname) };
            quote!(Some(#value) => serde_json::from_value::<#t>(value).map(#wrap).map_err(|e| e.to_string()),)
        });
        let unknown = format_ident!("{}", d.unknown_variant);
        quote! {
            let tag = value.get(#prop).and_then(serde_json::Value::as_str).map(ToString::to_string);
            match tag.as_deref() {
                #(#arms)*
                Some(_) => Ok(Self::#unknown(value)),
                None => Err(format!("missing {}", #prop)),
            }
        }
    } else {
        let tries = |kind: Kind| {
            let ts: Vec<TokenStream> = u
                .variants
                .iter()
                .zip(&types)
                .filter(|(v, _)| {
                    let k = kinds(model, &v.ty, 0);
                    k.contains(&kind)
                        || k.contains(&Kind::Any)
                        || (kind == Kind::Integer && k.contains(&Kind::Number))
                })
                .map(|(_, (vname, t, _))| {
                    quote! {
                        if let Ok(v) = serde_json::from_value::<#t>(value.clone()) {
                            return Ok(Self::#vname(v));
                        }
                    }
                })
                .collect();
            quote!(#(#ts)*)
        };
        let s = tries(Kind::String);
        let i = tries(Kind::Integer);
        let n = tries(Kind::Number);
        let b = tries(Kind::Bool);
        let a = tries(Kind::Array);
        let o = tries(Kind::Object);
        let label = format!("no alternative of {} accepts {{}}", def.names.rust);
        quote! {
            match &value {
                serde_json::Value::String(_) => { #s }
                serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => { #i #n }
                serde_json::Value::Number(_) => { #n }
                serde_json::Value::Bool(_) => { #b }
                serde_json::Value::Array(_) => { #a }
                serde_json::Value::Object(_) => { #o }
                serde_json::Value::Null => {}
            }
            Err(format!(#label, value))
        }
    };

    // `From` conversions for each alternative whose type no other alternative shares.
    let mut froms = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in &u.variants {
        *counts.entry(surface::type_display(&v.ty)).or_default() += 1;
    }
    let array_variants = u
        .variants
        .iter()
        .filter(|v| matches!(v.ty, TypeRef::Array(_)))
        .count();
    let has_string = u.variants.iter().any(|v| {
        counts[&surface::type_display(&v.ty)] == 1 && surface::type_display(&v.ty) == "String"
    });
    for (v, (vname, t, boxed)) in u.variants.iter().zip(&types) {
        if counts[&surface::type_display(&v.ty)] != 1 {
            continue;
        }
        let wrap = if *boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        match &v.ty {
            TypeRef::Array(item) if array_variants == 1 && !*boxed => {
                let item = ty(&surface::type_display(item))?;
                froms.push(quote! {
                    impl<T: Into<#item>> From<Vec<T>> for #name {
                        fn from(value: Vec<T>) -> Self {
                            Self::#vname(value.into_iter().map(Into::into).collect())
                        }
                    }
                });
            }
            _ => {
                let plain = ty(&surface::type_display(&v.ty))?;
                froms.push(quote! {
                    impl From<#plain> for #name {
                        fn from(value: #plain) -> Self {
                            Self::#vname(#wrap)
                        }
                    }
                });
            }
        }
        let _ = t;
    }
    if has_string {
        let vname = u
            .variants
            .iter()
            .zip(&types)
            .find(|(v, _)| surface::type_display(&v.ty) == "String")
            .map(|(_, (n, ..))| n.clone());
        if let Some(vname) = vname {
            froms.push(quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::#vname(value.to_string())
                    }
                }
            });
        }
    }

    Ok(quote! {
        // Each alternative is held as it is; boxing them would only burden construction.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// Decodes a JSON value into the alternative it matches.
            fn from_json(value: serde_json::Value) -> Result<Self, String> {
                #decode
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_json(value).map_err(<D::Error as serde::de::Error>::custom)
            }
        }

        #(#froms)*
    })
}
