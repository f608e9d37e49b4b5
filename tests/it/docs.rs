//! Generated documentation must match the code and the catalog. A change
//! writes `docs/*.md.new`; review it and accept it with
//! `scripts/accept-golden.sh docs`.

use crate::support::{assert_golden, root};
use threatwright::export::{rules_doc, schema_doc};
use threatwright::rules::builtin_catalog;

#[test]
fn rules_doc_matches_the_catalog() {
    let catalog = builtin_catalog().unwrap();
    assert_golden(&root().join("docs/rules.md"), &rules_doc::markdown(&catalog));
}

#[test]
fn properties_doc_matches_the_schema() {
    assert_golden(&root().join("docs/properties.md"), &schema_doc::markdown());
}
