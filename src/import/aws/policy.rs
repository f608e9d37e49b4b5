//! Permissions: SAM policy templates, AWS managed policies and inline IAM
//! statements turned into grants on modelled elements, `*` or unmodelled ARNs.
//!
//! Must not: invent flows. A grant is what a function *may* do; the flows
//! come from events and environment references, and the gap between the two
//! is exactly what the privilege rules look for.

use super::value::V;
use crate::import::builder::Builder;
use crate::model::{ElementId, GrantTarget};

/// Actions of the SAM policy templates, and the parameter naming the resource.
const TEMPLATES: &[(&str, &str, &[&str])] = &[
    (
        "DynamoDBCrudPolicy",
        "TableName",
        &[
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:ConditionCheckItem",
        ],
    ),
    (
        "DynamoDBReadPolicy",
        "TableName",
        &["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"],
    ),
    ("DynamoDBWritePolicy", "TableName", &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]),
    (
        "DynamoDBStreamReadPolicy",
        "TableName",
        &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
    ),
    ("DynamoDBReconfigurePolicy", "TableName", &["dynamodb:UpdateTable"]),
    ("DynamoDBRestoreFromBackupPolicy", "TableName", &["dynamodb:RestoreTableFromBackup", "dynamodb:DescribeBackup"]),
    (
        "DynamoDBBackupFullAccessPolicy",
        "TableName",
        &[
            "dynamodb:CreateBackup",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:DeleteBackup",
            "dynamodb:DescribeBackup",
            "dynamodb:ListBackups",
        ],
    ),
    (
        "S3ReadPolicy",
        "BucketName",
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:GetLifecycleConfiguration",
        ],
    ),
    ("S3WritePolicy", "BucketName", &["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"]),
    (
        "S3CrudPolicy",
        "BucketName",
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:DeleteObject",
        ],
    ),
    (
        "S3FullAccessPolicy",
        "BucketName",
        &[
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:DeleteObject",
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
        ],
    ),
    ("SQSSendMessagePolicy", "QueueName", &["sqs:SendMessage*"]),
    (
        "SQSPollerPolicy",
        "QueueName",
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:ChangeMessageVisibilityBatch",
            "sqs:DeleteMessage",
            "sqs:DeleteMessageBatch",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ],
    ),
    ("SNSPublishMessagePolicy", "TopicName", &["sns:Publish"]),
    (
        "SNSCrudPolicy",
        "TopicName",
        &["sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"],
    ),
    ("LambdaInvokePolicy", "FunctionName", &["lambda:InvokeFunction"]),
    ("StepFunctionsExecutionPolicy", "StateMachineName", &["states:StartExecution"]),
    ("EventBridgePutEventsPolicy", "EventBusName", &["events:PutEvents"]),
    ("AWSSecretsManagerGetSecretValuePolicy", "SecretArn", &["secretsmanager:GetSecretValue"]),
    (
        "AWSSecretsManagerRotationPolicy",
        "",
        &[
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
        ],
    ),
    ("KMSDecryptPolicy", "KeyId", &["kms:Decrypt"]),
    ("KMSEncryptPolicy", "KeyId", &["kms:Encrypt"]),
    (
        "SSMParameterReadPolicy",
        "ParameterName",
        &["ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
    ),
    (
        "SSMParameterWithSlashPrefixReadPolicy",
        "ParameterName",
        &["ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
    ),
    (
        "KinesisStreamReadPolicy",
        "StreamName",
        &[
            "kinesis:ListStreams",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
        ],
    ),
    (
        "KinesisCrudPolicy",
        "StreamName",
        &[
            "kinesis:AddTagsToStream",
            "kinesis:CreateStream",
            "kinesis:DecreaseStreamRetentionPeriod",
            "kinesis:DeleteStream",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetShardIterator",
            "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListTagsForStream",
            "kinesis:MergeShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
            "kinesis:SplitShard",
            "kinesis:RemoveTagsFromStream",
        ],
    ),
    (
        "SESCrudPolicy",
        "IdentityName",
        &["ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:VerifyEmailIdentity"],
    ),
    ("SESSendBouncePolicy", "IdentityName", &["ses:SendBounce"]),
    ("CloudWatchPutMetricPolicy", "", &["cloudwatch:PutMetricData"]),
    (
        "VPCAccessPolicy",
        "",
        &[
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DetachNetworkInterface",
        ],
    ),
    ("AWSXrayWriteOnlyAccess", "", &["xray:PutTraceSegments", "xray:PutTelemetryRecords"]),
    ("CloudWatchLogsFullAccess", "", &["logs:*"]),
    ("FilterLogEventsPolicy", "LogGroupName", &["logs:FilterLogEvents"]),
];

/// Managed policies that only grant what every function needs (logs, X-Ray,
/// network interfaces for a VPC): not modelled as grants.
const BASELINE: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
    "AWSLambdaBasicExecutionRolePolicy",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
];

/// Managed policies for event sources: what they allow, on every resource.
const MANAGED: &[(&str, &[&str])] = &[
    ("AdministratorAccess", &["*"]),
    ("PowerUserAccess", &["*"]),
    ("AWSLambdaSQSQueueExecutionRole", &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]),
    (
        "AWSLambdaDynamoDBExecutionRole",
        &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
    ),
    (
        "AWSLambdaKinesisExecutionRole",
        &["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListStreams"],
    ),
    ("AWSLambdaRole", &["lambda:InvokeFunction"]),
    ("SecretsManagerReadWrite", &["secretsmanager:*"]),
    ("AWSLambda_FullAccess", &["lambda:*"]),
    ("IAMFullAccess", &["iam:*"]),
];

/// Where an ARN-like value points: a modelled element, everything, or an
/// unmodelled resource kept verbatim.
pub fn target(b: &Builder, v: &V) -> GrantTarget {
    let Some(s) = v.s() else { return GrantTarget::Unmodelled(v.render()) };
    if s.text.trim() == "*" {
        return GrantTarget::Any;
    }
    for r in &s.refs {
        if let Some(id) = b.lookup(&r.id) {
            return GrantTarget::Element(id);
        }
    }
    if let Some(id) = by_physical_name(b, &s.text) {
        return GrantTarget::Element(id);
    }
    GrantTarget::Unmodelled(s.text.clone())
}

/// Condition keys that narrow who a `*` principal really is: the calling
/// resource or account, the organisation, the network. One list for every
/// resource policy (buckets, queues, topics, buses).
const RESTRICTING_CONDITION_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:SourceIp",
];

/// Whether a statement's `Condition` restricts its principal.
pub fn restricts_principal(condition: &V) -> bool {
    let text = condition.render();
    RESTRICTING_CONDITION_KEYS.iter().any(|k| text.contains(k))
}

/// A modelled element whose physical name (BucketName, TableName, …) is a
/// whole segment of this ARN, URL or name. Names built with `!Sub`/`!Join` from
/// pseudo parameters or parameters without a default keep their `${…}` text on
/// both sides, so `${AWS::StackName}-docs` matches itself inside an ARN.
pub fn by_physical_name(b: &Builder, text: &str) -> Option<ElementId> {
    let segments = arn_segments(text);
    b.physical_names().iter().find(|(name, _)| name.len() >= 3 && segments.iter().any(|s| s == name)).map(|(_, id)| *id)
}

/// The `:`- and `/`-separated segments of an ARN or URL, not splitting inside
/// a `${…}` placeholder (`${AWS::Region}` is one piece of its segment).
pub fn arn_segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    let bytes = text.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' | b'/' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Grants of a SAM `Policies` entry (or a whole `Policies` value).
pub fn policies(b: &mut Builder, principal: ElementId, v: &V) {
    for item in v.items() {
        if let Some(s) = item.s() {
            managed(b, principal, &s.text, item);
        } else if item.get("Statement").is_some() {
            document(b, principal, item);
        } else if let Some((name, params)) = item.map().first() {
            template(b, principal, name, params, item);
        }
    }
}

/// Grants of a SAM policy template such as `DynamoDBCrudPolicy: {TableName: !Ref T}`.
pub fn template(b: &mut Builder, principal: ElementId, name: &str, params: &V, at: &V) {
    let Some((_, param, actions)) = TEMPLATES.iter().find(|(n, _, _)| *n == name) else {
        b.warn(at.mark, format!("SAM policy template `{name}` is not known; its permissions are not modelled"));
        return;
    };
    let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
    let target = if param.is_empty() {
        GrantTarget::Any
    } else {
        match params.get(param) {
            Some(p) => target(b, p),
            None => {
                b.warn(
                    at.mark,
                    format!("policy template `{name}` lacks its `{param}` parameter; assuming every resource"),
                );
                GrantTarget::Any
            }
        }
    };
    b.grant(principal, target, &actions);
}

/// Grants of a managed policy given by name or ARN.
pub fn managed(b: &mut Builder, principal: ElementId, text: &str, at: &V) {
    let name = text.rsplit('/').next().unwrap_or(text);
    if BASELINE.contains(&name) {
        return;
    }
    if let Some((_, actions)) = MANAGED.iter().find(|(n, _)| *n == name) {
        b.grant(principal, GrantTarget::Any, &actions.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        return;
    }
    if TEMPLATES.iter().any(|(n, p, _)| *n == name && p.is_empty()) {
        template(b, principal, name, at, at);
        return;
    }
    let service = |suffix: &str| -> Option<String> {
        let core = name.strip_suffix(suffix)?;
        let core = core.trim_start_matches("Amazon").trim_start_matches("AWS").trim_end_matches('_');
        (!core.is_empty()).then(|| core.to_ascii_lowercase())
    };
    if let Some(svc) = service("FullAccess") {
        b.grant(principal, GrantTarget::Any, &[format!("{svc}:*")]);
    } else if let Some(svc) = service("ReadOnlyAccess") {
        b.grant(
            principal,
            GrantTarget::Any,
            &[format!("{svc}:Get*"), format!("{svc}:List*"), format!("{svc}:Describe*")],
        );
    } else if name == "ReadOnlyAccess" {
        b.grant(principal, GrantTarget::Any, &["*:Get*".into(), "*:List*".into(), "*:Describe*".into()]);
    } else {
        b.warn(at.mark, format!("managed policy `{name}` is not known; its permissions are not modelled"));
    }
}

/// Grants of an IAM policy document (`{Statement: [...]}` or a PolicyDocument).
pub fn document(b: &mut Builder, principal: ElementId, doc: &V) {
    let statements = doc.get("Statement").map(|s| s.items()).unwrap_or_default();
    for st in statements {
        if st.get("Effect").and_then(V::str).is_some_and(|e| e.eq_ignore_ascii_case("deny")) {
            continue;
        }
        let mut actions: Vec<String> = st.get("Action").map(V::texts).unwrap_or_default();
        if st.get("NotAction").is_some() {
            b.warn(st.mark, "`NotAction` allows everything except the listed actions; modelled as `*`");
            actions = vec!["*".into()];
        }
        if actions.is_empty() {
            continue;
        }
        let resources: Vec<V> = match (st.get("Resource"), st.get("NotResource")) {
            (Some(r), _) => r.items().into_iter().cloned().collect(),
            (None, Some(_)) => vec![V::text("*", st.mark)],
            (None, None) => Vec::new(),
        };
        for r in resources {
            let t = target(b, &r);
            b.grant(principal, t, &actions);
        }
    }
}

/// Whether every action only reads (the flow then goes from the store to the function).
pub fn read_only(actions: &[String]) -> bool {
    !actions.is_empty()
        && actions.iter().all(|a| {
            let verb = a.split(':').nth(1).unwrap_or(a);
            ["Get", "List", "Describe", "Query", "Scan", "BatchGet", "Receive", "Decrypt", "Select", "Head"]
                .iter()
                .any(|p| verb.starts_with(p))
        })
}

#[cfg(test)]
mod tests {
    use super::arn_segments;

    #[test]
    fn arn_segments_keep_placeholders_whole() {
        assert_eq!(
            arn_segments("arn:aws:s3:::${AWS::StackName}-docs-${AWS::AccountId}/*"),
            ["arn", "aws", "s3", "", "", "${AWS::StackName}-docs-${AWS::AccountId}", "*"]
        );
        assert_eq!(arn_segments("https://sqs.${AWS::Region}.amazonaws.com/1/q").last(), Some(&"q"));
        assert_eq!(arn_segments("unclosed ${AWS::Region"), ["unclosed ${AWS::Region"]);
    }
}
