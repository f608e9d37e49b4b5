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

    /// Category assumed when a file gives a kind but no type.
    pub fn default_category(self) -> &'static str {
        match self {
            Self::Function => "function",
            Self::Trigger => "api",
            Self::Store => "table",
            Self::External => "user",
        }
    }
}

impl fmt::Display for ElementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Categories per kind. `generic.<category>` is a valid vendor type for each.
pub const CATEGORIES: &[(&str, ElementKind, &str)] = &[
    ("function", ElementKind::Function, "a function (FaaS handler or container service)"),
    ("workflow", ElementKind::Function, "a state machine orchestrating steps"),
    ("api", ElementKind::Trigger, "an HTTP/REST/GraphQL API front door"),
    ("function_url", ElementKind::Trigger, "a direct HTTPS endpoint of one function"),
    ("queue", ElementKind::Trigger, "a message queue"),
    ("topic", ElementKind::Trigger, "a pub/sub topic"),
    ("event_bus", ElementKind::Trigger, "an event bus with routing rules"),
    ("schedule", ElementKind::Trigger, "a timer or cron schedule"),
    ("storage_event", ElementKind::Trigger, "a notification on object changes"),
    ("stream", ElementKind::Trigger, "a record stream (Kinesis, change feed)"),
    ("webhook", ElementKind::Trigger, "an endpoint called by a third party"),
    ("cdn", ElementKind::Trigger, "a content delivery network edge"),
    ("table", ElementKind::Store, "a key-value or document table"),
    ("bucket", ElementKind::Store, "an object storage bucket"),
    ("database", ElementKind::Store, "a relational database"),
    ("cache", ElementKind::Store, "an in-memory cache"),
    ("secret_store", ElementKind::Store, "a secrets or parameter store"),
    ("key_store", ElementKind::Store, "a key management service"),
    ("log_store", ElementKind::Store, "a log group or audit trail"),
    ("user", ElementKind::External, "an end user"),
    ("browser", ElementKind::External, "a web or mobile client"),
    ("admin", ElementKind::External, "an operator or administrator"),
    ("partner_api", ElementKind::External, "a third-party API or partner system"),
    ("identity_provider", ElementKind::External, "a user pool or identity provider"),
    ("pipeline", ElementKind::External, "a build and deployment pipeline"),
    ("service", ElementKind::External, "another service not modelled in detail"),
];

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
    CATEGORIES.iter().find(|(c, _, _)| *c == category).map(|(_, k, _)| *k)
}

/// Category of a vendor type, or `None` when the type is unknown.
pub fn category_of(vendor_type: &str) -> Option<&'static str> {
    if let Some(cat) = vendor_type.strip_prefix("generic.") {
        return CATEGORIES.iter().find(|(c, _, _)| *c == cat).map(|(c, _, _)| *c);
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
    out.extend(CATEGORIES.iter().map(|(c, k, _)| (format!("generic.{c}"), *c, *k)));
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
}
