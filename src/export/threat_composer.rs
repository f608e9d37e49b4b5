//! AWS Threat Composer export (`.tc.json`, schema 1, valid against
//! `threat-composer-v1.schema.json`): our threats as threat statements with
//! their mitigations linked, for teams that keep their threat models in
//! Threat Composer, and back with `import threat-composer`.
//!
//! A derived threat becomes a statement in Threat Composer's grammar:
//! "A/An [threat source] [prerequisites] can [threat action], which leads to
//! [threat impact], resulting in reduced [impacted goal] of [impacted
//! assets]". The source is an internet-based actor when the rule's facts say
//! the target is reachable from the Internet or untrusted; the prerequisite
//! names the weakness (the rule's title) and its target; the action, impact
//! and goals follow the STRIDE category; the assets are the data assets the
//! target handles. Priority comes from severity, STRIDE from the category,
//! Comments from the triage note; the rule, target, exact status, owner,
//! date, description and rationale go in `custom:threatwright-*` metadata.
//! Mitigations are shared by text and resolved once every threat they
//! mitigate is mitigated.
//!
//! Threats kept from Threat Composer are written back from their description
//! lines (`import::threat_composer::FIELDS`), with their ids, numbers and
//! mitigations; threats kept from other tools go as statements of their own
//! title. Scope paragraphs become assumptions. The architecture description
//! lists boundaries and elements and embeds the model as YAML, so that
//! importing the file gives the model back; the data-flow description lists
//! the flows.
//!
//! Must not: compute threats or scores.

use crate::engine::{Analysis, Threat};
use crate::export::otm::{mitigation_id, parse_mitigations};
use crate::import::threat_composer::{
    tc_status, COMMENTS, FIELDS, META_DATE, META_DESCRIPTION, META_OWNER, META_RULE, META_STATUS, META_TARGET,
    META_TOOL, META_WHY, MODEL_HEADING, STRIDE, TOOL,
};
use crate::import::threat_dragon::notes::{self, KeptThreat};
use crate::model::{Model, Severity, TriageStatus};
use crate::rules::Stride;
use serde_json::{json, Value as J};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The longest architecture or data-flow description Threat Composer accepts.
const MAX_DESCRIPTION: usize = 100_000;

/// At most `max` characters, cut at a character boundary with an ellipsis.
fn clamp(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// `text` with its first letter in lower case (Threat Composer's parts follow "can", "to", …).
fn lower_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        // Keep acronyms and names that start with two capitals ("API key …", "IAM role").
        Some(f) if f.is_uppercase() && !c.clone().next().is_some_and(char::is_uppercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => text.to_string(),
    }
}

/// "A" or "An" for a phrase.
fn article(phrase: &str) -> &'static str {
    match phrase.trim_start().chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "An",
        _ => "A",
    }
}

/// Items joined as prose: "a", "a and b", "a, b and c".
fn and_list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., tail] => format!("{} {last} {tail}", rest.join(", ")),
    }
}

/// The parts of a threat statement.
#[derive(Default)]
struct Statement {
    source: String,
    prerequisites: String,
    action: String,
    impact: String,
    goals: Vec<String>,
    assets: Vec<String>,
}

impl Statement {
    /// The statement in Threat Composer's templates, whichever parts are present.
    fn text(&self) -> String {
        let mut out = format!("{} {}", article(&self.source), self.source);
        if !self.prerequisites.is_empty() {
            out.push(' ');
            out.push_str(&self.prerequisites);
        }
        out.push_str(" can ");
        out.push_str(&self.action);
        if !self.impact.is_empty() {
            out.push_str(", which leads to ");
            out.push_str(&self.impact);
        }
        let goals: Vec<String> = self.goals.iter().filter(|g| !g.is_empty()).cloned().collect();
        let assets: Vec<String> = self.assets.iter().filter(|a| !a.is_empty()).cloned().collect();
        match (goals.is_empty(), assets.is_empty()) {
            (false, false) => out.push_str(&format!(
                ", resulting in reduced {} of {}",
                and_list(&goals, "and/or"),
                and_list(&assets, "and")
            )),
            (false, true) => out.push_str(&format!(", resulting in reduced {}", and_list(&goals, "and/or"))),
            (true, false) => out.push_str(&format!(", negatively impacting {}", and_list(&assets, "and"))),
            (true, true) => {}
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The statement's fields of a Threat Composer threat (each within its 200 characters).
    fn fields(&self, threat: &mut J) {
        for (key, value) in [
            ("threatSource", &self.source),
            ("prerequisites", &self.prerequisites),
            ("threatAction", &self.action),
            ("threatImpact", &self.impact),
        ] {
            if !value.trim().is_empty() {
                threat[key] = json!(clamp(value, 200));
            }
        }
        for (key, list) in [("impactedGoal", &self.goals), ("impactedAssets", &self.assets)] {
            if !list.is_empty() {
                threat[key] = json!(list.iter().map(|x| clamp(x, 200)).collect::<Vec<_>>());
            }
        }
        threat["statement"] = json!(clamp(&self.text(), 1400));
    }
}

/// What a STRIDE category's threat does, leads to and reduces.
fn category_parts(c: Stride, target: &str, external: bool) -> (String, &'static str, &'static [&'static str]) {
    match c {
        Stride::Spoofing if external => {
            (format!("pass as {target}"), "actions taken in another identity's name", &["authenticity"])
        }
        Stride::Spoofing => (
            format!("pass as a legitimate caller of {target}"),
            "actions taken in another identity's name",
            &["authenticity"],
        ),
        Stride::Tampering => (
            format!("tamper with {target} or the data it handles"),
            "unauthorised changes to data or behaviour",
            &["integrity"],
        ),
        Stride::Repudiation => (
            format!("act through {target} without leaving a trace they can be held to"),
            "actions that cannot be traced to who took them",
            &["accountability"],
        ),
        Stride::InformationDisclosure => (
            format!("read data that {target} holds or handles"),
            "the disclosure of data to someone not entitled to it",
            &["confidentiality"],
        ),
        Stride::DenialOfService => (
            format!("exhaust {target} with requests or events"),
            "the service being unavailable to legitimate users, or an unbounded bill",
            &["availability"],
        ),
        Stride::ElevationOfPrivilege => (
            format!("gain more privileges than intended through {target}"),
            "control over resources beyond what was granted",
            &["confidentiality", "integrity", "availability"],
        ),
    }
}

fn stride_letter(c: Stride) -> &'static str {
    STRIDE.iter().find(|(_, n)| *n == c.as_str()).map(|(l, _)| *l).unwrap_or("T")
}

fn priority(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "High",
        Severity::Medium => "Medium",
        _ => "Low",
    }
}

/// A tag (1 to 30 characters).
fn tag(text: &str) -> Option<String> {
    let t = clamp(text, 30);
    (!t.is_empty()).then_some(t)
}

/// A `custom:` metadata entry.
fn custom(key: &str, value: &str) -> J {
    json!({ "key": key, "value": value })
}

/// Threats, mitigations and their links as they are written.
#[derive(Default)]
struct Out {
    threats: Vec<J>,
    mitigations: Vec<J>,
    links: Vec<J>,
    /// Mitigation id → (index in `mitigations`, whether every linked threat is resolved).
    seen: HashMap<String, (usize, bool)>,
    numbers: HashSet<u64>,
    /// Numbers kept threats bring, not given to others.
    reserved: HashSet<u64>,
    ids: HashSet<String>,
}

impl Out {
    fn link(&mut self, mid: &str, content: &str, comments: &str, status: Option<&str>, resolved: bool, threat: &str) {
        match self.seen.get_mut(mid) {
            Some((_, all)) => *all &= resolved,
            None => {
                let mut m = json!({ "id": mid, "numericId": self.mitigations.len() + 1,
                    "displayOrder": self.mitigations.len() + 1, "content": clamp(content, 1000) });
                if !comments.trim().is_empty() {
                    m["metadata"] = json!([{ "key": "Comments", "value": clamp(comments, 1000) }]);
                }
                if let Some(s) = status {
                    m["status"] = json!(s);
                }
                self.seen.insert(mid.to_string(), (self.mitigations.len(), resolved));
                self.mitigations.push(m);
            }
        }
        self.links.push(json!({ "mitigationId": mid, "linkedId": threat }));
    }

    /// A number not yet used: `wanted` when free.
    fn number(&mut self, wanted: Option<u64>) -> u64 {
        let n = wanted.filter(|n| !self.numbers.contains(n)).unwrap_or_else(|| {
            (1..).find(|n| !self.numbers.contains(n) && !self.reserved.contains(n)).unwrap_or(u64::MAX)
        });
        self.numbers.insert(n);
        n
    }

    fn ours(&mut self, model: &Model, t: &Threat) {
        let id = t.id.to_string();
        let exposed = t.rationale.iter().any(|r| r.contains("Internet") || r.contains("untrusted"));
        let (action, impact, goals) = category_parts(t.category, &t.target.name, t.target.kind == "external");
        let assets = target_assets(model, t.target.id);
        let statement = Statement {
            source: if exposed { "internet-based actor" } else { "threat actor" }.into(),
            prerequisites: format!("who exploits \"{}\" on {}", t.title, t.target.name),
            action,
            impact: impact.into(),
            goals: goals.iter().map(|g| g.to_string()).collect(),
            assets: if assets.is_empty() { vec![t.target.name.clone()] } else { assets },
        };
        let n = self.number(None);
        let mut metadata = vec![
            json!({ "key": "STRIDE", "value": [stride_letter(t.category)] }),
            json!({ "key": "Priority", "value": priority(t.severity) }),
            custom(META_RULE, &t.rule),
            custom(META_TARGET, &t.target.id.to_string()),
            custom(META_STATUS, t.status.as_str()),
            custom(META_DESCRIPTION, &t.description),
        ];
        if !t.rationale.is_empty() {
            metadata.push(custom(META_WHY, &t.rationale.join("; ")));
        }
        if let Some(tr) = &t.triage {
            if !tr.note.is_empty() {
                metadata.insert(0, json!({ "key": "Comments", "value": clamp(&tr.note, 1000) }));
            }
            for (key, value) in [(META_OWNER, &tr.owner), (META_DATE, &tr.date)] {
                if !value.is_empty() {
                    metadata.push(custom(key, value));
                }
            }
        }
        let tags: Vec<String> = [tag(&t.rule), tag(t.severity.as_str())].into_iter().flatten().collect();
        let mut threat = json!({
            "id": id, "numericId": n, "displayOrder": n, "metadata": metadata, "tags": tags,
            "status": tc_status(t.status),
        });
        statement.fields(&mut threat);
        self.threats.push(threat);
        self.ids.insert(id.clone());
        let resolved = t.status == TriageStatus::Mitigated;
        for m in t.mitigations.iter() {
            let mid = mitigation_id(&m.text);
            let source = m.practice.as_deref().map(|p| format!("Practice {p}")).or(m.standard.clone());
            self.link(&mid, &m.text, source.as_deref().unwrap_or(""), None, resolved, &id);
        }
    }

    fn kept(&mut self, k: &KeptThreat, owner: Uuid, n: usize) {
        let fields = kept_fields(&k.description);
        let field = |i: usize| fields.get(FIELDS[i]).cloned().unwrap_or_default();
        let list = |i: usize| -> Vec<String> {
            field(i).split("; ").filter(|x| !x.trim().is_empty()).map(str::to_string).collect()
        };
        let mut id = k.id.trim().to_string();
        if Uuid::parse_str(&id).is_err() || self.ids.contains(&id) {
            id = Uuid::new_v5(&owner, format!("kept:{n}:{}:{}", k.tool, k.title).as_bytes()).to_string();
        }
        self.ids.insert(id.clone());
        let number = self.number(field(7).parse().ok());
        let letters: Vec<&str> = k
            .kind
            .split(", ")
            .filter_map(|c| STRIDE.iter().find(|(_, name)| name.eq_ignore_ascii_case(c.trim())).map(|(l, _)| *l))
            .collect();
        let mut metadata = Vec::new();
        if let Some(c) = fields.get(COMMENTS).filter(|c| !c.is_empty()) {
            metadata.push(json!({ "key": "Comments", "value": clamp(c, 1000) }));
        }
        if !letters.is_empty() {
            metadata.push(json!({ "key": "STRIDE", "value": letters }));
        }
        if let Some(p) = ["High", "Medium", "Low"].into_iter().find(|p| p.eq_ignore_ascii_case(k.severity.trim())) {
            metadata.push(json!({ "key": "Priority", "value": p }));
        }
        if k.tool != TOOL {
            metadata.push(custom(META_TOOL, if k.tool.is_empty() { "OWASP Threat Dragon" } else { &k.tool }));
            if !k.description.is_empty() {
                metadata.push(custom(META_DESCRIPTION, &k.description));
            }
        }
        let status = k.status.unwrap_or(TriageStatus::Open);
        let mut threat = json!({
            "id": id, "numericId": number, "displayOrder": number, "metadata": metadata,
            "tags": list(6).iter().filter_map(|t| tag(t)).collect::<Vec<_>>(),
            "status": tc_status(status),
        });
        if ![TriageStatus::Open, TriageStatus::Mitigated, TriageStatus::NotApplicable].contains(&status) {
            if let Some(m) = threat["metadata"].as_array_mut() {
                m.push(custom(META_STATUS, status.as_str()));
            }
        }
        if fields.is_empty() {
            // Not written in Threat Composer: the title is the whole statement.
            threat["threatSource"] = json!("threat actor");
            threat["threatAction"] = json!(clamp(&lower_first(&k.title), 200));
            threat["statement"] = json!(clamp(&k.title, 1400));
        } else {
            let statement = Statement {
                source: field(0),
                prerequisites: field(1),
                action: field(2),
                impact: field(3),
                goals: list(4),
                assets: list(5),
            };
            statement.fields(&mut threat);
            threat["statement"] = json!(clamp(&k.title, 1400));
        }
        self.threats.push(threat);
        let resolved = status == TriageStatus::Mitigated;
        match parse_mitigations(&k.mitigation) {
            Some(list) => {
                for (content, state, mid, comments) in list {
                    let state = [
                        "mitigationIdentified",
                        "mitigationInProgress",
                        "mitigationResolved",
                        "mitigationResolvedWillNotAction",
                    ]
                    .into_iter()
                    .find(|s| *s == state);
                    let mid = if Uuid::parse_str(&mid).is_ok() {
                        mid
                    } else {
                        Uuid::new_v5(&owner, format!("mitigation:{mid}").as_bytes()).to_string()
                    };
                    self.link(&mid, &content, &comments, state, resolved, &id);
                }
            }
            None if !k.mitigation.trim().is_empty() => {
                let mid = Uuid::new_v5(&owner, format!("mitigation:{}", k.mitigation).as_bytes()).to_string();
                self.link(&mid, &k.mitigation, "", None, resolved, &id);
            }
            None => {}
        }
    }
}

/// The `FIELDS` lines of a kept Threat Composer threat, and `Comments:` to the end.
fn kept_fields(description: &str) -> HashMap<&'static str, String> {
    let mut out = HashMap::new();
    let mut lines = description.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix(COMMENTS) {
            let more: Vec<&str> = lines.by_ref().collect();
            let text = std::iter::once(rest).chain(more).collect::<Vec<_>>().join("\n");
            out.insert(COMMENTS, text);
            break;
        }
        match FIELDS.iter().find(|f| line.starts_with(**f)) {
            Some(f) => {
                out.insert(*f, line[f.len()..].to_string());
            }
            None => return HashMap::new(),
        }
    }
    out
}

/// Names of the data assets an element or flow handles.
fn target_assets(model: &Model, id: Uuid) -> Vec<String> {
    let ids = model
        .elements
        .iter()
        .find(|e| e.id.0 == id)
        .map(|e| &e.assets)
        .or_else(|| model.flows.iter().find(|f| f.id.0 == id).map(|f| &f.assets));
    ids.into_iter().flatten().filter_map(|a| model.asset(*a)).map(|a| a.name.clone()).collect()
}

/// Boundaries with their elements, then the model as YAML (when it fits).
fn architecture(model: &Model) -> String {
    let mut out = String::from("### Boundaries and elements\n\n");
    let line = |e: &crate::model::Element| format!("- **{}** ({}, `{}`)\n", e.name, e.kind.as_str(), e.vendor_type);
    for b in &model.boundaries {
        out.push_str(&format!("- {} ({})\n", b.name, b.kind.as_str()));
        for e in model.elements.iter().filter(|e| e.boundary == Some(b.id)) {
            out.push_str(&format!("  {}", line(e)));
        }
    }
    for e in model.elements.iter().filter(|e| e.boundary.is_none()) {
        out.push_str(&line(e));
    }
    let yaml = crate::yaml::to_string(model);
    let block = format!(
        "\n{MODEL_HEADING}\n\nThe model Threatwright analysed. `threatwright import threat-composer` reads it back \
         with the threats below.\n\n```yaml\n{yaml}\n```\n"
    );
    if out.len() + block.len() <= MAX_DESCRIPTION {
        out.push_str(&block);
    } else {
        out.push_str("\n(The model is too large to embed here.)\n");
    }
    out
}

fn dataflow(model: &Model) -> String {
    let name = |id| model.element(id).map(|e| e.name.as_str()).unwrap_or("?");
    let mut out = String::from("### Data flows\n\n");
    for f in &model.flows {
        let label = if f.label.is_empty() { String::new() } else { format!(": {}", f.label) };
        out.push_str(&format!("- **{}** → **{}**{label}\n", name(f.from), name(f.to)));
    }
    clamp(&out, MAX_DESCRIPTION)
}

/// Scope paragraphs as assumptions (a trailing `Comments:` line as their comment).
fn assumptions(model: &Model) -> Vec<J> {
    model
        .scope
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(|(i, p)| {
            let (content, comments) = match p.rsplit_once(&format!("\n{COMMENTS}")) {
                Some((c, m)) => (c, Some(m)),
                None => (p, None),
            };
            let id = Uuid::new_v5(&crate::model::ids::NAMESPACE, format!("assumption:{content}").as_bytes());
            let mut a = json!({ "id": id.to_string(), "numericId": i + 1, "displayOrder": i + 1,
                "content": clamp(content, 1000) });
            if let Some(c) = comments {
                a["metadata"] = json!([{ "key": "Comments", "value": clamp(c, 1000) }]);
            }
            a
        })
        .collect()
}

/// The model and its analysis as a Threat Composer file (pretty-printed JSON).
pub fn analysis(model: &Model, analysis: &Analysis) -> String {
    let mut out = Out::default();
    let (model_description, model_notes) = notes::split(&model.description);
    let model_id = Uuid::new_v5(&crate::model::ids::NAMESPACE, format!("model:{}", model.name).as_bytes());
    let kept: Vec<(Uuid, Vec<KeptThreat>)> = model
        .elements
        .iter()
        .map(|e| (e.id.0, notes::split(&e.description).1.threats))
        .chain([(model_id, model_notes.threats)])
        .collect();
    out.reserved = kept
        .iter()
        .flat_map(|(_, ks)| ks)
        .filter_map(|k| kept_fields(&k.description).get(FIELDS[7])?.parse().ok())
        .collect();
    for t in &analysis.threats {
        out.ours(model, t);
    }
    for (owner, threats) in &kept {
        for (n, k) in threats.iter().enumerate() {
            out.kept(k, *owner, n);
        }
    }
    for (m, resolved) in out.seen.values() {
        let m = &mut out.mitigations[*m];
        if m.get("status").is_none() {
            m["status"] = json!(if *resolved { "mitigationResolved" } else { "mitigationIdentified" });
        }
    }
    let doc = json!({
        "schema": 1,
        "applicationInfo": { "name": clamp(&model.name, 200), "description": clamp(&model_description, MAX_DESCRIPTION) },
        "architecture": { "description": architecture(model) },
        "dataflow": { "description": dataflow(model) },
        "assumptions": assumptions(model),
        "mitigations": out.mitigations,
        "assumptionLinks": [],
        "mitigationLinks": out.links,
        "threats": out.threats,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
