//! Terraform import: a directory of `.tf` files with variables, tfvars, locals, `count`, a
//! policy-document data source and a local module; the JSON of `terraform show -json`; the
//! rules the SAM importer's vocabulary triggers on both; bad input located with exit 2; and no
//! input panics.

use crate::support::*;
use proptest::prelude::*;
use std::path::Path;
use threatwright::engine::{analyze, Options};
use threatwright::import::{self, terraform};
use threatwright::model::{Element, ElementId, GrantTarget, Model, Value};

const DIR: &str = "tests/corpus/terraform/orders";
const PLAN: &str = "tests/corpus/terraform/plan/plan.json";

fn imported(path: &str) -> import::Imported {
    import::run_file(import::Format::Terraform, &root().join(path)).unwrap_or_else(|d| panic!("{path}: {d}"))
}

fn el<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.elements.iter().find(|e| e.name == name).unwrap_or_else(|| {
        panic!("no element `{name}` in {:?}", m.elements.iter().map(|e| &e.name).collect::<Vec<_>>())
    })
}

fn has_flow(m: &Model, from: &str, to: &str) -> bool {
    m.flows.iter().any(|f| f.from == el(m, from).id && f.to == el(m, to).id)
}

fn rules_on(m: &Model, target: &str) -> Vec<String> {
    let catalog = threatwright::rules::builtin_catalog().unwrap();
    let a = analyze(m, &catalog, &Options { as_of: "2026-11-01".into(), ..Options::default() });
    let id = el(m, target).id;
    a.threats.iter().filter(|t| t.target.id == id.0).map(|t| t.rule.clone()).collect()
}

#[test]
fn a_directory_with_variables_count_and_a_module_imports_every_resource_by_address() {
    let im = imported(DIR);
    let m = &im.model;
    assert!(threatwright::model::validate(m).is_empty(), "{:?}", threatwright::model::validate(m));
    // terraform.tfvars overrides the default; locals and templates are evaluated.
    assert_eq!(el(m, "create_order").properties.get("runtime"), Some(&Value::Str("python3.12".into())));
    // count = var.workers gives two instances with their index; the module's resources keep
    // their address in the description and the id derives from it.
    for name in ["worker[0]", "worker[1]", "events", "inbox", "orders", "uploads", "http"] {
        el(m, name);
    }
    let inbox = el(m, "inbox");
    assert!(inbox.description.contains("module.notify.aws_sqs_queue.inbox"), "{}", inbox.description);
    assert_eq!(inbox.id, ElementId::derive("module.notify.aws_sqs_queue.inbox", 0));
    // random_id is not infrastructure; the Glue job is an unknown type, kept with a warning
    // that names the file and line of its block.
    assert!(!m.elements.iter().any(|e| e.name == "suffix"));
    assert_eq!(el(m, "report").vendor_type, "generic.service");
    let w: Vec<String> = im.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w.contains("`aws_glue_job`") && w.contains("main.tf:164")),
        "the unknown type is located: {w:?}"
    );
}

#[test]
fn references_become_flows_triggers_and_grants_as_in_a_template() {
    let m = imported(DIR).model;
    // Environment references, the HTTP API's route integration, the stream mapping per
    // instance, the bucket notification and the module's subscription.
    assert!(has_flow(&m, "create_order", "orders"));
    assert!(has_flow(&m, "create_order", "uploads"));
    assert!(has_flow(&m, "http", "create_order"));
    assert!(has_flow(&m, "ordersStream", "worker[0]") && has_flow(&m, "ordersStream", "worker[1]"));
    assert!(has_flow(&m, "events", "inbox"));
    // The policy-document data source is parsed into grants on the resources it names.
    let grant = |p: &str, r: &str| {
        m.grants.iter().any(|g| g.principal == el(&m, p).id && g.target == GrantTarget::Element(el(&m, r).id))
    };
    assert!(grant("create_order", "orders"), "{:?}", m.grants);
    // The separate public-access-block and encryption resources fold into the bucket.
    let uploads = el(&m, "uploads");
    assert_eq!(uploads.properties.get("block_public_access"), Some(&Value::Bool(true)));
    assert_eq!(uploads.properties.get("encrypted_at_rest"), Some(&Value::Bool(true)));
    // The JWT route is authenticated, the health route is not: the API is as weak as its weakest.
    assert_eq!(el(&m, "http").properties.get("auth"), Some(&Value::Str("none".into())));
}

#[test]
fn the_same_rules_fire_as_for_cloudformation() {
    let m = imported(DIR).model;
    // AdministratorAccess attached through aws_iam_role_policy_attachment.
    assert!(rules_on(&m, "worker[0]").contains(&"TW-IAM-003".to_string()), "{:?}", rules_on(&m, "worker[0]"));
    // nodejs16.x is end of life; the confidential tag from locals classifies the table.
    assert!(rules_on(&m, "worker[1]").contains(&"TW-FN-003".to_string()));
    assert!(rules_on(&m, "orders").contains(&"TW-STO-009".to_string()), "no point-in-time recovery");
    assert!(!rules_on(&m, "uploads").contains(&"TW-STO-002".to_string()), "the bucket blocks public access");
}

#[test]
fn a_plan_json_puts_back_references_the_plan_does_not_know_yet() {
    let m = imported(PLAN).model;
    // `environment.variables` is unknown in the plan; the configuration's reference makes the flow.
    assert!(has_flow(&m, "thumbs", "jobs"));
    // The function URL names the function by its literal name: matched to the resource.
    assert!(rules_on(&m, "thumbsUrl").contains(&"TW-API-013".to_string()), "{:?}", rules_on(&m, "thumbsUrl"));
    // Child modules are read; the canned ACL makes the bucket public.
    assert!(rules_on(&m, "images").contains(&"TW-STO-002".to_string()));
    assert!(el(&m, "images").description.contains("module.store.aws_s3_bucket.images"));
    // Data sources are not resources.
    assert!(!m.elements.iter().any(|e| e.name == "me"));
}

#[test]
fn the_cli_imports_a_directory_and_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("orders.yaml");
    let out = run(&["import", "terraform", DIR, "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let m = threatwright::store::load_model(&out_path).unwrap();
    assert!(m.elements.len() >= 12, "{}", m.elements.len());
    let out = run(&["import", "terraform", PLAN]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("name: thumbs"));
}

#[test]
fn bad_input_is_located_and_exits_2() {
    for (path, wanted) in [
        (
            "tests/corpus/terraform/bad/broken.tf",
            "tests/corpus/terraform/bad/broken.tf:3:9: invalid HCL: invalid expression; expected",
        ),
        ("tests/corpus/terraform/bad/not-a-plan.json", "not a Terraform plan or state"),
        ("tests/corpus/terraform/bad/empty-dir", "no `.tf` file"),
        ("tests/corpus/terraform/bad/missing.tf", "missing.tf"),
        ("tests/corpus/sam/rest-api-cognito.yaml", "invalid HCL"),
    ] {
        let out = run(&["import", "terraform", path]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {err}");
        assert!(err.contains(wanted), "{path}: wanted `{wanted}` in {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn no_input_panics(text in "(resource|variable|locals|module|count|\\{|\\}|\"|=|\\$\\{|aws_s3_bucket|[a-z_.\\[\\]0-9 \n])*") {
        let _ = terraform::import(&text, "fuzz.tf", None::<&Path>);
    }
}

#[test]
fn a_module_downloaded_by_terraform_init_is_read_and_a_missing_one_is_a_located_warning() {
    let im = imported("tests/corpus/terraform/registry");
    let m = &im.model;
    // The registry module's `this` takes the module's name; its output feeds the mapping.
    assert!(has_flow(m, "queue", "worker"));
    assert!(el(m, "queue").description.contains("module.queue.aws_sqs_queue.this"));
    let w: Vec<String> = im.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w.contains("main.tf:19") && w.contains("module `cdn`") && w.contains("terraform init")),
        "{w:?}"
    );
}

/// Public Terraform (aws-samples/serverless-patterns, MIT-0, see the NOTICE): each imports
/// with the relations its code states and the findings its settings call for.
#[test]
fn public_serverless_patterns_import_with_their_relations_and_findings() {
    let public = "tests/corpus/terraform/public";
    let m = imported(&format!("{public}/s3-sqs-lambda-terraform")).model;
    assert!(
        has_flow(&m, "MySourceS3Bucket", "MyHandlerQueue")
            && has_flow(&m, "MyHandlerQueue", "MyHandlerFunction-Function")
    );
    assert!(rules_on(&m, "MyHandlerQueue").contains(&"TW-MSG-004".to_string()), "no dead-letter queue");

    let m = imported(&format!("{public}/sns-sqs-terraform")).model;
    assert!(has_flow(&m, "sns_sqs_demo_topic", "sns_sqs_demo_queue"));

    let m = imported(&format!("{public}/dynamodb-streams-lambda-terraform")).model;
    assert!(has_flow(&m, "dynamodb_table_usersStream", "lambda_dynamodb_stream_handler"));
    assert!(rules_on(&m, "dynamodb_table_usersStream").contains(&"TW-MSG-006".to_string()));

    // The HTTP API's route has no authorizer.
    let m = imported(&format!("{public}/apigw-http-api-lambda-terraform")).model;
    assert!(has_flow(&m, "lambda", "app"));
    assert!(rules_on(&m, "lambda").contains(&"TW-API-001".to_string()));

    // The function URL requires IAM auth (no TW-API-013) but allows every CORS origin; its role
    // names AWSLambdaBasicExecutionRole through a data source, which the policy table knows.
    let im = imported(&format!("{public}/lambda-function-url-terraform"));
    let url = rules_on(&im.model, "lambda_functionUrl");
    assert!(!url.contains(&"TW-API-013".to_string()) && url.contains(&"TW-API-007".to_string()), "{url:?}");
    assert!(im.warnings.iter().all(|w| !w.message.contains("managed policy")), "{:?}", im.warnings);
}
