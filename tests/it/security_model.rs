//! `SECURITY.md` and Threatwright's own threat model (`models/examples/threatwright.yaml`) agree:
//! every threat of the model is either triaged with a reason or listed under "Open" in
//! SECURITY.md by rule id, and nothing listed there is already settled.

use crate::support::*;
use std::collections::BTreeSet;

#[test]
fn every_threat_of_our_own_model_is_triaged_or_listed_as_open() {
    let model =
        threatwright::store::load_model(&root().join("models/examples/threatwright.yaml")).expect("the model reads");
    let catalog = threatwright::builtin_catalog().unwrap();
    let analysis = threatwright::analyze(&model, &catalog, &threatwright::Options::default());
    assert!(analysis.threats.len() > 20, "the model is analysed ({} threats)", analysis.threats.len());
    let open: BTreeSet<&str> =
        analysis.threats.iter().filter(|t| t.triage.is_none()).map(|t| t.rule.as_str()).collect();
    for t in analysis.threats.iter().filter_map(|t| t.triage.as_ref()) {
        assert!(t.note.len() > 20, "a triage decision says why: {:?}", t.note);
    }
    let security = std::fs::read_to_string(root().join("SECURITY.md")).unwrap();
    let section = &security[security.find("### Open").expect("SECURITY.md has an Open section")..];
    let listed: BTreeSet<&str> =
        section.split("**").filter_map(|s| s.split(" — ").next()).filter(|s| s.starts_with("TW-")).collect();
    assert_eq!(open, listed, "SECURITY.md's Open section must list exactly the untriaged rules of the model");
}
