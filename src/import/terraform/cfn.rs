//! Terraform resources as the CloudFormation resources the shared AWS
//! handlers read: one row per Terraform type names its CloudFormation type
//! and how its arguments map, and the Terraform resources that only
//! configure another (a bucket's public-access block, encryption,
//! versioning, logging and notifications; an event rule's targets; a REST
//! method's integration; a role's policy attachments) are folded into it, as
//! CloudFormation writes them inline.
//!
//! Must not: model anything itself; the handlers under `import::aws` do.

use super::TfResource;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One CloudFormation resource made from Terraform.
pub struct CfnResource {
    pub address: String,
    pub ty: String,
    pub props: Map<String, Value>,
    pub line: usize,
}

/// How a Terraform argument maps: `(terraform path, CloudFormation path)`, where a path is
/// keys separated by `.`; a nested block is read from its first instance.
type Args = &'static [(&'static str, &'static str)];

/// Terraform types that become one CloudFormation resource each.
const TYPES: &[(&str, &str, Args)] = &[
    (
        "aws_lambda_function",
        "AWS::Lambda::Function",
        &[
            ("function_name", "FunctionName"),
            ("runtime", "Runtime"),
            ("handler", "Handler"),
            ("package_type", "PackageType"),
            ("role", "Role"),
            ("timeout", "Timeout"),
            ("memory_size", "MemorySize"),
            ("reserved_concurrent_executions", "ReservedConcurrentExecutions"),
            ("kms_key_arn", "KmsKeyArn"),
            ("code_signing_config_arn", "CodeSigningConfigArn"),
            ("layers", "Layers"),
            ("environment.variables", "Environment.Variables"),
            ("tracing_config.mode", "TracingConfig.Mode"),
            ("dead_letter_config.target_arn", "DeadLetterConfig.TargetArn"),
            ("vpc_config.subnet_ids", "VpcConfig.SubnetIds"),
            ("vpc_config.security_group_ids", "VpcConfig.SecurityGroupIds"),
            ("logging_config.application_log_level", "LoggingConfig.ApplicationLogLevel"),
            ("tags", "Tags"),
        ],
    ),
    (
        "aws_lambda_function_url",
        "AWS::Lambda::Url",
        &[
            ("function_name", "TargetFunctionArn"),
            ("authorization_type", "AuthType"),
            ("cors.allow_origins", "Cors.AllowOrigins"),
        ],
    ),
    (
        "aws_lambda_event_source_mapping",
        "AWS::Lambda::EventSourceMapping",
        &[
            ("event_source_arn", "EventSourceArn"),
            ("function_name", "FunctionName"),
            ("batch_size", "BatchSize"),
            ("bisect_batch_on_function_error", "BisectBatchOnFunctionError"),
            ("maximum_retry_attempts", "MaximumRetryAttempts"),
            ("destination_config.on_failure.destination_arn", "DestinationConfig.OnFailure.Destination"),
            ("filter_criteria", "FilterCriteria"),
        ],
    ),
    (
        "aws_lambda_permission",
        "AWS::Lambda::Permission",
        &[
            ("action", "Action"),
            ("function_name", "FunctionName"),
            ("principal", "Principal"),
            ("source_arn", "SourceArn"),
            ("source_account", "SourceAccount"),
            ("principal_org_id", "PrincipalOrgID"),
        ],
    ),
    (
        "aws_lambda_function_event_invoke_config",
        "AWS::Lambda::EventInvokeConfig",
        &[
            ("function_name", "FunctionName"),
            ("destination_config.on_failure.destination", "DestinationConfig.OnFailure.Destination"),
            ("destination_config.on_success.destination", "DestinationConfig.OnSuccess.Destination"),
        ],
    ),
    ("aws_lambda_code_signing_config", "AWS::Lambda::CodeSigningConfig", &[]),
    ("aws_lambda_layer_version", "AWS::Lambda::LayerVersion", &[]),
    ("aws_lambda_alias", "AWS::Lambda::Alias", &[]),
    (
        "aws_cloudwatch_log_group",
        "AWS::Logs::LogGroup",
        &[("name", "LogGroupName"), ("retention_in_days", "RetentionInDays"), ("kms_key_id", "KmsKeyId")],
    ),
    (
        "aws_api_gateway_rest_api",
        "AWS::ApiGateway::RestApi",
        &[
            ("name", "Name"),
            ("body", "Body"),
            ("policy", "Policy"),
            ("endpoint_configuration.types", "EndpointConfiguration.Types"),
        ],
    ),
    (
        "aws_api_gateway_method",
        "AWS::ApiGateway::Method",
        &[
            ("rest_api_id", "RestApiId"),
            ("resource_id", "ResourceId"),
            ("http_method", "HttpMethod"),
            ("authorization", "AuthorizationType"),
            ("authorizer_id", "AuthorizerId"),
            ("api_key_required", "ApiKeyRequired"),
            ("request_validator_id", "RequestValidatorId"),
        ],
    ),
    (
        "aws_api_gateway_stage",
        "AWS::ApiGateway::Stage",
        &[
            ("rest_api_id", "RestApiId"),
            ("stage_name", "StageName"),
            ("access_log_settings.destination_arn", "AccessLogSetting.DestinationArn"),
        ],
    ),
    (
        "aws_api_gateway_method_settings",
        "AWS::ApiGateway::Stage",
        &[
            ("rest_api_id", "RestApiId"),
            ("settings.throttling_rate_limit", "MethodSettings.ThrottlingRateLimit"),
            ("settings.throttling_burst_limit", "MethodSettings.ThrottlingBurstLimit"),
        ],
    ),
    (
        "aws_api_gateway_request_validator",
        "AWS::ApiGateway::RequestValidator",
        &[
            ("rest_api_id", "RestApiId"),
            ("validate_request_body", "ValidateRequestBody"),
            ("validate_request_parameters", "ValidateRequestParameters"),
        ],
    ),
    ("aws_api_gateway_authorizer", "AWS::ApiGateway::Authorizer", &[("rest_api_id", "RestApiId"), ("type", "Type")]),
    (
        "aws_apigatewayv2_api",
        "AWS::ApiGatewayV2::Api",
        &[
            ("name", "Name"),
            ("protocol_type", "ProtocolType"),
            ("body", "Body"),
            ("cors_configuration.allow_origins", "CorsConfiguration.AllowOrigins"),
        ],
    ),
    (
        "aws_apigatewayv2_integration",
        "AWS::ApiGatewayV2::Integration",
        &[("api_id", "ApiId"), ("integration_type", "IntegrationType"), ("integration_uri", "IntegrationUri")],
    ),
    (
        "aws_apigatewayv2_route",
        "AWS::ApiGatewayV2::Route",
        &[
            ("api_id", "ApiId"),
            ("route_key", "RouteKey"),
            ("target", "Target"),
            ("authorization_type", "AuthorizationType"),
            ("authorizer_id", "AuthorizerId"),
            ("api_key_required", "ApiKeyRequired"),
        ],
    ),
    (
        "aws_apigatewayv2_stage",
        "AWS::ApiGatewayV2::Stage",
        &[
            ("api_id", "ApiId"),
            ("name", "StageName"),
            ("access_log_settings.destination_arn", "AccessLogSettings.DestinationArn"),
            ("default_route_settings.throttling_rate_limit", "DefaultRouteSettings.ThrottlingRateLimit"),
            ("default_route_settings.throttling_burst_limit", "DefaultRouteSettings.ThrottlingBurstLimit"),
        ],
    ),
    ("aws_apigatewayv2_authorizer", "AWS::ApiGatewayV2::Authorizer", &[("api_id", "ApiId")]),
    ("aws_s3_bucket", "AWS::S3::Bucket", &[("bucket", "BucketName"), ("acl", "AccessControl"), ("tags", "Tags")]),
    ("aws_s3_bucket_policy", "AWS::S3::BucketPolicy", &[("bucket", "Bucket"), ("policy", "PolicyDocument")]),
    (
        "aws_dynamodb_table",
        "AWS::DynamoDB::Table",
        &[
            ("name", "TableName"),
            ("billing_mode", "BillingMode"),
            ("stream_view_type", "StreamSpecification.StreamViewType"),
            ("server_side_encryption.enabled", "SSESpecification.SSEEnabled"),
            ("server_side_encryption.kms_key_arn", "SSESpecification.KMSMasterKeyId"),
            ("point_in_time_recovery.enabled", "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"),
            ("tags", "Tags"),
        ],
    ),
    (
        "aws_sqs_queue",
        "AWS::SQS::Queue",
        &[
            ("name", "QueueName"),
            ("kms_master_key_id", "KmsMasterKeyId"),
            ("sqs_managed_sse_enabled", "SqsManagedSseEnabled"),
            ("visibility_timeout_seconds", "VisibilityTimeout"),
            ("redrive_policy", "RedrivePolicy"),
            ("tags", "Tags"),
        ],
    ),
    ("aws_sqs_queue_policy", "AWS::SQS::QueuePolicy", &[("queue_url", "Queues"), ("policy", "PolicyDocument")]),
    (
        "aws_sns_topic",
        "AWS::SNS::Topic",
        &[("name", "TopicName"), ("kms_master_key_id", "KmsMasterKeyId"), ("tags", "Tags")],
    ),
    (
        "aws_sns_topic_subscription",
        "AWS::SNS::Subscription",
        &[
            ("topic_arn", "TopicArn"),
            ("protocol", "Protocol"),
            ("endpoint", "Endpoint"),
            ("filter_policy", "FilterPolicy"),
        ],
    ),
    ("aws_sns_topic_policy", "AWS::SNS::TopicPolicy", &[("arn", "Topics"), ("policy", "PolicyDocument")]),
    (
        "aws_kinesis_stream",
        "AWS::Kinesis::Stream",
        &[
            ("name", "Name"),
            ("encryption_type", "StreamEncryption.EncryptionType"),
            ("kms_key_id", "StreamEncryption.KeyId"),
        ],
    ),
    ("aws_cloudwatch_event_bus", "AWS::Events::EventBus", &[("name", "Name")]),
    (
        "aws_cloudwatch_event_rule",
        "AWS::Events::Rule",
        &[
            ("name", "Name"),
            ("event_bus_name", "EventBusName"),
            ("event_pattern", "EventPattern"),
            ("schedule_expression", "ScheduleExpression"),
        ],
    ),
    (
        "aws_scheduler_schedule",
        "AWS::Scheduler::Schedule",
        &[("schedule_expression", "ScheduleExpression"), ("target.arn", "Target.Arn")],
    ),
    (
        "aws_sfn_state_machine",
        "AWS::StepFunctions::StateMachine",
        &[
            ("name", "StateMachineName"),
            ("role_arn", "RoleArn"),
            ("definition", "Definition"),
            ("logging_configuration.level", "LoggingConfiguration.Level"),
            ("tracing_configuration.enabled", "TracingConfiguration.Enabled"),
        ],
    ),
    (
        "aws_iam_role",
        "AWS::IAM::Role",
        &[
            ("name", "RoleName"),
            ("assume_role_policy", "AssumeRolePolicyDocument"),
            ("managed_policy_arns", "ManagedPolicyArns"),
        ],
    ),
    ("aws_iam_role_policy", "AWS::IAM::Policy", &[("name", "PolicyName"), ("policy", "PolicyDocument")]),
    ("aws_iam_policy", "AWS::IAM::ManagedPolicy", &[("name", "ManagedPolicyName"), ("policy", "PolicyDocument")]),
    ("aws_secretsmanager_secret", "AWS::SecretsManager::Secret", &[("name", "Name"), ("kms_key_id", "KmsKeyId")]),
    (
        "aws_secretsmanager_secret_rotation",
        "AWS::SecretsManager::RotationSchedule",
        &[("secret_id", "SecretId"), ("rotation_lambda_arn", "RotationLambdaARN")],
    ),
    ("aws_ssm_parameter", "AWS::SSM::Parameter", &[("name", "Name"), ("type", "Type"), ("key_id", "KmsKeyId")]),
    ("aws_kms_key", "AWS::KMS::Key", &[("enable_key_rotation", "EnableKeyRotation"), ("policy", "KeyPolicy")]),
    ("aws_kms_alias", "AWS::KMS::Alias", &[("name", "AliasName"), ("target_key_id", "TargetKeyId")]),
    (
        "aws_cloudfront_distribution",
        "AWS::CloudFront::Distribution",
        &[
            ("web_acl_id", "DistributionConfig.WebACLId"),
            (
                "viewer_certificate.minimum_protocol_version",
                "DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
            ),
            ("logging_config.bucket", "DistributionConfig.Logging.Bucket"),
            (
                "default_cache_behavior.viewer_protocol_policy",
                "DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy",
            ),
        ],
    ),
    (
        "aws_wafv2_web_acl_association",
        "AWS::WAFv2::WebACLAssociation",
        &[("resource_arn", "ResourceArn"), ("web_acl_arn", "WebACLArn")],
    ),
    (
        "aws_cognito_user_pool",
        "AWS::Cognito::UserPool",
        &[
            ("name", "UserPoolName"),
            ("mfa_configuration", "MfaConfiguration"),
            ("password_policy.minimum_length", "Policies.PasswordPolicy.MinimumLength"),
        ],
    ),
    ("aws_cognito_user_pool_client", "AWS::Cognito::UserPoolClient", &[("user_pool_id", "UserPoolId")]),
    (
        "aws_rds_cluster",
        "AWS::RDS::DBCluster",
        &[("storage_encrypted", "StorageEncrypted"), ("backup_retention_period", "BackupRetentionPeriod")],
    ),
    (
        "aws_db_instance",
        "AWS::RDS::DBInstance",
        &[("storage_encrypted", "StorageEncrypted"), ("backup_retention_period", "BackupRetentionPeriod")],
    ),
    ("aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", &[("name", "Name"), ("load_balancer_type", "Type")]),
    ("aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", &[("name", "Name"), ("load_balancer_type", "Type")]),
    ("aws_ecs_service", "AWS::ECS::Service", &[("cluster", "Cluster"), ("task_definition", "TaskDefinition")]),
    ("aws_cloudtrail", "AWS::CloudTrail::Trail", &[("enable_log_file_validation", "EnableLogFileValidation")]),
    ("aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm", &[("metric_name", "MetricName")]),
];

/// Terraform types that configure others and are folded or read below, or carry nothing the
/// model records; they become no resource and no warning.
const FOLDED: &[&str] = &[
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_notification",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_object",
    "aws_cloudwatch_event_target",
    "aws_api_gateway_integration",
    "aws_api_gateway_resource",
    "aws_api_gateway_deployment",
    "aws_api_gateway_integration_response",
    "aws_api_gateway_method_response",
    "aws_api_gateway_account",
    "aws_apigatewayv2_deployment",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_instance_profile",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_origin_access_identity",
    "aws_lambda_provisioned_concurrency_config",
    "aws_dynamodb_table_item",
    "aws_secretsmanager_secret_version",
];

/// Providers whose resources are not infrastructure a threat model shows.
const NOT_INFRASTRUCTURE: &[&str] = &["random_", "null_", "local_", "time_", "tls_", "archive_", "terraform_data"];

/// Prefixes of AWS types that only configure others (networking, DNS, certificates), as the
/// CloudFormation family the handler table skips.
const CONFIGURING: &[(&str, &str)] = &[
    ("aws_vpc", "AWS::EC2::"),
    ("aws_subnet", "AWS::EC2::"),
    ("aws_security_group", "AWS::EC2::"),
    ("aws_route", "AWS::EC2::"),
    ("aws_internet_gateway", "AWS::EC2::"),
    ("aws_nat_gateway", "AWS::EC2::"),
    ("aws_eip", "AWS::EC2::"),
    ("aws_network_acl", "AWS::EC2::"),
    ("aws_route53", "AWS::Route53::"),
    ("aws_acm_", "AWS::CertificateManager::"),
    ("aws_iam_", "AWS::IAM::"),
    ("aws_api_gateway_", "AWS::ApiGateway::"),
    ("aws_apigatewayv2_", "AWS::ApiGatewayV2::"),
    ("aws_wafv2_", "AWS::WAFv2::"),
    ("aws_cloudwatch_", "AWS::CloudWatch::"),
    ("aws_appautoscaling_", "AWS::ApplicationAutoScaling::"),
    ("aws_ecr_", "AWS::ECR::"),
    ("aws_lb_", "AWS::ElasticLoadBalancingV2::"),
    ("aws_alb_", "AWS::ElasticLoadBalancingV2::"),
    ("aws_ecs_cluster", "AWS::ECS::"),
    ("aws_ecs_task_definition", "AWS::ECS::"),
];

/// Follows a `tf.path` into Terraform arguments; a nested block (an array of objects) is read
/// from its first instance.
fn at<'a>(attrs: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = attrs;
    for key in path.split('.') {
        if let Value::Array(items) = v {
            v = items.first()?;
        }
        v = v.get(key)?;
    }
    (!v.is_null()).then_some(v)
}

/// Sets a `Cfn.Path` in properties, creating the mappings on the way.
fn set(props: &mut Map<String, Value>, path: &str, value: Value) {
    let mut keys: Vec<&str> = path.split('.').collect();
    let last = keys.pop().unwrap_or(path);
    let mut m = props;
    for k in keys {
        let slot = m.entry(k.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        m = next;
    }
    m.insert(last.to_string(), value);
}

/// The address a reference names (`{"Ref": a}`, `{"Fn::GetAtt": [a, …]}`), if it is one.
pub fn target(v: &Value) -> Option<String> {
    if let Some(s) = v.get("Ref").and_then(Value::as_str) {
        return Some(s.to_string());
    }
    if let Some(s) = v.get("Fn::GetAtt").and_then(|a| a.get(0)).and_then(Value::as_str) {
        return Some(s.to_string());
    }
    if let Some(parts) = v.get("Fn::Join").and_then(|j| j.get(1)).and_then(Value::as_array) {
        return parts.iter().find_map(target);
    }
    None
}

/// A policy given as JSON text (heredoc, `file()` excepted) as the document it holds.
fn document(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

/// What translation gives: CloudFormation resources (unknown Terraform types as `Terraform::TYPE`).
pub struct Translated {
    pub resources: Vec<CfnResource>,
}

/// Translates Terraform resources into CloudFormation resources, folding configuring resources
/// into what they configure.
pub fn translate(tf: &[TfResource]) -> Translated {
    let mut out: Vec<CfnResource> = Vec::new();
    for r in tf {
        if let Some((_, cfn, args)) = TYPES.iter().find(|(t, _, _)| *t == r.ty) {
            let mut props = Map::new();
            for (from, to) in args.iter() {
                if let Some(v) = at(&r.attrs, from) {
                    let v = if to.ends_with("PolicyDocument") || to.ends_with("Policy") || *to == "KeyPolicy" {
                        document(v)
                    } else {
                        v.clone()
                    };
                    set(&mut props, to, v);
                }
            }
            special(r, &mut props);
            out.push(CfnResource { address: r.address.clone(), ty: cfn.to_string(), props, line: r.line });
        } else if FOLDED.contains(&r.ty.as_str()) || NOT_INFRASTRUCTURE.iter().any(|p| r.ty.starts_with(p)) {
            continue;
        } else if let Some((_, family)) = CONFIGURING.iter().find(|(p, _)| r.ty.starts_with(p)) {
            out.push(CfnResource {
                address: r.address.clone(),
                ty: format!("{family}{}", r.ty),
                props: Map::new(),
                line: r.line,
            });
        } else {
            // Its arguments in CloudFormation's spelling, so the references they hold join it to
            // what they name where the argument's name tells the direction.
            let props = match camel_keys(&r.attrs, 0) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            out.push(CfnResource {
                address: r.address.clone(),
                ty: format!("Terraform::{}", r.ty),
                props,
                line: r.line,
            });
        }
    }
    fold(tf, &mut out);
    Translated { resources: out }
}

/// Arguments that need more than a path copy.
fn special(r: &TfResource, props: &mut Map<String, Value>) {
    let a = &r.attrs;
    match r.ty.as_str() {
        "aws_dynamodb_table"
            if a.get("stream_enabled") == Some(&Value::Bool(true)) && !props.contains_key("StreamSpecification") =>
        {
            set(props, "StreamSpecification.StreamViewType", json!("NEW_AND_OLD_IMAGES"));
        }
        "aws_iam_role" => {
            let policies: Vec<Value> = a
                .get("inline_policy")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|p| {
                            let doc = document(p.get("policy")?);
                            Some(json!({ "PolicyName": p.get("name").cloned().unwrap_or(Value::Null), "PolicyDocument": doc }))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !policies.is_empty() {
                props.insert("Policies".into(), Value::Array(policies));
            }
        }
        "aws_iam_role_policy" => {
            if let Some(role) = a.get("role") {
                props.insert("Roles".into(), json!([role]));
            }
        }
        "aws_cloudfront_distribution" => {
            let origins: Vec<Value> = a
                .get("origin")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|o| json!({ "DomainName": o.get("domain_name").cloned().unwrap_or(Value::Null), "Id": o.get("origin_id").cloned().unwrap_or(Value::Null) }))
                        .collect()
                })
                .unwrap_or_default();
            set(props, "DistributionConfig.Origins", Value::Array(origins));
        }
        "aws_lb" | "aws_alb" => {
            let internal = a.get("internal") == Some(&Value::Bool(true));
            props.insert("Scheme".into(), json!(if internal { "internal" } else { "internet-facing" }));
        }
        "aws_cloudwatch_metric_alarm" => {
            if let Some(Value::Object(dims)) = a.get("dimensions") {
                let dims: Vec<Value> = dims.iter().map(|(k, v)| json!({ "Name": k, "Value": v })).collect();
                props.insert("Dimensions".into(), Value::Array(dims));
            }
        }
        "aws_apigatewayv2_authorizer" | "aws_api_gateway_authorizer" => {
            for (tf, cfn) in [("authorizer_type", "AuthorizerType"), ("authorizer_uri", "AuthorizerUri")] {
                if let Some(v) = a.get(tf) {
                    props.insert(cfn.into(), v.clone());
                }
            }
        }
        _ => {}
    }
}

/// The resource a configuring resource names, by reference or by its physical name (`key`:
/// `BucketName`, `RoleName`, `Name`) when it names it literally.
fn find(index: &HashMap<String, usize>, out: &[CfnResource], v: Option<&Value>, key: &str) -> Option<usize> {
    let v = v?;
    target(v)
        .and_then(|a| index.get(&a).copied())
        .or_else(|| out.iter().position(|r| r.props.get(key).is_some_and(|p| p == v)))
}

/// REST integrations, matched by (API, resource, method), give their methods `Integration.Uri`.
fn fold_integrations(tf: &[TfResource], out: &mut [CfnResource]) {
    let key = |a: &Value| format!("{}|{}|{}", a["rest_api_id"], a["resource_id"], a["http_method"]);
    let integrations: HashMap<String, Value> = tf
        .iter()
        .filter(|r| r.ty == "aws_api_gateway_integration")
        .map(|r| (key(&r.attrs), r.attrs.get("uri").cloned().unwrap_or(Value::Null)))
        .collect();
    for r in out.iter_mut().filter(|r| r.ty == "AWS::ApiGateway::Method") {
        let uri = tf.iter().find(|t| t.address == r.address).and_then(|t| integrations.get(&key(&t.attrs)));
        if let Some(uri) = uri {
            set(&mut r.props, "Integration.Uri", uri.clone());
        }
    }
}

/// Folds the Terraform resources that configure another into it.
fn fold(tf: &[TfResource], out: &mut [CfnResource]) {
    let index: HashMap<String, usize> = out.iter().enumerate().map(|(i, r)| (r.address.clone(), i)).collect();
    let find = |out: &[CfnResource], v: Option<&Value>, key: &str| find(&index, out, v, key);
    fold_integrations(tf, out);
    for r in tf {
        let a = &r.attrs;
        match r.ty.as_str() {
            "aws_s3_bucket_public_access_block" => {
                if let Some(i) = find(out, a.get("bucket"), "BucketName") {
                    for (tf_key, cfn) in [
                        ("block_public_acls", "BlockPublicAcls"),
                        ("block_public_policy", "BlockPublicPolicy"),
                        ("ignore_public_acls", "IgnorePublicAcls"),
                        ("restrict_public_buckets", "RestrictPublicBuckets"),
                    ] {
                        let v = a.get(tf_key).cloned().unwrap_or(Value::Bool(false));
                        set(&mut out[i].props, &format!("PublicAccessBlockConfiguration.{cfn}"), v);
                    }
                }
            }
            "aws_s3_bucket_server_side_encryption_configuration" => {
                if let Some(i) = find(out, a.get("bucket"), "BucketName") {
                    let key = at(a, "rule.apply_server_side_encryption_by_default.kms_master_key_id").cloned();
                    let algorithm = at(a, "rule.apply_server_side_encryption_by_default.sse_algorithm").cloned();
                    let mut default = Map::new();
                    default.insert("SSEAlgorithm".into(), algorithm.unwrap_or(json!("AES256")));
                    if let Some(k) = key {
                        default.insert("KMSMasterKeyID".into(), k);
                    }
                    set(
                        &mut out[i].props,
                        "BucketEncryption.ServerSideEncryptionConfiguration",
                        json!([{ "ServerSideEncryptionByDefault": default }]),
                    );
                }
            }
            "aws_s3_bucket_versioning" => {
                if let Some(i) = find(out, a.get("bucket"), "BucketName") {
                    if let Some(status) = at(a, "versioning_configuration.status") {
                        set(&mut out[i].props, "VersioningConfiguration.Status", status.clone());
                    }
                }
            }
            "aws_s3_bucket_logging" => {
                if let Some(i) = find(out, a.get("bucket"), "BucketName") {
                    let dest = a.get("target_bucket").cloned().unwrap_or(Value::Null);
                    set(&mut out[i].props, "LoggingConfiguration.DestinationBucketName", dest);
                }
            }
            "aws_s3_bucket_acl" => {
                if let (Some(i), Some(acl)) = (find(out, a.get("bucket"), "BucketName"), a.get("acl")) {
                    set(&mut out[i].props, "AccessControl", camel_acl(acl));
                }
            }
            "aws_s3_bucket_notification" => {
                if let Some(i) = find(out, a.get("bucket"), "BucketName") {
                    for (block, cfn, key, arn) in [
                        ("lambda_function", "LambdaConfigurations", "Function", "lambda_function_arn"),
                        ("queue", "QueueConfigurations", "Queue", "queue_arn"),
                        ("topic", "TopicConfigurations", "Topic", "topic_arn"),
                    ] {
                        let mut configs = Vec::new();
                        for n in a.get(block).and_then(Value::as_array).cloned().unwrap_or_default() {
                            for event in n.get("events").and_then(Value::as_array).cloned().unwrap_or_default() {
                                let mut c = Map::new();
                                c.insert("Event".into(), event);
                                c.insert(key.into(), n.get(arn).cloned().unwrap_or(Value::Null));
                                configs.push(Value::Object(c));
                            }
                        }
                        if !configs.is_empty() {
                            set(&mut out[i].props, &format!("NotificationConfiguration.{cfn}"), Value::Array(configs));
                        }
                    }
                }
            }
            "aws_cloudwatch_event_target" => {
                if let Some(i) = find(out, a.get("rule"), "Name") {
                    let t = json!({ "Arn": a.get("arn").cloned().unwrap_or(Value::Null), "Id": r.address });
                    match out[i].props.entry("Targets").or_insert_with(|| Value::Array(Vec::new())) {
                        Value::Array(items) => items.push(t),
                        other => *other = json!([t]),
                    }
                }
            }
            "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment" => {
                let roles: Vec<Value> = match (a.get("role"), a.get("roles")) {
                    (Some(r), _) => vec![r.clone()],
                    (None, Some(Value::Array(rs))) => rs.clone(),
                    _ => Vec::new(),
                };
                let Some(arn) = a.get("policy_arn") else { continue };
                if let Some(p) = target(arn).and_then(|t| index.get(&t).copied()) {
                    // A managed policy of this configuration: attach it to the roles.
                    match out[p].props.entry("Roles").or_insert_with(|| Value::Array(Vec::new())) {
                        Value::Array(items) => items.extend(roles),
                        other => *other = Value::Array(roles),
                    }
                } else {
                    for role in roles {
                        if let Some(i) = find(out, Some(&role), "RoleName") {
                            match out[i].props.entry("ManagedPolicyArns").or_insert_with(|| Value::Array(Vec::new())) {
                                Value::Array(items) => items.push(arn.clone()),
                                other => *other = json!([arn]),
                            }
                        }
                    }
                }
            }
            "aws_s3_bucket" => {
                // Inline blocks of the AWS provider before version 4.
                let Some(i) = index.get(&r.address).copied() else { continue };
                if at(a, "versioning.enabled") == Some(&Value::Bool(true)) {
                    set(&mut out[i].props, "VersioningConfiguration.Status", json!("Enabled"));
                }
                if at(a, "logging.target_bucket").is_some() {
                    set(
                        &mut out[i].props,
                        "LoggingConfiguration.DestinationBucketName",
                        at(a, "logging.target_bucket").cloned().unwrap_or(Value::Null),
                    );
                }
                if let Some(sse) =
                    at(a, "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default")
                {
                    let mut default = Map::new();
                    default.insert("SSEAlgorithm".into(), sse.get("sse_algorithm").cloned().unwrap_or(json!("AES256")));
                    if let Some(k) = sse.get("kms_master_key_id") {
                        default.insert("KMSMasterKeyID".into(), k.clone());
                    }
                    set(
                        &mut out[i].props,
                        "BucketEncryption.ServerSideEncryptionConfiguration",
                        json!([{ "ServerSideEncryptionByDefault": default }]),
                    );
                }
                if let Some(acl) = a.get("acl") {
                    set(&mut out[i].props, "AccessControl", camel_acl(acl));
                }
            }
            _ => {}
        }
    }
}

/// A canned ACL as CloudFormation spells it (`public-read` → `PublicRead`).
fn camel_acl(acl: &Value) -> Value {
    match acl.as_str() {
        Some(s) => Value::String(s.split('-').map(capitalised).collect()),
        None => acl.clone(),
    }
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Arguments with their keys in CloudFormation's spelling (`source_arn` → `SourceArn`);
/// references are kept as they are.
fn camel_keys(v: &Value, depth: usize) -> Value {
    match v {
        _ if depth > 32 => Value::Null,
        Value::Object(m) if m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) => v.clone(),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (super::camel(k), camel_keys(v, depth + 1))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(|i| camel_keys(i, depth + 1)).collect()),
        other => other.clone(),
    }
}
