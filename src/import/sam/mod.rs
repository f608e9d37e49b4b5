//! AWS SAM / CloudFormation importer.
