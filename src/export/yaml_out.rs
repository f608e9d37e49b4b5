//! Any serialisable value as YAML (used by `analyze --format yaml`), via
//! its JSON form so both formats carry exactly the same fields.
//! Must not: choose or rename fields (the JSON form decides).

use serde::Serialize;
use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::YamlEmitter;

fn convert(v: &serde_json::Value) -> Yaml {
    match v {
        serde_json::Value::Null => Yaml::Null,
        serde_json::Value::Bool(b) => Yaml::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        serde_json::Value::String(s) => Yaml::String(s.clone()),
        serde_json::Value::Array(items) => Yaml::Array(items.iter().map(convert).collect()),
        serde_json::Value::Object(map) => {
            let mut h = Hash::new();
            for (k, v) in map {
                h.insert(Yaml::String(k.clone()), convert(v));
            }
            Yaml::Hash(h)
        }
    }
}

/// YAML text of a value.
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_value(value).expect("value serialises to JSON");
    let mut out = String::new();
    YamlEmitter::new(&mut out).dump(&convert(&json)).expect("writing YAML to a String cannot fail");
    out.push('\n');
    out
}
