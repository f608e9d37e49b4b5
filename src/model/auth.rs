//! How an entry point authenticates its callers: the one list of auth kinds,
//! shared by the property schema (the `auth` enum) and the importers.
//!
//! Must not: rank kinds for a particular purpose (an importer decides which
//! of several routes is the weakest), or know any vendor's spelling of them.

/// A way of authenticating callers of an API, URL or webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthKind {
    None,
    ApiKey,
    Iam,
    Jwt,
    Cognito,
    Custom,
    Mtls,
}

impl AuthKind {
    /// Every kind, in the order of `NAMES`.
    pub const ALL: [AuthKind; 7] =
        [Self::None, Self::ApiKey, Self::Iam, Self::Jwt, Self::Cognito, Self::Custom, Self::Mtls];

    /// The names the model file uses, indexed by the kind (the schema's enum).
    pub const NAMES: &'static [&'static str] = &["none", "api_key", "iam", "jwt", "cognito", "custom", "mtls"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name_and_parses_back() {
        assert_eq!(AuthKind::ALL.len(), AuthKind::NAMES.len());
        for (i, k) in AuthKind::ALL.into_iter().enumerate() {
            assert_eq!(k as usize, i, "ALL is in declaration order");
            assert_eq!(AuthKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(AuthKind::parse("maybe"), None);
    }
}
