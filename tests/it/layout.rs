//! The layout's promises, measured with `layout::quality`: no overlapping
//! nodes, boundaries or labels and no member outside its boundary, on every
//! template, the examples, generated estates and random models; templates
//! fit a screen or a page (aspect ratio 0.4–3); placing new elements moves
//! nothing that was placed.

use crate::testkit::{service_estate, ModelBuilder};
use proptest::prelude::*;
use threatwright::import::templates;
use threatwright::layout::{auto_layout, label_positions, place_unplaced, quality, NODE_HEIGHT, NODE_WIDTH};
use threatwright::model::*;

fn assert_clean(name: &str, m: &Model) {
    let q = quality(m);
    assert_eq!(q.node_overlaps, 0, "{name}: overlapping nodes or boundaries {q:?}");
    assert_eq!(q.escapes, 0, "{name}: a member outside its boundary {q:?}");
    assert_eq!(q.label_overlaps, 0, "{name}: a label over a node or a label {q:?}");
    assert!(m.elements.iter().all(|e| e.position.is_some()), "{name}: an element without a position");
}

#[test]
fn every_template_is_clean_and_fits_a_screen() {
    for name in templates::names() {
        let m = templates::instantiate(name).unwrap();
        assert_clean(name, &m);
        let q = quality(&m);
        assert!((0.4..=3.0).contains(&q.aspect()), "{name}: aspect {:.2} ({}×{})", q.aspect(), q.width, q.height);
    }
}

#[test]
fn examples_and_estates_are_clean() {
    let mut models = vec![
        (
            "orders",
            threatwright::yaml::parse_model(include_str!("../../models/examples/orders-service.yaml"), "x").unwrap(),
        ),
        (
            "photo",
            threatwright::yaml::parse_model(include_str!("../../models/examples/photo-pipeline.yaml"), "x").unwrap(),
        ),
        ("estate 40", service_estate(6)),
        ("estate 200", service_estate(32)),
    ];
    for (name, m) in &mut models {
        auto_layout(m);
        assert_clean(name, m);
        let q = quality(m);
        assert!((0.4..=3.0).contains(&q.aspect()), "{name}: aspect {:.2}", q.aspect());
    }
}

#[test]
fn a_long_chain_snakes_without_crossing() {
    let mut b = ModelBuilder::new("chain");
    let kinds = [
        (ElementKind::External, "generic.user"),
        (ElementKind::Trigger, "aws.apigateway"),
        (ElementKind::Function, "aws.lambda"),
        (ElementKind::Store, "aws.dynamodb"),
    ];
    let ids: Vec<ElementId> = kinds
        .iter()
        .enumerate()
        .map(|(i, (k, t))| b.element(&format!("e{i}"), format!("E{i}"), *k, t, None).id)
        .collect();
    for (i, w) in ids.windows(2).enumerate() {
        b.flow(FlowId::derive("f", i), w[0], w[1]);
    }
    let mut m = b.build();
    auto_layout(&mut m);
    // Too long for one row at a readable shape, it snakes: the first row runs
    // left to right, each row is straight, and the flows never cross.
    let p: Vec<Position> = m.elements.iter().map(|e| e.position.unwrap()).collect();
    assert!(p[0].x < p[1].x && p[0].y == p[1].y, "{p:?}");
    for w in p.windows(2) {
        assert!(w[0].y == w[1].y || w[0].x == w[1].x, "a step is a straight row or a turn: {p:?}");
    }
    assert!(quality(&m).aspect() <= 3.0);
    assert_eq!(quality(&m).crossings, 0);
}

#[test]
fn labels_sit_on_their_flow_between_the_nodes() {
    let mut m = templates::instantiate("aws-sqs-sns-fanout").unwrap();
    auto_layout(&mut m);
    let labels = label_positions(&m);
    assert_eq!(labels.len(), m.flows.len());
    for l in &labels {
        let f = m.flows.iter().find(|f| f.id == l.flow).unwrap();
        let (a, b) = (m.element(f.from).unwrap().position.unwrap(), m.element(f.to).unwrap().position.unwrap());
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x) + NODE_WIDTH);
        let (y0, y1) = (a.y.min(b.y) - NODE_HEIGHT, a.y.max(b.y) + 2 * NODE_HEIGHT);
        assert!((x0..=x1).contains(&l.x) && (y0..=y1).contains(&l.y), "label of {} far from its flow: {l:?}", f.label);
    }
}

/// A random model: elements in random boundaries (parents only point to
/// earlier boundaries, so nesting has no cycle), random flows.
fn random_model() -> impl Strategy<Value = Model> {
    (1usize..30, 0usize..5)
        .prop_flat_map(|(n, nb)| {
            (
                Just(n),
                prop::collection::vec(0usize..=4, nb),
                prop::collection::vec((0usize..4, 0usize..=nb), n),
                prop::collection::vec((0..n, 0..n), 0..(2 * n + 1)),
                prop::collection::vec("[a-zA-Z ]{0,30}", 0..(2 * n + 1)),
            )
        })
        .prop_map(|(n, parents, els, flows, labels)| {
            let mut b = ModelBuilder::new("random");
            let mut bids = Vec::new();
            for (i, p) in parents.iter().enumerate() {
                let id = b.boundary(&format!("b{i}"), &format!("B{i}"), BoundaryKind::Account);
                let parent = if *p < i { Some(bids[*p]) } else { None };
                b.model.boundaries[i].parent = parent;
                bids.push(id);
            }
            let kinds = [
                (ElementKind::External, "generic.user"),
                (ElementKind::Trigger, "aws.sqs"),
                (ElementKind::Function, "aws.lambda"),
                (ElementKind::Store, "aws.s3"),
            ];
            let mut ids = Vec::new();
            for (i, (k, owner)) in els.iter().enumerate().take(n) {
                let (kind, t) = kinds[*k];
                ids.push(b.element(&format!("e{i}"), format!("Element{i}"), kind, t, bids.get(*owner).copied()).id);
            }
            for (k, (a, z)) in flows.into_iter().enumerate() {
                if a != z {
                    b.flow(FlowId::derive("f", k), ids[a], ids[z]).label = labels.get(k).cloned().unwrap_or_default();
                }
            }
            b.build()
        })
}

proptest! {
    #![proptest_config(crate::support::proptest_config(120))]

    #[test]
    fn random_models_lay_out_clean_and_deterministically(m in random_model()) {
        let mut a = m.clone();
        auto_layout(&mut a);
        let q = quality(&a);
        prop_assert_eq!(q.node_overlaps, 0, "{:?}", q);
        prop_assert_eq!(q.escapes, 0, "{:?}", q);
        prop_assert_eq!(q.label_overlaps, 0, "{:?}", q);
        let mut b = m.clone();
        auto_layout(&mut b);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn placing_new_elements_moves_nothing_placed(m in random_model(), extra in 1usize..6, seed in 0usize..1000) {
        let mut placed = m.clone();
        auto_layout(&mut placed);
        let before = placed.clone();
        let mut grown = placed.clone();
        let n = grown.elements.len();
        for k in 0..extra {
            let owner = if grown.boundaries.is_empty() { None } else { Some(grown.boundaries[(seed + k) % grown.boundaries.len()].id) };
            let id = ElementId::derive("new", k);
            grown.elements.push(Element {
                id,
                name: format!("New{k}"),
                kind: ElementKind::Function,
                vendor_type: "aws.lambda".into(),
                boundary: owner,
                description: String::new(),
                properties: Default::default(),
                assets: Vec::new(),
                mitigations: Vec::new(),
                position: None,
            });
            let peer = grown.elements[(seed * 7 + k) % n].id;
            grown.flows.push(Flow { id: FlowId::derive("new-flow", k), from: peer, to: id, label: String::new(), properties: Default::default(), assets: Vec::new() });
        }
        prop_assert!(place_unplaced(&mut grown));
        for (old, new) in before.elements.iter().zip(&grown.elements) {
            prop_assert_eq!(old.position, new.position, "{} moved", old.name);
        }
        let q = quality(&grown);
        prop_assert_eq!(q.escapes, 0, "{:?}", q);
        // New elements cover no other element.
        let rect = |e: &Element| { let p = e.position.unwrap(); (p.x, p.y) };
        for new in &grown.elements[n..] {
            let (x, y) = rect(new);
            for other in grown.elements.iter().filter(|o| o.id != new.id) {
                let (ox, oy) = rect(other);
                prop_assert!(x + NODE_WIDTH <= ox || ox + NODE_WIDTH <= x || y + NODE_HEIGHT <= oy || oy + NODE_HEIGHT <= y,
                    "{} covers {}", new.name, other.name);
            }
        }
    }
}
