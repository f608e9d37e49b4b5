//! The rule catalog checks itself: every rule's examples fire or stay
//! silent as declared, the embedded file list matches `models/rules/`, and
//! the catalog is broad enough.

use crate::support::root;
use threatwright::engine::{fires_on, Options};
use threatwright::graph::Prices;
use threatwright::rules::load::{CondHead, OpKind, BUILTIN_FILES, HEADS, OPS};
use threatwright::rules::{builtin_catalog, parse_rule_file, Cond, Op};

#[test]
fn every_rule_example_fires_or_stays_silent_as_declared() {
    let catalog = builtin_catalog().unwrap_or_else(|d| panic!("built-in catalog fails to load:\n{d}"));
    let options = Options::default();
    let mut failures = Vec::new();
    for rule in &catalog.rules {
        for ex in &rule.fires {
            if !fires_on(&ex.model, rule, &ex.target, &options) {
                failures.push(format!("{}:{}: {} should fire on `{}`", rule.file, ex.line, rule.id, ex.target));
            }
        }
        for ex in &rule.silent {
            if fires_on(&ex.model, rule, &ex.target, &options) {
                failures.push(format!("{}:{}: {} should stay silent on `{}`", rule.file, ex.line, rule.id, ex.target));
            }
        }
    }
    assert!(failures.is_empty(), "{} example(s) misbehave:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn embedded_rule_files_match_the_folder() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("models/rules"))
        .unwrap()
        .map(|e| format!("models/rules/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = BUILTIN_FILES.iter().map(|(f, _)| f.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "add new rule files to BUILTIN_FILES in src/rules/load/mod.rs");
}

/// A one-rule file whose condition is `cond`, on functions or on flows.
fn rule_text(cond: &str, flow: bool) -> String {
    let (kind, target, model) = if flow {
        (
            "flow",
            "A -> B",
            "{elements: [{name: A, type: aws.lambda}, {name: B, type: aws.lambda}], flows: [{from: A, to: B}]}",
        )
    } else {
        ("function", "A", "{elements: [{name: A, type: aws.lambda}]}")
    };
    format!(
        "rules:\n  - id: T-1\n    title: t\n    category: Spoofing\n    description: d\n    applies_to: {{kind: {kind}}}\n    when: {cond}\n    likelihood: 1\n    impact: 1\n    mitigations: [{{text: m, practice: api_security}}]\n    examples:\n      fires: [{{target: {target}, model: {model}}}]\n      silent: [{{target: {target}, model: {model}}}]\n"
    )
}

fn parse_when(cond: &str, flow: bool) -> Cond {
    let text = rule_text(cond, flow);
    let rules = parse_rule_file(&text, "t.yaml").unwrap_or_else(|d| panic!("`{cond}` does not parse:\n{d}"));
    rules.rules.into_iter().next().expect("one rule").when
}

#[test]
fn every_condition_head_of_the_table_parses_into_its_own_condition() {
    for &(name, head) in HEADS {
        assert_eq!(CondHead::parse(name), Some(head));
        assert_eq!(head.name(), name);
        // The match is exhaustive: a new head needs a sample here.
        let (sample, flow) = match head {
            CondHead::All => ("{all: [{fact: has_grants}]}", false),
            CondHead::Any => ("{any: [{fact: has_grants}]}", false),
            CondHead::Not => ("{not: {fact: has_grants}}", false),
            CondHead::Property => ("{property: timeout, gt: 3}", false),
            CondHead::Fact => ("{fact: fan_in, gte: 1}", false),
            CondHead::Category => ("{category: [function]}", false),
            CondHead::Vendor => ("{vendor: [aws]}", false),
            CondHead::Data => ("{data: confidential}", false),
            CondHead::Tagged => ("{tagged: [pci]}", false),
            CondHead::Source => ("{source: {category: [function]}}", true),
            CondHead::Target => ("{target: {category: [function]}}", true),
            CondHead::AnyInbound => ("{any_inbound: {fact: async}}", false),
            CondHead::AnyOutbound => ("{any_outbound: {fact: async}}", false),
        };
        assert!(sample.starts_with(&format!("{{{name}:")), "sample of `{name}` uses another head");
        let parsed = match parse_when(sample, flow) {
            Cond::All(_) => CondHead::All,
            Cond::Any(_) => CondHead::Any,
            Cond::Not(_) => CondHead::Not,
            Cond::Property { .. } => CondHead::Property,
            Cond::Fact { .. } => CondHead::Fact,
            Cond::Category(_) => CondHead::Category,
            Cond::Vendor(_) => CondHead::Vendor,
            Cond::Data(_) => CondHead::Data,
            Cond::Tagged(_) => CondHead::Tagged,
            Cond::Source(_) => CondHead::Source,
            Cond::Target(_) => CondHead::Target,
            Cond::AnyInbound(_) => CondHead::AnyInbound,
            Cond::AnyOutbound(_) => CondHead::AnyOutbound,
        };
        assert_eq!(parsed, head, "`{sample}`");
    }
}

#[test]
fn every_operator_of_the_table_parses_into_its_own_operator() {
    for &(name, kind) in OPS {
        assert_eq!(OpKind::parse(name), Some(kind));
        assert_eq!(kind.name(), name);
        let value = match kind {
            OpKind::Equals | OpKind::NotEquals => "tracing, VALUE: true",
            OpKind::In => "runtime, VALUE: [python3.9]",
            OpKind::Gt | OpKind::Gte | OpKind::Lt | OpKind::Lte => "timeout, VALUE: 30",
            OpKind::IsSet => "runtime, VALUE: true",
            OpKind::Contains | OpKind::ContainsMatch => "environment, VALUE: API_KEY",
            OpKind::Matches => "runtime, VALUE: python*",
        };
        let cond = format!("{{property: {}}}", value.replace("VALUE", name));
        let Cond::Property { op, .. } = parse_when(&cond, false) else {
            panic!("`{cond}` is not a property condition")
        };
        let parsed = match op {
            Op::Equals(_) => OpKind::Equals,
            Op::NotEquals(_) => OpKind::NotEquals,
            Op::In(_) => OpKind::In,
            Op::Gt(_) => OpKind::Gt,
            Op::Gte(_) => OpKind::Gte,
            Op::Lt(_) => OpKind::Lt,
            Op::Lte(_) => OpKind::Lte,
            Op::IsSet(_) => OpKind::IsSet,
            Op::Contains(_) => OpKind::Contains,
            Op::ContainsMatch(_) => OpKind::ContainsMatch,
            Op::Matches(_) => OpKind::Matches,
        };
        assert_eq!(parsed, kind, "`{cond}`");
    }
}

#[test]
fn a_key_that_is_no_head_is_a_located_error_not_a_panic() {
    let text = rule_text("{propertyy: timeout, gt: 3}", false);
    let err = parse_rule_file(&text, "t.yaml").unwrap_err().to_string();
    assert!(err.contains("t.yaml:7:") && err.contains("a condition needs exactly one of all, any, not"), "{err}");
}

/// The double-counting guard as the loader kept it by hand before facts
/// declared `prices_in` (commit 8594f1b); the derived flags must agree with
/// it on every built-in rule.
#[test]
fn derived_double_counting_guard_matches_the_hand_kept_list_on_every_builtin_rule() {
    use threatwright::graph::FactId as F;
    let exposure = [
        F::InternetFacing,
        F::InternetReachable,
        F::UntrustedInput,
        F::UntrustedAsyncInput,
        F::AttackPaths,
        F::FromUntrusted,
        F::UntrustedSource,
    ];
    // ResourceExposure came later (issue 16) and prices privilege in as the others do.
    let privilege = [
        F::BlastRadius,
        F::BlastRadiusSensitive,
        F::WildcardAction,
        F::WildcardResource,
        F::AdminActions,
        F::ResourceExposure,
    ];
    let uses =
        |when: &Cond, list: &[F]| when.any_atom(&|c| matches!(c, Cond::Fact { fact, .. } if list.contains(fact)));
    let catalog = builtin_catalog().unwrap();
    for rule in &catalog.rules {
        let data = rule.when.any_atom(&|c| matches!(c, Cond::Data(_) | Cond::Tagged(_)));
        assert_eq!(rule.uses_exposure, uses(&rule.when, &exposure), "{} exposure", rule.id);
        assert_eq!(rule.uses_privilege, uses(&rule.when, &privilege), "{} privilege", rule.id);
        assert_eq!(rule.uses_data, data, "{} data", rule.id);
    }
    // The listed facts keep their declaration; a new fact declares its own.
    for def in threatwright::graph::FACTS {
        if exposure.contains(&def.id) {
            assert_eq!(def.prices_in, Some(Prices::Exposure), "fact `{}`", def.name);
        } else if privilege.contains(&def.id) {
            assert_eq!(def.prices_in, Some(Prices::Privilege), "fact `{}`", def.name);
        }
    }
}

/// The ids of `models/rules/retired.txt`, read from the committed file.
fn retired_txt() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("models/rules/retired.txt")).unwrap();
    threatwright::rules::load::parse_retired(&text, "models/rules/retired.txt")
        .unwrap_or_else(|d| panic!("retired.txt does not parse:\n{d}"))
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn retired_ids_are_listed_and_never_active() {
    let catalog = builtin_catalog().unwrap();
    let listed = retired_txt();
    assert!(!listed.is_empty());
    for id in &listed {
        assert!(catalog.rule(id).is_none(), "retired id `{id}` is an active rule");
        assert!(catalog.retired.iter().any(|r| &r.id == id), "retired id `{id}` is not reserved by the catalog");
    }
    for r in &catalog.retired {
        assert!(listed.contains(&r.id), "{}:{}: `{}` is deprecated but not in retired.txt", r.file, r.line, r.id);
    }
    assert!(listed.iter().any(|id| id == "TW-FN-013"));
}

#[test]
fn a_deprecated_rule_is_skipped_and_its_id_stays_reserved() {
    let text = "rules:\n  - id: OLD-1\n    title: gone\n    deprecated: {since: 0.1.0, reason: replaced by NEW-1}\n    when: {property: no_such_property, equals: 1}\n";
    let file = parse_rule_file(text, "old.yaml").unwrap();
    assert!(file.rules.is_empty());
    assert_eq!(file.retired.len(), 1);
    assert_eq!((file.retired[0].id.as_str(), file.retired[0].since.as_str()), ("OLD-1", "0.1.0"));

    let err = parse_rule_file("rules:\n  - id: OLD-1\n    deprecated: {since: 0.1.0}\n", "old.yaml").unwrap_err();
    assert!(err.to_string().contains("old.yaml:3:") && err.to_string().contains("missing `reason`"), "{err}");

    let mut catalog = builtin_catalog().unwrap();
    let reuse =
        parse_rule_file(&rule_text("{fact: has_grants}", false).replace("T-1", "TW-FN-013"), "mine.yaml").unwrap();
    let err = catalog.extend(reuse).unwrap_err().to_string();
    assert!(err.starts_with("mine.yaml:2:1: rule id `TW-FN-013` was retired in 0.1.0"), "{err}");
    assert!(err.contains("never reused"), "{err}");
}

/// Findings that say "this function URL accepts unauthenticated requests":
/// CWE-306 threats on the URL element or the function behind it.
fn unauthenticated_url_findings(model: &threatwright::model::Model, names: &[&str]) -> Vec<(String, String)> {
    let catalog = builtin_catalog().unwrap();
    let options = Options { as_of: "2026-11-01".into(), ..Options::default() };
    threatwright::engine::analyze(model, &catalog, &options)
        .threats
        .into_iter()
        .filter(|t| names.contains(&t.target.name.as_str()) && t.references.cwe.contains(&306))
        .map(|t| (t.rule, t.target.name))
        .collect()
}

#[test]
fn one_unauthenticated_function_url_is_one_finding() {
    let text = "name: m\nelements:\n  - {name: User, type: generic.browser}\n  - {name: URL, type: aws.lambda_url, properties: {auth: none}}\n  - {name: Fn, type: aws.lambda}\nflows:\n  - {from: User, to: URL}\n  - {from: URL, to: Fn}\n";
    let model = threatwright::yaml::parse_model(text, "m.yaml").unwrap();
    let found = unauthenticated_url_findings(&model, &["URL", "Fn"]);
    assert_eq!(found, vec![("TW-API-013".to_string(), "URL".to_string())]);
}

#[test]
fn an_imported_unauthenticated_function_url_is_one_finding() {
    let path = "tests/corpus/serverless/media-pipeline.yml";
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let imported = threatwright::import::serverless::import(&text, path).unwrap();
    let found = unauthenticated_url_findings(&imported.model, &["preview", "previewUrl"]);
    assert_eq!(found, vec![("TW-API-013".to_string(), "previewUrl".to_string())]);
}

#[test]
fn rule_format_doc_names_every_head_and_operator() {
    let doc = std::fs::read_to_string(root().join("docs/rule-format.md")).unwrap();
    for name in HEADS.iter().map(|(n, _)| *n).chain(OPS.iter().map(|(n, _)| *n)) {
        assert!(doc.contains(&format!("`{name}")), "docs/rule-format.md does not document `{name}`");
    }
}

/// A rule with likelihood 3 and the given `less_likely_when` value.
fn less_likely_rule(entry: &str) -> String {
    rule_text("{property: timeout, gt: 3}", false)
        .replace("    likelihood: 1\n", &format!("    likelihood: 3\n    less_likely_when: {entry}\n"))
}

#[test]
fn less_likely_when_parses_and_its_mistakes_are_located() {
    let ok = less_likely_rule("[{when: {property: memory, gt: 1024}, likelihood: 1, because: b}]");
    let rule = parse_rule_file(&ok, "t.yaml").unwrap_or_else(|d| panic!("{d}")).rules.remove(0);
    assert_eq!(rule.less_likely_when.len(), 1);
    assert_eq!((rule.less_likely_when[0].likelihood, rule.less_likely_when[0].because.as_str()), (1, "b"));
    for (entry, want) in [
        (
            "[{when: {property: memory, gt: 1}, likelihood: 3, because: b}]",
            "must be lower than the rule's likelihood 3",
        ),
        ("[{when: {property: memory, gt: 1}, likelihood: 1}]", "missing `because`"),
        ("[{likelihood: 1, because: b}]", "missing `when`"),
        ("[{when: {property: nosuch, gt: 1}, likelihood: 1, because: b}]", "nosuch"),
        ("{when: {property: memory, gt: 1}}", "expects a list"),
    ] {
        let err = parse_rule_file(&less_likely_rule(entry), "t.yaml").unwrap_err().to_string();
        assert!(err.contains("t.yaml:") && err.contains(want), "{entry}: {err}");
    }
}
