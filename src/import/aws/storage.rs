//! S3 buckets: encryption, public access, versioning, logging, replication,
//! notifications to functions, queues and topics, and bucket policies.
//!
//! Must not: decide whether public access is a threat; it records what the
//! template grants.

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    /// Bucket → notification → function.
    pub fn storage_event(&mut self, bucket: ElementId, target: ElementId, events: &str, filter: Option<String>) {
        let bname = self.b.get(bucket).name.clone();
        let n = self.b.element(&format!("{bname}Notifications"), "aws.s3_notification");
        if let Some(f) = filter.filter(|f| !f.is_empty()) {
            self.b.set_str(n, "filter", &f);
        }
        self.b.flow(bucket, n, "object events", Hop::Event);
        self.b.flow(n, target, events, Hop::Event);
    }

    /// A bucket and its notifications.
    pub(super) fn bucket(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        let enc = p.get("BucketEncryption");
        self.b.set_bool(id, "encrypted_at_rest", true);
        let kms = enc.map(|e| e.render()).unwrap_or_default();
        self.b.set_bool(id, "cmk", kms.contains("KMSMasterKeyID"));
        let rules = enc.and_then(|e| e.get("ServerSideEncryptionConfiguration")).map(V::items).unwrap_or_default();
        for rule in rules {
            self.encrypted_with(id, rule.at(&["ServerSideEncryptionByDefault", "KMSMasterKeyID"]));
        }
        if let Some(pab) = p.get("PublicAccessBlockConfiguration") {
            let all = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]
                .iter()
                .all(|k| ev_bool(pab.get(k)) == Some(true));
            self.b.set_bool(id, "block_public_access", all);
        }
        match p.get("AccessControl").and_then(V::str) {
            Some("PublicRead") => self.b.set_str(id, "public_access", "read"),
            Some("PublicReadWrite") => self.b.set_str(id, "public_access", "write"),
            _ => {}
        }
        if p.at(&["VersioningConfiguration", "Status"]).and_then(V::str) == Some("Enabled") {
            self.b.set_bool(id, "versioning", true);
        }
        if p.get("LoggingConfiguration").is_some() {
            self.b.set_bool(id, "access_logging", true);
        }
        if p.get("ReplicationConfiguration").is_some() {
            self.b.set_bool(id, "backups", true);
        }
        for lc in p.at(&["NotificationConfiguration", "LambdaConfigurations"]).map(V::items).unwrap_or_default() {
            if let Some(f) = lc.get("Function").and_then(|f| self.resolve(f)) {
                let filter = lc.get("Filter").map(s3_key_filter);
                let event = lc.get("Event").and_then(V::str).unwrap_or("").to_string();
                self.storage_event(id, f, &event, filter);
            }
        }
        for key in ["QueueConfigurations", "TopicConfigurations"] {
            for c in p.at(&["NotificationConfiguration", key]).map(V::items).unwrap_or_default() {
                if let Some(t) = c.get("Queue").or_else(|| c.get("Topic")).and_then(|t| self.resolve(t)) {
                    self.b.flow(id, t, "object events", Hop::Event);
                }
            }
        }
    }

    /// Public read or write access a bucket policy grants.
    pub(super) fn bucket_policy(&mut self, r: &Res) {
        let p = &r.props;
        let Some(bucket) = p.get("Bucket").and_then(|b| self.resolve(b)) else {
            self.b.warn(r.mark, format!("bucket policy `{}` is for a bucket outside the template", r.id));
            return;
        };
        let Some(doc) = p.get("PolicyDocument") else { return };
        let mut access = None::<&str>;
        for st in doc.get("Statement").map(V::items).unwrap_or_default() {
            if st.get("Effect").and_then(V::str).is_some_and(|e| e.eq_ignore_ascii_case("deny")) {
                continue;
            }
            let single = V::null(st.mark);
            let pr = st.get("Principal").unwrap_or(&single);
            let public = pr.str() == Some("*") || pr.get("AWS").is_some_and(|a| a.texts().iter().any(|t| t == "*"));
            let restricted = st.get("Condition").is_some_and(iam::restricts_principal);
            if !public || restricted {
                continue;
            }
            let actions = st.get("Action").map(V::texts).unwrap_or_default();
            let write = actions.iter().any(|a| {
                a == "*"
                    || a == "s3:*"
                    || a.starts_with("s3:Put")
                    || a.starts_with("s3:Delete")
                    || a == "s3:AbortMultipartUpload"
            });
            let read = actions.iter().any(|a| a.starts_with("s3:Get") || a.starts_with("s3:List"));
            if write {
                access = Some("write");
            } else if read && access.is_none() {
                access = Some("read");
            }
        }
        if let Some(a) = access {
            self.b.set_str(bucket, "public_access", a);
            if self.b.prop(bucket, "block_public_access") == Some(&Value::Bool(true)) {
                self.b.warn(r.mark, "bucket policy grants public access while Block Public Access is on; the deployment would reject it");
            }
        }
    }
}

/// The key filter of an S3 notification (`Filter.S3Key.Rules`) as
/// `prefix=uploads/, suffix=.jpg`; empty when it has no rules.
pub(super) fn s3_key_filter(filter: &V) -> String {
    let rules = filter.at(&["S3Key", "Rules"]).map(V::items).unwrap_or_default();
    rules
        .iter()
        .filter_map(|r| Some(format!("{}={}", r.get("Name")?.str()?, r.get("Value")?.str()?)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// S3 buckets and their policies.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (&["AWS::S3::Bucket"], Handler::Element("aws.s3", Pass::Main, Ctx::bucket)),
    (&["AWS::S3::BucketPolicy"], Handler::Configures(Pass::Main, Ctx::bucket_policy)),
];
