//! Built-in architecture templates (`models/templates/*.yaml`, embedded).
//!
//! Each template is an ordinary model file: a realistic serverless
//! architecture with trust boundaries, classified data, grants and a
//! reasonably secure baseline with a few honest unknowns, meant to be adapted.
//! `instantiate` parses one and lays it out. Must not: read files at run time
//! (the list is embedded; a test checks it equals the folder).

use crate::diag::Diagnostics;
use crate::layout;
use crate::model::Model;
use crate::yaml;
use serde::Serialize;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../models/templates/", $name, ".yaml")))),*]
    };
}

/// (name, YAML text) of every built-in template, in listing order.
pub const TEMPLATES: &[(&str, &str)] = templates!(
    "aws-rest-api-cognito",
    "aws-http-api-jwt",
    "aws-s3-upload-pipeline",
    "aws-sqs-sns-fanout",
    "aws-eventbridge-bus",
    "aws-step-functions-workflow",
    "aws-scheduled-batch",
    "aws-kinesis-stream-processing",
    "aws-webhook-ingest",
    "aws-static-site-cloudfront",
    "azure-functions-cosmosdb",
    "azure-service-bus-blob-pipeline",
    "gcp-functions-pubsub-firestore",
    "gcp-cloud-run-storage",
);

/// What the template list shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateInfo {
    /// File stem, the name `new --template` takes.
    pub name: String,
    pub description: String,
    /// `aws`, `azure` or `gcp`.
    pub vendor: String,
}

/// Why a template could not be instantiated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown template `{name}`; available templates: {}", known.join(", "))]
    Unknown { name: String, known: Vec<String> },
    /// A built-in template that does not parse (a bug; tests prevent it).
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Names of the built-in templates.
pub fn names() -> Vec<&'static str> {
    TEMPLATES.iter().map(|(n, _)| *n).collect()
}

fn vendor(name: &str) -> String {
    name.split('-').next().unwrap_or("generic").to_string()
}

/// Every built-in template with its description and vendor.
pub fn list() -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|(name, text)| {
            let description = yaml::parse_model(text, name).map(|m| m.description).unwrap_or_default();
            TemplateInfo { name: (*name).to_string(), description, vendor: vendor(name) }
        })
        .collect()
}

/// A new model from a template, laid out for the editor.
pub fn instantiate(name: &str) -> Result<Model, TemplateError> {
    let Some((_, text)) = TEMPLATES.iter().find(|(n, _)| *n == name) else {
        return Err(TemplateError::Unknown {
            name: name.to_string(),
            known: names().into_iter().map(String::from).collect(),
        });
    };
    let file = format!("models/templates/{name}.yaml");
    let mut model = yaml::parse_model(text, &file).map_err(TemplateError::Invalid)?;
    layout::auto_layout(&mut model);
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_has_a_description() {
        for (name, text) in TEMPLATES {
            let m = yaml::parse_model(text, name).unwrap_or_else(|d| panic!("{name}: {d}"));
            assert!(!m.description.is_empty(), "{name} has no description");
            assert!(!m.grants.is_empty(), "{name} has no grants");
            assert!(m.boundaries.len() >= 2, "{name} needs trust boundaries");
        }
    }

    #[test]
    fn unknown_template_lists_the_names() {
        let err = instantiate("nope").unwrap_err();
        assert!(err.to_string().contains("aws-rest-api-cognito"));
    }
}
