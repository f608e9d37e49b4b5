//! The names of the properties the graph reads, in one place, each checked
//! against the property schema by a test: a typo would otherwise read as
//! "unset" and silently change facts. Must not: hold defaults (those come
//! from `model::property`) or compute anything.

pub(crate) const TRUST: &str = "trust";
pub(crate) const ENDPOINT: &str = "endpoint";
pub(crate) const POLICY_PRINCIPAL: &str = "policy_principal";
pub(crate) const PUBLIC_INVOKE: &str = "public_invoke";
pub(crate) const PUBLIC_ACCESS: &str = "public_access";
pub(crate) const ROLE: &str = "role";
pub(crate) const KMS_KEY: &str = "kms_key";
pub(crate) const VISIBILITY_TIMEOUT: &str = "visibility_timeout";
pub(crate) const TIMEOUT: &str = "timeout";
pub(crate) const ASYNC: &str = "async";
pub(crate) const ENCRYPTED: &str = "encrypted";
pub(crate) const PROTOCOL: &str = "protocol";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::property::{lookup, PropertyDef, Scope};
    use crate::model::ElementKind::{self, External, Function, Store, Trigger};

    /// The definition a name must have to be read from an element of `kind`
    /// (`None`: from a flow).
    fn schema_def(name: &str, kind: Option<ElementKind>) -> Option<&'static PropertyDef> {
        lookup(name).find(|p| match (p.scope, kind) {
            (Scope::Element(k, _), Some(want)) => k == want,
            (Scope::Flow, None) => true,
            _ => false,
        })
    }

    /// Every name above, with the kind of element it is read from (`None`: flows).
    #[test]
    fn every_property_the_graph_reads_is_in_the_schema_with_that_scope() {
        let read = [
            (TRUST, Some(External)),
            (ENDPOINT, Some(Trigger)),
            (POLICY_PRINCIPAL, Some(Trigger)),
            (PUBLIC_INVOKE, Some(Function)),
            (PUBLIC_ACCESS, Some(Store)),
            (ROLE, Some(Function)),
            (KMS_KEY, Some(Store)),
            (KMS_KEY, Some(Trigger)),
            (VISIBILITY_TIMEOUT, Some(Trigger)),
            (TIMEOUT, Some(Function)),
            (ASYNC, None),
            (ENCRYPTED, None),
            (PROTOCOL, None),
        ];
        for (name, kind) in read {
            assert!(schema_def(name, kind).is_some(), "the graph reads `{name}` ({kind:?}), which the schema lacks");
        }
    }
}
