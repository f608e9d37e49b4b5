//! `get_schema`: the palette catalog (categories, vendor types, boundary kinds), the typed
//! property schema and each rule's generated documentation, turned into serializable DTOs so the
//! UI's palette, properties panel and "About this rule" are driven by the core's tables rather
//! than by copies of them.

use serde::Serialize;
use tauri::State;
use threatwright::export::rules_doc;
use threatwright::model::kind::{self, CATEGORIES, VENDORS};
use threatwright::model::property::{DefaultValue, PropType, PropertyDef, Scope, PROPERTIES};
use threatwright::model::{BoundaryKind, ElementKind, Value};
use threatwright::rules::Catalog;
use ts_rs::TS;

use crate::error::CommandResult;
use crate::state::AppState;

/// One element category (`queue`), its kind, a short description and the traits the editor draws.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CategoryInfo {
    pub id: String,
    pub kind: ElementKind,
    pub description: String,
    /// An HTTP front door, public unless its `endpoint` is `private`.
    pub public_endpoint: bool,
    /// Delivers to its consumer asynchronously.
    pub async_delivery: bool,
    /// The category assumed for an element of `kind` whose type is unknown.
    pub default_for_kind: bool,
}

/// One vendor type (`aws.sqs`) with its category, kind, vendor and human label.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VendorTypeInfo {
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub vendor_type: String,
    pub category: String,
    pub kind: ElementKind,
    pub vendor: String,
    pub label: String,
}

/// The value type of a property, as the properties panel needs it to pick an input.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PropTypeInfo {
    Bool,
    Int {
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    Str,
    Enum {
        options: Vec<String>,
    },
    List,
}

/// One typed property: where it applies, its type, documented default and why it matters.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PropertyInfo {
    pub name: String,
    /// Element kind it applies to; `None` for flow properties.
    pub kind: Option<ElementKind>,
    /// Categories it is limited to; empty = every category of `kind`.
    pub categories: Vec<String>,
    pub flow: bool,
    pub ty: PropTypeInfo,
    pub default: Option<Value>,
    pub doc: String,
}

/// One rule of the catalog and its section of the generated `docs/rules.md` (Markdown).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub doc: String,
}

/// Everything the palette, the properties panel and the threat cards need.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Schema.ts")]
pub struct Schema {
    pub vendors: Vec<String>,
    pub categories: Vec<CategoryInfo>,
    pub vendor_types: Vec<VendorTypeInfo>,
    pub boundary_kinds: Vec<BoundaryKind>,
    pub properties: Vec<PropertyInfo>,
    /// The rules of the app's catalog, in catalog order; empty when the catalog failed to load
    /// (the analysis reports why).
    pub rules: Vec<RuleInfo>,
}

fn prop_type(ty: PropType) -> PropTypeInfo {
    match ty {
        PropType::Bool => PropTypeInfo::Bool,
        PropType::Int { min, max } => PropTypeInfo::Int { min, max },
        PropType::Str => PropTypeInfo::Str,
        PropType::Enum(options) => PropTypeInfo::Enum { options: options.iter().map(|o| o.to_string()).collect() },
        PropType::List => PropTypeInfo::List,
    }
}

fn property(p: &PropertyDef) -> PropertyInfo {
    let (kind, categories) = match p.scope {
        Scope::Element(k, cats) => (Some(k), cats.iter().map(|c| c.to_string()).collect()),
        Scope::Flow => (None, Vec::new()),
    };
    let default = p.default.map(DefaultValue::to_value);
    PropertyInfo {
        name: p.name.into(),
        kind,
        categories,
        flow: kind.is_none(),
        ty: prop_type(p.ty),
        default,
        doc: p.doc.into(),
    }
}

/// Builds the schema DTO from the core's static tables and the rules of `catalog`.
pub fn build_schema(catalog: Option<&Catalog>) -> Schema {
    let categories = CATEGORIES
        .iter()
        .map(|c| CategoryInfo {
            id: c.name.to_string(),
            kind: c.kind,
            description: c.description.to_string(),
            public_endpoint: c.public_endpoint,
            async_delivery: c.async_delivery,
            default_for_kind: c.default_for_kind,
        })
        .collect();
    let vendor_types = kind::all_vendor_types()
        .into_iter()
        .map(|(t, category, kind)| {
            let vendor = kind::vendor_of(&t).to_string();
            let label = kind::label_of(&t);
            VendorTypeInfo { vendor_type: t, category: category.into(), kind, vendor, label }
        })
        .collect();
    Schema {
        vendors: VENDORS.iter().map(|v| v.to_string()).collect(),
        categories,
        vendor_types,
        boundary_kinds: BoundaryKind::ALL.to_vec(),
        properties: PROPERTIES.iter().map(property).collect(),
        rules: catalog.map_or_else(Vec::new, |c| {
            c.rules
                .iter()
                .map(|r| RuleInfo { id: r.id.clone(), title: r.title.clone(), doc: rules_doc::rule_markdown(r) })
                .collect()
        }),
    }
}

/// Returns the palette catalog, the property schema and the rules' documentation.
#[tauri::command]
pub fn get_schema(state: State<'_, AppState>) -> CommandResult<Schema> {
    Ok(build_schema(state.catalog.as_ref().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalog {
        threatwright::rules::builtin_catalog().expect("the built-in catalog loads")
    }

    #[test]
    fn schema_covers_every_property_and_vendor_type() {
        let s = build_schema(None);
        assert_eq!(s.properties.len(), PROPERTIES.len());
        assert!(s.vendor_types.iter().any(|v| v.vendor_type == "aws.sqs" && v.category == "queue"));
        assert!(s.vendor_types.iter().any(|v| v.vendor_type == "generic.queue" && v.vendor == "generic"));
        let auth = s.properties.iter().find(|p| p.name == "auth").expect("auth is in the schema");
        assert_eq!(auth.default, Some(Value::Str("none".into())));
        assert!(matches!(auth.ty, PropTypeInfo::Enum { .. }));
    }

    /// The UI tests serve `ui/tests/fixtures/schema.json` as `get_schema`; it is
    /// generated from `build_schema`, so it cannot drift from what the app sends.
    /// The name lets `scripts/gen-bindings.sh` (`UPDATE_BINDINGS=1 cargo test
    /// -p threatwright-app bindings_are_up_to_date`) regenerate it with the bindings.
    #[test]
    fn schema_fixture_bindings_are_up_to_date() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/schema.json");
        let want = serde_json::to_string_pretty(&build_schema(Some(&builtin()))).expect("the schema serialises") + "\n";
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).expect("write the schema fixture");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(want == have, "ui/tests/fixtures/schema.json is stale: run scripts/gen-bindings.sh");
    }

    /// "About this rule" shows exactly the rule's section of the generated `docs/rules.md`.
    #[test]
    fn every_rule_carries_its_section_of_the_generated_reference() {
        let catalog = builtin();
        let s = build_schema(Some(&catalog));
        assert_eq!(s.rules.len(), catalog.rules.len());
        let reference = rules_doc::markdown(&catalog);
        for r in &s.rules {
            assert!(r.doc.starts_with(&format!("## {} — {}", r.id, r.title)), "{}", r.id);
            assert!(reference.contains(&r.doc), "{} is not a section of docs/rules.md", r.id);
        }
        let api = s.rules.iter().find(|r| r.id == "TW-API-001").expect("TW-API-001 is built in");
        assert!(api.doc.contains("Mitigations:"));
        assert!(build_schema(None).rules.is_empty());
    }

    #[test]
    fn categories_carry_the_catalog_traits() {
        let s = build_schema(None);
        for k in ElementKind::ALL {
            let defaults: Vec<&str> =
                s.categories.iter().filter(|c| c.kind == k && c.default_for_kind).map(|c| c.id.as_str()).collect();
            assert_eq!(defaults, [k.default_category()], "one default category for {k}");
        }
        for c in &s.categories {
            let def = kind::category_def(&c.id).expect("every served category is in the catalog");
            assert_eq!((c.public_endpoint, c.async_delivery), (def.public_endpoint, def.async_delivery), "{}", c.id);
        }
    }
}
