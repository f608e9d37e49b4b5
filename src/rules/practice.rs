//! The practices of the serverless security practice guide
//! (`shared/reference/serverless-security-practices.txt`) that every
//! mitigation traces back to, with the guide's own wording.

use serde::Serialize;

/// A practice from the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Practice {
    pub id: &'static str,
    pub title: &'static str,
    /// What the guide says, briefly, in its own words.
    pub guide: &'static str,
}

pub const PRACTICES: &[Practice] = &[
    Practice { id: "least_privilege", title: "Least privilege",
        guide: "Grant only the necessary permissions to your serverless functions to access specific resources rather than giving them broad access; regularly review and update permissions." },
    Practice { id: "function_hardening", title: "Function hardening",
        guide: "Reduce the attack surface of functions: input validation and output sanitization, secure coding, no hard-coded credentials, parameterized queries." },
    Practice { id: "secrets_management", title: "Secure secrets management",
        guide: "Store and manage API keys, passwords and credentials in a secrets manager with encryption, access control and auditing; rotate them and restrict access." },
    Practice { id: "secure_deployment", title: "Secure deployment pipelines",
        guide: "Automate deployment with security checks at each stage and infrastructure as code, so infrastructure is consistently and securely deployed." },
    Practice { id: "runtime_protection", title: "Runtime application self-protection",
        guide: "Embed security controls in the application that detect and block attacks at run time." },
    Practice { id: "automated_scanning", title: "Automated scanning and remediation",
        guide: "Scan infrastructure and applications for vulnerabilities in the pipeline at every stage and remediate before attackers can exploit them." },
    Practice { id: "compliance_monitoring", title: "Compliance monitoring and reporting",
        guide: "Monitor and report that controls required by HIPAA, PCI DSS and GDPR are in place and functioning." },
    Practice { id: "ddos_protection", title: "DDoS protection and rate limiting",
        guide: "Use a CDN, rate limiting and access control to limit requests, and detect and respond to floods in real time." },
    Practice { id: "siem_logging", title: "Security information and event management",
        guide: "Collect and correlate security events from logs and cloud APIs to detect and respond to incidents." },
    Practice { id: "data_protection", title: "Encryption and access control of data",
        guide: "Encrypt data in transit and at rest and control access with IAM so only authorized users reach sensitive data." },
    Practice { id: "api_security", title: "API security",
        guide: "Secure the APIs connecting serverless components with authentication, authorization and rate limiting." },
    Practice { id: "threat_modeling", title: "Threat modeling and risk assessment",
        guide: "Identify threats to the architecture, evaluate their impact and prioritise the controls that mitigate them." },
];

pub fn practice(id: &str) -> Option<&'static Practice> {
    PRACTICES.iter().find(|p| p.id == id)
}
