//! Element kinds, categories and the vendor type catalog.
//!
//! A vendor type (`aws.sqs`, `azure.function`, `generic.queue`) names a
//! concrete service; its *category* (`queue`) is what rules ask about, so a
//! rule written once covers every vendor. Must not: hold properties or
//! security knowledge beyond "what is this thing".

use serde::{Deserialize, Serialize};
use std::fmt;

/// The four DFD element kinds (trust boundaries are a separate type).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    Function,
    Trigger,
    Store,
    External,
}

impl ElementKind {
    pub const ALL: [ElementKind; 4] = [Self::Function, Self::Trigger, Self::Store, Self::External];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Function => "function",
            Self::Trigger => "trigger",
            Self::Store => "store",
            Self::External => "external",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Category assumed when a file gives a kind but no type: the one the
    /// catalog marks `default_for_kind`.
    pub fn default_category(self) -> &'static str {
        CATEGORIES
            .iter()
            .find(|c| c.kind == self && c.default_for_kind)
            .map(|c| c.name)
            .expect("the catalog has a default category for every kind")
    }
}

impl fmt::Display for ElementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One element category: its kind, what it is, and the traits the graph and
/// the editor ask about, so that no other module lists categories by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategoryDef {
    pub name: &'static str,
    pub kind: ElementKind,
    pub description: &'static str,
    /// An HTTP front door, on the Internet unless its `endpoint` is `private`.
    pub public_endpoint: bool,
    /// Delivery to the consumer is asynchronous (a flow touching it is an async hop).
    pub async_delivery: bool,
    /// The category assumed when a file gives a kind but no type (one per kind).
    pub default_for_kind: bool,
    /// An external party that is untrusted unless its `trust` property says otherwise.
    pub untrusted_by_default: bool,
    /// A store of business records: when no data asset says what it holds,
    /// the graph takes it as internal (a table or bucket always holds
    /// something; imports rarely say what).
    pub holds_records: bool,
}

/// A category with no traits; the table below switches on the ones that apply.
const fn cat(name: &'static str, kind: ElementKind, description: &'static str) -> CategoryDef {
    CategoryDef {
        name,
        kind,
        description,
        public_endpoint: false,
        async_delivery: false,
        default_for_kind: false,
        untrusted_by_default: false,
        holds_records: false,
    }
}

/// Categories per kind. `generic.<category>` is a valid vendor type for each.
pub const CATEGORIES: &[CategoryDef] = &[
    CategoryDef {
        default_for_kind: true,
        ..cat("function", ElementKind::Function, "a function (FaaS handler or container service)")
    },
    cat("workflow", ElementKind::Function, "a state machine orchestrating steps"),
    CategoryDef {
        public_endpoint: true,
        default_for_kind: true,
        ..cat("api", ElementKind::Trigger, "an HTTP/REST/GraphQL API front door")
    },
    CategoryDef {
        public_endpoint: true,
        ..cat("function_url", ElementKind::Trigger, "a direct HTTPS endpoint of one function")
    },
    CategoryDef { async_delivery: true, ..cat("queue", ElementKind::Trigger, "a message queue") },
    CategoryDef { async_delivery: true, ..cat("topic", ElementKind::Trigger, "a pub/sub topic") },
    CategoryDef { async_delivery: true, ..cat("event_bus", ElementKind::Trigger, "an event bus with routing rules") },
    CategoryDef { async_delivery: true, ..cat("schedule", ElementKind::Trigger, "a timer or cron schedule") },
    CategoryDef {
        async_delivery: true,
        ..cat("storage_event", ElementKind::Trigger, "a notification on object changes")
    },
    CategoryDef {
        async_delivery: true,
        ..cat("stream", ElementKind::Trigger, "a record stream (Kinesis, change feed)")
    },
    CategoryDef {
        public_endpoint: true,
        ..cat("webhook", ElementKind::Trigger, "an endpoint called by a third party")
    },
    CategoryDef { public_endpoint: true, ..cat("cdn", ElementKind::Trigger, "a content delivery network edge") },
    CategoryDef {
        default_for_kind: true,
        holds_records: true,
        ..cat("table", ElementKind::Store, "a key-value or document table")
    },
    CategoryDef { holds_records: true, ..cat("bucket", ElementKind::Store, "an object storage bucket") },
    CategoryDef { holds_records: true, ..cat("database", ElementKind::Store, "a relational database") },
    CategoryDef { holds_records: true, ..cat("cache", ElementKind::Store, "an in-memory cache") },
    cat("secret_store", ElementKind::Store, "a secrets or parameter store"),
    cat("key_store", ElementKind::Store, "a key management service"),
    cat("log_store", ElementKind::Store, "a log group or audit trail"),
    CategoryDef {
        default_for_kind: true,
        untrusted_by_default: true,
        ..cat("user", ElementKind::External, "an end user")
    },
    CategoryDef { untrusted_by_default: true, ..cat("browser", ElementKind::External, "a web or mobile client") },
    cat("admin", ElementKind::External, "an operator or administrator"),
    cat("partner_api", ElementKind::External, "a third-party API or partner system"),
    cat("identity_provider", ElementKind::External, "a user pool or identity provider"),
    cat("pipeline", ElementKind::External, "a build and deployment pipeline"),
    cat("service", ElementKind::External, "another service not modelled in detail"),
];

/// Each category's name as a constant, for the code that must name one
/// category (importers and exporters mapping another format's shapes): a typo
/// is a compile error, and a test checks every constant is in `CATEGORIES`.
pub mod category {
    pub const ADMIN: &str = "admin";
    pub const API: &str = "api";
    pub const BROWSER: &str = "browser";
    pub const BUCKET: &str = "bucket";
    pub const CACHE: &str = "cache";
    pub const CDN: &str = "cdn";
    pub const DATABASE: &str = "database";
    pub const EVENT_BUS: &str = "event_bus";
    pub const FUNCTION: &str = "function";
    pub const FUNCTION_URL: &str = "function_url";
    pub const IDENTITY_PROVIDER: &str = "identity_provider";
    pub const KEY_STORE: &str = "key_store";
    pub const LOG_STORE: &str = "log_store";
    pub const PARTNER_API: &str = "partner_api";
    pub const PIPELINE: &str = "pipeline";
    pub const QUEUE: &str = "queue";
    pub const SCHEDULE: &str = "schedule";
    pub const SECRET_STORE: &str = "secret_store";
    pub const SERVICE: &str = "service";
    pub const STORAGE_EVENT: &str = "storage_event";
    pub const STREAM: &str = "stream";
    pub const TABLE: &str = "table";
    pub const TOPIC: &str = "topic";
    pub const USER: &str = "user";
    pub const WEBHOOK: &str = "webhook";
    pub const WORKFLOW: &str = "workflow";

    /// Every constant above, for the test.
    pub const ALL: &[&str] = &[
        ADMIN,
        API,
        BROWSER,
        BUCKET,
        CACHE,
        CDN,
        DATABASE,
        EVENT_BUS,
        FUNCTION,
        FUNCTION_URL,
        IDENTITY_PROVIDER,
        KEY_STORE,
        LOG_STORE,
        PARTNER_API,
        PIPELINE,
        QUEUE,
        SCHEDULE,
        SECRET_STORE,
        SERVICE,
        STORAGE_EVENT,
        STREAM,
        TABLE,
        TOPIC,
        USER,
        WEBHOOK,
        WORKFLOW,
    ];
}

/// Named groups of categories, for property scopes (`property::Scope::Element`)
/// and the few facts that concern one category. They live here so category
/// names are written in one file; a test ties them to the traits above.
pub mod groups {
    /// HTTP front doors: exactly the `public_endpoint` categories.
    pub const ENDPOINT: &[&str] = &["api", "function_url", "webhook", "cdn"];
    /// Endpoints that speak HTTP themselves (not a CDN edge or a function URL).
    pub const HTTP: &[&str] = &["api", "webhook"];
    /// API front doors, which the cost estimate prices per request.
    pub const API: &[&str] = &["api"];
    /// Message sources that deliver asynchronously and can hold messages.
    pub const MESSAGE_SOURCE: &[&str] = &["queue", "topic", "event_bus", "stream"];
    pub const QUEUE: &[&str] = &["queue"];
    pub const STREAM: &[&str] = &["stream"];
    pub const WEBHOOK: &[&str] = &["webhook"];
    pub const SCHEDULE: &[&str] = &["schedule"];
    /// Event sources routed by a pattern or filter.
    pub const EVENT_FILTER: &[&str] = &["storage_event", "event_bus"];
    pub const BUCKET: &[&str] = &["bucket"];
    /// Stores of secrets and keys.
    pub const KEY_MATERIAL: &[&str] = &["secret_store", "key_store"];
    pub const LOG_STORE: &[&str] = &["log_store"];
    /// Stores reached over a network connection of their own.
    pub const NETWORKED_STORE: &[&str] = &["cache", "database"];
    pub const IDENTITY_PROVIDER: &[&str] = &["identity_provider"];
    pub const PIPELINE: &[&str] = &["pipeline"];
}

/// Vendor types: (type, category, label).
pub const VENDOR_TYPES: &[(&str, &str, &str)] = &[
    ("aws.lambda", "function", "AWS Lambda function"),
    ("aws.stepfunctions", "workflow", "AWS Step Functions state machine"),
    ("aws.ecs_fargate", "function", "AWS Fargate task"),
    ("aws.apigateway", "api", "Amazon API Gateway REST API"),
    ("aws.apigateway_http", "api", "Amazon API Gateway HTTP API"),
    ("aws.appsync", "api", "AWS AppSync GraphQL API"),
    ("aws.alb", "api", "Application Load Balancer"),
    ("aws.lambda_url", "function_url", "Lambda function URL"),
    ("aws.sqs", "queue", "Amazon SQS queue"),
    ("aws.sns", "topic", "Amazon SNS topic"),
    ("aws.eventbridge", "event_bus", "Amazon EventBridge bus"),
    ("aws.eventbridge_schedule", "schedule", "EventBridge schedule"),
    ("aws.s3_notification", "storage_event", "S3 event notification"),
    ("aws.kinesis", "stream", "Amazon Kinesis data stream"),
    ("aws.dynamodb_stream", "stream", "DynamoDB stream"),
    ("aws.cloudfront", "cdn", "Amazon CloudFront distribution"),
    ("aws.dynamodb", "table", "Amazon DynamoDB table"),
    ("aws.s3", "bucket", "Amazon S3 bucket"),
    ("aws.rds", "database", "Amazon RDS / Aurora database"),
    ("aws.elasticache", "cache", "Amazon ElastiCache"),
    ("aws.secretsmanager", "secret_store", "AWS Secrets Manager"),
    ("aws.ssm_parameter", "secret_store", "SSM Parameter Store"),
    ("aws.kms", "key_store", "AWS KMS key"),
    ("aws.cloudwatch_logs", "log_store", "CloudWatch Logs group"),
    ("aws.cloudtrail", "log_store", "AWS CloudTrail trail"),
    ("aws.cognito", "identity_provider", "Amazon Cognito user pool"),
    ("aws.codepipeline", "pipeline", "AWS CodePipeline"),
    ("azure.function", "function", "Azure Functions app"),
    ("azure.logic_app", "workflow", "Azure Logic App / Durable Function"),
    ("azure.http_trigger", "api", "Azure Functions HTTP trigger"),
    ("azure.apim", "api", "Azure API Management"),
    ("azure.service_bus", "queue", "Azure Service Bus queue"),
    ("azure.storage_queue", "queue", "Azure Storage queue"),
    ("azure.service_bus_topic", "topic", "Azure Service Bus topic"),
    ("azure.event_grid", "event_bus", "Azure Event Grid"),
    ("azure.timer", "schedule", "Azure Functions timer trigger"),
    ("azure.blob_trigger", "storage_event", "Azure Blob trigger"),
    ("azure.event_hubs", "stream", "Azure Event Hubs"),
    ("azure.front_door", "cdn", "Azure Front Door"),
    ("azure.cosmosdb", "table", "Azure Cosmos DB"),
    ("azure.table_storage", "table", "Azure Table storage"),
    ("azure.blob", "bucket", "Azure Blob Storage container"),
    ("azure.sql", "database", "Azure SQL Database"),
    ("azure.redis", "cache", "Azure Cache for Redis"),
    ("azure.key_vault", "secret_store", "Azure Key Vault"),
    ("azure.monitor_logs", "log_store", "Azure Monitor / Log Analytics"),
    ("azure.ad_b2c", "identity_provider", "Microsoft Entra External ID / AD B2C"),
    ("azure.devops", "pipeline", "Azure DevOps pipeline"),
    ("gcp.cloud_function", "function", "Google Cloud Function"),
    ("gcp.cloud_run", "function", "Google Cloud Run service"),
    ("gcp.workflows", "workflow", "Google Cloud Workflows"),
    ("gcp.api_gateway", "api", "Google API Gateway"),
    ("gcp.http_trigger", "api", "Cloud Functions HTTP trigger"),
    ("gcp.cloud_tasks", "queue", "Google Cloud Tasks queue"),
    ("gcp.pubsub", "topic", "Google Pub/Sub topic"),
    ("gcp.eventarc", "event_bus", "Google Eventarc"),
    ("gcp.cloud_scheduler", "schedule", "Google Cloud Scheduler"),
    ("gcp.gcs_trigger", "storage_event", "Cloud Storage trigger"),
    ("gcp.cloud_cdn", "cdn", "Google Cloud CDN"),
    ("gcp.firestore", "table", "Google Firestore"),
    ("gcp.gcs", "bucket", "Google Cloud Storage bucket"),
    ("gcp.cloud_sql", "database", "Google Cloud SQL"),
    ("gcp.memorystore", "cache", "Google Memorystore"),
    ("gcp.secret_manager", "secret_store", "Google Secret Manager"),
    ("gcp.kms", "key_store", "Google Cloud KMS"),
    ("gcp.cloud_logging", "log_store", "Google Cloud Logging"),
    ("gcp.identity_platform", "identity_provider", "Google Identity Platform"),
    ("gcp.cloud_build", "pipeline", "Google Cloud Build"),
];

/// Vendors a type may start with.
pub const VENDORS: &[&str] = &["aws", "azure", "gcp", "generic"];

/// The kind a category belongs to.
pub fn category_kind(category: &str) -> Option<ElementKind> {
    category_def(category).map(|c| c.kind)
}

/// The catalog record of a category, or `None` when the name is unknown.
pub fn category_def(name: &str) -> Option<&'static CategoryDef> {
    CATEGORIES.iter().find(|c| c.name == name)
}

/// Whether a category is an HTTP front door (false for unknown names).
pub fn is_public_endpoint(category: &str) -> bool {
    category_def(category).is_some_and(|c| c.public_endpoint)
}

/// Whether a category stores business records (false for unknown names).
pub fn holds_records(category: &str) -> bool {
    category_def(category).is_some_and(|c| c.holds_records)
}

/// Whether a category delivers asynchronously (false for unknown names).
pub fn is_async_delivery(category: &str) -> bool {
    category_def(category).is_some_and(|c| c.async_delivery)
}

/// Whether an external of this category is untrusted by default (false for unknown names).
pub fn is_untrusted_by_default(category: &str) -> bool {
    category_def(category).is_some_and(|c| c.untrusted_by_default)
}

/// Category of a vendor type, or `None` when the type is unknown.
pub fn category_of(vendor_type: &str) -> Option<&'static str> {
    if let Some(cat) = vendor_type.strip_prefix("generic.") {
        return category_def(cat).map(|c| c.name);
    }
    VENDOR_TYPES.iter().find(|(t, _, _)| *t == vendor_type).map(|(_, c, _)| *c)
}

/// Vendor part of a type (`aws` for `aws.sqs`).
pub fn vendor_of(vendor_type: &str) -> &str {
    vendor_type.split('.').next().unwrap_or("generic")
}

/// Human label of a vendor type.
pub fn label_of(vendor_type: &str) -> String {
    if let Some((_, _, label)) = VENDOR_TYPES.iter().find(|(t, _, _)| *t == vendor_type) {
        return (*label).to_string();
    }
    match category_of(vendor_type) {
        Some(cat) => format!("Generic {}", cat.replace('_', " ")),
        None => vendor_type.to_string(),
    }
}

/// All known vendor types, including the `generic.*` ones, in catalog order.
pub fn all_vendor_types() -> Vec<(String, &'static str, ElementKind)> {
    let mut out: Vec<(String, &'static str, ElementKind)> = VENDOR_TYPES
        .iter()
        .map(|(t, c, _)| ((*t).to_string(), *c, category_kind(c).expect("catalog categories are valid")))
        .collect();
    out.extend(CATEGORIES.iter().map(|c| (format!("generic.{}", c.name), c.name, c.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_type_has_a_known_category_and_vendor() {
        for (t, c, _) in VENDOR_TYPES {
            assert!(category_kind(c).is_some(), "{t} has unknown category {c}");
            assert!(VENDORS.contains(&vendor_of(t)), "{t} has unknown vendor");
        }
    }

    #[test]
    fn generic_types_resolve_and_unknown_types_do_not() {
        assert_eq!(category_of("generic.queue"), Some("queue"));
        assert_eq!(category_of("aws.sqs"), Some("queue"));
        assert_eq!(category_of("aws.nope"), None);
        assert_eq!(category_of("generic.nope"), None);
    }

    #[test]
    fn every_kind_has_exactly_one_default_category() {
        for k in ElementKind::ALL {
            let n = CATEGORIES.iter().filter(|c| c.kind == k && c.default_for_kind).count();
            assert_eq!(n, 1, "{k} needs exactly one default category");
            assert_eq!(category_kind(k.default_category()), Some(k));
        }
        assert_eq!(ElementKind::Trigger.default_category(), "api");
    }

    #[test]
    fn traits_are_where_they_make_sense() {
        for c in CATEGORIES {
            if c.public_endpoint {
                assert_eq!(c.kind, ElementKind::Trigger, "{} is an endpoint but not a trigger", c.name);
            }
            if c.untrusted_by_default {
                assert_eq!(c.kind, ElementKind::External, "{} is untrusted but not external", c.name);
            }
        }
        assert!(category_def("queue").is_some_and(|c| c.async_delivery && !c.public_endpoint));
        assert!(is_public_endpoint("function_url") && !is_public_endpoint("nope"));
    }

    #[test]
    fn groups_name_known_categories_and_agree_with_the_traits() {
        use groups::*;
        let all = [
            ENDPOINT,
            HTTP,
            API,
            MESSAGE_SOURCE,
            QUEUE,
            STREAM,
            WEBHOOK,
            SCHEDULE,
            EVENT_FILTER,
            BUCKET,
            KEY_MATERIAL,
            LOG_STORE,
            NETWORKED_STORE,
            IDENTITY_PROVIDER,
            PIPELINE,
        ];
        for group in all {
            for c in group {
                assert!(category_def(c).is_some(), "group names unknown category {c}");
            }
        }
        let endpoints: Vec<&str> = CATEGORIES.iter().filter(|c| c.public_endpoint).map(|c| c.name).collect();
        assert_eq!(ENDPOINT, endpoints.as_slice());
        assert!(HTTP.iter().all(|c| is_public_endpoint(c)));
        assert!(MESSAGE_SOURCE.iter().all(|c| is_async_delivery(c)));
    }

    #[test]
    fn every_category_constant_names_a_category_and_every_category_has_one() {
        for c in super::category::ALL {
            assert!(category_def(c).is_some(), "category constant `{c}` is not in CATEGORIES");
        }
        assert_eq!(super::category::ALL.len(), CATEGORIES.len(), "a category without a constant");
    }
}
