//! The domain model: elements, trust boundaries, data flows, permission
//! grants and data assets, with stable ids and typed properties.
//!
//! Pure data and validation. Must not: do IO, know the file format, compute
//! threats. Every other layer (yaml, graph, engine, store, the app) reads and
//! writes these types.

pub mod auth;
pub mod ids;
pub mod kind;
pub mod property;
pub(crate) mod risk_settings;
mod validate;

pub use ids::{AssetId, BoundaryId, ElementId, FlowId, GrantId};
pub use kind::ElementKind;
pub use property::{PropType, PropertyDef, Value};
pub use risk_settings::{Bands, RiskSettings, Severity, Weights};
pub use validate::{validate, Problem, Subject};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Properties keyed by name; a `BTreeMap` so iteration order is deterministic.
pub type Properties = BTreeMap<String, Value>;

/// A whole threat model.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Free-form revision label ("1.4", "2026-Q3").
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub author: String,
    /// What the assessment covers and what it leaves out.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub assets: Vec<DataAsset>,
    #[serde(default)]
    pub boundaries: Vec<Boundary>,
    #[serde(default)]
    pub elements: Vec<Element>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// Triage decisions, keyed by the stable threat id.
    #[serde(default)]
    pub triage: Vec<TriageDecision>,
    /// Risk matrix, bands and modifier weights (defaults when absent).
    #[serde(default)]
    pub risk: RiskSettings,
    /// The guided sessions' log: every question answered, oldest first.
    #[serde(default)]
    pub session: Vec<SessionEntry>,
}

/// One answered question of a guided session: who settled which property of what, and what the
/// answer did to the threats. Kept for the record; the property itself is on its element or flow.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEntry {
    /// When, as `YYYY-MM-DD HH:MM` (UTC).
    pub at: String,
    pub who: String,
    /// The element or flow asked about, by name.
    pub subject: String,
    pub property: String,
    pub question: String,
    /// The answer as it was given ("Yes", "cognito", "30").
    pub answer: String,
    #[serde(default)]
    pub note: String,
    /// Threats the answer made go away, as "title on target (rule)".
    #[serde(default)]
    pub resolved: Vec<String>,
    /// Threats the answer brought, as "title on target (rule)".
    #[serde(default)]
    pub raised: Vec<String>,
}

/// Status of a threat in the register.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageStatus {
    Open,
    Mitigated,
    Accepted,
    NotApplicable,
    Transferred,
}

impl TriageStatus {
    pub const ALL: [TriageStatus; 5] =
        [Self::Open, Self::Mitigated, Self::Accepted, Self::NotApplicable, Self::Transferred];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Mitigated => "mitigated",
            Self::Accepted => "accepted",
            Self::NotApplicable => "not_applicable",
            Self::Transferred => "transferred",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|s| s.as_str() == t)
    }
}

/// A triage decision on one threat. `rule` and `target` are kept for people
/// reading the file and to report decisions whose threat no longer fires.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriageDecision {
    pub threat: uuid::Uuid,
    pub rule: String,
    pub target: String,
    pub status: TriageStatus,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub owner: String,
    /// ISO date of the decision.
    #[serde(default)]
    pub date: String,
}

/// Sensitivity of a data asset, ordered from least to most sensitive.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Public,
    Internal,
    Confidential,
    Restricted,
}

impl Classification {
    pub const ALL: [Classification; 4] = [Self::Public, Self::Internal, Self::Confidential, Self::Restricted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Internal => "internal",
            Self::Confidential => "confidential",
            Self::Restricted => "restricted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// A kind of data the system handles.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataAsset {
    pub id: AssetId,
    pub name: String,
    pub classification: Classification,
    /// Free tags; `pii`, `phi`, `pci`, `credentials` drive the compliance mapping.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub description: String,
}

/// Kinds of trust boundary.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    Internet,
    Account,
    Vpc,
    Subnet,
    Region,
    Tenant,
    Partner,
    Corporate,
    Generic,
}

impl BoundaryKind {
    pub const ALL: [BoundaryKind; 9] = [
        Self::Internet,
        Self::Account,
        Self::Vpc,
        Self::Subnet,
        Self::Region,
        Self::Tenant,
        Self::Partner,
        Self::Corporate,
        Self::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Internet => "internet",
            Self::Account => "account",
            Self::Vpc => "vpc",
            Self::Subnet => "subnet",
            Self::Region => "region",
            Self::Tenant => "tenant",
            Self::Partner => "partner",
            Self::Corporate => "corporate",
            Self::Generic => "generic",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether what lives inside is untrusted by default.
    pub fn untrusted(self) -> bool {
        matches!(self, Self::Internet | Self::Partner)
    }
}

/// Position on the canvas, in canvas units (absolute, not relative to a parent).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub x: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub y: i64,
}

/// Size of a boundary on the canvas.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Size {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub width: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub height: i64,
}

/// A trust boundary; boundaries nest through `parent`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boundary {
    pub id: BoundaryId,
    pub name: String,
    pub kind: BoundaryKind,
    #[serde(default)]
    pub parent: Option<BoundaryId>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub position: Option<Position>,
    #[serde(default)]
    pub size: Option<Size>,
}

/// A function, trigger, store or external entity.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Element {
    pub id: ElementId,
    pub name: String,
    pub kind: ElementKind,
    /// Vendor type such as `aws.lambda` or `generic.queue`.
    #[serde(rename = "type")]
    pub vendor_type: String,
    #[serde(default)]
    pub boundary: Option<BoundaryId>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub properties: Properties,
    /// Data held (stores) or processed (functions).
    #[serde(default)]
    pub assets: Vec<AssetId>,
    /// Controls in place that the property schema does not capture, by practice
    /// (e.g. `least_privilege`); they lower residual risk.
    #[serde(default)]
    pub mitigations: Vec<String>,
    #[serde(default)]
    pub position: Option<Position>,
}

impl Element {
    /// Category of the vendor type (`queue` for `aws.sqs`); falls back to the
    /// kind's default category for unknown types so analysis never fails.
    pub fn category(&self) -> &'static str {
        kind::category_of(&self.vendor_type).unwrap_or_else(|| self.kind.default_category())
    }
}

/// A data flow from one element to another.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub id: FlowId,
    pub from: ElementId,
    pub to: ElementId,
    #[serde(default)]
    pub label: String,
    /// protocol, encrypted, authenticated, async, signed (see the schema).
    #[serde(default)]
    pub properties: Properties,
    /// Data assets carried.
    #[serde(default)]
    pub assets: Vec<AssetId>,
}

/// What a permission grant points at.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum GrantTarget {
    /// A modelled element.
    Element(ElementId),
    /// Every resource (`Resource: *`).
    Any,
    /// A resource not in the model (an ARN or name), kept verbatim.
    Unmodelled(String),
}

/// A permission grant: a function (principal) may perform `actions` on `target`.
/// Grants are not data flows; comparing the two exposes over-privilege.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub id: GrantId,
    pub principal: ElementId,
    pub target: GrantTarget,
    /// Actions such as `dynamodb:GetItem`, `s3:*` or `*`.
    pub actions: Vec<String>,
}

impl Model {
    /// A flow as people name it, as the engine names a flow target: `From → To (label)`.
    pub fn flow_name(&self, from: ElementId, to: ElementId, label: &str) -> String {
        let n = |id| self.element(id).map(|e| e.name.clone()).unwrap_or_default();
        if label.is_empty() {
            format!("{} → {}", n(from), n(to))
        } else {
            format!("{} → {} ({label})", n(from), n(to))
        }
    }

    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    pub fn boundary(&self, id: BoundaryId) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.id == id)
    }

    pub fn asset(&self, id: AssetId) -> Option<&DataAsset> {
        self.assets.iter().find(|a| a.id == id)
    }
}
