//! `docs/properties.md`: the property schema and vendor types, generated
//! from `model::property` and `model::kind` (a test fails on drift).
//! Must not: define properties (that is `model::property`) or touch files.

use crate::model::kind::{label_of, CATEGORIES, VENDOR_TYPES};
use crate::model::property::{PropType, Scope, PROPERTIES};

fn ty(t: &PropType) -> String {
    match t {
        PropType::Bool => "boolean".into(),
        PropType::Int { min, max } => format!("integer {min}–{max}"),
        PropType::Str => "string".into(),
        PropType::Enum(opts) => opts.join(" \\| "),
        PropType::List => "list of strings".into(),
    }
}

/// The generated Markdown.
pub fn markdown() -> String {
    let mut out = String::from("<!-- Generated from src/model/property.rs and src/model/kind.rs; do not edit. -->\n# Properties and vendor types\n\n");
    out.push_str("A property the model does not set takes its default and threats that rely on it are marked *medium* confidence; a property without a default is *unknown* and yields threats at *low* confidence. A guided session in the app asks the question of each unset property an open threat rests on.\n\n");
    out.push_str(
        "## Properties\n\n| property | applies to | type | default | why it matters | the guided session asks |\n|---|---|---|---|---|---|\n",
    );
    for p in PROPERTIES {
        let scope = match p.scope {
            Scope::Flow => "flow".to_string(),
            Scope::Element(k, []) => k.as_str().to_string(),
            Scope::Element(k, cats) => format!("{} ({})", k.as_str(), cats.join(", ")),
        };
        let default = p.default.map(|d| format!("`{}`", d.to_value())).unwrap_or_else(|| "unknown".into());
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            p.name,
            scope,
            ty(&p.ty),
            default,
            p.doc,
            p.question
        ));
    }
    out.push_str("\n## Categories\n\n| category | kind | what it is |\n|---|---|---|\n");
    for c in CATEGORIES {
        out.push_str(&format!("| `{}` | {} | {} |\n", c.name, c.kind.as_str(), c.description));
    }
    out.push_str("\n## Vendor types\n\n`generic.<category>` is valid for every category.\n\n| type | category | service |\n|---|---|---|\n");
    for (t, c, _) in VENDOR_TYPES {
        out.push_str(&format!("| `{t}` | {c} | {} |\n", label_of(t)));
    }
    out
}
