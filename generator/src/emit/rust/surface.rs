//! The Rust surface of the model: how each type, field, parameter and return value is spelled
//! in the emitted crate. The code emitter and the docs both read it, so they cannot disagree.

use crate::model::*;

/// The Rust type a reference stands for, as users write it with the crate's models in scope:
/// `String`, `Vec<JsonPatchOperation>`, `HashMap<String, i64>`, `DateTime<Utc>`.
pub fn type_display(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => primitive(*p).to_string(),
        TypeRef::Named(TypeId(n)) => n.clone(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_display(inner)),
        TypeRef::Map(inner) => format!("HashMap<String, {}>", type_display(inner)),
        TypeRef::Any => "serde_json::Value".to_string(),
        TypeRef::Object => "serde_json::Map<String, serde_json::Value>".to_string(),
    }
}

fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::String | Primitive::Uuid | Primitive::Byte => "String",
        Primitive::DateTime => "DateTime<Utc>",
        Primitive::Date => "NaiveDate",
        Primitive::Binary => "Vec<u8>",
        Primitive::File => "UploadFile",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::Bool => "bool",
    }
}

/// How a field is held in its struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// Required, not nullable: `T`.
    Plain,
    /// Optional, or required and nullable: `Option<T>`.
    Optional,
    /// Optional and nullable: `Option<Option<T>>` — absent and `null` stay different.
    OptionalNullable,
}

pub fn field_shape(model: &Model, field: &Field) -> FieldShape {
    let nullable = field.nullable || named_nullable(model, &field.ty);
    match (field.required, nullable) {
        (true, false) => FieldShape::Plain,
        (false, true) => FieldShape::OptionalNullable,
        _ => FieldShape::Optional,
    }
}

/// Whether a field is left out of its struct's constructor: a required read-only field of a
/// type that is only ever sent. The server assigns it, so the caller has nothing to give; the
/// struct starts with the type's default and does not send the field while it holds that.
/// (Decoding still requires it, and a type that responses use keeps it as an argument.)
pub fn set_by_server(model: &Model, owner: &TypeDef, field: &Field) -> bool {
    field.read_only
        && !owner.in_responses
        && field_shape(model, field) == FieldShape::Plain
        && !matches!(field.ty, TypeRef::Named(_))
}

/// Whether a type is an object holding file parts ([`Primitive::File`]): a multipart body,
/// sent part by part, never as JSON (`UploadFile` has no serde form).
pub fn holds_files(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Object(o)) => o.fields.iter().any(|f| is_file(&f.ty)),
            Some(TypeKind::Alias(inner)) => holds_files(model, inner),
            _ => false,
        },
        TypeRef::Array(inner) => holds_files(model, inner),
        _ => false,
    }
}

/// A file part, or a list of them.
pub fn is_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::File) => true,
        TypeRef::Array(inner) => is_file(inner),
        _ => false,
    }
}

/// Whether a named type is itself nullable (`nullable: true` on the schema).
pub fn named_nullable(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => model.type_def(id).is_some_and(|d| d.nullable),
        _ => false,
    }
}

/// The field's Rust type as written in the struct, e.g. `Option<Option<String>>`.
pub fn field_type_display(model: &Model, field: &Field) -> String {
    wrap(field_shape(model, field), type_display(&field.ty))
}

fn wrap(shape: FieldShape, inner: String) -> String {
    match shape {
        FieldShape::Plain => inner,
        FieldShape::Optional => format!("Option<{inner}>"),
        FieldShape::OptionalNullable => format!("Option<Option<{inner}>>"),
    }
}

/// Whether a parameter is a positional argument of its method (required ones are); optional
/// parameters go into the operation's params struct.
pub fn is_positional(p: &Parameter) -> bool {
    p.required
}

/// Whether the operation has a params struct (it has optional parameters).
pub fn has_params_struct(op: &Operation) -> bool {
    op.parameters.iter().any(|p| !is_positional(p))
}

/// The argument type of a required parameter: `&str` for strings, `&[T]` for lists, `&T` for
/// models, values for scalars and enums.
pub fn param_arg_display(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(Primitive::String | Primitive::Uuid | Primitive::Byte) => {
            "&str".to_string()
        }
        TypeRef::Primitive(Primitive::Binary) => "&[u8]".to_string(),
        TypeRef::Primitive(_) => type_display(ty),
        TypeRef::Array(inner) => format!("&[{}]", type_display(inner)),
        TypeRef::Named(id) if is_copy_like(model, id) => type_display(ty),
        _ => format!("&{}", type_display(ty)),
    }
}

/// Enums are passed by value (they are small); structs and unions by reference.
fn is_copy_like(model: &Model, id: &TypeId) -> bool {
    matches!(model.type_def(id).map(|d| &d.kind), Some(TypeKind::Enum(_)))
}

/// The value a method returns on success: the success response's body.
pub fn return_type(op: &Operation) -> TypeRef {
    match op.success().and_then(|r| r.body.as_ref()) {
        Some(b) => match b.media {
            MediaType::Binary => TypeRef::Primitive(Primitive::Binary),
            MediaType::Text => TypeRef::Primitive(Primitive::String),
            _ => b.ty.clone(),
        },
        None => unit(),
    }
}

/// Whether the method returns `Option<T>`: the success body is JSON whose schema is nullable
/// at the top level, so `null` is a valid answer.
pub fn returns_option(op: &Operation) -> bool {
    op.success()
        .and_then(|r| r.body.as_ref())
        .is_some_and(|b| b.nullable && matches!(b.media, MediaType::Json | MediaType::JsonPatch))
}

/// The Rust type a successful call yields, e.g. `AuthUser`, `Option<MaybeOwner>`, `()`.
pub fn return_type_display(op: &Operation) -> String {
    let inner = type_display(&return_type(op));
    if returns_option(op) {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// The unit type, for operations whose success has no body (shown as `()`).
fn unit() -> TypeRef {
    TypeRef::Named(TypeId("()".to_string()))
}

pub fn returns_unit(op: &Operation) -> bool {
    return_type(op) == unit()
}

/// The method's return type as users see it: `Result<AuthUser, Error<GetAuthUserError>>`.
pub fn return_display(op: &Operation) -> String {
    format!(
        "Result<{}, Error<{}>>",
        return_type_display(op),
        op.names.rust_error
    )
}

/// The names a file must import to spell a set of types with [`type_display`].
#[derive(Debug, Default)]
pub struct Imports {
    /// Model types, by name.
    pub models: std::collections::BTreeSet<String>,
    pub hash_map: bool,
    pub date_time: bool,
    pub naive_date: bool,
    /// The runtime's `UploadFile` (not a model: it lives in `crate::v2024`).
    pub upload_file: bool,
}

impl Imports {
    pub fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Primitive(Primitive::DateTime) => self.date_time = true,
            TypeRef::Primitive(Primitive::Date) => self.naive_date = true,
            TypeRef::Primitive(Primitive::File) => self.upload_file = true,
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Object => {}
            TypeRef::Named(TypeId(n)) => {
                if n != "()" {
                    self.models.insert(n.clone());
                }
            }
            TypeRef::Array(inner) => self.add(inner),
            TypeRef::Map(inner) => {
                self.hash_map = true;
                self.add(inner);
            }
        }
    }
}
