//! The second pass of the threat knowledge (issue 16): one test per class of
//! miss or false positive, named after the class, on two realistic fixtures of
//! our own — `knowledge-vulnerable.yaml` (flaws real templates hide) and
//! `knowledge-hardened.yaml` (a template that does things right) — imported by
//! the SAM importer and analysed with the whole built-in catalog, so a test
//! also fails when another rule starts reporting the same thing.

use crate::support::*;
use std::collections::BTreeSet;
use threatwright::engine::{analyze, Options};
use threatwright::import::sam;
use threatwright::model::{Model, Value};
use threatwright::Analysis;

const VULNERABLE: &str = "tests/corpus/sam/knowledge-vulnerable.yaml";
const HARDENED: &str = "tests/corpus/sam/knowledge-hardened.yaml";

fn import(path: &str) -> sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    sam::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn analysis(m: &Model) -> Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: "2026-11-01".into(), ..Options::default() })
}

/// Rule ids firing on the element or flow named `target`.
fn rules_on(a: &Analysis, target: &str) -> BTreeSet<String> {
    a.threats.iter().filter(|t| t.target.name == target).map(|t| t.rule.clone()).collect()
}

fn fires(a: &Analysis, rule: &str, target: &str) {
    let on = rules_on(a, target);
    assert!(on.contains(rule), "{rule} must fire on `{target}`; fired: {on:?}");
}

fn silent(a: &Analysis, rule: &str, target: &str) {
    let on = rules_on(a, target);
    assert!(!on.contains(rule), "{rule} must not fire on `{target}`; fired: {on:?}");
}

fn prop(m: &Model, element: &str, key: &str) -> Option<Value> {
    let e = m.elements.iter().find(|e| e.name == element).unwrap_or_else(|| panic!("no element `{element}`"));
    e.properties.get(key).cloned()
}

#[test]
fn resources_named_by_their_physical_name_are_resolved() {
    // A bucket policy whose `Bucket` is the `!Sub` string of the bucket's
    // `BucketName` (with pseudo parameters in it), a queue policy by URL and a
    // topic policy by an ARN built with `!Join`: each governs the modelled
    // resource, so the public grants they make are seen.
    let imported = import(VULNERABLE);
    let m = &imported.model;
    let outside: Vec<&String> =
        imported.warnings.iter().map(|w| &w.message).filter(|w| w.contains("outside the template")).collect();
    assert!(outside.is_empty(), "every policy names a modelled resource: {outside:?}");
    assert_eq!(prop(m, "SharedDocs", "public_access"), Some(Value::Str("write".into())));
    assert_eq!(prop(m, "ConversionJobs", "policy_principal"), Some(Value::Str("*".into())));
    assert_eq!(prop(m, "ShareEvents", "policy_principal"), Some(Value::Str("*".into())));
    let a = analysis(m);
    fires(&a, "TW-STO-003", "SharedDocs");
    fires(&a, "TW-MSG-002", "ConversionJobs");
    fires(&a, "TW-MSG-002", "ShareEvents");
}

#[test]
fn expanded_policy_templates_that_allow_acl_changes_are_least_privilege_findings() {
    // `S3FullAccessPolicy` expands to explicit actions with no wildcard, among
    // them s3:PutObjectAcl (Permissions management in AWS's access levels).
    let a = analysis(&import(VULNERABLE).model);
    fires(&a, "TW-IAM-011", "UploadFunction");
    let t = a.threats.iter().find(|t| t.rule == "TW-IAM-011").unwrap();
    assert!(t.rationale.iter().any(|r| r.contains("s3:PutObjectAcl on `SharedDocs`")), "{:?}", t.rationale);
    // S3ReadPolicy is List and Read only.
    silent(&a, "TW-IAM-011", "PreviewFunction");
}

#[test]
fn a_tiny_concurrency_cap_without_throttling_is_an_availability_threat() {
    // PreviewFunction (cap 2) sits behind DocsApi, which has no throttling: the
    // cap bounds the bill (no denial-of-wallet finding) but two slow requests
    // take it down for everyone.
    let a = analysis(&import(VULNERABLE).model);
    fires(&a, "TW-API-014", "DocsApi");
    silent(&a, "TW-API-003", "DocsApi");
    let t = a.threats.iter().find(|t| t.rule == "TW-API-014").unwrap();
    assert_eq!(t.category.as_str(), "Denial of Service");
}

#[test]
fn moot_is_not_silent_a_wildcard_cors_origin_without_an_authorizer_is_reported_lower() {
    let a = analysis(&import(VULNERABLE).model);
    fires(&a, "TW-API-007", "DocsApi");
    let t = a.threats.iter().find(|t| t.rule == "TW-API-007").unwrap();
    assert!(
        t.explanation.iter().any(|e| e.starts_with("−2 likelihood: the API needs no authentication")),
        "the lower likelihood says why: {:?}",
        t.explanation
    );
    // The same API with an authorizer gets the rule's full likelihood.
    let mut m = import(VULNERABLE).model;
    let api = m.elements.iter_mut().find(|e| e.name == "DocsApi").unwrap();
    api.properties.insert("auth".into(), Value::Str("cognito".into()));
    let authed = analysis(&m);
    let u = authed.threats.iter().find(|t| t.rule == "TW-API-007").unwrap();
    assert!(u.likelihood > t.likelihood, "{} > {}", u.likelihood, t.likelihood);
    assert!(!u.explanation.iter().any(|e| e.contains("needs no authentication")));
}

#[test]
fn writable_authorization_attributes_of_a_user_pool_let_users_grant_themselves_privileges() {
    // `tenant_role` is mutable, not developer-only, and the app client lists no
    // WriteAttributes, so users may write it.
    let imported = import(VULNERABLE);
    assert_eq!(
        prop(&imported.model, "Users", "user_writable_claims"),
        Some(Value::List(vec!["custom:tenant_role".into()]))
    );
    fires(&analysis(&imported.model), "TW-EXT-013", "Users");
    // Immutable `tenant_id`, `account_role` left out of the client's
    // WriteAttributes, and `favourite_colour` (not authorization data).
    let hardened = import(HARDENED);
    assert_eq!(prop(&hardened.model, "Customers", "user_writable_claims"), None);
    silent(&analysis(&hardened.model), "TW-EXT-013", "Customers");
}

#[test]
fn routes_validated_by_a_request_model_or_required_parameters_count_as_validated() {
    // POST /orders has RequestModel with ValidateBody, GET /orders/{id} a
    // required path parameter, GET /health no input at all.
    let m = import(HARDENED).model;
    assert_eq!(prop(&m, "OrdersApi", "request_validation"), Some(Value::Bool(true)));
    silent(&analysis(&m), "TW-API-006", "OrdersApi");
    // The vulnerable API's preview route takes a path parameter nobody requires.
    let v = import(VULNERABLE).model;
    assert_ne!(prop(&v, "DocsApi", "request_validation"), Some(Value::Bool(true)));
    fires(&analysis(&v), "TW-API-006", "DocsApi");
}

#[test]
fn a_key_granted_for_the_store_or_queue_it_encrypts_is_not_access_without_a_flow() {
    let m = import(HARDENED).model;
    assert_eq!(prop(&m, "OrdersQueue", "kms_key"), Some(Value::Str("OrdersKey".into())));
    assert_eq!(prop(&m, "OrdersTable", "kms_key"), Some(Value::Str("OrdersKey".into())));
    let a = analysis(&m);
    for f in ["CreateOrderFunction", "GetOrderFunction", "ProcessOrderFunction"] {
        silent(&a, "TW-IAM-005", f);
    }
    // The same key granted to a function that uses nothing it encrypts is a finding.
    let mut m = m;
    let health = m.elements.iter().find(|e| e.name == "HealthFunction").unwrap().id;
    let key = m.elements.iter().find(|e| e.name == "OrdersKey").unwrap().id;
    m.grants.push(threatwright::model::Grant {
        id: threatwright::model::GrantId::derive("health-key", 0),
        principal: health,
        target: threatwright::model::GrantTarget::Element(key),
        actions: vec!["kms:Decrypt".into()],
    });
    fires(&analysis(&m), "TW-IAM-005", "HealthFunction");
}

#[test]
fn a_dead_letter_queue_needs_an_alarm_not_a_consumer() {
    let hardened = import(HARDENED).model;
    assert_eq!(prop(&hardened, "OrdersDeadLetters", "dead_letter_queue"), Some(Value::Bool(true)));
    assert_eq!(prop(&hardened, "OrdersDeadLetters", "alarmed"), Some(Value::Bool(true)));
    assert!(
        !hardened.elements.iter().any(|e| e.name == "OrdersDeadLettersAlarm"),
        "the alarm folds into the queue it watches instead of becoming an element"
    );
    let a = analysis(&hardened);
    silent(&a, "TW-MSG-011", "OrdersDeadLetters");
    silent(&a, "TW-MSG-012", "OrdersDeadLetters");
    let v = analysis(&import(VULNERABLE).model);
    silent(&v, "TW-MSG-011", "ConversionFailures");
    fires(&v, "TW-MSG-012", "ConversionFailures");
}

#[test]
fn code_signing_is_not_reported_on_every_imported_function() {
    // No confidential data and no pipeline in the model: nothing to say.
    let a = analysis(&import(HARDENED).model);
    assert!(!a.threats.iter().any(|t| t.rule == "TW-FN-012"), "TW-FN-012 fired without confidential data");
    let v = analysis(&import(VULNERABLE).model);
    assert!(!v.threats.iter().any(|t| t.rule == "TW-FN-012"));
}

#[test]
fn the_hardened_template_raises_no_finding_of_the_fixed_classes() {
    let a = analysis(&import(HARDENED).model);
    let fixed = [
        "TW-API-006",
        "TW-API-007",
        "TW-API-014",
        "TW-IAM-005",
        "TW-IAM-011",
        "TW-MSG-011",
        "TW-MSG-012",
        "TW-EXT-013",
        "TW-FN-012",
    ];
    let found: Vec<String> = a
        .threats
        .iter()
        .filter(|t| fixed.contains(&t.rule.as_str()))
        .map(|t| format!("{} on {}", t.rule, t.target.name))
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_register_for_people_groups_one_rule_and_severity_across_targets() {
    let a = analysis(&import(VULNERABLE).model);
    let groups = threatwright::engine::register_groups(&a.threats);
    assert!(groups.len() < a.threats.len(), "{} groups for {} findings", groups.len(), a.threats.len());
    assert_eq!(groups.iter().map(|g| g.threats.len()).sum::<usize>(), a.threats.len(), "every finding in one group");
    for g in &groups {
        assert!(g.threats.iter().all(|t| t.rule == g.rule && t.severity == g.severity));
    }
    let rank = |t: &threatwright::engine::Threat| a.threats.iter().position(|x| x.id == t.id).unwrap();
    let firsts: Vec<usize> = groups.iter().map(|g| rank(g.top())).collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "groups keep the rank of their first finding: {firsts:?}");
    let scanned = groups.iter().find(|g| g.rule == "TW-FN-022").unwrap();
    assert_eq!(
        scanned.targets(),
        ["ActivityFeedFunction", "ConvertFunction", "PreviewFunction", "ShareNotifyFunction", "UploadFunction"]
    );
    // Markdown shows the group on one row and every finding behind <details>.
    let dir = std::env::temp_dir().join(format!("tw-knowledge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vulnerable.yaml");
    std::fs::write(&file, threatwright::yaml::to_string(&import(VULNERABLE).model)).unwrap();
    let out = run(&["analyze", file.to_str().unwrap(), "--format", "markdown", "--as-of", "2026-11-01"]);
    let md = text(&out.stdout);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        md.contains(
            "| 5 targets: ActivityFeedFunction, ConvertFunction, PreviewFunction, ShareNotifyFunction, UploadFunction |"
        ),
        "{md}"
    );
    assert!(md.contains(&format!("<details><summary>Every finding, one per target ({})</summary>", a.threats.len())));
}

#[test]
fn rules_name_the_equivalent_scanner_checks_in_the_reports_and_sarif() {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let mapped = catalog.rules.iter().filter(|r| !r.references.equivalents.is_empty()).count();
    assert!(mapped >= 40, "{mapped} rules name an equivalent check");
    let api = catalog.rule("TW-API-001").unwrap();
    assert_eq!(api.references.equivalents.checkov, ["CKV_AWS_59"]);
    assert!(api.references.labels().contains(&"cdk-nag AwsSolutions-APIG4".to_string()));
    // SARIF: the rule's descriptor carries them (properties and help), so CI results line up.
    let dir = std::env::temp_dir().join(format!("tw-equivalents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vulnerable.yaml");
    std::fs::write(&file, threatwright::yaml::to_string(&import(VULNERABLE).model)).unwrap();
    let out = run(&["analyze", file.to_str().unwrap(), "--format", "sarif"]);
    std::fs::remove_dir_all(&dir).ok();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let d = rules.iter().find(|r| r["id"] == "TW-API-001").expect("TW-API-001 described");
    assert_eq!(d["properties"]["equivalents"]["checkov"][0], "CKV_AWS_59");
    assert!(d["help"]["text"].as_str().unwrap().contains("Equivalent checks: Checkov CKV_AWS_59"));
}

#[test]
fn resources_of_unknown_types_are_connected_by_their_references() {
    // An EventBridge Pipe is not interpreted by the importer: it becomes a
    // generic service, joined to its source and target by the names of the
    // properties that reference them; its role adds no flow.
    let template = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Failures:
    Type: AWS::SQS::Queue
  Replay:
    Type: AWS::Serverless::Function
    Properties: {Handler: a.h, Runtime: python3.12, CodeUri: src/}
  ReplayRole:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}
  Archive:
    Type: AWS::S3::Bucket
  ReplayPipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: !GetAtt ReplayRole.Arn
      Source: !GetAtt Failures.Arn
      Target: !GetAtt Replay.Arn
      Enrichment: !Sub "arn:aws:s3:::${Archive}"
      LogConfiguration: {S3LogDestination: {BucketName: !Ref Archive}}
"#;
    let imported = sam::import(template, "pipe.yaml").unwrap_or_else(|d| panic!("{d}"));
    let m = &imported.model;
    let id = |n: &str| m.elements.iter().find(|e| e.name == n).unwrap_or_else(|| panic!("no `{n}`")).id;
    let flows: BTreeSet<(String, String)> = m
        .flows
        .iter()
        .filter(|f| f.from == id("ReplayPipe") || f.to == id("ReplayPipe"))
        .map(|f| {
            let name = |x| m.elements.iter().find(|e| e.id == x).unwrap().name.clone();
            (name(f.from), name(f.to))
        })
        .collect();
    let want: BTreeSet<(String, String)> =
        [("Failures", "ReplayPipe"), ("ReplayPipe", "Replay"), ("ReplayPipe", "Archive")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(flows, want, "source in, target and the log bucket out; the role is no data flow");
    assert!(imported.warnings.iter().any(|w| w.message.contains("AWS::Pipes::Pipe")), "still named as not interpreted");
}

#[test]
fn a_store_no_data_asset_describes_is_taken_as_internal() {
    // Imports never say what a table holds; a table always holds something.
    // Rules that ask for internal data report on it and say the classification
    // was assumed; rules that ask for confidential data stay silent.
    let v = analysis(&import(VULNERABLE).model);
    fires(&v, "TW-STO-009", "ConversionLog");
    fires(&v, "TW-GEN-006", "ConversionLog");
    let pitr = v.threats.iter().find(|t| t.rule == "TW-STO-009" && t.target.name == "ConversionLog").unwrap();
    assert!(
        pitr.rationale.iter().any(|r| r.contains("no data asset describes (taken as internal)")),
        "{:?}",
        pitr.rationale
    );
    let h = analysis(&import(HARDENED).model);
    silent(&h, "TW-STO-009", "OrdersTable");
}

#[test]
fn a_stream_read_grant_is_used_through_the_trigger_it_feeds() {
    let v = analysis(&import(VULNERABLE).model);
    silent(&v, "TW-IAM-005", "ActivityFeedFunction");
    // A grant with neither a flow nor a trigger between them is still reported.
    let mut m = import(VULNERABLE).model;
    m.flows.retain(|f| {
        let name = |id| m.elements.iter().find(|e| e.id == id).map(|e| e.name.as_str()).unwrap_or("");
        name(f.to) != "ActivityFeedFunction"
    });
    fires(&analysis(&m), "TW-IAM-005", "ActivityFeedFunction");
}

#[test]
fn an_on_failure_destination_queue_is_a_dead_letter_queue() {
    // Lambda destinations (EventInvokeConfig) and event source mappings
    // (DestinationConfig) send failures to a queue that people drain.
    let imported = import(VULNERABLE);
    for q in ["FeedFailures", "ShareNotifyFailures"] {
        assert_eq!(prop(&imported.model, q, "dead_letter_queue"), Some(Value::Bool(true)), "{q}");
    }
    let v = analysis(&imported.model);
    for q in ["FeedFailures", "ShareNotifyFailures"] {
        silent(&v, "TW-MSG-011", q);
        fires(&v, "TW-MSG-012", q);
    }
}

#[test]
fn a_function_that_signs_upload_urls_needs_its_bucket_grant_without_a_flow() {
    // The browser asks the signer (through the API) for a presigned URL and
    // uploads straight to the bucket: the signer never touches the bucket's
    // data, but its `s3:PutObject` is what the URL is signed with.
    let drawn = |upload_flow: &str| {
        format!(
            "threatwright: 1\n\
             name: Uploads\n\
             elements:\n\
             \x20 - {{name: Browser, type: generic.browser}}\n\
             \x20 - {{name: Api, type: aws.apigateway}}\n\
             \x20 - {{name: Signer, type: aws.lambda}}\n\
             \x20 - {{name: Photos, type: aws.s3}}\n\
             flows:\n\
             \x20 - {{from: Browser, to: Api}}\n\
             \x20 - {{from: Api, to: Signer}}\n\
             {upload_flow}\
             grants:\n\
             \x20 - {{principal: Signer, resource: Photos, actions: [\"s3:PutObject\"]}}\n"
        )
    };
    let signer = threatwright::yaml::parse_model(&drawn("  - {from: Browser, to: Photos}\n"), "m.yaml").unwrap();
    silent(&analysis(&signer), "TW-IAM-005", "Signer");
    // Without the direct upload nobody uses the grant: still reported.
    let unused = threatwright::yaml::parse_model(&drawn(""), "m.yaml").unwrap();
    fires(&analysis(&unused), "TW-IAM-005", "Signer");
}
