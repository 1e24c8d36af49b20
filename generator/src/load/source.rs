//! One spec file: its text, its parsed tree, and positions of nodes in it (for messages).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Error, Location};

/// A parsed YAML or JSON file.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub value: Value,
}

impl SourceFile {
    /// Reads and parses a file. YAML is a superset of JSON, so one parser serves both.
    pub fn read(path: &Path, chain: &[String]) -> Result<SourceFile, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            chain: chain.to_vec(),
            source: e,
        })?;
        let value = parse(path, &text, chain)?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
            value,
        })
    }

    /// The position of the node at `pointer` (a JSON pointer inside this file), or of its
    /// nearest ancestor that exists.
    pub fn locate(&self, pointer: &str) -> Location {
        let (line, column) = locate(&self.text, pointer).unwrap_or((1, 1));
        Location {
            file: self.path.clone(),
            line,
            column,
            pointer: pointer.to_string(),
        }
    }
}

fn parse(path: &Path, text: &str, chain: &[String]) -> Result<Value, Error> {
    // Straight into JSON values; anything unusual (a float or compound map key, a key given
    // twice, a syntax error) goes the long way, through serde_yaml's own values, which gives
    // the precise error.
    if let Ok(Json(value)) = serde_yaml::from_str::<Json>(text) {
        return Ok(value);
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        Error::Yaml {
            location: Location {
                file: path.to_path_buf(),
                line,
                column,
                pointer: String::new(),
            },
            chain: chain.to_vec(),
            message: strip_position(&e.to_string()),
        }
    })?;
    Ok(to_json(yaml))
}

/// A YAML document read straight into a JSON value (no intermediate YAML tree). Map keys that
/// are not strings become their text, as in [`to_json`]; other keys are refused.
struct Json(Value);

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(k)) = map.next_key()? {
            let Json(v) = map.next_value()?;
            if out.insert(k, v).is_some() {
                return Err(serde::de::Error::custom("a key given twice"));
            }
        }
        Ok(Value::Object(out))
    }
    // A tagged value (`!tag value`): its value, as `to_json` takes it.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant::<Json>().map(|Json(v)| v)
    }
}

/// A map key: strings, booleans, integers and null, as text.
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl serde::de::Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, boolean, integer or null map key")
    }
    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }
    fn visit_i64<E>(self, n: i64) -> Result<String, E> {
        Ok(n.to_string())
    }
    fn visit_u64<E>(self, n: u64) -> Result<String, E> {
        Ok(n.to_string())
    }
    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }
    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

/// serde_yaml appends " at line L column C" to its messages; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON. Map keys that are not strings (YAML reads `200:` as a number) become
/// their text, as OpenAPI means them.
fn to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(seq) => Value::Array(seq.into_iter().map(to_json).collect()),
        serde_yaml::Value::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(key_text(k), to_json(v));
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => to_json(tagged.value),
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => "null".to_string(),
        other => serde_yaml::to_string(&other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

/// Splits a JSON pointer into its unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one JSON pointer token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Finds the 1-based line and column of the node at `pointer`, walking the YAML event stream.
/// Returns the deepest node on the way when the pointer leads nowhere.
fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let target = pointer_tokens(pointer);
    let mut finder = Finder {
        target,
        stack: Vec::new(),
        best: None,
        best_depth: 0,
        done: false,
    };
    let mut parser = Parser::new_from_str(text);
    // A scan error after the node was found does not matter; before it, we have the best guess.
    let _ = parser.load(&mut finder, false);
    finder.best.map(|m| (m.line().max(1), m.col() + 1))
}

enum Frame {
    /// In a mapping; `key` is the pending key (None: next scalar is a key).
    Map {
        key: Option<String>,
        depth_path: Vec<String>,
    },
    Seq {
        index: usize,
        depth_path: Vec<String>,
    },
}

struct Finder {
    target: Vec<String>,
    stack: Vec<Frame>,
    best: Option<Marker>,
    best_depth: usize,
    done: bool,
}

impl Finder {
    /// The path of the node that the next value event starts, if one starts now.
    fn next_value_path(&mut self) -> Option<Vec<String>> {
        match self.stack.last_mut() {
            None => Some(Vec::new()),
            Some(Frame::Map { key, depth_path }) => key.take().map(|k| {
                let mut p = depth_path.clone();
                p.push(k);
                p
            }),
            Some(Frame::Seq { index, depth_path }) => {
                let mut p = depth_path.clone();
                p.push(index.to_string());
                *index += 1;
                Some(p)
            }
        }
    }

    fn consider(&mut self, path: &[String], mark: Marker) {
        if path.len() <= self.target.len() && self.target[..path.len()] == *path {
            if path.len() >= self.best_depth {
                self.best = Some(mark);
                self.best_depth = path.len();
            }
            if path.len() == self.target.len() {
                self.done = true;
            }
        }
    }
}

impl MarkedEventReceiver for Finder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.done {
            return;
        }
        match ev {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map {
                    key: key @ None,
                    depth_path,
                }) = self.stack.last_mut()
                {
                    // A key: point at the key itself, which is where a reader looks.
                    let mut p = depth_path.clone();
                    p.push(text.clone());
                    *key = Some(text);
                    self.consider(&p, mark);
                } else if let Some(path) = self.next_value_path() {
                    self.consider(&path, mark);
                }
            }
            Event::Alias(_) => {
                let _ = self.next_value_path();
            }
            Event::MappingStart(..) => {
                let path = self.next_value_path().unwrap_or_default();
                if path.is_empty() {
                    self.consider(&path, mark);
                }
                self.stack.push(Frame::Map {
                    key: None,
                    depth_path: path,
                });
            }
            Event::SequenceStart(..) => {
                let path = self.next_value_path().unwrap_or_default();
                self.stack.push(Frame::Seq {
                    index: 0,
                    depth_path: path,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The long way: serde_yaml's own tree, then JSON.
    fn through_yaml_values(text: &str) -> Value {
        to_json(serde_yaml::from_str(text).unwrap())
    }

    fn direct(text: &str) -> Option<Value> {
        serde_yaml::from_str::<Json>(text).ok().map(|Json(v)| v)
    }

    #[test]
    fn direct_reading_gives_what_yaml_values_give() {
        let text = "200:\n  a: [1, -2, 3.5, .inf, null, ~, true, 'x']\ntrue: yes\n~: 1\n18446744073709551615: big\nt: !tag {b: 2}\n";
        assert_eq!(direct(text), Some(through_yaml_values(text)));
        let v = direct(text).unwrap();
        assert_eq!(v["200"]["a"][3], Value::Null);
        assert_eq!(v["null"], Value::from(1));
        assert_eq!(v["t"]["b"], Value::from(2));
    }

    #[test]
    fn unusual_keys_and_duplicates_take_the_long_way() {
        assert_eq!(direct("1.5: x\n"), None);
        assert_eq!(direct("[a]: x\n"), None);
        assert_eq!(direct("a: 1\na: 2\n"), None);
        // …where the long way reports the duplicate with its place.
        let e = parse(Path::new("dup.yaml"), "a: 1\na: 2\n", &[]).unwrap_err();
        assert!(e.to_string().contains("dup.yaml:"), "{e}");
    }

    /// Every file of the real document reads the same both ways.
    #[test]
    fn direct_reading_agrees_on_the_upstream_document() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/api-specs/idn");
        let files: Vec<PathBuf> = crate::output::walk(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        assert!(
            files.len() > 500,
            "upstream document not found in {}",
            dir.display()
        );
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                direct(&text),
                Some(through_yaml_values(&text)),
                "{}",
                file.display()
            );
        }
    }

    #[test]
    fn locates_nested_keys_and_items() {
        let text = "a:\n  b:\n    - x\n    - $ref: foo\nc: 1\n";
        assert_eq!(locate(text, "/a/b/1/$ref"), Some((4, 7)));
        assert_eq!(locate(text, "/c"), Some((5, 1)));
        // Missing leaf: nearest ancestor.
        assert_eq!(locate(text, "/a/zzz"), Some((1, 1)));
    }

    #[test]
    fn numeric_keys_become_text() {
        let v = to_json(serde_yaml::from_str("200:\n  x: 1\n").unwrap());
        assert!(v.get("200").is_some());
    }
}
