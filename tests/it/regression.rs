//! One test per false positive fixed, named after what must not be reported,
//! each with a `// See: <commit>` line naming the fix (ripgrep's
//! `tests/regression.rs` habit). Each runs the whole built-in catalog on a
//! small model, so it also fails if another rule starts reporting the same
//! thing; where it helps, a twin shows the rule still fires when it should.

use std::collections::BTreeSet;
use threatwright::engine::{analyze, Options};
use threatwright::graph::GraphView;
use threatwright::yaml;

fn model(text: &str) -> threatwright::Model {
    yaml::parse_model(text, "regression.yaml").unwrap_or_else(|d| panic!("{d}"))
}

/// Rule ids that fire on the element or flow named `target`.
fn rules_on(text: &str, target: &str) -> BTreeSet<String> {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let options = Options { as_of: "2026-11-01".into(), ..Options::default() };
    analyze(&model(text), &catalog, &options)
        .threats
        .into_iter()
        .filter(|t| t.target.name == target)
        .map(|t| t.rule)
        .collect()
}

fn assert_silent(text: &str, rule: &str, target: &str) {
    let fired = rules_on(text, target);
    assert!(!fired.contains(rule), "{rule} must not fire on `{target}`; fired: {fired:?}");
}

fn assert_fires(text: &str, rule: &str, target: &str) {
    let fired = rules_on(text, target);
    assert!(fired.contains(rule), "{rule} must fire on `{target}`; fired: {fired:?}");
}

#[test]
fn writing_ones_own_logs_is_not_blast_radius() {
    // See: e5f4433 (engine: log-writing grants are not blast radius)
    let m = model(
        r#"
name: logs
elements:
  - {name: Job, type: aws.lambda}
  - {name: Job logs, type: aws.cloudwatch_logs}
  - {name: Audit, type: aws.cloudtrail}
flows:
  - {from: Job, to: Job logs}
grants:
  - {principal: Job, resource: Job logs, actions: [logs:CreateLogStream, logs:PutLogEvents]}
  - {principal: Job, resource: Audit, actions: [cloudtrail:StopLogging]}
"#,
    );
    let v = GraphView::build(&m);
    let job = &v.element_facts[m.elements.iter().position(|e| e.name == "Job").unwrap()];
    let names: Vec<&str> = job.blast_radius.iter().map(|&i| m.elements[i].name.as_str()).collect();
    assert_eq!(names, ["Audit"], "only the grant that can do harm counts");
    assert_eq!(job.log_tamper_actions, ["cloudtrail:StopLogging"]);
}

/// A nightly job that writes three tables and its own log group.
const NIGHTLY_JOB: &str = r#"
name: nightly
elements:
  - {name: Nightly, type: aws.eventbridge_schedule, properties: {schedule: "rate(1 day)"}}
  - {name: Job, type: aws.lambda}
  - {name: Orders, type: aws.dynamodb}
  - {name: Invoices, type: aws.dynamodb}
  - {name: Reports, type: aws.dynamodb}
  - {name: Job logs, type: aws.cloudwatch_logs}
flows:
  - {from: Nightly, to: Job}
  - {from: Job, to: Orders}
  - {from: Job, to: Invoices}
  - {from: Job, to: Reports}
  - {from: Job, to: Job logs}
grants:
  - {principal: Job, resource: Orders, actions: [dynamodb:PutItem]}
  - {principal: Job, resource: Invoices, actions: [dynamodb:PutItem]}
  - {principal: Job, resource: Reports, actions: [dynamodb:PutItem]}
  - {principal: Job, resource: Job logs, actions: [logs:CreateLogStream, logs:PutLogEvents]}
"#;

#[test]
fn a_scheduled_job_writing_its_own_log_group_is_not_broadly_privileged() {
    // See: e5f4433 (TW-MSG-010 fired on a job's own log group)
    assert_silent(NIGHTLY_JOB, "TW-MSG-010", "Nightly");
    let fourth_table = NIGHTLY_JOB
        .replace("type: aws.cloudwatch_logs", "type: aws.dynamodb")
        .replace("[logs:CreateLogStream, logs:PutLogEvents]", "[dynamodb:PutItem]");
    assert_fires(&fourth_table, "TW-MSG-010", "Nightly");
}

#[test]
fn a_presigned_download_to_its_owner_is_not_sharing_with_a_third_party() {
    // See: e5f4433 (TW-FLOW-005 fired on a presigned download to its owner)
    let owner = r#"
name: download
assets:
  - {name: Invoice, classification: confidential, tags: [pii]}
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
elements:
  - {name: Customer, type: generic.user, boundary: Internet, properties: {trust: untrusted}}
  - {name: Invoices, type: aws.s3, boundary: Account, data: [Invoice]}
flows:
  - {from: Invoices, to: Customer, label: presigned download, data: [Invoice]}
"#;
    assert_silent(owner, "TW-FLOW-005", "Invoices → Customer (presigned download)");
    let partner = owner.replace("generic.user", "generic.partner_api");
    assert_fires(&partner, "TW-FLOW-005", "Invoices → Customer (presigned download)");
}

#[test]
fn a_sign_in_flow_from_the_identity_provider_is_not_an_unauthenticated_crossing() {
    // See: 19c479a (TW-FLOW-002 fired on sign-in and deploy flows)
    let text = r#"
name: sign-in
boundaries:
  - {name: Identity, kind: tenant}
  - {name: Account, kind: account}
elements:
  - {name: User pool, type: aws.cognito, boundary: Identity}
  - {name: Post confirmation, type: aws.lambda, boundary: Account}
flows:
  - {from: User pool, to: Post confirmation}
"#;
    assert_silent(text, "TW-FLOW-002", "User pool → Post confirmation");
    assert_fires(&text.replace("aws.cognito", "generic.partner_api"), "TW-FLOW-002", "User pool → Post confirmation");
}

#[test]
fn sending_a_partner_its_own_api_key_is_not_sharing_confidential_data() {
    // See: 19c479a (TW-FLOW-005 fired on the partner's credentials)
    let text = r#"
name: carrier
assets:
  - {name: Carrier API key, classification: restricted, tags: [credentials]}
elements:
  - {name: Fn, type: aws.lambda}
  - {name: Carrier, type: generic.partner_api}
flows:
  - {from: Fn, to: Carrier, data: [Carrier API key]}
"#;
    assert_silent(text, "TW-FLOW-005", "Fn → Carrier");
    assert_fires(&text.replace("tags: [credentials]", "tags: [pii]"), "TW-FLOW-005", "Fn → Carrier");
}

#[test]
fn confidential_but_not_restricted_data_in_an_unencrypted_queue_is_not_flagged() {
    // See: 19c479a (TW-FLOW-006 restricted data only)
    let text = r#"
name: queue
assets:
  - {name: Order, classification: confidential}
elements:
  - {name: Fn, type: aws.lambda}
  - {name: Queue, type: aws.sqs, properties: {encrypted: false}}
flows:
  - {from: Fn, to: Queue, data: [Order]}
"#;
    assert_silent(text, "TW-FLOW-006", "Fn → Queue");
    assert_fires(&text.replace("confidential", "restricted"), "TW-FLOW-006", "Fn → Queue");
}

#[test]
fn a_service_of_unknown_trust_is_not_an_unvalidated_third_party() {
    // See: a4c59b5 (TW-EXT-008 no longer fires on services of unknown trust)
    let text = r#"
name: service
elements:
  - {name: Fn, type: aws.lambda}
  - {name: Geo, type: generic.service}
flows:
  - {from: Fn, to: Geo}
  - {from: Geo, to: Fn}
"#;
    assert_silent(text, "TW-EXT-008", "Geo");
    let partner = text.replace("type: generic.service}", "type: generic.service, properties: {trust: partner}}");
    assert_fires(&partner, "TW-EXT-008", "Geo");
}

#[test]
fn a_stream_consumer_is_not_an_unthrottled_internet_reachable_function() {
    // See: f07ce27 (TW-FN-005 skips stream consumers)
    let text = r#"
name: stream
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
elements:
  - {name: Browser, type: generic.browser, boundary: Internet}
  - {name: API, type: aws.apigateway, boundary: Account, properties: {auth: jwt}}
  - {name: Ingest, type: aws.lambda, boundary: Account, properties: {reserved_concurrency: 10}}
  - {name: Clicks, type: aws.kinesis, boundary: Account}
  - {name: Consumer, type: aws.lambda, boundary: Account}
flows:
  - {from: Browser, to: API}
  - {from: API, to: Ingest}
  - {from: Ingest, to: Clicks}
  - {from: Clicks, to: Consumer}
"#;
    assert_silent(text, "TW-FN-005", "Consumer");
    assert_fires(&text.replace("aws.kinesis", "aws.sqs"), "TW-FN-005", "Consumer");
}

#[test]
fn a_tls_1_2_policy_whose_name_contains_1_0_is_not_an_outdated_tls_version() {
    // See: 68e0ac2 (TW-API-009 matched `*1_0*` inside `…2021_06`)
    let text = r#"
name: tls
elements:
  - {name: API, type: aws.apigateway, properties: {auth: jwt, tls_min_version: SecurityPolicy_TLS13_1_2_2021_06}}
"#;
    assert_silent(text, "TW-API-009", "API");
    assert_fires(&text.replace("SecurityPolicy_TLS13_1_2_2021_06", "TLS_1_0"), "TW-API-009", "API");
}

#[test]
fn a_webhook_that_verifies_signatures_is_not_an_unauthenticated_api() {
    // See: 3df4ae2 (a webhook with signature verification is not an unauthenticated API)
    let text = r#"
name: webhook
boundaries:
  - {name: Partner, kind: partner}
  - {name: Account, kind: account}
elements:
  - {name: Provider, type: generic.partner_api, boundary: Partner}
  - {name: Hook, type: generic.webhook, boundary: Account, properties: {auth: none, signature_verification: true}}
  - {name: Receiver, type: aws.lambda, boundary: Account}
flows:
  - {from: Provider, to: Hook}
  - {from: Hook, to: Receiver}
"#;
    assert_silent(text, "TW-API-001", "Hook");
    assert_fires(&text.replace("signature_verification: true", "signature_verification: false"), "TW-API-001", "Hook");
}
