//! The threat rule catalog: rule types, the strict loader of rule files
//! (`models/rules/*.yaml` embedded at build time, and user rule texts the
//! caller has read, see `store::rules`), retired rule ids, and the closed
//! predicate vocabulary with three-valued evaluation.
//!
//! Conditions are YAML structure, never expression strings: `all`, `any`,
//! `not`, `property` comparisons, `fact` (see `graph::FACTS`), `category`,
//! `vendor`, `data`, `tagged`, `source`/`target` (from a flow to its ends)
//! and `any_inbound`/`any_outbound` (from an element to its flows); the
//! heads and operators are the tables `load::HEADS` and `load::OPS`.
//! Must not: read files, or score risk.

pub(crate) mod eval;
pub mod load;
pub(crate) mod practice;

pub use eval::{Confidence, Outcome, Subject};
pub use load::{builtin_catalog, parse_rule_file, parse_rule_files, Catalog, Retired};
pub use practice::{Practice, PRACTICES};

use crate::graph::FactId;
use crate::model::{Classification, ElementKind, PropertyDef};
use serde::Serialize;
use std::sync::Arc;

/// STRIDE category.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    #[serde(rename = "Information Disclosure")]
    InformationDisclosure,
    #[serde(rename = "Denial of Service")]
    DenialOfService,
    #[serde(rename = "Elevation of Privilege")]
    ElevationOfPrivilege,
}

impl Stride {
    pub const ALL: [Stride; 6] = [
        Self::Spoofing,
        Self::Tampering,
        Self::Repudiation,
        Self::InformationDisclosure,
        Self::DenialOfService,
        Self::ElevationOfPrivilege,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spoofing => "Spoofing",
            Self::Tampering => "Tampering",
            Self::Repudiation => "Repudiation",
            Self::InformationDisclosure => "Information Disclosure",
            Self::DenialOfService => "Denial of Service",
            Self::ElevationOfPrivilege => "Elevation of Privilege",
        }
    }

    pub fn letter(self) -> char {
        self.as_str().chars().next().expect("non-empty")
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL.into_iter().find(|s| {
            s.as_str().eq_ignore_ascii_case(t)
                || s.as_str().replace(' ', "_").eq_ignore_ascii_case(t)
                || (t.len() == 1 && t.chars().next().map(|c| c.to_ascii_uppercase()) == Some(s.letter()))
        })
    }
}

/// What a rule applies to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppliesTo {
    /// Element kinds (empty with `flows` true: flows only).
    pub kinds: Vec<ElementKind>,
    pub flows: bool,
    /// Categories (`api`, `queue`); empty means all.
    pub categories: Vec<String>,
    /// Vendors (`aws`); empty means all.
    pub vendors: Vec<String>,
}

/// A literal in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Lit {
    Bool(bool),
    Int(i64),
    Str(String),
}

/// A comparison operator of a `property` or numeric `fact` predicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equals(Lit),
    NotEquals(Lit),
    In(Vec<Lit>),
    Gt(i64),
    Gte(i64),
    Lt(i64),
    Lte(i64),
    IsSet(bool),
    /// A list property contains this item exactly.
    Contains(String),
    /// A list property has an item matching this glob (`*` wildcard).
    ContainsMatch(String),
    /// A string property matches this glob.
    Matches(String),
}

/// A condition of the closed predicate vocabulary.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// `defs`: the schema entries of that name, resolved at load time.
    Property {
        name: String,
        op: Op,
        defs: Vec<&'static PropertyDef>,
    },
    Fact {
        fact: FactId,
        op: Option<Op>,
    },
    Category(Vec<String>),
    Vendor(Vec<String>),
    /// Data held, processed or carried is at least this sensitive.
    Data(Classification),
    /// Data held, processed or carried has one of these tags.
    Tagged(Vec<String>),
    Source(Box<Cond>),
    Target(Box<Cond>),
    AnyInbound(Box<Cond>),
    AnyOutbound(Box<Cond>),
}

/// A mitigation and where it comes from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mitigation {
    pub text: String,
    /// Practice id from the practice guide (see [`PRACTICES`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practice: Option<String>,
    /// A named public standard, when the practice guide does not cover it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
}

/// References to public catalogs.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct References {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capec: Vec<u32>,
    /// OWASP Serverless Top 10 (`SAS-1` … or `A1` … of the 2018 interpretation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owasp_serverless: Vec<String>,
    /// CSA / PureSec 12 most critical risks (`SAS-1` … `SAS-12`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub csa: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
    /// The checks of the scanners teams already run that find the same
    /// problem in a template, so design-time and CI results line up.
    #[serde(skip_serializing_if = "Equivalents::is_empty")]
    pub equivalents: Equivalents,
}

/// Check ids of other tools for the same problem.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Equivalents {
    // Fields in alphabetical order: SARIF writes objects in sorted-key order.
    /// cdk-nag's AwsSolutions pack (`AwsSolutions-APIG4`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cdk_nag: Vec<String>,
    /// cfn-lint with the serverless rules (`ES2000`, `WS1004`) or cfn-lint's own (`E2531`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cfn_lint: Vec<String>,
    /// Checkov (`CKV_AWS_59`, `CKV2_AWS_29`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checkov: Vec<String>,
    /// Prowler (`awslambda_function_url_public`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prowler: Vec<String>,
}

impl Equivalents {
    /// The tools in the order the reports list them: (YAML key, label, ids).
    pub fn tools(&self) -> [(&'static str, &'static str, &[String]); 4] {
        [
            ("checkov", "Checkov", &self.checkov),
            ("cfn_lint", "cfn-lint", &self.cfn_lint),
            ("prowler", "Prowler", &self.prowler),
            ("cdk_nag", "cdk-nag", &self.cdk_nag),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.tools().iter().all(|(_, _, ids)| ids.is_empty())
    }

    /// "Checkov CKV_AWS_59", "cfn-lint ES2000", … in tool order.
    pub fn labels(&self) -> Vec<String> {
        self.tools().iter().flat_map(|(_, label, ids)| ids.iter().map(move |id| format!("{label} {id}"))).collect()
    }
}

impl References {
    /// Each reference as a reader cites it ("CWE-306", "CAPEC-115", "OWASP Serverless SAS-1", …),
    /// catalog by catalog.
    pub fn labels(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.cwe.iter().map(|c| format!("CWE-{c}")));
        out.extend(self.capec.iter().map(|c| format!("CAPEC-{c}")));
        out.extend(self.owasp_serverless.iter().map(|c| format!("OWASP Serverless {c}")));
        out.extend(self.csa.iter().map(|c| format!("CSA {c}")));
        out.extend(self.other.iter().cloned());
        out.extend(self.equivalents.labels());
        out
    }
}

/// Compliance frameworks rules can be tagged with.
pub const FRAMEWORKS: &[(&str, &str)] =
    &[("hipaa", "HIPAA"), ("pci_dss", "PCI DSS"), ("gdpr", "GDPR"), ("soc2", "SOC 2")];

/// An example model fragment and the target it must (not) fire on.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub model: crate::model::Model,
    /// Element name, or `From -> To` for a flow.
    pub target: String,
    pub line: usize,
}

/// A finding elsewhere that makes this one less likely without making it
/// moot: when `when` holds on the same target, the rule still fires, at base
/// likelihood `likelihood`, and the explanation says `because`.
#[derive(Clone, Debug, PartialEq)]
pub struct LessLikely {
    pub when: Cond,
    pub likelihood: u8,
    pub because: String,
}

/// One rule of the catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub category: Stride,
    /// Shared with every threat the rule raises (threats are many; the text is not).
    pub description: Arc<str>,
    pub applies_to: AppliesTo,
    pub when: Cond,
    pub likelihood: u8,
    pub impact: u8,
    /// Conditions under which the threat is reported at a lower likelihood.
    pub less_likely_when: Vec<LessLikely>,
    pub mitigations: Arc<[Mitigation]>,
    pub references: Arc<References>,
    pub compliance: Arc<[String]>,
    /// A generic STRIDE-per-element threat, shown only when no specific rule
    /// of the same category fires on the target.
    pub generic: bool,
    pub fires: Vec<Example>,
    pub silent: Vec<Example>,
    /// Context the condition already prices in, so risk modifiers do not
    /// count it twice: exposure facts, data classification, grant facts.
    pub uses_exposure: bool,
    pub uses_data: bool,
    pub uses_privilege: bool,
    /// File the rule came from (`models/rules/api.yaml` for built-ins).
    pub file: String,
    pub line: usize,
}

impl Cond {
    /// Whether any atom of the condition satisfies `pred`.
    pub fn any_atom(&self, pred: &dyn Fn(&Cond) -> bool) -> bool {
        match self {
            Cond::All(items) | Cond::Any(items) => items.iter().any(|c| c.any_atom(pred)),
            Cond::Not(c) | Cond::Source(c) | Cond::Target(c) | Cond::AnyInbound(c) | Cond::AnyOutbound(c) => {
                c.any_atom(pred)
            }
            atom => pred(atom),
        }
    }
}

/// Property definitions a rule may mean by `name` in its scope.
pub(crate) fn property_defs(name: &str) -> Vec<&'static PropertyDef> {
    crate::model::property::lookup(name).collect()
}
