//! Lowering schemas into named types and type references.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::{self, Scope};
use crate::load::LoadedSpec;
use crate::model::*;
use crate::select::last;

/// A schema or a reference to a component schema.
#[derive(Clone, Copy)]
pub(crate) enum SRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

enum Additional<'a> {
    Any,
    Schema(SRef<'a>),
}

/// One view of every kind of schema `openapiv3` distinguishes, so lowering has one shape to read.
struct Shape<'a> {
    data: &'a SchemaData,
    typ: Option<&'a str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Vec<(&'a str, SRef<'a>)>,
    required: Vec<&'a str>,
    additional: Option<Additional<'a>>,
    items: Option<SRef<'a>>,
    one_of: Vec<SRef<'a>>,
    all_of: Vec<SRef<'a>>,
    any_of: Vec<SRef<'a>>,
    has_not: bool,
}

fn format_of<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn additional(a: &Option<AdditionalProperties>) -> Option<Additional<'_>> {
    match a {
        None | Some(AdditionalProperties::Any(false)) => None,
        Some(AdditionalProperties::Any(true)) => Some(Additional::Any),
        Some(AdditionalProperties::Schema(s)) => Some(Additional::Schema(SRef::from(&**s))),
    }
}

impl<'a> Shape<'a> {
    fn of(schema: &'a Schema) -> Shape<'a> {
        let mut s = Shape {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: Vec::new(),
            all_of: Vec::new(),
            any_of: Vec::new(),
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                s.typ = Some("string");
                s.format = format_of(&t.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                s.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                s.typ = Some("integer");
                s.format = format_of(&t.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                s.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                s.typ = Some("number");
                s.format = format_of(&t.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                s.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                s.typ = Some("boolean");
                s.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                s.typ = Some("object");
                s.properties = o
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), SRef::from(v)))
                    .collect();
                s.required = o.required.iter().map(String::as_str).collect();
                s.additional = additional(&o.additional_properties);
            }
            SchemaKind::Type(Type::Array(a)) => {
                s.typ = Some("array");
                s.items = a.items.as_ref().map(SRef::from);
            }
            SchemaKind::OneOf { one_of } => s.one_of = one_of.iter().map(SRef::from).collect(),
            SchemaKind::AllOf { all_of } => s.all_of = all_of.iter().map(SRef::from).collect(),
            SchemaKind::AnyOf { any_of } => s.any_of = any_of.iter().map(SRef::from).collect(),
            SchemaKind::Not { .. } => s.has_not = true,
            SchemaKind::Any(a) => {
                s.typ = a.typ.as_deref();
                s.format = a.format.clone();
                s.enumeration = a.enumeration.clone();
                s.properties = a
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), SRef::from(v)))
                    .collect();
                s.required = a.required.iter().map(String::as_str).collect();
                s.additional = additional(&a.additional_properties);
                s.items = a.items.as_ref().map(SRef::from);
                s.one_of = a.one_of.iter().map(SRef::from).collect();
                s.all_of = a.all_of.iter().map(SRef::from).collect();
                s.any_of = a.any_of.iter().map(SRef::from).collect();
                s.has_not = a.not.is_some();
            }
        }
        s
    }

    fn values(&self) -> impl Iterator<Item = &Value> {
        self.enumeration.iter().filter(|v| !v.is_null())
    }

    fn is_null_type(&self) -> bool {
        self.typ == Some("null")
    }
}

/// Where a schema stands, for naming inline types and for messages.
#[derive(Clone, Debug)]
pub(crate) struct Hint {
    /// Rust type name the schema gets if it needs one.
    pub name: String,
    /// Origin key (`components/schemas/X`, `paths//a/{id}`) for locating it in the files.
    pub origin: String,
    /// JSON pointer below the origin.
    pub pointer: String,
}

impl Hint {
    pub fn child(&self, name_part: &str, pointer_part: &str) -> Hint {
        Hint {
            name: format!("{}{}", self.name, names::type_name(name_part)),
            origin: self.origin.clone(),
            pointer: format!(
                "{}/{}",
                self.pointer,
                pointer_part.replace('~', "~0").replace('/', "~1")
            ),
        }
    }

    fn at(&self, pointer_part: &str) -> Hint {
        Hint {
            name: self.name.clone(),
            origin: self.origin.clone(),
            pointer: format!(
                "{}/{}",
                self.pointer,
                pointer_part.replace('~', "~0").replace('/', "~1")
            ),
        }
    }

    fn key(&self) -> String {
        format!("{}{}", self.origin, self.pointer)
    }
}

pub(crate) struct TypeLowerer<'a> {
    pub spec: &'a LoadedSpec,
    schemas: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    component_names: HashMap<&'a str, String>,
    pub defs: BTreeMap<String, Option<TypeDef>>,
    inline_names: HashMap<String, String>,
    scope: Scope,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
}

impl<'a> TypeLowerer<'a> {
    pub fn new(spec: &'a LoadedSpec) -> Self {
        let schemas = spec.api.components.as_ref().map(|c| &c.schemas);
        let mut scope = Scope::new();
        let mut component_names = HashMap::new();
        let mut keys: Vec<&str> = schemas
            .iter()
            .flat_map(|s| s.keys())
            .map(String::as_str)
            .collect();
        // Sorted, so a component's name depends only on the names it could clash with.
        keys.sort_unstable();
        for key in keys {
            let name = scope.unique(&names::type_name(key), false);
            component_names.insert(key, name);
        }
        TypeLowerer {
            spec,
            schemas,
            component_names,
            defs: BTreeMap::new(),
            inline_names: HashMap::new(),
            scope,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn problem(&mut self, hint: &Hint, what: &str) {
        let loc = self.spec.locate(&hint.origin, &hint.pointer);
        self.problems.push(format!("  {loc}: {what}"));
    }

    /// The component schema a `$ref` names, following refs to refs.
    fn component(&self, reference: &str) -> Option<(&'a str, &'a Schema)> {
        let mut reference = reference.to_string();
        for _ in 0..32 {
            let key = last(&reference);
            let (k, s) = self.schemas?.get_key_value(key.as_str())?;
            match s {
                ReferenceOr::Item(s) => return Some((k.as_str(), s)),
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        None
    }

    /// Whether a schema (following refs) accepts `null`.
    pub fn nullable(&self, s: SRef<'a>) -> bool {
        let schema = match s {
            SRef::Ref(r) => match self.component(r) {
                Some((_, s)) => s,
                None => return false,
            },
            SRef::Item(s) => s,
        };
        let shape = Shape::of(schema);
        shape.data.nullable
            || shape.enumeration.iter().any(Value::is_null)
            || shape
                .one_of
                .iter()
                .chain(&shape.any_of)
                .any(|alt| match alt {
                    SRef::Item(s) => Shape::of(s).is_null_type(),
                    SRef::Ref(_) => false,
                })
            || (shape.all_of.len() == 1
                && shape.properties.is_empty()
                && self.nullable(shape.all_of[0]))
    }

    /// The binary properties of a multipart body's object are file parts
    /// ([`Primitive::File`]), which carry a file name and media type besides the bytes.
    pub fn file_parts(&mut self, body: &TypeRef) {
        let TypeRef::Named(TypeId(name)) = body else {
            return;
        };
        let Some(Some(def)) = self.defs.get_mut(name) else {
            return;
        };
        let TypeKind::Object(o) = &mut def.kind else {
            return;
        };
        for f in &mut o.fields {
            match &mut f.ty {
                TypeRef::Primitive(p @ Primitive::Binary) => *p = Primitive::File,
                TypeRef::Array(item) if **item == TypeRef::Primitive(Primitive::Binary) => {
                    **item = TypeRef::Primitive(Primitive::File)
                }
                _ => {}
            }
        }
    }

    /// The `maximum` of a number or integer schema (following refs).
    pub fn maximum(&self, s: SRef<'a>) -> Option<f64> {
        let schema = match s {
            SRef::Ref(r) => self.component(r)?.1,
            SRef::Item(s) => s,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(t)) => t.maximum.map(|m| m as f64),
            SchemaKind::Type(Type::Number(t)) => t.maximum,
            SchemaKind::Any(a) => a.maximum,
            _ => None,
        }
    }

    /// Lowers a schema use into a type reference, defining the named types it needs.
    pub fn lower(&mut self, s: SRef<'a>, hint: &Hint) -> TypeRef {
        match s {
            SRef::Ref(r) => match self.ensure_component(r, hint) {
                Some(name) => TypeRef::Named(TypeId(name)),
                None => TypeRef::Any,
            },
            SRef::Item(schema) => self.lower_inline(schema, hint),
        }
    }

    fn ensure_component(&mut self, reference: &str, hint: &Hint) -> Option<String> {
        if !reference.starts_with("#/components/schemas/") {
            self.problem(
                hint,
                &format!("schema $ref {reference:?} does not name a component schema"),
            );
            return None;
        }
        let key = last(reference);
        let Some((key, schema)) = self.schemas.and_then(|m| m.get_key_value(key.as_str())) else {
            self.problem(
                hint,
                &format!("schema $ref {reference:?} names no component"),
            );
            return None;
        };
        let name = self.component_names[key.as_str()].clone();
        if self.defs.contains_key(&name) {
            return Some(name);
        }
        self.defs.insert(name.clone(), None);
        let chint = Hint {
            name: name.clone(),
            origin: format!("components/schemas/{key}"),
            pointer: String::new(),
        };
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.lower(SRef::Ref(reference), &chint);
                TypeDef {
                    names: type_names(&name),
                    origin: chint.origin.clone(),
                    title: None,
                    description: None,
                    example: None,
                    deprecated: false,
                    nullable: false,
                    in_responses: false,
                    kind: TypeKind::Alias(target),
                }
            }
            ReferenceOr::Item(schema) => self.lower_def(schema, &chint),
        };
        self.defs.insert(name.clone(), Some(def));
        Some(name)
    }

    /// Defines a named type for an inline schema, once per place in the document.
    fn define_inline(&mut self, schema: &'a Schema, hint: &Hint) -> TypeRef {
        let key = hint.key();
        if let Some(name) = self.inline_names.get(&key) {
            return TypeRef::Named(TypeId(name.clone()));
        }
        let name = self.scope.unique(&hint.name, false);
        self.inline_names.insert(key, name.clone());
        self.defs.insert(name.clone(), None);
        let hint = Hint {
            name: name.clone(),
            ..hint.clone()
        };
        let def = self.lower_def(schema, &hint);
        self.defs.insert(name.clone(), Some(def));
        TypeRef::Named(TypeId(name))
    }

    fn lower_inline(&mut self, schema: &'a Schema, hint: &Hint) -> TypeRef {
        let shape = Shape::of(schema);
        if shape.has_not {
            self.problem(hint, "`not` schemas are not supported");
            return TypeRef::Any;
        }
        if !shape.all_of.is_empty() {
            if shape.all_of.len() == 1 && shape.properties.is_empty() && shape.additional.is_none()
            {
                // A wrapper that only adds a description or `nullable` to one schema.
                return self.lower(shape.all_of[0], &hint.at("allOf").at("0"));
            }
            return self.define_inline(schema, hint);
        }
        let alternatives: Vec<SRef<'a>> =
            shape.one_of.iter().chain(&shape.any_of).copied().collect();
        if !alternatives.is_empty() {
            let real: Vec<usize> = (0..alternatives.len())
                .filter(|&i| !is_null_alt(alternatives[i]))
                .collect();
            if real.len() == 1 {
                let kw = if shape.one_of.is_empty() {
                    "anyOf"
                } else {
                    "oneOf"
                };
                return self.lower(alternatives[real[0]], &hint.at(kw).at(&real[0].to_string()));
            }
            return self.define_inline(schema, hint);
        }
        if shape.values().next().is_some() {
            return self.define_inline(schema, hint);
        }
        self.structural(&shape, schema, hint)
    }

    /// Objects, maps, arrays and scalars: the schemas whose Rust type follows from their shape.
    fn structural(&mut self, shape: &Shape<'a>, schema: &'a Schema, hint: &Hint) -> TypeRef {
        match shape.typ {
            Some("string") => TypeRef::Primitive(match shape.format.as_deref() {
                Some("date-time") => Primitive::DateTime,
                Some("date") => Primitive::Date,
                Some("uuid") => Primitive::Uuid,
                Some("binary") => Primitive::Binary,
                Some("byte") => Primitive::Byte,
                _ => Primitive::String,
            }),
            Some("integer") => TypeRef::Primitive(match shape.format.as_deref() {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match shape.format.as_deref() {
                Some("float") => Primitive::F32,
                Some("int32") => Primitive::I32,
                Some("int64") => Primitive::I64,
                _ => Primitive::F64,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => self.array(shape, hint),
            Some("object") | None => {
                if !shape.properties.is_empty() {
                    self.define_inline(schema, hint)
                } else if shape.typ.is_none() && shape.items.is_some() {
                    self.array(shape, hint)
                } else {
                    match &shape.additional {
                        Some(Additional::Schema(s)) => {
                            let h = hint.child("Value", "additionalProperties");
                            TypeRef::Map(Box::new(self.lower(*s, &h)))
                        }
                        Some(Additional::Any) => TypeRef::Object,
                        None if shape.typ == Some("object") => TypeRef::Object,
                        None => TypeRef::Any,
                    }
                }
            }
            Some(other) => {
                self.problem(hint, &format!("unknown type {other:?}"));
                TypeRef::Any
            }
        }
    }

    fn array(&mut self, shape: &Shape<'a>, hint: &Hint) -> TypeRef {
        let Some(items) = shape.items else {
            return TypeRef::Array(Box::new(TypeRef::Any));
        };
        let item_name = names::singular(&hint.name).unwrap_or_else(|| format!("{}Item", hint.name));
        let h = Hint {
            name: item_name,
            origin: hint.origin.clone(),
            pointer: format!("{}/items", hint.pointer),
        };
        TypeRef::Array(Box::new(self.lower(items, &h)))
    }

    /// Lowers a schema that gets a name of its own.
    fn lower_def(&mut self, schema: &'a Schema, hint: &Hint) -> TypeDef {
        let shape = Shape::of(schema);
        let alternatives: Vec<SRef<'a>> =
            shape.one_of.iter().chain(&shape.any_of).copied().collect();
        let kind = if !shape.all_of.is_empty() || !shape.properties.is_empty() {
            TypeKind::Object(self.object(&shape, hint))
        } else if !alternatives.is_empty() {
            TypeKind::Union(self.union(&shape, hint))
        } else if shape.values().next().is_some() {
            TypeKind::Enum(self.enumeration(&shape, hint))
        } else if shape.has_not {
            self.problem(hint, "`not` schemas are not supported");
            TypeKind::Alias(TypeRef::Any)
        } else {
            TypeKind::Alias(self.structural(&shape, schema, hint))
        };
        let mut example = shape.data.example.clone();
        if let Some(Value::Array(items)) = &example {
            let list_like = match &kind {
                TypeKind::Alias(TypeRef::Array(_) | TypeRef::Any) => true,
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| matches!(v.ty, TypeRef::Array(_) | TypeRef::Any)),
                _ => false,
            };
            if !list_like {
                let loc = self
                    .spec
                    .locate(&hint.origin, &format!("{}/example", hint.pointer));
                self.warnings.push(format!(
                    "{loc}: the example of {} is a list, but {0} is not; read as the example of the list's items",
                    hint.name
                ));
                example = items.first().cloned();
            }
        }
        TypeDef {
            names: type_names(&hint.name),
            origin: hint.key(),
            title: shape.data.title.clone(),
            description: shape.data.description.clone(),
            example,
            deprecated: shape.data.deprecated,
            nullable: shape.data.nullable || shape.enumeration.iter().any(Value::is_null),
            in_responses: false,
            kind,
        }
    }

    fn object(&mut self, shape: &Shape<'a>, hint: &Hint) -> ObjectType {
        let mut fields: Vec<Field> = Vec::new();
        let mut all_of = Vec::new();
        let mut additional = None;
        let mut scope = Scope::new();
        for (i, part) in shape.all_of.iter().enumerate() {
            let phint = hint.at("allOf").at(&i.to_string());
            let part_schema = match part {
                SRef::Ref(r) => {
                    if let Some(name) = self.ensure_component(r, &phint) {
                        all_of.push(TypeRef::Named(TypeId(name)));
                    }
                    self.component(r).map(|(_, s)| s)
                }
                SRef::Item(s) => Some(*s),
            };
            let Some(part_schema) = part_schema else {
                continue;
            };
            let part_shape = Shape::of(part_schema);
            if !part_shape.one_of.is_empty() || !part_shape.any_of.is_empty() {
                self.problem(
                    &phint,
                    "`allOf` with a `oneOf`/`anyOf` part is not supported",
                );
                continue;
            }
            // A part's own parts are merged too (nested compositions).
            let part_hint = match part {
                SRef::Ref(r) => Hint {
                    name: hint.name.clone(),
                    origin: format!("components/schemas/{}", last(r)),
                    pointer: String::new(),
                },
                SRef::Item(_) => Hint {
                    name: hint.name.clone(),
                    ..phint.clone()
                },
            };
            let part_object = self.object(&part_shape, &part_hint);
            for f in part_object.fields {
                merge_field(&mut fields, &mut scope, f);
            }
            if part_object.additional.is_some() {
                additional = part_object.additional;
            }
        }
        for (wire, prop) in &shape.properties {
            let phint = hint.at("properties").child(wire, wire);
            let ty = self.lower(*prop, &phint);
            let data = match prop {
                SRef::Item(s) => Some(&s.schema_data),
                SRef::Ref(_) => None,
            };
            let f = Field {
                wire_name: wire.to_string(),
                rust_name: names::value_name(wire),
                ty,
                required: shape.required.contains(wire),
                nullable: self.nullable(*prop),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data
                    .and_then(|d| d.description.clone())
                    .or_else(|| self.description_of(*prop)),
                example: data.and_then(|d| d.example.clone()),
                default: data.and_then(|d| d.default.clone()),
            };
            merge_field(&mut fields, &mut scope, f);
        }
        // `required` may name properties that an `allOf` part declares.
        for f in &mut fields {
            if shape.required.contains(&f.wire_name.as_str()) {
                f.required = true;
            }
        }
        if let Some(Additional::Schema(s)) = &shape.additional {
            let h = hint.child("Value", "additionalProperties");
            additional = Some(self.lower(*s, &h));
        }
        ObjectType {
            fields,
            all_of,
            additional,
        }
    }

    /// Description of a `$ref`'d schema: a wrapper's `allOf` target carries none of its own.
    fn description_of(&self, s: SRef<'a>) -> Option<String> {
        match s {
            SRef::Item(schema) => {
                let shape = Shape::of(schema);
                shape.data.description.clone()
            }
            SRef::Ref(_) => None,
        }
    }

    fn union(&mut self, shape: &Shape<'a>, hint: &Hint) -> UnionType {
        let (kind, kw, alternatives) = if shape.one_of.is_empty() {
            (UnionKind::AnyOf, "anyOf", &shape.any_of)
        } else {
            (UnionKind::OneOf, "oneOf", &shape.one_of)
        };
        let mut scope = Scope::new();
        // The catch-all of a discriminated union.
        if shape.data.discriminator.is_some() {
            scope.reserve("Unknown");
        }
        let mut variants = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            if is_null_alt(*alt) {
                continue;
            }
            let ahint = hint.at(kw).at(&i.to_string());
            let (variant, title, description, example) = match alt {
                SRef::Ref(r) => {
                    let name = self
                        .component(r)
                        .map_or_else(|| last(r), |(k, _)| k.to_string());
                    let name = self
                        .component_names
                        .get(name.as_str())
                        .cloned()
                        .unwrap_or(name);
                    (name, None, None, None)
                }
                SRef::Item(s) => {
                    let d = &s.schema_data;
                    let sh = Shape::of(s);
                    let fallback = match sh.typ {
                        Some("string") => "String",
                        Some("boolean") => "Boolean",
                        Some("integer") => "Integer",
                        Some("number") => "Number",
                        Some("object") => "Object",
                        Some("array") => "Array",
                        _ if !sh.properties.is_empty() => "Object",
                        _ => "Variant",
                    };
                    let name = d
                        .title
                        .as_deref()
                        .map_or(fallback.to_string(), |t| names::variant_name(t, fallback));
                    (
                        name,
                        d.title.clone(),
                        d.description.clone(),
                        d.example.clone(),
                    )
                }
            };
            let rust_variant = scope.unique(&variant, false);
            let h = Hint {
                name: format!("{}{}", hint.name, rust_variant),
                ..ahint
            };
            let ty = self.lower(*alt, &h);
            variants.push(UnionVariant {
                rust_variant,
                ty,
                title,
                description,
                example,
            });
        }
        let discriminator = shape.data.discriminator.as_ref().map(|d| {
            let index_of = |target: &str| {
                variants
                    .iter()
                    .position(|v| matches!(&v.ty, TypeRef::Named(TypeId(n)) if n == target))
            };
            let mut mapping = Vec::new();
            if d.mapping.is_empty() {
                for (i, alt) in alternatives.iter().enumerate() {
                    if let SRef::Ref(r) = alt {
                        let key = last(r);
                        if let Some(name) = self.component_names.get(key.as_str()) {
                            if let Some(idx) = index_of(name).or(Some(i).filter(|&i| i < variants.len())) {
                                mapping.push((key, idx));
                            }
                        }
                    }
                }
            } else {
                for (value, reference) in &d.mapping {
                    let key = last(reference);
                    let idx = self.component_names.get(key.as_str()).and_then(|n| index_of(n));
                    match idx {
                        Some(idx) => mapping.push((value.clone(), idx)),
                        None => self
                            .warnings
                            .push(format!("{}: discriminator value {value:?} maps to {reference:?}, which is not one of the alternatives; ignored", self.spec.locate(&hint.origin, &hint.pointer))),
                    }
                }
            }
            Discriminator {
                property: d.property_name.clone(),
                mapping,
                unknown_variant: "Unknown".to_string(),
            }
        });
        UnionType {
            kind,
            variants,
            discriminator,
        }
    }

    fn enumeration(&mut self, shape: &Shape<'a>, _hint: &Hint) -> EnumType {
        let base = match shape.typ {
            Some("integer") => EnumBase::Integer,
            Some("number") => EnumBase::Number,
            Some("boolean") => EnumBase::Boolean,
            _ => EnumBase::String,
        };
        let mut scope = Scope::new();
        // The catch-all variant of forward-compatible enums.
        scope.reserve("Unknown");
        let mut values = Vec::new();
        for v in shape.values() {
            if values.iter().any(|e: &EnumValue| &e.wire == v) {
                continue;
            }
            let raw = match v {
                Value::String(s) => names::variant_name(s, "Empty"),
                Value::Number(n) => {
                    // `0.5` → `Value0_5`, `-2` → `ValueMinus2`, `1e-7` → `Value1eMinus7`.
                    let t = n
                        .to_string()
                        .replace('.', "_")
                        .replace('-', "Minus")
                        .replace('+', "");
                    format!("Value{t}")
                }
                Value::Bool(b) => names::variant_name(&b.to_string(), "Value"),
                other => names::variant_name(&other.to_string(), "Value"),
            };
            let raw = if raw == "Unknown" {
                "UnknownValue".to_string()
            } else {
                raw
            };
            values.push(EnumValue {
                wire: v.clone(),
                rust_variant: scope.unique(&raw, false),
            });
        }
        EnumType { base, values }
    }
}

fn is_null_alt(s: SRef<'_>) -> bool {
    matches!(s, SRef::Item(schema) if Shape::of(schema).is_null_type())
}

/// Adds a field, replacing an earlier one of the same wire name (a later `allOf` part or the
/// object's own properties override what a part declared).
fn merge_field(fields: &mut Vec<Field>, scope: &mut Scope, mut f: Field) {
    if let Some(existing) = fields.iter_mut().find(|e| e.wire_name == f.wire_name) {
        f.rust_name = existing.rust_name.clone();
        f.required |= existing.required;
        if f.description.is_none() {
            f.description = existing.description.take();
        }
        *existing = f;
        return;
    }
    f.rust_name = scope.unique(&f.rust_name, true);
    fields.push(f);
}

pub(crate) fn type_names(rust: &str) -> TypeNames {
    let mut doc_slug = names::slug(rust);
    // `index` is the models index page.
    if doc_slug == "index" {
        doc_slug.push_str("-model");
    }
    TypeNames {
        rust: rust.to_string(),
        rust_module: names::module_name(rust),
        doc_slug,
    }
}
