//! Data stores and key material: DynamoDB tables, RDS databases,
//! ElastiCache caches, Secrets Manager secrets with their rotation, KMS keys
//! and SSM parameters.
//!
//! Must not: infer what data a store holds beyond its classification tag.

use super::ctx::*;
use super::handler::{Handler, Pass};

impl Ctx {
    /// A DynamoDB table: encryption and point-in-time recovery.
    pub(super) fn table(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "encrypted_at_rest", true);
        let sse = p.get("SSESpecification");
        let cmk = sse.is_some_and(|s| s.get("KMSMasterKeyId").is_some());
        self.b.set_bool(id, "cmk", cmk);
        self.encrypted_with(id, sse.and_then(|s| s.get("KMSMasterKeyId")));
        if let Some(b) = ev_bool(p.at(&["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"])) {
            self.b.set_bool(id, "backups", b);
        }
    }

    /// An RDS instance or cluster: encryption and backups.
    pub(super) fn database(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "encrypted_at_rest", ev_bool(p.get("StorageEncrypted")).unwrap_or(false));
        self.b.set_bool(id, "cmk", p.get("KmsKeyId").is_some());
        self.encrypted_with(id, p.get("KmsKeyId"));
        if let Some(days) = p.get("BackupRetentionPeriod").and_then(V::int) {
            self.b.set_bool(id, "backups", days > 0);
        }
    }

    /// An ElastiCache cluster: encryption at rest and in transit.
    pub(super) fn cache(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        if let Some(b) = ev_bool(p.get("AtRestEncryptionEnabled")) {
            self.b.set_bool(id, "encrypted_at_rest", b);
        }
        if let Some(b) = ev_bool(p.get("TransitEncryptionEnabled")) {
            self.b.set_bool(id, "transit_encryption", b);
        }
    }

    /// A secret: always encrypted, with a customer key or not.
    pub(super) fn secret(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "encrypted_at_rest", true);
        self.b.set_bool(id, "cmk", p.get("KmsKeyId").is_some());
    }

    /// A rotation schedule and its rotation function.
    pub(super) fn rotation(&mut self, r: &Res) {
        let p = &r.props;
        if let Some(s) = p.get("SecretId").and_then(|s| self.resolve(s)) {
            self.b.set_bool(s, "rotation", true);
            if let Some(f) = p.get("RotationLambdaARN").and_then(|f| self.resolve(f)) {
                self.b.flow(f, s, "rotate", Hop::Call);
            }
        }
    }

    /// A KMS key: rotation.
    pub(super) fn key(&mut self, r: &Res, id: ElementId) {
        let p = &r.props;
        self.b.set_bool(id, "rotation", ev_bool(p.get("EnableKeyRotation")).unwrap_or(false));
    }

    /// An SSM parameter: CloudFormation creates only plain strings.
    pub(super) fn parameter(&mut self, _: &Res, id: ElementId) {
        self.b.set_bool(id, "encrypted_at_rest", false);
    }
}

/// Data stores, secrets, keys and parameters.
pub(super) const HANDLERS: &[(&[&str], Handler)] = &[
    (
        &["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable"],
        Handler::Element("aws.dynamodb", Pass::Main, Ctx::table),
    ),
    (&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"], Handler::Element("aws.rds", Pass::Main, Ctx::database)),
    (
        &["AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup"],
        Handler::Element("aws.elasticache", Pass::Main, Ctx::cache),
    ),
    (&["AWS::ElastiCache::ServerlessCache"], Handler::Element("aws.elasticache", Pass::Main, Ctx::no_settings)),
    (&["AWS::SecretsManager::Secret"], Handler::Element("aws.secretsmanager", Pass::Main, Ctx::secret)),
    (&["AWS::SSM::Parameter"], Handler::Element("aws.ssm_parameter", Pass::Main, Ctx::parameter)),
    (&["AWS::KMS::Key"], Handler::Element("aws.kms", Pass::Main, Ctx::key)),
    (&["AWS::SecretsManager::RotationSchedule"], Handler::Configures(Pass::Main, Ctx::rotation)),
    (
        &[
            "AWS::SecretsManager::SecretTargetAttachment",
            "AWS::SecretsManager::ResourcePolicy",
            "AWS::KMS::Alias",
            "AWS::SSM::Document",
        ],
        Handler::Configures(Pass::Main, Ctx::skip),
    ),
];
