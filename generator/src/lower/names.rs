//! Naming: every Rust identifier, file stem and doc slug is made here, with `heck`.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (2021 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow the prelude (or our own runtime names) where users import models.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Error",
    "ApiClient",
    "Configuration",
    "HashMap",
    "DateTime",
    "NaiveDate",
    "Utc",
    "Default",
    "From",
    "Into",
    "ToString",
    "Part",
];

/// Keeps only characters that can be part of an identifier, splitting words at the others.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type name; never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("Model{name}");
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// `UpperCamelCase` enum variant name for a wire value; `fallback` when the value has no letters
/// or digits.
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        return fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("Value{name}");
    }
    if name == "Self" {
        return "SelfValue".to_string();
    }
    name
}

/// `snake_case` value name (field, parameter, method): a raw identifier for keywords.
pub fn value_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        if NOT_RAW.contains(&name.as_str()) {
            name.push('_');
        } else {
            name = format!("r#{name}");
        }
    }
    name
}

/// `snake_case` module / file stem for a type name.
pub fn module_name(type_name: &str) -> String {
    let name = type_name.to_snake_case();
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `kebab-case` slug or anchor.
pub fn slug(raw: &str) -> String {
    words(raw).to_kebab_case()
}

/// Pluralized words to their singular, for naming the item type of an array field.
pub fn singular(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") && name.len() > 3 {
        return Some(format!("{}y", &name[..name.len() - 3]));
    }
    if lower.ends_with("sses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
    {
        return Some(name[..name.len() - 2].to_string());
    }
    if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && name.len() > 1
    {
        return Some(name[..name.len() - 1].to_string());
    }
    None
}

/// Hands out names unique within one scope, numbering the later ones (`Name2`, `name_2`).
#[derive(Debug, Default)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    pub fn new() -> Scope {
        Scope::default()
    }

    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// `name`, or the first free numbered variant of it.
    pub fn unique(&mut self, name: &str, snake: bool) -> String {
        if self.used.insert(name.to_string()) {
            return name.to_string();
        }
        let base = name
            .strip_prefix("r#")
            .unwrap_or(name)
            .trim_end_matches('_');
        for i in 2.. {
            let candidate = if snake {
                format!("{base}_{i}")
            } else {
                format!("{base}{i}")
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded range always yields a free name")
    }
}

/// The variant name of a response status in an operation's result or error enum.
pub fn status_variant(code: u16) -> String {
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_become_readable_distinct_variants() {
        assert_eq!(
            variant_name("das:ui-administrator", "V"),
            "DasUiAdministrator"
        );
        assert_eq!(
            variant_name("sp:aic-dashboard-read", "V"),
            "SpAicDashboardRead"
        );
        assert_eq!(variant_name("SOURCE_ADMIN ", "V"), "SourceAdmin");
        assert_eq!(variant_name("ORG_ADMIN", "V"), "OrgAdmin");
        assert_eq!(variant_name("1d", "V"), "Value1d");
        assert_eq!(variant_name("*", "Star"), "Star");
    }

    #[test]
    fn keywords_and_digits_give_valid_identifiers() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("_type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("move"), "r#move");
        assert_eq!(value_name("identificationNumber"), "identification_number");
        assert_eq!(value_name("2fa"), "n2fa");
        assert_eq!(type_name("401"), "Model401");
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(type_name("selector"), "Selector");
    }

    #[test]
    fn scope_numbers_clashes() {
        let mut s = Scope::new();
        assert_eq!(s.unique("r#type", true), "r#type");
        assert_eq!(s.unique("r#type", true), "type_2");
        assert_eq!(s.unique("Selector", false), "Selector");
        assert_eq!(s.unique("Selector", false), "Selector2");
    }

    #[test]
    fn plural_fields_give_singular_item_names() {
        assert_eq!(singular("capabilities").as_deref(), Some("capability"));
        assert_eq!(singular("Messages").as_deref(), Some("Message"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("access"), None);
    }
}
