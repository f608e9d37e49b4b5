//! Stable identifiers: one UUID newtype per entity, and the deterministic
//! derivations used when a hand-written file omits an id.
//!
//! Must not: generate random ids. Every id here is a pure function of its
//! input so that `fmt` is idempotent and analysis output is reproducible.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Namespace of every UUID v5 Threatwright derives.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_4f2e_93a4_4c1e_9d0c_7a57_2e11_0c01);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $tag:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub struct $name(pub Uuid);

        impl $name {
            /// Derives the id a hand-written entity gets on first save from its
            /// name (and a disambiguating ordinal when names repeat).
            pub fn derive(name: &str, ordinal: usize) -> Self {
                let key = if ordinal == 0 {
                    format!("{}:{}", $tag, name)
                } else {
                    format!("{}:{}#{}", $tag, name, ordinal)
                };
                Self(Uuid::new_v5(&NAMESPACE, key.as_bytes()))
            }

            /// Parses the canonical hyphenated UUID form.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::parse_str(text).ok().map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

id_type!(
    /// Id of a function, trigger, store or external element.
    ElementId, "element");
id_type!(
    /// Id of a trust boundary.
    BoundaryId, "boundary");
id_type!(
    /// Id of a data flow.
    FlowId, "flow");
id_type!(
    /// Id of a permission grant.
    GrantId, "grant");
id_type!(
    /// Id of a data asset.
    AssetId, "asset");

/// Id of a threat: UUID v5 of rule id and target id, so triage decisions
/// survive re-analysis and edits of unrelated elements.
pub fn threat_id(rule_id: &str, target: Uuid) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("threat:{rule_id}@{target}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct_per_entity_type() {
        assert_eq!(ElementId::derive("api", 0), ElementId::derive("api", 0));
        assert_ne!(ElementId::derive("api", 0).0, FlowId::derive("api", 0).0);
        assert_ne!(ElementId::derive("api", 0), ElementId::derive("api", 1));
    }

    #[test]
    fn threat_id_depends_on_rule_and_target_only() {
        let t = Uuid::new_v5(&NAMESPACE, b"x");
        assert_eq!(threat_id("SLS-01", t), threat_id("SLS-01", t));
        assert_ne!(threat_id("SLS-01", t), threat_id("SLS-02", t));
    }
}
