//! The language-neutral model that both emitters read.
//!
//! Everything an emitter needs is decided here, once: names (Rust identifiers, doc slugs, file
//! names), resolved types, examples, and the facts of each operation. Emitters never look at
//! `openapiv3` types, and templates never compute what this model already knows.

use serde_json::Value;

/// The whole lowered selection: APIs (one per tag), their operations, and every type they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document, e.g. `v2024`; also the Rust module name (`sailpoint::v2024`).
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers with their variables, in document order.
    pub servers: Vec<Server>,
    /// One API per selected tag, in the document's tag order.
    pub apis: Vec<Api>,
    /// Every named type reachable from the selected operations, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Non-fatal findings (lenient fixes of spec defects), each naming file and line.
    pub warnings: Vec<String>,
}

impl Model {
    /// Looks a type up by its id (its Rust name).
    pub fn type_def(&self, id: &TypeId) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.names.rust.as_str().cmp(id.0.as_str()))
            .ok()
            .map(|i| &self.types[i])
    }
}

/// A server URL template with its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The template, e.g. `https://{tenant}.api.identitynow.com/v2024`.
    pub url: String,
    /// The URL with every variable replaced by its default.
    pub default_url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub description: Option<String>,
}

/// The names one API (tag) goes by in each output.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiNames {
    /// Rust struct, e.g. `AuthUsersApi`.
    pub rust_struct: String,
    /// Rust module / file stem, e.g. `auth_users_api`.
    pub rust_module: String,
    /// Cargo feature of the emitted crate, e.g. `auth-users`.
    pub feature: String,
    /// Doc page slug / file stem, e.g. `auth-users`.
    pub doc_slug: String,
    /// Doc page title, e.g. `Auth_Users` (the tag with spaces as underscores, as the reference).
    pub doc_title: String,
}

/// One API: the operations of one tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The tag as written in the spec, e.g. `Auth Users`.
    pub tag: String,
    pub description: Option<String>,
    pub names: ApiNames,
    /// Operations in document order (path order, then method order get, put, post, delete,
    /// options, head, patch, trace).
    pub operations: Vec<Operation>,
}

/// HTTP methods an operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case wire name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// The names one operation goes by in each output.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationNames {
    /// Rust method, e.g. `get_auth_user`.
    pub rust_fn: String,
    /// Rust enum of the documented error responses, e.g. `GetAuthUserError`.
    pub rust_error: String,
    /// Rust options struct for optional parameters, e.g. `ListAccessProfilesParams`
    /// (used only when the operation has optional parameters).
    pub rust_params: String,
    /// Markdown anchor / heading, e.g. `get-auth-user`.
    pub doc_anchor: String,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written, e.g. `getAuthUser`.
    pub id: String,
    pub names: OperationNames,
    pub method: Method,
    /// The path template as written in the spec, e.g. `/auth-users/{id}`.
    pub path: String,
    /// The path split into literal text and parameters (indexes into `parameters`).
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// True when the operation takes the `X-SailPoint-Experimental` header. That header is not
    /// among `parameters`: the runtime sends it when the configuration enables experimental calls.
    pub experimental: bool,
    /// Path, query, header and cookie parameters (without `X-SailPoint-Experimental`), in the
    /// order: path parameters in template order, then the rest in document order.
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    /// Responses sorted by status (numeric codes ascending, then ranges, then `default`).
    pub responses: Vec<Response>,
    /// Security requirements: alternatives, each a list of (scheme, scopes).
    pub security: Vec<Vec<SecurityScope>>,
    /// Set when the operation pages with `limit`/`offset`.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// The success response whose body the method returns (the first 2xx one).
    pub fn success(&self) -> Option<&Response> {
        self.responses.iter().find(|r| r.status.is_success())
    }

    /// The documented error responses (4xx, 5xx, ranges and `default` that are not success).
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }

    pub fn params_in(&self, location: ParamLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Literal text, e.g. `/auth-users/`.
    Literal(String),
    /// A parameter: index into `Operation::parameters`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScope {
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// Limit/offset paging facts of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index of the `limit` parameter.
    pub limit_param: usize,
    /// Index of the `offset` parameter.
    pub offset_param: usize,
    /// Index of the `count` parameter, when the operation has one.
    pub count_param: Option<usize>,
    /// Item type of the returned array.
    pub item: TypeRef,
    /// The page size asked for when the caller sets none: the `maximum` of `limit`, or 250 when
    /// the spec gives none.
    pub max_limit: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// Name as the docs show it: `Path`, `Query`, `Header`, `Cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "Path",
            ParamLocation::Query => "Query",
            ParamLocation::Header => "Header",
            ParamLocation::Cookie => "Cookie",
        }
    }
}

/// How an array query parameter is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `?a=1&a=2` (form, explode: true — the OpenAPI default).
    Multi,
    /// `?a=1,2` (form, explode: false).
    Csv,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name on the wire, e.g. `id`, `X-SailPoint-Experimental`.
    pub wire_name: String,
    /// Rust identifier (snake case, keyword-safe), e.g. `id`, `r#type` is never used: `type_`.
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub deprecated: bool,
    pub array_style: ArrayStyle,
    /// The schema's `maximum`, for numbers (e.g. the largest page a `limit` allows).
    pub maximum: Option<f64>,
}

/// Wire formats of request and response bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaType {
    /// `application/json` and other `+json` types other than JSON Patch.
    Json,
    /// `application/json-patch+json`.
    JsonPatch,
    /// `multipart/form-data`.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    FormUrlEncoded,
    /// `text/*` (e.g. `text/csv`, `text/plain`).
    Text,
    /// Anything else, sent or received as bytes (e.g. `application/octet-stream`, `application/zip`).
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The content type sent, exactly as written, e.g. `application/json-patch+json`.
    pub content_type: String,
    pub media: MediaType,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    /// Rust name of the body argument, e.g. `json_patch_operation` (from the body type's name).
    pub rust_name: String,
    /// The request body's example (`example`, or the first of `examples`), if any.
    pub example: Option<Value>,
}

/// A response status key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `2XX`, `4XX`…: the first digit.
    Range(u8),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }

    /// As written in the spec: `200`, `4XX`, `default`.
    pub fn label(self) -> String {
        match self {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "default".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// Rust variant name of this response in the operation's error enum, e.g. `BadRequest`,
    /// `TooManyRequests`, `Status418`.
    pub rust_variant: String,
    /// The body, when the response has content (first JSON media type preferred).
    pub body: Option<ResponseBody>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    pub content_type: String,
    pub media: MediaType,
    pub ty: TypeRef,
    /// The schema accepts `null` at the top level (`nullable: true`): the body may be `null`.
    pub nullable: bool,
    /// The response's example (`example`, or the first of `examples`), if any.
    pub example: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
}

/// The identity of a named type: its Rust name, unique in the model.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub String);

/// Scalars with their wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date`.
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: binary`: raw bytes (file uploads and downloads).
    Binary,
    /// `format: binary` as a property of a `multipart/form-data` body: a file part, with the
    /// file's content and, optionally, its name and media type.
    File,
    /// `format: byte`: base64 text.
    Byte,
    /// `format: int32`.
    I32,
    /// `format: int64`, or an integer with no format (which may exceed 32 bits).
    I64,
    /// `format: float`.
    F32,
    /// `format: double`, or a number with no format.
    F64,
    Bool,
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A named type in `Model::types`.
    Named(TypeId),
    Array(Box<TypeRef>),
    /// A JSON object with string keys and values of one type (`additionalProperties`).
    Map(Box<TypeRef>),
    /// Any JSON value (a schema with no constraints, or a free-form value).
    Any,
    /// A free-form JSON object (`type: object` with no properties).
    Object,
}

impl TypeRef {
    pub fn named(name: &str) -> TypeRef {
        TypeRef::Named(TypeId(name.to_string()))
    }

    /// Visits every named type this reference mentions.
    pub fn for_each_named<'a>(&'a self, f: &mut dyn FnMut(&'a TypeId)) {
        match self {
            TypeRef::Named(id) => f(id),
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.for_each_named(f),
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Object => {}
        }
    }
}

/// The names one type goes by in each output.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeNames {
    /// Rust type name, e.g. `AuthUser`, `JsonPatchOperationValue`; unique in the model.
    pub rust: String,
    /// Rust module / file stem, e.g. `auth_user`.
    pub rust_module: String,
    /// Doc page slug / file stem, e.g. `auth-user`.
    pub doc_slug: String,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub names: TypeNames,
    /// Where the schema is defined, for messages: e.g. `components/schemas/AuthUser` or
    /// `JsonPatchOperation.value`.
    pub origin: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The schema's own `example`, if any.
    pub example: Option<Value>,
    pub deprecated: bool,
    /// `nullable: true` on the schema itself: every use of the type accepts `null`.
    pub nullable: bool,
    /// A response body reaches this type (itself, or through fields, items, variants…). A type
    /// that is only ever sent never has its read-only fields set by the caller.
    pub in_responses: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Object(ObjectType),
    Enum(EnumType),
    Union(UnionType),
    /// A named schema that is not an object, enum or union (e.g. an array, a primitive, a map).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectType {
    /// Fields in declaration order; `allOf` parts merged in the order they are listed.
    pub fields: Vec<Field>,
    /// Types that this object was composed from with `allOf` (named parts only).
    pub all_of: Vec<TypeRef>,
    /// `additionalProperties` with a schema: extra keys collected into a map of this type.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire, e.g. `identificationNumber`.
    pub wire_name: String,
    /// Rust field name, e.g. `identification_number`; unique in the object.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a valid value.
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub default: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumBase {
    String,
    Integer,
    Number,
    Boolean,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub base: EnumBase,
    /// Distinct values in document order (a listed `null` is not a value: it sets `nullable`).
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: Value,
    /// Rust variant name, e.g. `OrgAdmin`, `DasUiAdministrator`, `SourceAdmin`; unique in the enum.
    pub rust_variant: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionKind {
    OneOf,
    AnyOf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionType {
    pub kind: UnionKind,
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name, e.g. `String`, `Array`, `AccessProfile`.
    pub rust_variant: String,
    pub ty: TypeRef,
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property that tells the variants apart, on the wire.
    pub property: String,
    /// Discriminator value -> index into `variants`.
    pub mapping: Vec<(String, usize)>,
    /// Rust variant of the forward-compatible catch-all (e.g. `Unknown`): an object whose
    /// discriminator value maps to no alternative (a kind added after this client) is kept
    /// there as sent. Unique among the union's variants.
    pub unknown_variant: String,
}
