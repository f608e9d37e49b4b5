//! `get_schema`: the palette catalog (categories, vendor types, boundary kinds) and the typed
//! property schema, turned into serializable DTOs so the UI's palette and properties panel are
//! driven by the core's tables rather than by copies of them.

use serde::Serialize;
use threatwright::model::kind::{self, CATEGORIES, VENDORS};
use threatwright::model::property::{DefaultValue, PropType, PropertyDef, Scope, PROPERTIES};
use threatwright::model::{BoundaryKind, ElementKind, Value};
use ts_rs::TS;

use crate::error::CommandResult;

/// One element category (`queue`), its kind and a short description.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CategoryInfo {
    pub id: String,
    pub kind: ElementKind,
    pub description: String,
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

/// Everything the palette and the properties panel need.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Schema.ts")]
pub struct Schema {
    pub vendors: Vec<String>,
    pub categories: Vec<CategoryInfo>,
    pub vendor_types: Vec<VendorTypeInfo>,
    pub boundary_kinds: Vec<BoundaryKind>,
    pub properties: Vec<PropertyInfo>,
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

/// Builds the schema DTO from the core's static tables.
pub fn build_schema() -> Schema {
    let categories = CATEGORIES
        .iter()
        .map(|(id, kind, description)| CategoryInfo {
            id: id.to_string(),
            kind: *kind,
            description: description.to_string(),
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
    }
}

/// Returns the palette catalog and the property schema.
#[tauri::command]
pub fn get_schema() -> CommandResult<Schema> {
    Ok(build_schema())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_covers_every_property_and_vendor_type() {
        let s = build_schema();
        assert_eq!(s.properties.len(), PROPERTIES.len());
        assert!(s.vendor_types.iter().any(|v| v.vendor_type == "aws.sqs" && v.category == "queue"));
        assert!(s.vendor_types.iter().any(|v| v.vendor_type == "generic.queue" && v.vendor == "generic"));
        let auth = s.properties.iter().find(|p| p.name == "auth").expect("auth is in the schema");
        assert_eq!(auth.default, Some(Value::Str("none".into())));
        assert!(matches!(auth.ty, PropTypeInfo::Enum { .. }));
    }
}
