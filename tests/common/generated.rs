//! A generated model of public API → function → table chains, insecure
//! enough to fire many rules: shared by the PDF tests and the PDF benchmark
//! (both include this file with `#[path]`).

use threatwright::model::*;

fn add(
    m: &mut Model,
    name: String,
    kind: ElementKind,
    ty: &str,
    boundary: BoundaryId,
    props: Vec<(&str, Value)>,
) -> ElementId {
    let id = ElementId::derive(&name, 0);
    let assets = if kind == ElementKind::Store { m.assets.iter().map(|a| a.id).collect() } else { vec![] };
    m.elements.push(Element {
        id,
        name,
        kind,
        vendor_type: ty.into(),
        boundary: Some(boundary),
        description: String::new(),
        properties: props.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        assets,
        mitigations: vec![],
        position: None,
    });
    id
}

/// A model of `units` API → function → table chains, mostly insecure.
pub fn generated(units: usize) -> Model {
    let mut m = Model {
        name: format!("Generated {units}"),
        version: "1".into(),
        author: "generated".into(),
        ..Model::default()
    };
    let pii = DataAsset {
        id: AssetId::derive("pii", 0),
        name: "PII".into(),
        classification: Classification::Confidential,
        tags: vec!["pii".into()],
        description: String::new(),
    };
    m.assets.push(pii.clone());
    let internet = Boundary {
        id: BoundaryId::derive("internet", 0),
        name: "Internet".into(),
        kind: BoundaryKind::Internet,
        parent: None,
        description: String::new(),
        position: None,
        size: None,
    };
    let account = Boundary {
        id: BoundaryId::derive("account", 0),
        name: "Account".into(),
        kind: BoundaryKind::Account,
        parent: None,
        description: String::new(),
        position: None,
        size: None,
    };
    m.boundaries = vec![internet.clone(), account.clone()];
    let client = add(&mut m, "Client".into(), ElementKind::External, "generic.browser", internet.id, vec![]);
    let mut flows = 0;
    for u in 0..units {
        let api = add(
            &mut m,
            format!("API {u}"),
            ElementKind::Trigger,
            "aws.apigateway",
            account.id,
            vec![("auth", Value::Str("none".into()))],
        );
        let func = add(
            &mut m,
            format!("Handler {u}"),
            ElementKind::Function,
            "aws.lambda",
            account.id,
            vec![("runtime", Value::Str("python3.8".into())), ("environment", Value::List(vec!["DB_PASSWORD".into()]))],
        );
        let table = add(&mut m, format!("Table {u}"), ElementKind::Store, "aws.dynamodb", account.id, vec![]);
        for (a, b) in [(client, api), (api, func), (func, table)] {
            flows += 1;
            m.flows.push(Flow {
                id: FlowId::derive("flow", flows),
                from: a,
                to: b,
                label: format!("call {flows}"),
                properties: Properties::new(),
                assets: vec![pii.id],
            });
        }
    }
    m
}
