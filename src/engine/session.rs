//! The guided session: the questions that settle what the analysis had to assume, and the
//! record of each answer.
//!
//! A question is asked of a property that is not set on an element or flow while an open threat
//! rests on it (`Threat::unset`: the rule found it unknown, or took its documented default).
//! Its words are the property's `question` in the schema, never written here. Answering sets
//! the property and logs who answered what, and which threats the answer resolved or raised.
//! Must not: decide what to ask in the UI, or write a property the schema does not allow.

use super::{analyze, Analysis, Options, Threat};
use crate::model::property::{self, PropType, PropertyDef};
use crate::model::{Element, Flow, Model, SessionEntry, Severity, TriageStatus, Value};
use crate::rules::{Catalog, Stride};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// How a question is answered: the buttons or field the session shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerKind {
    /// Yes (`true`) or No (`false`).
    YesNo,
    /// One of the schema's values.
    Choice { options: Vec<String> },
    /// An integer in the schema's range.
    Number {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        min: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        max: i64,
    },
    /// Free text (a runtime, a role, a key's name).
    Text,
    /// A list of strings, comma-separated when typed.
    List,
}

/// A threat a question bears on.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtStake {
    pub id: Uuid,
    pub rule: String,
    pub title: String,
    /// The threat's target: the subject asked about, or a neighbour whose finding rests on it.
    pub target: String,
    pub severity: Severity,
    pub score: u8,
}

/// One question of the guided session.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// The element or flow asked about.
    pub subject: Uuid,
    pub subject_name: String,
    /// `function`, `trigger`, `store`, `external` or `flow`.
    pub subject_kind: String,
    pub property: String,
    /// The schema's question, in the user's words.
    pub question: String,
    /// The schema's line on why the property matters.
    pub why: String,
    pub answer: AnswerKind,
    /// The documented default the analysis took; `None` when it had none (unknown).
    pub default: Option<Value>,
    /// The STRIDE category of the first threat at stake: the session walks categories in order.
    pub category: Stride,
    /// The open threats that rest on the property, highest score first.
    pub threats: Vec<AtStake>,
}

/// An answer to record.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Answer {
    pub subject: Uuid,
    pub property: String,
    pub value: Value,
    /// The answer as the user saw it ("Yes", "cognito").
    pub label: String,
    pub who: String,
    /// `YYYY-MM-DD HH:MM` (UTC).
    pub at: String,
    #[serde(default)]
    pub note: String,
}

/// An element or flow of the model as a session asks about it.
struct Subject<'m> {
    name: String,
    kind: &'static str,
    on: On<'m>,
}

enum On<'m> {
    Element(&'m Element),
    Flow(&'m Flow),
}

impl Subject<'_> {
    /// The schema's definition of `name` for this element or flow.
    fn def(&self, name: &str) -> Option<&'static PropertyDef> {
        match self.on {
            On::Element(e) => property::element_property(name, e.kind, e.category()),
            On::Flow(_) => property::flow_property(name),
        }
    }

    fn is_set(&self, name: &str) -> bool {
        match self.on {
            On::Element(e) => e.properties.contains_key(name),
            On::Flow(f) => f.properties.contains_key(name),
        }
    }
}

fn subject(model: &Model, id: Uuid) -> Option<Subject<'_>> {
    if let Some(e) = model.elements.iter().find(|e| e.id.0 == id) {
        return Some(Subject { name: e.name.clone(), kind: e.kind.as_str(), on: On::Element(e) });
    }
    let f = model.flows.iter().find(|f| f.id.0 == id)?;
    Some(Subject { name: model.flow_name(f.from, f.to, &f.label), kind: "flow", on: On::Flow(f) })
}

fn answer_kind(ty: PropType) -> AnswerKind {
    match ty {
        PropType::Bool => AnswerKind::YesNo,
        PropType::Enum(options) => AnswerKind::Choice { options: options.iter().map(|o| o.to_string()).collect() },
        PropType::Int { min, max } => AnswerKind::Number { min, max },
        PropType::Str => AnswerKind::Text,
        PropType::List => AnswerKind::List,
    }
}

fn at_stake(t: &Threat) -> AtStake {
    AtStake {
        id: t.id,
        rule: t.rule.clone(),
        title: t.title.clone(),
        target: t.target.name.clone(),
        severity: t.severity,
        score: t.score,
    }
}

/// The questions that settle the open threats' unset properties: grouped by element or flow
/// (the one with the highest threat first, then model order), then by STRIDE category, then in
/// schema order. One question per property and subject.
pub fn questions(model: &Model, analysis: &Analysis) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    let mut index: HashMap<(Uuid, &str), usize> = HashMap::new();
    // Threats come ranked, highest score first, so each question's list is too.
    for t in analysis.threats.iter().filter(|t| t.status == TriageStatus::Open) {
        for &(on, name) in &t.unset {
            let Some(s) = subject(model, on) else { continue };
            if s.is_set(name) {
                continue;
            }
            let Some(def) = s.def(name) else { continue };
            let at = *index.entry((on, name)).or_insert_with(|| {
                out.push(Question {
                    subject: on,
                    subject_name: s.name.clone(),
                    subject_kind: s.kind.to_string(),
                    property: name.to_string(),
                    question: def.question.to_string(),
                    why: def.doc.to_string(),
                    answer: answer_kind(def.ty),
                    default: def.default.map(|d| d.to_value()),
                    category: t.category,
                    threats: Vec::new(),
                });
                out.len() - 1
            });
            let q = &mut out[at];
            q.category = q.category.min(t.category);
            if !q.threats.iter().any(|x| x.id == t.id) {
                q.threats.push(at_stake(t));
            }
        }
    }
    let order: HashMap<Uuid, usize> = model
        .elements
        .iter()
        .map(|e| e.id.0)
        .chain(model.flows.iter().map(|f| f.id.0))
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let mut top: HashMap<Uuid, u8> = HashMap::new();
    for q in &out {
        let best = q.threats.iter().map(|t| t.score).max().unwrap_or(0);
        let e = top.entry(q.subject).or_insert(0);
        *e = (*e).max(best);
    }
    out.sort_by(|a, b| {
        top[&b.subject]
            .cmp(&top[&a.subject])
            .then(order[&a.subject].cmp(&order[&b.subject]))
            .then(a.category.cmp(&b.category))
            .then(property::schema_rank(&a.property).cmp(&property::schema_rank(&b.property)))
    });
    out
}

/// "title on target (rule)": how the log names a threat.
fn named(t: &Threat) -> String {
    format!("{} on {} ({})", t.title, t.target.name, t.rule)
}

/// Records an answer: sets the property on its element or flow (checked against the schema),
/// and appends the log entry with the threats the answer resolved and raised. Returns the new
/// model and the entry; the caller commits the model as one edit.
pub fn answer(
    model: &Model,
    catalog: &Catalog,
    options: &Options,
    a: &Answer,
) -> Result<(Model, SessionEntry), String> {
    let s = subject(model, a.subject).ok_or_else(|| format!("no element or flow has the id {}", a.subject))?;
    let def =
        s.def(&a.property).ok_or_else(|| format!("`{}` is not a property of this element or flow", a.property))?;
    def.ty.check(&a.value).map_err(|e| format!("`{}`: {e}", a.property))?;
    let mut next = model.clone();
    if let Some(e) = next.elements.iter_mut().find(|e| e.id.0 == a.subject) {
        e.properties.insert(a.property.clone(), a.value.clone());
    } else if let Some(f) = next.flows.iter_mut().find(|f| f.id.0 == a.subject) {
        f.properties.insert(a.property.clone(), a.value.clone());
    }
    let before = analyze(model, catalog, options);
    let after = analyze(&next, catalog, options);
    let ids = |an: &Analysis| an.threats.iter().map(|t| t.id).collect::<std::collections::HashSet<_>>();
    let (was, is) = (ids(&before), ids(&after));
    let entry = SessionEntry {
        at: a.at.clone(),
        who: a.who.clone(),
        subject: s.name.clone(),
        property: a.property.clone(),
        question: def.question.to_string(),
        answer: a.label.clone(),
        note: a.note.clone(),
        resolved: before.threats.iter().filter(|t| !is.contains(&t.id)).map(named).collect(),
        raised: after.threats.iter().filter(|t| !was.contains(&t.id)).map(named).collect(),
    };
    next.session.push(entry.clone());
    Ok((next, entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_catalog;

    const MODEL: &str = r#"
name: Session
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
elements:
  - {name: Client, kind: external, type: generic.browser, boundary: Internet}
  - {name: Orders API, kind: trigger, type: aws.apigateway, boundary: Account, properties: {auth: cognito, throttling: true, waf: true}}
  - {name: Handler, kind: function, type: aws.lambda, boundary: Account, properties: {runtime: nodejs22.x, reserved_concurrency: 10}}
flows:
  - {from: Client, to: Orders API, protocol: HTTPS, encrypted: true}
  - {from: Orders API, to: Handler}
"#;

    fn setup() -> (Model, Catalog, Options) {
        (crate::yaml::parse_model(MODEL, "session.yaml").unwrap(), builtin_catalog().unwrap(), Options::default())
    }

    fn ask(model: &Model, catalog: &Catalog, options: &Options) -> Vec<Question> {
        questions(model, &analyze(model, catalog, options))
    }

    fn answer_to(q: &Question, value: Value, label: &str) -> Answer {
        Answer {
            subject: q.subject,
            property: q.property.clone(),
            value,
            label: label.into(),
            who: "ana".into(),
            at: "2026-12-05 20:41".into(),
            note: "checked in the handler's code".into(),
        }
    }

    #[test]
    fn every_property_of_the_schema_has_a_question() {
        for p in property::PROPERTIES {
            assert!(p.question.ends_with('?') && p.question.len() > 15, "{}: {:?}", p.name, p.question);
        }
    }

    #[test]
    fn questions_ask_about_unset_properties_that_open_threats_rest_on() {
        let (model, catalog, options) = setup();
        let analysis = analyze(&model, &catalog, &options);
        let qs = questions(&model, &analysis);
        assert!(!qs.is_empty());
        let handler = model.elements.iter().find(|e| e.name == "Handler").unwrap();
        let q = qs.iter().find(|q| q.subject == handler.id.0 && q.property == "input_validation").expect("asked");
        assert_eq!(q.question, "Does this handler validate its input before using it?");
        assert_eq!(q.answer, AnswerKind::YesNo);
        assert_eq!(q.default, None, "no default: the threats fire at low confidence");
        for q in &qs {
            let s = subject(&model, q.subject).unwrap();
            assert!(!s.is_set(&q.property), "{} is set on {}", q.property, q.subject_name);
            assert!(!q.threats.is_empty());
            for t in &q.threats {
                let threat = analysis.threats.iter().find(|x| x.id == t.id).unwrap();
                assert!(threat.unset.contains(&(q.subject, q.property.as_str())));
            }
            assert!(q.threats.windows(2).all(|w| w[0].score >= w[1].score));
        }
        // One question per property and subject.
        let mut keys: Vec<_> = qs.iter().map(|q| (q.subject, q.property.clone())).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), qs.len());
        // Grouped by subject: a subject's questions are consecutive.
        let mut seen = Vec::new();
        for q in &qs {
            if seen.last() != Some(&q.subject) {
                assert!(!seen.contains(&q.subject), "{} comes back later", q.subject_name);
                seen.push(q.subject);
            }
        }
        // A property set by the model is never asked.
        assert!(!qs.iter().any(|q| q.property == "runtime" || q.property == "auth"));
    }

    #[test]
    fn an_answer_sets_the_property_logs_it_and_names_the_threats_it_resolved() {
        let (model, catalog, options) = setup();
        let qs = ask(&model, &catalog, &options);
        let q = qs.iter().find(|q| q.property == "input_validation").unwrap();
        let (next, entry) = answer(&model, &catalog, &options, &answer_to(q, Value::Bool(true), "Yes")).unwrap();
        let handler = next.elements.iter().find(|e| e.name == "Handler").unwrap();
        assert_eq!(handler.properties.get("input_validation"), Some(&Value::Bool(true)));
        assert_eq!(next.session, vec![entry.clone()]);
        assert_eq!(entry.subject, "Handler");
        assert_eq!(entry.who, "ana");
        assert_eq!(entry.answer, "Yes");
        assert_eq!(entry.question, q.question);
        assert!(!entry.resolved.is_empty(), "a validated handler settles the injection finding");
        for title in &q.threats {
            assert!(entry.resolved.iter().any(|r| r.contains(&title.rule)), "{} not resolved", title.rule);
        }
        assert!(entry.raised.is_empty());
        // The question is settled: not asked again.
        assert!(!ask(&next, &catalog, &options).iter().any(|x| x.subject == q.subject && x.property == q.property));
        // The opposite answer keeps the threats, now certain: nothing resolved.
        let (_, no) = answer(&model, &catalog, &options, &answer_to(q, Value::Bool(false), "No")).unwrap();
        assert!(no.resolved.is_empty(), "{:?}", no.resolved);
    }

    #[test]
    fn an_answer_can_raise_threats() {
        let (model, catalog, options) = setup();
        let qs = ask(&model, &catalog, &options);
        let q = qs.iter().find(|q| q.property == "input_validation").unwrap();
        let mut yes = answer_to(q, Value::Bool(true), "Yes");
        let (validated, _) = answer(&model, &catalog, &options, &yes).unwrap();
        // Undoing the validation by an answer raises the finding again.
        yes.value = Value::Bool(false);
        yes.label = "No".into();
        let (_, entry) = answer(&validated, &catalog, &options, &yes).unwrap();
        assert!(!entry.raised.is_empty());
        assert_eq!(validated.session.len(), 1);
    }

    #[test]
    fn answers_the_schema_does_not_allow_are_refused() {
        let (model, catalog, options) = setup();
        let qs = ask(&model, &catalog, &options);
        let q = qs.iter().find(|q| q.property == "input_validation").unwrap();
        let err = answer(&model, &catalog, &options, &answer_to(q, Value::Str("maybe".into()), "maybe")).unwrap_err();
        assert!(err.contains("expected true or false"), "{err}");
        let mut a = answer_to(q, Value::Bool(true), "Yes");
        a.property = "mfa".into();
        assert!(answer(&model, &catalog, &options, &a).unwrap_err().contains("not a property"));
        a.subject = Uuid::nil();
        assert!(answer(&model, &catalog, &options, &a).unwrap_err().contains("no element or flow"));
    }

    #[test]
    fn the_log_round_trips_through_the_model_file() {
        let (model, catalog, options) = setup();
        let qs = ask(&model, &catalog, &options);
        let mut m = model;
        for q in qs.iter().take(3) {
            let value = match &q.answer {
                AnswerKind::YesNo => Value::Bool(true),
                AnswerKind::Choice { options } => Value::Str(options[0].clone()),
                AnswerKind::Number { min, .. } => Value::Int((*min).max(1)),
                AnswerKind::Text => Value::Str("x".into()),
                AnswerKind::List => Value::List(vec!["x".into()]),
            };
            m = answer(&m, &catalog, &options, &answer_to(q, value, "an answer")).unwrap().0;
        }
        assert_eq!(m.session.len(), 3);
        let text = crate::yaml::to_string(&m);
        assert!(text.contains("session:"), "{text}");
        let back = crate::yaml::parse_model(&text, "back.yaml").unwrap();
        assert_eq!(back.session, m.session);
    }
}
