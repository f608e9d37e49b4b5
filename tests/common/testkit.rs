//! The test-model kit: one `ModelBuilder`, and the generated models the
//! integration tests and the benchmarks share. Include it with `#[path]`
//! (`tests/it/main.rs` declares `mod testkit`; a bench writes
//! `#[path = "../tests/common/testkit.rs"] mod testkit;`).
//!
//! Everything is deterministic: ids are v5 derivations of fixed keys, and the
//! one pseudo-random choice (cross-links in `analysis_estate`) uses a fixed
//! xorshift seed. It builds models only; it reads no files and no clock.
#![allow(dead_code)]

use threatwright::model::*;

/// Builds a `Model` piece by piece; each adder derives the id from `key`
/// and returns the new item so a caller can set what the defaults leave out.
pub struct ModelBuilder {
    pub model: Model,
}

impl ModelBuilder {
    pub fn new(name: impl Into<String>) -> Self {
        ModelBuilder { model: Model { name: name.into(), ..Model::default() } }
    }

    pub fn asset(&mut self, key: &str, name: &str, classification: Classification, tags: &[&str]) -> AssetId {
        let id = AssetId::derive(key, 0);
        self.model.assets.push(DataAsset {
            id,
            name: name.into(),
            classification,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            description: String::new(),
        });
        id
    }

    pub fn boundary(&mut self, key: &str, name: &str, kind: BoundaryKind) -> BoundaryId {
        let id = BoundaryId::derive(key, 0);
        self.model.boundaries.push(Boundary {
            id,
            name: name.into(),
            kind,
            parent: None,
            description: String::new(),
            position: None,
            size: None,
        });
        id
    }

    pub fn element(
        &mut self,
        key: &str,
        name: impl Into<String>,
        kind: ElementKind,
        vendor_type: &str,
        boundary: Option<BoundaryId>,
    ) -> &mut Element {
        self.model.elements.push(Element {
            id: ElementId::derive(key, 0),
            name: name.into(),
            kind,
            vendor_type: vendor_type.into(),
            boundary,
            description: String::new(),
            properties: Properties::new(),
            assets: vec![],
            mitigations: vec![],
            position: None,
        });
        self.model.elements.last_mut().expect("just pushed")
    }

    pub fn flow(&mut self, id: FlowId, from: ElementId, to: ElementId) -> &mut Flow {
        self.model.flows.push(Flow {
            id,
            from,
            to,
            label: String::new(),
            properties: Properties::new(),
            assets: vec![],
        });
        self.model.flows.last_mut().expect("just pushed")
    }

    pub fn grant(&mut self, key: &str, principal: ElementId, target: GrantTarget, actions: &[&str]) -> &mut Grant {
        self.model.grants.push(Grant {
            id: GrantId::derive(key, 0),
            principal,
            target,
            actions: actions.iter().map(|a| a.to_string()).collect(),
        });
        self.model.grants.last_mut().expect("just pushed")
    }

    pub fn build(self) -> Model {
        self.model
    }
}

/// Properties from `(name, value)` pairs.
pub fn props(pairs: Vec<(&str, Value)>) -> Properties {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn text(s: &str) -> Value {
    Value::Str(s.into())
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| s.to_string()).collect())
}

/// `units` public API → function → table chains, insecure enough to fire
/// many rules (the PDF tests and the PDF benchmark).
pub fn insecure_chains(units: usize) -> Model {
    let mut b = ModelBuilder::new(format!("Generated {units}"));
    b.model.version = "1".into();
    b.model.author = "generated".into();
    let pii = b.asset("pii", "PII", Classification::Confidential, &["pii"]);
    let internet = b.boundary("internet", "Internet", BoundaryKind::Internet);
    let account = b.boundary("account", "Account", BoundaryKind::Account);
    let client = b.element("Client", "Client", ElementKind::External, "generic.browser", Some(internet)).id;
    let mut flows = 0;
    for u in 0..units {
        let api = format!("API {u}");
        let api = b.element(&api, api.clone(), ElementKind::Trigger, "aws.apigateway", Some(account));
        api.properties = props(vec![("auth", text("none"))]);
        let api = api.id;
        let func = format!("Handler {u}");
        let func = b.element(&func, func.clone(), ElementKind::Function, "aws.lambda", Some(account));
        func.properties = props(vec![("runtime", text("python3.8")), ("environment", list(&["DB_PASSWORD"]))]);
        let func = func.id;
        let table = format!("Table {u}");
        let table = b.element(&table, table.clone(), ElementKind::Store, "aws.dynamodb", Some(account));
        table.assets = vec![pii];
        let table = table.id;
        for (from, to) in [(client, api), (api, func), (func, table)] {
            flows += 1;
            let flow = b.flow(FlowId::derive("flow", flows), from, to);
            flow.label = format!("call {flows}");
            flow.assets = vec![pii];
        }
    }
    b.build()
}

/// An estate of `elements` services (browser → API → function → queue →
/// table, repeating) with `flows` flows: the chain, then cross-links chosen
/// by a fixed-seed xorshift; a realistic mix of insecure settings and a
/// grant on every fifth element (the analysis benchmark).
pub fn analysis_estate(elements: usize, flows: usize) -> Model {
    let mut b = ModelBuilder::new(format!("generated {elements}"));
    let pii = b.asset("pii", "PII", Classification::Confidential, &["pii"]);
    let internet = b.boundary("internet", "Internet", BoundaryKind::Internet);
    let account = b.boundary("account", "Account", BoundaryKind::Account);
    let kinds = [
        ("generic.browser", ElementKind::External),
        ("aws.apigateway", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.sqs", ElementKind::Trigger),
        ("aws.dynamodb", ElementKind::Store),
    ];
    for i in 0..elements {
        let (t, k) = kinds[i % kinds.len()];
        let mut p = Properties::new();
        if k == ElementKind::Function {
            p.insert("runtime".into(), text(if i % 3 == 0 { "python3.8" } else { "python3.12" }));
            p.insert("timeout".into(), Value::Int(if i % 7 == 0 { 900 } else { 10 }));
            p.insert("environment".into(), list(&["TABLE_NAME", if i % 4 == 0 { "DB_PASSWORD" } else { "STAGE" }]));
        }
        if k == ElementKind::Trigger && i % 2 == 0 {
            p.insert("auth".into(), text("none"));
        }
        if k == ElementKind::Trigger && i % 3 == 0 {
            p.insert("encrypted".into(), Value::Bool(true));
            p.insert("throttling".into(), Value::Bool(true));
        }
        let key = format!("e{i}");
        let boundary = if k == ElementKind::External { internet } else { account };
        let e = b.element(&key, key.clone(), k, t, Some(boundary));
        e.properties = p;
        e.assets = if k == ElementKind::Store { vec![pii] } else { vec![] };
    }
    let n = b.model.elements.len();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..flows {
        // Mostly along the chain, some random cross-links.
        let from = if i < n - 1 { i } else { (rand() % n as u64) as usize };
        let to = if i < n - 1 { i + 1 } else { (rand() % n as u64) as usize };
        let (from, to) = (b.model.elements[from].id, b.model.elements[to].id);
        let flow = b.flow(FlowId::derive(&format!("f{i}"), 0), from, to);
        // Most flows state HTTPS, a fifth carry personal data.
        if i % 10 != 0 {
            flow.properties.insert("protocol".into(), text("https"));
        }
        flow.assets = if i % 5 == 0 { vec![pii] } else { vec![] };
    }
    for i in (2..n).step_by(5) {
        let principal = b.model.elements[i].id;
        let target =
            if i % 10 == 2 { GrantTarget::Any } else { GrantTarget::Element(b.model.elements[(i + 2).min(n - 1)].id) };
        b.grant(&format!("g{i}"), principal, target, &["dynamodb:*"]);
    }
    b.build()
}

/// An estate of `elements` well-configured, laid-out services (API →
/// function → queue → function → table, repeating) with `flows` HTTPS flows
/// carrying personal data and a read grant per function (the project-file
/// benchmark).
pub fn store_estate(elements: usize, flows: usize) -> Model {
    let mut b = ModelBuilder::new(format!("generated {elements}"));
    let pii = b.asset("pii", "PII", Classification::Confidential, &["pii"]);
    let account = b.boundary("account", "Account", BoundaryKind::Account);
    let kinds = [
        ("aws.apigateway", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.sqs", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.dynamodb", ElementKind::Store),
    ];
    for i in 0..elements {
        let (t, k) = kinds[i % kinds.len()];
        let e = b.element(&format!("e{i}"), format!("service {} {}", i / 5, t), k, t, Some(account));
        e.description = "generated for the store benchmark".into();
        e.properties = if k == ElementKind::Function {
            props(vec![
                ("runtime", text("python3.12")),
                ("timeout", Value::Int(30)),
                ("environment", list(&["TABLE_NAME", "STAGE"])),
            ])
        } else {
            props(vec![("encrypted", Value::Bool(true))])
        };
        e.assets = if k == ElementKind::Store { vec![pii] } else { vec![] };
        e.position = Some(Position { x: (i % 100) as i64 * 200, y: (i / 100) as i64 * 150 });
        let id = e.id;
        if k == ElementKind::Function {
            b.grant(&format!("g{i}"), id, GrantTarget::Any, &["dynamodb:GetItem"]);
        }
    }
    let n = b.model.elements.len();
    for i in 0..flows {
        let (from, to) = (b.model.elements[i % n].id, b.model.elements[(i * 7 + 1) % n].id);
        let flow = b.flow(FlowId::derive(&format!("f{i}"), 0), from, to);
        flow.label = format!("call {i}");
        flow.properties.insert("protocol".into(), text("https"));
        flow.assets = vec![pii];
    }
    b.build()
}

/// A chain of `n` elements (API, function, table, repeating) with flows, one
/// wildcard grant; `variant` changes names and properties so two variants
/// differ everywhere (the project-file tests).
pub fn project_chain(n: usize, variant: u32) -> Model {
    let mut b = ModelBuilder::new(format!("generated {n}"));
    b.model.version = variant.to_string();
    let asset = b.asset("pii", "PII", Classification::Confidential, &["pii"]);
    let account = b.boundary("account", "Account", BoundaryKind::Account);
    b.model.boundaries[0].description = format!("variant {variant}");
    let kinds = [
        ("aws.apigateway", ElementKind::Trigger),
        ("aws.lambda", ElementKind::Function),
        ("aws.dynamodb", ElementKind::Store),
    ];
    for i in 0..n {
        let (t, k) = kinds[i % 3];
        let e = b.element(&format!("e{i}"), format!("e{i} v{variant}"), k, t, Some(account));
        if k == ElementKind::Function {
            e.properties =
                props(vec![("runtime", text("python3.12")), ("timeout", Value::Int(10 + i64::from(variant)))]);
        }
        e.assets = if k == ElementKind::Store { vec![asset] } else { vec![] };
        e.position = Some(Position { x: i as i64 * 10, y: i64::from(variant) });
    }
    for i in 1..n {
        let (from, to) = (b.model.elements[i - 1].id, b.model.elements[i].id);
        let flow = b.flow(FlowId::derive(&format!("f{i}"), 0), from, to);
        flow.label = format!("call {variant}");
        flow.assets = vec![asset];
    }
    let principal = b.model.elements[1 % n].id;
    b.grant("g", principal, GrantTarget::Any, &["s3:*"]);
    b.build()
}

/// A microservice estate shaped like a real SAM import: one browser on the
/// Internet; per service an API route, a handler, its own table, a queue with
/// a worker, and every third service a scheduled job; services publish to a
/// shared event bus that the next service's worker consumes, and every
/// fourth handler reads a shared users table inside a nested VPC (the layout
/// tests and the layout benchmark). `services` × 6 elements, about.
pub fn service_estate(services: usize) -> Model {
    let mut b = ModelBuilder::new(format!("service estate {services}"));
    let internet = b.boundary("internet", "Internet", BoundaryKind::Internet);
    let account = b.boundary("account", "AWS account", BoundaryKind::Account);
    let vpc = b.boundary("vpc", "Data VPC", BoundaryKind::Vpc);
    b.model.boundaries[2].parent = Some(account);
    let browser = b.element("browser", "Web client", ElementKind::External, "generic.browser", Some(internet)).id;
    let bus = b.element("bus", "DomainEventsBus", ElementKind::Trigger, "aws.eventbridge", Some(account)).id;
    let users = b.element("users", "UsersTable", ElementKind::Store, "aws.dynamodb", Some(vpc)).id;
    let mut flows = 0;
    let mut flow = |b: &mut ModelBuilder, from: ElementId, to: ElementId, label: &str| {
        flows += 1;
        b.flow(FlowId::derive("estate-flow", flows), from, to).label = label.into();
    };
    let mut workers = Vec::new();
    for s in 0..services {
        let name = ["Orders", "Billing", "Catalog", "Shipping", "Inventory", "Reviews", "Accounts"][s % 7];
        let svc = format!("{name}{}", s / 7 + 1);
        let el = |b: &mut ModelBuilder, suffix: &str, kind: ElementKind, t: &str, at: BoundaryId| {
            let key = format!("{svc}{suffix}");
            b.element(&key, key.clone(), kind, t, Some(at)).id
        };
        let api = el(&mut b, "Api", ElementKind::Trigger, "aws.apigateway", account);
        let handler = el(&mut b, "HandlerFunction", ElementKind::Function, "aws.lambda", account);
        let table = el(&mut b, "Table", ElementKind::Store, "aws.dynamodb", account);
        let queue = el(&mut b, "Queue", ElementKind::Trigger, "aws.sqs", account);
        let worker = el(&mut b, "WorkerFunction", ElementKind::Function, "aws.lambda", account);
        flow(&mut b, browser, api, "https");
        flow(&mut b, api, handler, "invoke");
        flow(&mut b, handler, table, "PutItem");
        flow(&mut b, handler, queue, "SendMessage");
        flow(&mut b, queue, worker, "poll");
        flow(&mut b, worker, table, "UpdateItem");
        flow(&mut b, worker, bus, "PutEvents");
        if s % 4 == 0 {
            flow(&mut b, handler, users, "GetItem");
        }
        if s % 3 == 0 {
            let timer = el(&mut b, "NightlySchedule", ElementKind::Trigger, "aws.eventbridge_schedule", account);
            let job = el(&mut b, "CleanupFunction", ElementKind::Function, "aws.lambda", account);
            flow(&mut b, timer, job, "cron");
            flow(&mut b, job, table, "DeleteItem");
        }
        workers.push(worker);
    }
    for (i, &w) in workers.iter().enumerate() {
        if i % 2 == 1 {
            flow(&mut b, bus, w, "rule");
        }
    }
    b.build()
}

/// OWASP pytm's benchmark architecture in our format, `n` functions: `n`
/// Lambda functions, `n/2` stores (DynamoDB, S3 and Aurora in turn), `n/4`
/// API entry points, 2 actors, 3 boundaries (Internet; the account with a
/// VPC inside it), `3n` flows and a grant for every store access, 10 data
/// assets. `scripts/bench/pytm_estate.py` builds the same architecture in
/// pytm; `BENCHMARKS.md` compares the two.
///
/// Flows: actor → entry point (`n/4`), entry point → its function (`n/4`),
/// function → the store it writes (`n`), the store it reads → function
/// (`n`), function → the next function (`n/2`).
pub fn pytm_estate(n: usize) -> Model {
    let n = n.max(4);
    let mut b = ModelBuilder::new(format!("pytm estate {n}"));
    let classes =
        [Classification::Public, Classification::Internal, Classification::Confidential, Classification::Restricted];
    let assets: Vec<AssetId> = (0..10)
        .map(|i| {
            let tags: &[&str] = if i % 3 == 0 { &["pii"] } else { &[] };
            b.asset(&format!("data{i}"), &format!("Data {i}"), classes[i % classes.len()], tags)
        })
        .collect();
    let internet = b.boundary("internet", "Internet", BoundaryKind::Internet);
    let account = b.boundary("account", "Account", BoundaryKind::Account);
    let vpc = b.boundary("vpc", "VPC", BoundaryKind::Vpc);
    b.model.boundaries.last_mut().expect("just pushed").parent = Some(account);
    let actors: Vec<ElementId> = ["User", "Administrator"]
        .iter()
        .map(|name| {
            b.element(&format!("actor {name}"), *name, ElementKind::External, "generic.user", Some(internet)).id
        })
        .collect();
    let functions: Vec<ElementId> = (0..n)
        .map(|i| {
            let boundary = if i % 2 == 0 { vpc } else { account };
            let f = b.element(&format!("fn{i}"), format!("fn{i}"), ElementKind::Function, "aws.lambda", Some(boundary));
            f.properties = props(vec![
                ("runtime", text(if i % 5 == 0 { "nodejs16.x" } else { "python3.12" })),
                ("timeout", Value::Int(if i % 7 == 0 { 900 } else { 30 })),
                ("environment", list(&["TABLE_NAME", "STAGE"])),
            ]);
            f.id
        })
        .collect();
    let store_types = [("aws.dynamodb", "table"), ("aws.s3", "bucket"), ("aws.rds", "db")];
    let stores: Vec<(ElementId, usize)> = (0..n / 2)
        .map(|i| {
            let (t, word) = store_types[i % store_types.len()];
            let boundary = if t == "aws.rds" { vpc } else { account };
            let s = b.element(&format!("store{i}"), format!("{word}{i}"), ElementKind::Store, t, Some(boundary));
            s.properties =
                props(vec![("encrypted_at_rest", Value::Bool(i % 4 != 0)), ("backups", Value::Bool(i % 3 == 0))]);
            s.assets = vec![assets[i % assets.len()]];
            (s.id, i % store_types.len())
        })
        .collect();
    let entries: Vec<ElementId> = (0..n / 4)
        .map(|i| {
            let e =
                b.element(&format!("api{i}"), format!("api{i}"), ElementKind::Trigger, "aws.apigateway", Some(account));
            e.properties = props(vec![
                ("auth", text(if i % 2 == 0 { "iam" } else { "none" })),
                ("throttling", Value::Bool(i % 3 == 0)),
            ]);
            e.id
        })
        .collect();
    let actions = [
        ("dynamodb:PutItem", "dynamodb:GetItem"),
        ("s3:PutObject", "s3:GetObject"),
        ("rds-data:ExecuteStatement", "rds-data:ExecuteStatement"),
    ];
    let flow = |b: &mut ModelBuilder, key: String, from: ElementId, to: ElementId, asset: AssetId| {
        let f = b.flow(FlowId::derive(&key, 0), from, to);
        f.properties.insert("protocol".into(), text("https"));
        f.assets = vec![asset];
    };
    for (i, entry) in entries.iter().enumerate() {
        flow(&mut b, format!("request{i}"), actors[i % 2], *entry, assets[i % 10]);
        flow(&mut b, format!("invoke{i}"), *entry, functions[4 * i % n], assets[i % 10]);
    }
    for (i, function) in functions.iter().enumerate() {
        let (written, wt) = stores[i % stores.len()];
        let (read, rt) = stores[(i * 7 + 1) % stores.len()];
        flow(&mut b, format!("write{i}"), *function, written, assets[(i + 1) % 10]);
        flow(&mut b, format!("read{i}"), read, *function, assets[(i + 2) % 10]);
        b.grant(&format!("grant write{i}"), *function, GrantTarget::Element(written), &[actions[wt].0]);
        b.grant(&format!("grant read{i}"), *function, GrantTarget::Element(read), &[actions[rt].1]);
    }
    for i in 0..n / 2 {
        flow(&mut b, format!("call{i}"), functions[2 * i], functions[2 * i + 1], assets[i % 10]);
    }
    b.build()
}
