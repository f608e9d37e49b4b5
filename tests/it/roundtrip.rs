//! The YAML format is lossless: write → read gives back the same model, for
//! the examples and for generated models; and reading never panics.

use crate::support::root;
use proptest::prelude::*;
use threatwright::model::*;
use threatwright::yaml;

#[test]
fn examples_round_trip() {
    for name in ["orders-service", "photo-pipeline"] {
        let path = root().join(format!("models/examples/{name}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let model = yaml::parse_model(&text, name).unwrap();
        let written = yaml::to_string(&model);
        let again = yaml::parse_model(&written, name).unwrap();
        assert_eq!(model, again, "{name} changed on round trip");
        assert_eq!(written, yaml::to_string(&again), "{name}: writer is deterministic");
    }
}

fn name() -> impl Strategy<Value = String> {
    // Names with spaces, punctuation, accents, CJK and strings that look like
    // other YAML types must all survive.
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 _-]{0,12}",
        Just("true".to_string()),
        Just("123".to_string()),
        Just("Café ñ".to_string()),
        Just("注文サービス".to_string()),
        Just("a: b # c".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (-5i64..100_000).prop_map(Value::Int),
        name().prop_map(Value::Str),
        proptest::collection::vec(name(), 0..3).prop_map(Value::List),
    ]
}

/// Every flow property of the schema: the generated flows carry each of them,
/// so a property the writer writes but the reader does not know fails here.
fn flow_property_names() -> Vec<&'static str> {
    property::PROPERTIES.iter().filter(|p| p.scope == property::Scope::Flow).map(|p| p.name).collect()
}

prop_compose! {
    fn model()(
        names in proptest::collection::btree_set(name(), 1..8),
        kinds in proptest::collection::vec(0usize..4, 8),
        props in proptest::collection::vec(proptest::collection::btree_map("[a-z_]{1,8}", value(), 0..3), 8),
        edges in proptest::collection::vec((0usize..8, 0usize..8, "[a-z ]{0,6}", any::<bool>()), 0..10),
        flow_values in proptest::collection::vec(
            proptest::collection::vec(proptest::option::of(value()), flow_property_names().len()),
            10,
        ),
        classification in 0usize..4,
        nested in any::<bool>(),
        desc in "[ -~]{0,30}",
        xy in (-500i64..500, -500i64..500),
    ) -> Model {
        let names: Vec<String> = names.into_iter().collect();
        let asset = DataAsset {
            id: AssetId::derive("asset", 0),
            name: "Data".into(),
            classification: Classification::ALL[classification],
            tags: vec!["pii".into()],
            description: desc.clone(),
        };
        let outer = Boundary { id: BoundaryId::derive("outer", 0), name: "Outer".into(), kind: BoundaryKind::Account,
            parent: None, description: String::new(), position: Some(Position { x: xy.0, y: xy.1 }), size: Some(Size { width: 300, height: 200 }) };
        let inner = Boundary { id: BoundaryId::derive("inner", 0), name: "Inner".into(), kind: BoundaryKind::Vpc,
            parent: nested.then_some(outer.id), description: desc.clone(), position: None, size: None };
        let types = ["aws.lambda", "aws.sqs", "aws.dynamodb", "generic.user"];
        let elements: Vec<Element> = names.iter().enumerate().map(|(i, n)| Element {
            id: ElementId::derive(n, 0),
            name: n.clone(),
            kind: ElementKind::ALL[kinds[i]],
            vendor_type: types[kinds[i]].into(),
            boundary: if i % 2 == 0 { Some(inner.id) } else { None },
            description: desc.clone(),
            properties: props[i].clone().into_iter().collect(),
            assets: if i == 0 { vec![asset.id] } else { vec![] },
            mitigations: if i == 1 { vec!["least_privilege".into()] } else { vec![] },
            position: (i % 3 == 0).then_some(Position { x: xy.0 + i as i64, y: xy.1 }),
        }).collect();
        let n = elements.len();
        let flows = edges.iter().enumerate().map(|(i, (a, b, label, enc))| {
            let mut properties = Properties::new();
            properties.insert("encrypted".into(), Value::Bool(*enc));
            for (key, v) in flow_property_names().into_iter().zip(&flow_values[i]) {
                if let Some(v) = v {
                    properties.insert(key.into(), v.clone());
                }
            }
            Flow { id: FlowId::derive(&format!("f{i}"), 0), from: elements[a % n].id, to: elements[b % n].id,
                label: label.clone(), properties, assets: vec![asset.id] }
        }).collect();
        let grants = vec![Grant { id: GrantId::derive("g", 0), principal: elements[0].id,
            target: match classification {
                0 => GrantTarget::Any,
                1 => GrantTarget::Unmodelled("arn:aws:s3:::x/*".into()),
                2 => GrantTarget::Unmodelled("OpenSearchRole.Arn".into()),
                _ => GrantTarget::Unmodelled(names[0].clone()),
            },
            actions: vec!["s3:*".into()] }];
        let triage = vec![TriageDecision { threat: threatwright::model::ids::threat_id("TW-API-001", elements[0].id.0),
            rule: "TW-API-001".into(), target: names[0].clone(), status: TriageStatus::ALL[classification],
            note: desc.clone(), owner: "alice".into(), date: "2026-11-29".into() }];
        Model { name: names[0].clone(), description: desc.clone(), version: "1".into(), author: String::new(), scope: String::new(),
            assets: vec![asset], boundaries: vec![outer, inner], elements, flows, grants, triage,
            session: vec![threatwright::model::SessionEntry { at: "2026-12-05 20:41".into(), who: "alice".into(),
                subject: names[0].clone(), property: "auth".into(), question: desc.clone(), answer: names[0].clone(),
                note: desc.clone(), resolved: vec![desc.clone()], raised: if nested { vec![names[0].clone()] } else { vec![] } }],
            risk: if nested {
                threatwright::risk::RiskSettings { bands: threatwright::risk::Bands { medium: 4, high: 9, critical: 16 },
                    matrix: Some((1..=5u8).map(|l| (1..=5u8).map(|i| l * i).collect()).collect()), ..Default::default() }
            } else {
                Default::default()
            } }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// write → read → equal, for models that need not be valid (the format
    /// must carry whatever the editor holds, including wrong property types).
    #[test]
    fn write_then_read_is_lossless(m in model()) {
        let text = yaml::to_string(&m);
        let root = yaml::load(&text, yaml::Limits::default()).expect("written YAML parses");
        let (back, _, problems) = yaml::read::read(&root);
        prop_assert!(problems.is_empty(), "read problems: {:?}\n{}", problems, text);
        prop_assert_eq!(&m, &back, "\n{}", text);
        prop_assert_eq!(text, yaml::to_string(&back));
    }

    /// Arbitrary text never panics the parser; it is a model or diagnostics.
    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = yaml::parse_model(&text, "fuzz.yaml");
    }

    /// Mutated valid models never panic either.
    #[test]
    fn parsing_mutated_models_never_panics(cut in 0usize..4000, insert in "[\\[\\]{}:&*!|># \n-]{0,4}") {
        let base = include_str!("../../models/examples/photo-pipeline.yaml");
        let cut = cut.min(base.len());
        let cut = (0..=cut).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
        let text = format!("{}{}{}", &base[..cut], insert, &base[cut..]);
        let _ = yaml::parse_model(&text, "mutated.yaml");
    }
}
