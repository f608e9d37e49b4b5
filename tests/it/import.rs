//! Templates and importers: the built-in template list and `new`, the SAM /
//! CloudFormation and Serverless Framework importers on the fixture corpus
//! (elements, properties, flows, grants and the threats they deserve), bad
//! input (exit 2, located), a precision check that no import reports one
//! root cause twice, and a property test that no input panics.

use crate::support::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use threatwright::engine::{analyze, Options};
use threatwright::import::{sam, serverless, templates};
use threatwright::model::{validate, Element, GrantTarget, Model, Value};

const AS_OF: &str = "2026-11-01";

fn import_sam(path: &str) -> sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    sam::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn import_sls(path: &str) -> sam::Imported {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serverless::import(&text, path).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| {
        panic!("no element `{name}`; have {:?}", m.elements.iter().map(|e| &e.name).collect::<Vec<_>>())
    })
}

fn prop(m: &Model, name: &str, key: &str) -> Option<Value> {
    el(m, name).properties.get(key).cloned()
}

fn b(v: bool) -> Option<Value> {
    Some(Value::Bool(v))
}

fn s(v: &str) -> Option<Value> {
    Some(Value::Str(v.to_string()))
}

fn i(v: i64) -> Option<Value> {
    Some(Value::Int(v))
}

fn flow(m: &Model, from: &str, to: &str) -> bool {
    let (f, t) = (el(m, from).id, el(m, to).id);
    m.flows.iter().any(|x| x.from == f && x.to == t)
}

/// Actions granted to `principal` on `resource` (an element name, `*`, or an ARN).
fn actions(m: &Model, principal: &str, resource: &str) -> Vec<String> {
    let p = el(m, principal).id;
    let target = match resource {
        "*" => GrantTarget::Any,
        r if m.elements.iter().any(|e| e.name == r) => GrantTarget::Element(el(m, r).id),
        r => GrantTarget::Unmodelled(r.to_string()),
    };
    m.grants.iter().filter(|g| g.principal == p && g.target == target).flat_map(|g| g.actions.clone()).collect()
}

fn analysis_of(m: &Model) -> threatwright::engine::Analysis {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    analyze(m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() })
}

/// Rule ids that fire on each target name.
fn threats(m: &Model) -> BTreeSet<(String, String)> {
    analysis_of(m).threats.into_iter().map(|t| (t.rule, t.target.name)).collect()
}

fn fires(set: &BTreeSet<(String, String)>, rule: &str, target: &str) -> bool {
    set.contains(&(rule.to_string(), target.to_string()))
}

/// Asserts the exact set of rule ids that fire on `target`: a new, missing
/// or duplicate finding on it fails, where "some rule of the family" would not.
fn assert_rules_on(set: &BTreeSet<(String, String)>, target: &str, expected: &[&str]) {
    let actual: BTreeSet<&str> = set.iter().filter(|(_, n)| n == target).map(|(r, _)| r.as_str()).collect();
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(actual, expected, "rules on `{target}`");
}

fn assert_valid_and_laid_out(m: &Model) {
    assert!(validate(m).is_empty(), "invalid import: {:?}", validate(m));
    assert!(m.elements.iter().all(|e| e.position.is_some()), "every element is laid out");
    assert!(m.boundaries.iter().all(|b| b.size.is_some()), "every boundary is laid out");
    assert!(m.elements.iter().all(|e| e.boundary.is_some()), "every element sits in a boundary");
    let written = threatwright::yaml::to_string(m);
    let reread = threatwright::yaml::parse_model(&written, "reimport")
        .unwrap_or_else(|d| panic!("written model does not load: {d}"));
    assert_eq!(reread.elements.len(), m.elements.len());
    assert_eq!(reread.grants, m.grants);
}

// ---- templates ----------------------------------------------------------

#[test]
fn embedded_templates_equal_the_folder() {
    let folder: BTreeSet<String> = std::fs::read_dir(root().join("models/templates"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(str::to_string))
        .collect();
    let embedded: BTreeSet<String> = templates::names().into_iter().map(String::from).collect();
    assert_eq!(folder, embedded);
    for (name, text) in templates::TEMPLATES {
        assert_eq!(*text, std::fs::read_to_string(root().join(format!("models/templates/{name}.yaml"))).unwrap());
    }
}

#[test]
fn templates_are_listed_with_description_and_vendor() {
    let list = templates::list();
    assert!(list.len() >= 12);
    let vendors: BTreeSet<&str> = list.iter().map(|t| t.vendor.as_str()).collect();
    assert_eq!(vendors, BTreeSet::from(["aws", "azure", "gcp"]));
    assert!(list.iter().all(|t| !t.description.is_empty()));

    let out = run(&["templates"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), list.len());
    assert!(lines[0].starts_with("aws-rest-api-cognito  Amazon API Gateway"), "{}", lines[0]);

    let out = run(&["templates", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), list.len());
    for item in items {
        for key in ["name", "description", "vendor"] {
            assert!(item[key].is_string(), "{key} missing in {item}");
        }
    }
}

#[test]
fn every_template_instantiates_validates_and_analyzes() {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    for name in templates::names() {
        let m = templates::instantiate(name).unwrap();
        assert_valid_and_laid_out(&m);
        assert!(!m.grants.is_empty() && !m.assets.is_empty(), "{name} lacks grants or data classification");
        assert!(m.boundaries.len() >= 2, "{name} lacks trust boundaries");
        let a = analyze(&m, &catalog, &Options { as_of: AS_OF.into(), ..Options::default() });
        // A reasonably secure baseline: nothing critical except the deliberate
        // public webhook, never a flood of high findings.
        let high = a.threats.iter().filter(|t| t.severity >= threatwright::risk::Severity::High).count();
        assert!(high <= 6, "{name}: {high} high or critical threats");
    }
}

#[test]
fn new_writes_a_model_that_validates_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("model.yaml");
    let out_str = out_path.to_str().unwrap();
    let out = run(&["new", "--template", "aws-sqs-sns-fanout", "-o", out_str]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(run(&["validate", out_str]).status.code(), Some(0));
    let analysis = run(&["analyze", out_str, "--as-of", AS_OF]);
    assert_eq!(analysis.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&analysis.stdout).unwrap();
    assert!(json["threats"].is_array());
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert!(written.contains("position:"), "the new model is laid out");

    let again = run(&["new", "--template", "aws-sqs-sns-fanout", "-o", out_str]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(run(&["new", "--template", "gcp-cloud-run-storage", "-o", out_str, "--force"]).status.code(), Some(0));
    assert!(std::fs::read_to_string(&out_path).unwrap().contains("Cloud Run"));

    let unknown = run(&["new", "--template", "no-such-template", "-o", dir.path().join("x.yaml").to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = text(&unknown.stderr);
    assert!(err.contains("unknown template `no-such-template`") && err.contains("azure-functions-cosmosdb"), "{err}");
}

// ---- SAM ------------------------------------------------------------------

#[test]
fn sam_rest_api_with_cognito_and_a_none_route() {
    let imp = import_sam("tests/corpus/sam/rest-api-cognito.yaml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(m.name, "rest-api-cognito");
    assert_eq!(el(m, "ProfilesApi").vendor_type, "aws.apigateway");
    // The health route overrides the Cognito default with NONE: the API is as weak as that route.
    assert_eq!(prop(m, "ProfilesApi", "auth"), s("none"));
    assert_eq!(prop(m, "ProfilesApi", "throttling"), b(true));
    assert_eq!(prop(m, "ProfilesApi", "access_logs"), b(true));
    assert_eq!(prop(m, "ProfilesApi", "cors_origins"), Some(Value::List(vec!["*".into()])));
    assert_eq!(el(m, "UserPool").vendor_type, "aws.cognito");
    assert_eq!(prop(m, "UserPool", "password_min_length"), i(12));
    assert_eq!(prop(m, "UserPool", "mfa"), s("optional"));
    // Globals apply to every function.
    for f in ["GetProfileFunction", "UpdateProfileFunction", "HealthFunction"] {
        assert_eq!(prop(m, f, "runtime"), s("python3.12"));
        assert_eq!(prop(m, f, "timeout"), i(10));
        assert_eq!(prop(m, f, "memory"), i(256));
        assert_eq!(prop(m, f, "tracing"), b(true));
        assert!(flow(m, "ProfilesApi", f));
    }
    assert_eq!(prop(m, "GetProfileFunction", "reserved_concurrency"), i(20));
    assert_eq!(prop(m, "HealthFunction", "secrets_in_env"), b(true));
    assert_eq!(prop(m, "GetProfileFunction", "secrets_in_env"), b(false));
    assert_eq!(
        prop(m, "HealthFunction", "environment"),
        Some(Value::List(vec!["TABLE_NAME".into(), "LOG_LEVEL".into(), "SUPPORT_API_TOKEN".into()]))
    );
    assert_eq!(prop(m, "ProfilesTable", "backups"), b(true));
    assert_eq!(el(m, "ProfilesTable").assets.len(), 1, "the DataClassification tag becomes a data asset");
    // Read-only access flows from the table, writes flow to it.
    assert!(flow(m, "ProfilesTable", "GetProfileFunction"));
    assert!(flow(m, "UpdateProfileFunction", "ProfilesTable"));
    assert!(flow(m, "Client", "ProfilesApi") && flow(m, "Client", "UserPool"));
    assert!(actions(m, "GetProfileFunction", "ProfilesTable").contains(&"dynamodb:GetItem".to_string()));
    assert!(!actions(m, "GetProfileFunction", "ProfilesTable").contains(&"dynamodb:PutItem".to_string()));
    assert!(actions(m, "UpdateProfileFunction", "ProfilesTable").contains(&"dynamodb:PutItem".to_string()));
    assert_eq!(el(m, "Client").boundary, m.boundaries.iter().find(|b| b.name == "Internet").map(|b| b.id));

    let t = threats(m);
    assert!(fires(&t, "TW-API-001", "ProfilesApi"), "{t:?}");
    // The secret in the environment is flagged.
    assert_rules_on(&t, "HealthFunction", &["TW-FN-004", "TW-FN-022", "TW-IAM-010"]);
}

#[test]
fn sam_s3_pipeline_with_a_public_bucket_policy() {
    let imp = import_sam("tests/corpus/sam/s3-upload-pipeline.yaml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(prop(m, "UploadBucket", "public_access"), s("write"));
    assert_eq!(prop(m, "UploadBucket", "block_public_access"), b(false));
    assert_eq!(prop(m, "UploadBucket", "versioning"), b(true));
    assert_eq!(prop(m, "ExtractedBucket", "public_access"), None, "the Deny statement does not make it public");
    assert_eq!(prop(m, "ExtractedBucket", "cmk"), b(true));
    assert_eq!(prop(m, "ExtractedBucket", "access_logging"), b(true));
    assert_eq!(prop(m, "DocumentsKey", "rotation"), b(true));
    assert_eq!(el(m, "UploadBucketNotifications").vendor_type, "aws.s3_notification");
    assert_eq!(prop(m, "UploadBucketNotifications", "filter"), s("suffix=.pdf"));
    assert!(flow(m, "UploadBucket", "UploadBucketNotifications"));
    assert!(flow(m, "UploadBucketNotifications", "ExtractTextFunction"));
    assert!(flow(m, "ExtractTextFunction", "ExtractedBucket"));
    // A literal bucket name in a policy template resolves to the modelled bucket.
    assert!(actions(m, "ExtractTextFunction", "UploadBucket").contains(&"s3:GetObject".to_string()));
    assert!(actions(m, "ExtractTextFunction", "DocumentsKey").contains(&"kms:Decrypt".to_string()));
    assert_eq!(m.grants.len(), 3);

    let t = threats(m);
    assert!(fires(&t, "TW-STO-001", "UploadBucket"), "{t:?}");
    assert!(fires(&t, "TW-STO-003", "UploadBucket"), "{t:?}");
    assert!(!fires(&t, "TW-STO-001", "ExtractedBucket"));
}

#[test]
fn sam_json_fanout_with_policy_templates() {
    let imp = import_sam("tests/corpus/sam/sqs-sns-fanout.json");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(prop(m, "OrderEventsTopic", "encrypted"), b(true));
    assert_eq!(prop(m, "OrderEventsTopic", "policy_principal"), s("*"));
    assert_eq!(prop(m, "ShippingQueue", "policy_principal"), s("sns.amazonaws.com"));
    assert_eq!(prop(m, "BillingQueue", "dlq"), b(true));
    assert_eq!(prop(m, "BillingQueue", "max_receive_count"), i(5));
    assert_eq!(prop(m, "BillingQueue", "visibility_timeout"), i(180));
    assert_eq!(prop(m, "ShippingFunction", "dead_letter"), b(true));
    assert_eq!(el(m, "ServerlessHttpApi").vendor_type, "aws.apigateway_http");
    assert!(flow(m, "OrderEventsTopic", "BillingQueue") && flow(m, "OrderEventsTopic", "ShippingQueue"));
    assert!(flow(m, "BillingQueue", "BillingFunction") && flow(m, "ShippingQueue", "ShippingFunction"));
    assert!(flow(m, "PublishOrderFunction", "OrderEventsTopic"));
    assert!(flow(m, "ServerlessHttpApi", "PublishOrderFunction") && flow(m, "Client", "ServerlessHttpApi"));
    assert_eq!(actions(m, "PublishOrderFunction", "OrderEventsTopic"), vec!["sns:Publish"]);
    assert!(actions(m, "BillingFunction", "BillingQueue").contains(&"sqs:ReceiveMessage".to_string()));
    assert!(
        !actions(m, "BillingFunction", "arn:aws:dynamodb:::legacy-invoices").is_empty(),
        "an unmodelled table stays an unmodelled target"
    );
    assert_eq!(actions(m, "ShippingFunction", "*"), vec!["s3:*"], "AmazonS3FullAccess is s3:* on everything");
    // JSON keeps positions: warnings and errors point into the file.
    let t = threats(m);
    assert!(fires(&t, "TW-API-001", "ServerlessHttpApi"));
    assert_rules_on(&t, "OrderEventsTopic", &["TW-MSG-002"]);
    assert_rules_on(
        &t,
        "ShippingFunction",
        &["TW-FN-002", "TW-FN-005", "TW-FN-009", "TW-FN-021", "TW-FN-022", "TW-IAM-001"],
    );
}

#[test]
fn sam_eventbridge_and_step_functions() {
    let imp = import_sam("tests/corpus/sam/eventbridge-stepfunctions.yaml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(el(m, "ClaimsWorkflow").vendor_type, "aws.stepfunctions");
    assert_eq!(prop(m, "ClaimsWorkflow", "tracing"), b(true));
    assert!(flow(m, "ClaimsBus", "ClaimsWorkflow"));
    assert!(flow(m, "ClaimsWorkflow", "ValidateClaimFunction") && flow(m, "ClaimsWorkflow", "ScoreClaimFunction"));
    assert!(flow(m, "ClaimsWorkflow", "PaymentsTable"));
    assert!(flow(m, "SubmitClaimFunction", "ClaimsBus"));
    assert_eq!(prop(m, "ClaimsBus", "policy_principal"), s("arn:aws:iam::111122223333:root"));
    assert!(matches!(prop(m, "ClaimsBus", "filter"), Some(Value::Str(f)) if f.contains("claims.portal")));
    assert_eq!(prop(m, "SubmitClaimFunction", "function_url"), None, "a URL is only its aws.lambda_url element");
    assert_eq!(prop(m, "SubmitClaimFunctionUrl", "auth"), s("iam"));
    assert!(flow(m, "Client", "SubmitClaimFunctionUrl"));
    assert_eq!(prop(m, "NightlyReportFunctionNightly", "schedule"), s("cron(0 2 * * ? *)"));
    assert_eq!(el(m, "NightlyReportFunctionNightly").vendor_type, "aws.eventbridge_schedule");
    assert_eq!(
        prop(m, "ScoreClaimFunction", "layers"),
        Some(Value::List(vec!["arn:aws:lambda:us-east-1:999999999999:layer:fraud-model:14".into()]))
    );
    assert_eq!(actions(m, "ClaimsWorkflow", "ValidateClaimFunction"), vec!["lambda:InvokeFunction"]);
    assert_eq!(actions(m, "SubmitClaimFunction", "ClaimsBus"), vec!["events:PutEvents"]);
    assert_eq!(m.assets[0].classification, threatwright::model::Classification::Restricted);

    let t = threats(m);
    assert_rules_on(
        &t,
        "ScoreClaimFunction",
        &["TW-FN-002", "TW-FN-003", "TW-FN-005", "TW-FN-007", "TW-FN-022", "TW-FN-023"],
    );
}

#[test]
fn sam_inline_iam_statements_and_roles() {
    let imp = import_sam("tests/corpus/sam/inline-iam.yaml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(actions(m, "AdminFunction", "*"), vec!["*"]);
    assert_eq!(prop(m, "AdminFunction", "role"), s("AdminRole"));
    assert_eq!(
        prop(m, "AdminFunction", "secrets_in_env"),
        b(true),
        "a {{resolve:secretsmanager}} value lands in plain text"
    );
    assert_eq!(prop(m, "AdminFunction", "public_invoke"), b(true));
    assert_eq!(prop(m, "AdminFunctionUrl", "auth"), s("none"));
    assert!(flow(m, "Client", "AdminFunctionUrl") && flow(m, "AdminFunctionUrl", "AdminFunction"));
    // Fn::Sub ARNs with ${AuditTable} resolve to the table; the attached AWS::IAM::Policy adds stream reads.
    let audit = actions(m, "ReportFunction", "AuditTable");
    for a in ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:GetRecords"] {
        assert!(audit.contains(&a.to_string()), "{audit:?}");
    }
    assert_eq!(actions(m, "ReportFunction", "ReportsBucket"), vec!["s3:*"]);
    assert_eq!(actions(m, "ReportFunction", "DbCredentials"), vec!["secretsmanager:GetSecretValue"]);
    assert_eq!(
        actions(m, "ReportFunction", "arn:aws:sqs:eu-west-1:444455556666:partner-intake"),
        vec!["sqs:SendMessage"]
    );
    assert_eq!(prop(m, "ReportFunction", "vpc"), b(true));
    assert_eq!(prop(m, "ReportFunction", "env_kms_key"), b(true));
    assert_eq!(prop(m, "ReportFunction", "tracing"), b(true));
    assert_eq!(prop(m, "ReportsBucket", "public_access"), s("read"));
    assert_eq!(el(m, "AuditTableStream").vendor_type, "aws.dynamodb_stream");
    assert_eq!(prop(m, "AuditTableStream", "bisect_on_error"), b(true));
    assert_eq!(prop(m, "AuditTableStream", "max_retries"), i(3));
    assert!(flow(m, "AuditTable", "AuditTableStream") && flow(m, "AuditTableStream", "ReportFunction"));
    assert!(flow(m, "DbCredentials", "ReportFunction"));

    let t = threats(m);
    // The URL's exposure is reported once, on the URL (TW-API-013), not
    // again on the function: see no_import_reports_one_root_cause_twice.
    assert_rules_on(
        &t,
        "AdminFunction",
        &[
            "TW-FN-001",
            "TW-FN-003",
            "TW-FN-004",
            "TW-FN-006",
            "TW-FN-015",
            "TW-FN-022",
            "TW-IAM-001",
            "TW-IAM-003",
            "TW-IAM-007",
        ],
    );
    // Its wildcard CORS origin is reported at a lower likelihood: the URL needs no authentication.
    assert_rules_on(&t, "AdminFunctionUrl", &["TW-API-003", "TW-API-007", "TW-API-013", "TW-GEN-009"]);
    // Publicly readable; no data asset says what it holds, so it is taken as internal, not
    // confidential: TW-STO-002, not TW-STO-001, and its reads leave no log (TW-GEN-006).
    assert_rules_on(&t, "ReportsBucket", &["TW-GEN-006", "TW-STO-002", "TW-STO-008"]);
}

#[test]
fn sam_intrinsics_globals_parameters_conditions_and_unknown_types() {
    let imp = import_sam("tests/corpus/sam/intrinsics-kitchen-sink.yaml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    // !If on a decidable condition, !FindInMap with a parameter default, Globals.
    assert_eq!(prop(m, "IngestFunction", "runtime"), s("python3.12"));
    assert_eq!(prop(m, "IngestFunction", "memory"), i(1024));
    assert_eq!(prop(m, "IngestFunction", "reserved_concurrency"), i(100));
    assert_eq!(prop(m, "AggregateFunction", "layers"), Some(Value::List(vec!["SharedLayer".into()])));
    assert!(
        m.elements.iter().all(|e| e.name != "DevOnlyDebugBucket"),
        "a resource whose condition is false is skipped"
    );
    assert!(m.elements.iter().any(|e| e.name == "AlarmTopic"), "an undecidable condition keeps the resource");
    assert_eq!(prop(m, "IngestApi", "auth"), s("jwt"));
    assert_eq!(prop(m, "IngestApi", "throttling"), b(true));
    assert_eq!(prop(m, "IngestApi", "access_logs"), b(true), "HttpApi Globals apply");
    assert_eq!(prop(m, "IngestApi", "cors_origins"), Some(Value::List(vec!["https://console.example.com".into()])));
    assert_eq!(prop(m, "TelemetryStream", "encrypted"), b(true));
    assert_eq!(prop(m, "TelemetryStream", "bisect_on_error"), b(true));
    assert_eq!(prop(m, "TelemetryStream", "max_retries"), i(5));
    assert_eq!(prop(m, "TelemetryStream", "dlq"), b(true));
    assert_eq!(prop(m, "MetricsTable", "cmk"), b(true));
    assert!(flow(m, "TelemetryStream", "AggregateFunction") && flow(m, "AggregateFunction", "MetricsTable"));
    assert!(flow(m, "IngestFunction", "TelemetryStream"));
    assert!(flow(m, "Client", "DevicePool"), "the JWT issuer names the user pool");
    assert_eq!(el(m, "DashboardAppSyncLike").vendor_type, "generic.service");
    assert_eq!(el(m, "ExternalConfig").vendor_type, "generic.service");
    let warnings: Vec<String> = imp.warnings.iter().map(|w| w.to_string()).collect();
    for needle in ["AWS::Glue::Crawler", "Custom::ConfigLoader", "Fn::ImportValue", "AlarmEmail"] {
        assert!(warnings.iter().any(|w| w.contains(needle)), "no warning about {needle}: {warnings:?}");
    }
    assert!(imp.warnings.iter().all(|w| w.line > 0), "warnings are located: {warnings:?}");
}

#[test]
fn sam_cli_prints_located_warnings_and_a_model() {
    let out = run(&["import", "sam", "tests/corpus/sam/intrinsics-kitchen-sink.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("tests/corpus/sam/intrinsics-kitchen-sink.yaml:") && l.contains(": warning: ")),
        "{err}"
    );
    let model = threatwright::yaml::parse_model(&text(&out.stdout), "stdout").unwrap();
    assert!(model.elements.len() > 5);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imported.yaml");
    let out = run(&["import", "sam", "tests/corpus/sam/sqs-sns-fanout.json", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(run(&["validate", path.to_str().unwrap()]).status.code(), Some(0));
}

#[test]
fn bad_templates_exit_2_with_a_located_message() {
    let cases = [
        ("tests/corpus/sam/broken/invalid-yaml.yaml", "invalid YAML"),
        ("tests/corpus/sam/broken/invalid-json.json", "invalid JSON"),
        ("tests/corpus/sam/broken/top-level-list.yaml", "found a list"),
        ("tests/corpus/sam/broken/alias-bomb.yaml", "alias bomb"),
        ("tests/corpus/sam/broken/resources-string.yaml", "`Resources` must be a mapping"),
    ];
    for (file, needle) in cases {
        let out = run(&["import", "sam", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = text(&out.stderr);
        assert!(err.starts_with(&format!("error: {file}:")), "{file}: {err}");
        let location = err.trim_start_matches("error: ").split(": ").next().unwrap();
        assert_eq!(location.split(':').count(), 3, "{file}: not located: {err}");
        assert!(err.contains(needle), "{file}: {err}");
        assert!(out.stdout.is_empty());
    }
    let out = run(&["import", "serverless", "tests/corpus/sam/broken/top-level-list.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["import", "sam", "tests/corpus/sam/no-such-file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// An import that yields no element is an error with exit 2 and the reason, never an empty
/// model with exit 0 (a Threat Dragon file whose only flow has no valid ends did that).
#[test]
fn an_import_with_nothing_usable_is_an_error() {
    for (format, file) in [
        ("threat-dragon", "tests/corpus/threat-dragon/broken/flow-without-ends.json"),
        ("sam", "tests/corpus/sam/broken/only-iam.yaml"),
    ] {
        let out = run(&["import", format, file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = text(&out.stderr);
        assert!(err.contains(&format!("{file}: nothing to import")), "{file}: {err}");
        assert!(out.stdout.is_empty(), "{file}: no model is written");
    }
    let err = threatwright::import::run(
        threatwright::ImportFormat::ThreatDragon,
        "{\"version\":\"2.3.0\",\"summary\":{\"title\":\"x\"},\"detail\":{\"diagrams\":[]}}",
        "empty.json",
    )
    .expect_err("an empty diagram list imports nothing");
    assert!(err.to_string().contains("nothing to import"), "{err}");
}

// ---- Serverless Framework ------------------------------------------------

#[test]
fn serverless_orders_api() {
    let imp = import_sls("tests/corpus/serverless/orders-api.yml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(m.name, "orders-api");
    for f in ["createOrder", "getOrder", "status", "fulfil"] {
        assert_eq!(el(m, f).vendor_type, "aws.lambda");
        assert_eq!(prop(m, f, "runtime"), s("nodejs20.x"));
        assert_eq!(prop(m, f, "tracing"), b(true));
        assert_eq!(prop(m, f, "log_retention_days"), i(30));
        assert_eq!(prop(m, f, "role"), s("IamRoleLambdaExecution"));
        // ${self:custom.tableName} resolves to the table's physical name, so
        // both the statement ARN and the environment value point at it.
        assert!(actions(m, f, "OrdersTable").contains(&"dynamodb:PutItem".to_string()), "{f}");
        assert!(flow(m, f, "OrdersTable"), "{f}");
        assert_eq!(actions(m, f, "*"), vec!["s3:*"]);
    }
    assert_eq!(prop(m, "status", "memory"), i(128));
    assert_eq!(prop(m, "createOrder", "memory"), i(512));
    assert_eq!(prop(m, "fulfil", "timeout"), i(60));
    assert_eq!(prop(m, "fulfil", "reserved_concurrency"), i(5));
    assert_eq!(prop(m, "fulfil", "dead_letter"), b(true));
    assert_eq!(el(m, "ApiGatewayRestApi").vendor_type, "aws.apigateway");
    assert_eq!(prop(m, "ApiGatewayRestApi", "auth"), s("none"), "GET status has no authorizer");
    assert_eq!(prop(m, "ApiGatewayRestApi", "throttling"), b(true));
    assert_eq!(prop(m, "ApiGatewayRestApi", "access_logs"), b(true));
    assert_eq!(prop(m, "ApiGatewayRestApi", "cors_origins"), Some(Value::List(vec!["*".into()])));
    assert!(flow(m, "FulfilmentQueue", "fulfil") && flow(m, "createOrder", "FulfilmentQueue"));
    assert_eq!(prop(m, "FulfilmentQueue", "encrypted"), b(true));
    assert_eq!(prop(m, "FulfilmentQueue", "max_receive_count"), i(3));
    assert_eq!(prop(m, "UserPool", "password_min_length"), i(10));
    let warnings: Vec<String> = imp.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("${env:ALERT_EMAIL}") && w.starts_with("tests/corpus/serverless/orders-api.yml:8:")),
        "{warnings:?}"
    );

    let t = threats(m);
    assert!(fires(&t, "TW-API-001", "ApiGatewayRestApi"), "{t:?}");
    assert_rules_on(&t, "createOrder", &["TW-FN-003", "TW-FN-022", "TW-IAM-001", "TW-IAM-006", "TW-IAM-008"]);
}

#[test]
fn serverless_media_pipeline() {
    let imp = import_sls("tests/corpus/serverless/media-pipeline.yml");
    let m = &imp.model;
    assert_valid_and_laid_out(m);
    assert_eq!(el(m, "media-pipeline-dev-media").vendor_type, "aws.s3");
    assert_eq!(prop(m, "media-pipeline-dev-mediaNotifications", "filter"), s("prefix=uploads/, suffix=.jpg"));
    assert!(flow(m, "media-pipeline-dev-mediaNotifications", "thumbnail"));
    assert!(actions(m, "thumbnail", "media-pipeline-dev-media").contains(&"s3:PutObject".to_string()));
    assert_eq!(actions(m, "thumbnail", "AssetsTable"), vec!["dynamodb:*"]);
    assert_eq!(prop(m, "thumbnail", "secrets_in_env"), b(true), "a live Stripe key in provider.environment");
    assert_eq!(prop(m, "thumbnail", "runtime"), s("python3.9"));
    assert_eq!(prop(m, "HttpApi", "auth"), s("jwt"));
    assert_eq!(prop(m, "HttpApi", "cors_origins"), Some(Value::List(vec!["*".into()])));
    assert!(flow(m, "HttpApi", "uploadUrl"));
    assert_eq!(prop(m, "preview", "function_url"), None, "a URL is only its aws.lambda_url element");
    assert_eq!(prop(m, "previewUrl", "auth"), s("none"));
    assert!(flow(m, "Client", "previewUrl") && flow(m, "previewUrl", "preview"));
    assert_eq!(prop(m, "ClickStream", "encrypted"), b(false));
    assert_eq!(prop(m, "ClickStream", "max_retries"), i(2));
    assert!(flow(m, "ClickStream", "clicks"));
    assert_eq!(prop(m, "AssetsTableStream", "bisect_on_error"), b(true));
    assert!(flow(m, "AssetsTable", "AssetsTableStream") && flow(m, "AssetsTableStream", "assetChanges"));
    assert_eq!(prop(m, "nightlySchedule0", "schedule"), s("rate(1 day)"));
    assert!(flow(m, "media-events", "nightly") && flow(m, "media-published", "notify"));
    let warnings: Vec<String> = imp.warnings.iter().map(|w| w.to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("websocket")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("${ssm:/media/build-id}")), "{warnings:?}");
    assert!(!warnings.iter().any(|w| w.contains("opt:region")), "a self fallback resolves: {warnings:?}");

    let t = threats(m);
    assert_rules_on(
        &t,
        "preview",
        &["TW-FN-001", "TW-FN-003", "TW-FN-004", "TW-FN-022", "TW-IAM-001", "TW-IAM-005", "TW-IAM-008"],
    );
    assert_rules_on(&t, "previewUrl", &["TW-API-003", "TW-API-013", "TW-GEN-009"]);

    let out = run(&["import", "serverless", "tests/corpus/serverless/media-pipeline.yml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(threatwright::yaml::parse_model(&text(&out.stdout), "stdout").is_ok());
}

// ---- precision -------------------------------------------------------------

/// Rule pairs that describe one exposure from two sides, so they must never
/// both fire on one subject. TW-FN-013 (retired) read the function's
/// `function_url` property while TW-API-013 reads the function URL element:
/// one unauthenticated URL used to be reported twice.
const SAME_EXPOSURE: &[(&str, &str)] = &[("TW-FN-013", "TW-API-013")];

/// Every file of the import corpus (SAM, Serverless, Threat Dragon), imported.
fn import_corpus() -> Vec<(String, Model)> {
    let mut out = Vec::new();
    for (dir, import) in [
        ("tests/corpus/sam", sam::import as fn(&str, &str) -> _),
        ("tests/corpus/serverless", serverless::import),
        ("tests/corpus/threat-dragon", threatwright::import::threat_dragon::import),
    ] {
        let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
            .collect();
        files.sort();
        for name in files {
            let path = format!("{dir}/{name}");
            let text = std::fs::read_to_string(root().join(&path)).unwrap();
            // The corpus also holds files that must fail; those have their own tests.
            if let Ok(imported) = import(&text, &path) {
                out.push((path, imported.model));
            }
        }
    }
    assert!(out.len() >= 9, "the import corpus: {:?}", out.iter().map(|(p, _)| p).collect::<Vec<_>>());
    out
}

/// Findings of one analysis that share a root cause, one line per pair.
///
/// A finding's subject is its target, except that a function URL element is
/// folded into the function it invokes (one endpoint, one exposure). Two
/// findings share a root cause when they have the same subject and either
/// (a) the same STRIDE category and exactly the same reasons (rationale), or
/// (b) their rules are a pair of `SAME_EXPOSURE`.
fn duplicate_root_causes(m: &Model, threats: &[threatwright::engine::Threat]) -> Vec<String> {
    let invoked_function = |url: &Element| {
        m.flows
            .iter()
            .filter(|f| f.from == url.id)
            .filter_map(|f| m.elements.iter().find(|e| e.id == f.to))
            .find(|e| e.kind == threatwright::model::ElementKind::Function)
            .map(|e| e.id.0)
    };
    let subject = |target: &threatwright::engine::Target| {
        m.elements
            .iter()
            .find(|e| e.id.0 == target.id)
            .filter(|e| threatwright::model::kind::category_of(&e.vendor_type) == Some("function_url"))
            .and_then(invoked_function)
            .unwrap_or(target.id)
    };
    let mut found = Vec::new();
    for (i, a) in threats.iter().enumerate() {
        for b in &threats[i + 1..] {
            if subject(&a.target) != subject(&b.target) {
                continue;
            }
            let same_reasons = a.category == b.category && {
                let (x, y): (BTreeSet<&String>, BTreeSet<&String>) =
                    (a.rationale.iter().collect(), b.rationale.iter().collect());
                x == y
            };
            let pair = SAME_EXPOSURE.iter().any(|&(p, q)| (a.rule == p && b.rule == q) || (a.rule == q && b.rule == p));
            if same_reasons || pair {
                found.push(format!(
                    "{}@{} and {}@{}: {}",
                    a.rule,
                    a.target.name,
                    b.rule,
                    b.target.name,
                    if pair { "one exposure from two sides" } else { "same STRIDE category and same reasons" }
                ));
            }
        }
    }
    found
}

#[test]
fn no_import_reports_one_root_cause_twice() {
    let mut all = Vec::new();
    for (path, m) in import_corpus() {
        all.extend(duplicate_root_causes(&m, &analysis_of(&m).threats).into_iter().map(|d| format!("{path}: {d}")));
    }
    assert!(all.is_empty(), "findings with the same root cause:\n{}", all.join("\n"));
}

#[test]
fn the_precision_check_sees_a_duplicate_when_there_is_one() {
    // Guards the check itself, independently of what the catalog fires:
    // a finding copied under another rule id collides with the original.
    let m = import_sam("tests/corpus/sam/rest-api-cognito.yaml").model;
    let mut threats = analysis_of(&m).threats;
    assert!(duplicate_root_causes(&m, &threats).is_empty());
    let mut copy = threats[0].clone();
    copy.rule = "TW-COPY-001".into();
    threats.push(copy);
    let found = duplicate_root_causes(&m, &threats);
    assert!(found.len() == 1 && found[0].contains("same STRIDE category and same reasons"), "{found:?}");
    // A `SAME_EXPOSURE` pair collides across a function URL and the function it invokes.
    let m = import_sam("tests/corpus/sam/inline-iam.yaml").model;
    let mut pair = vec![threats[0].clone(), threats[0].clone()];
    pair[0].rule = SAME_EXPOSURE[0].0.into();
    pair[0].target.id = el(&m, "AdminFunction").id.0;
    pair[1].rule = SAME_EXPOSURE[0].1.into();
    pair[1].target.id = el(&m, "AdminFunctionUrl").id.0;
    pair[1].category = threatwright::rules::Stride::Tampering;
    let found = duplicate_root_causes(&m, &pair);
    assert!(found.len() == 1 && found[0].contains("one exposure from two sides"), "{found:?}");
}

// ---- robustness ------------------------------------------------------------

const PIECES: &[&str] = &[
    "Resources:",
    "Globals:",
    "Parameters:",
    "Conditions:",
    "Properties:",
    "Events:",
    "Type: AWS::Serverless::Function",
    "Type: AWS::S3::Bucket",
    "Type: Api",
    "Type: SQS",
    "Type: AWS::IAM::Role",
    "Policies:",
    "Statement:",
    "- ",
    "!Ref X",
    "!GetAtt X.Arn",
    "!Sub '${X}'",
    "!If [C, a, b]",
    "!Select [9, []]",
    "{'Fn::Join': [1, 2]}",
    "&a",
    "*a",
    "X:",
    "C: !Equals [!Ref X, x]",
    "Auth: {Authorizer: NONE}",
    "functions:",
    "events:",
    "- http: GET /",
    "provider:",
    "${self:x}",
    "${opt:y, ${self:x}}",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    ":",
    "\n",
    "  ",
    "null",
    "~",
    "- sqs: arn",
    "Environment: {Variables: {A: !Ref X}}",
    "Queue: !GetAtt X.Arn",
    "custom: {x: '${self:custom.x}'}",
];

fn structured() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(crate::support::proptest_config(300))]

    #[test]
    fn importers_never_panic(input in prop_oneof![structured(), any::<String>(), "[ -~\n]{0,400}"]) {
        // Errors are fine; what imports must be valid and load again.
        for i in [sam::import(&input, "fuzz.yaml"), serverless::import(&input, "fuzz.yml")].into_iter().flatten() {
            prop_assert!(validate(&i.model).is_empty(), "{:?}", validate(&i.model));
            let written = threatwright::yaml::to_string(&i.model);
            prop_assert!(threatwright::yaml::parse_model(&written, "fuzz").is_ok(), "{}", written);
        }
    }
}
