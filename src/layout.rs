//! Automatic layout: left-to-right layers (externals → triggers → functions
//! → stores, then along the flows), trust boundaries as containers sized
//! around their content, and no overlapping nodes or sibling boundaries.
//!
//! Each boundary is laid out as a block: its direct elements and child
//! blocks are placed in columns by layer, a column as wide as its widest
//! item, items stacked vertically. Blocks nest, so containment and the
//! absence of overlaps hold by construction. Pure and deterministic.

use crate::model::{ElementKind, Model, Position, Size};
use std::collections::{HashMap, HashSet};

/// Node size assumed for elements (the editor draws nodes of this size).
pub const NODE_WIDTH: i64 = 180;
pub const NODE_HEIGHT: i64 = 64;
const COLUMN_GAP: i64 = 80;
const ROW_GAP: i64 = 40;
const PAD: i64 = 30;
const LABEL: i64 = 36;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Item {
    Element(usize),
    Block(usize),
}

struct Ctx<'m> {
    model: &'m Model,
    layer: Vec<usize>,
    /// Direct members of each boundary (by index), and of the root (`None`).
    members: HashMap<Option<usize>, Vec<Item>>,
    /// Computed block sizes and relative placements.
    sizes: HashMap<Item, (i64, i64)>,
    placed: HashMap<Item, (i64, i64)>,
}

fn kind_rank(k: ElementKind) -> usize {
    match k {
        ElementKind::External => 0,
        ElementKind::Trigger => 1,
        ElementKind::Function => 2,
        ElementKind::Store => 3,
    }
}

/// Layers by longest path over the flows, after dropping back edges.
fn layers(model: &Model) -> Vec<usize> {
    let n = model.elements.len();
    let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut out_edges = vec![Vec::new(); n];
    for f in &model.flows {
        if let (Some(&a), Some(&b)) = (index.get(&f.from), index.get(&f.to)) {
            if a != b {
                out_edges[a].push(b);
            }
        }
    }
    // Iterative DFS: postorder, and back edges to skip.
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::with_capacity(n);
    let mut back: HashSet<(usize, usize)> = HashSet::new();
    let mut roots: Vec<usize> = (0..n).collect();
    roots.sort_by_key(|&i| (kind_rank(model.elements[i].kind), i));
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = out_edges[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                order.push(v);
                stack.pop();
            }
        }
    }
    order.reverse(); // topological order of the DAG without back edges
    let mut layer: Vec<usize> = model.elements.iter().map(|e| kind_rank(e.kind)).collect();
    for &v in &order {
        for &w in &out_edges[v] {
            if !back.contains(&(v, w)) && layer[w] < layer[v] + 1 {
                layer[w] = layer[v] + 1;
            }
        }
    }
    layer
}

impl Ctx<'_> {
    fn min_layer(&self, item: Item, seen: &mut HashSet<usize>) -> usize {
        match item {
            Item::Element(i) => self.layer[i],
            Item::Block(b) => {
                if !seen.insert(b) {
                    return usize::MAX;
                }
                self.members.get(&Some(b)).into_iter().flatten().map(|&m| self.min_layer(m, seen)).min().unwrap_or(0)
            }
        }
    }

    fn name(&self, item: Item) -> &str {
        match item {
            Item::Element(i) => &self.model.elements[i].name,
            Item::Block(b) => &self.model.boundaries[b].name,
        }
    }

    /// Lays out the members of `owner` and returns the content size.
    fn layout(&mut self, owner: Option<usize>, depth: usize) -> (i64, i64) {
        let members = self.members.get(&owner).cloned().unwrap_or_default();
        let mut keyed: Vec<(usize, Item)> = Vec::new();
        for m in members {
            if let Item::Block(b) = m {
                if depth > self.model.boundaries.len() {
                    continue; // a boundary cycle; validation reports it
                }
                let inner = self.layout(Some(b), depth + 1);
                self.sizes.insert(m, (inner.0 + 2 * PAD, inner.1 + PAD + LABEL));
            } else {
                self.sizes.insert(m, (NODE_WIDTH, NODE_HEIGHT));
            }
            let l = self.min_layer(m, &mut HashSet::new());
            keyed.push((l, m));
        }
        // Compress layers to consecutive columns.
        let mut distinct: Vec<usize> = keyed.iter().map(|(l, _)| *l).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut columns: Vec<Vec<Item>> = vec![Vec::new(); distinct.len()];
        for (l, m) in &keyed {
            let c = distinct.binary_search(l).expect("layer is present");
            columns[c].push(*m);
        }
        let mut x = 0;
        let mut height = 0;
        for col in &mut columns {
            col.sort_by(|a, b| self.name(*a).cmp(self.name(*b)).then(a.cmp(b)));
            let width = col.iter().map(|m| self.sizes[m].0).max().unwrap_or(0);
            let mut y = 0;
            for m in col.iter() {
                let (w, h) = self.sizes[m];
                self.placed.insert(*m, (x + (width - w) / 2, y));
                y += h + ROW_GAP;
            }
            height = height.max(y - ROW_GAP);
            x += width + COLUMN_GAP;
        }
        ((x - COLUMN_GAP).max(NODE_WIDTH), height.max(NODE_HEIGHT))
    }

    /// Converts relative placements to absolute positions.
    fn apply(&self, owner: Option<usize>, origin: (i64, i64), model: &mut Model, depth: usize) {
        for m in self.members.get(&owner).cloned().unwrap_or_default() {
            let Some(&(rx, ry)) = self.placed.get(&m) else { continue };
            let (x, y) = (origin.0 + rx, origin.1 + ry);
            match m {
                Item::Element(i) => model.elements[i].position = Some(Position { x, y }),
                Item::Block(b) => {
                    let (w, h) = self.sizes[&m];
                    model.boundaries[b].position = Some(Position { x, y });
                    model.boundaries[b].size = Some(Size { width: w, height: h });
                    if depth <= model.boundaries.len() {
                        self.apply(Some(b), (x + PAD, y + LABEL), model, depth + 1);
                    }
                }
            }
        }
    }
}

/// Sets the position of every element and the position and size of every
/// boundary.
pub fn auto_layout(model: &mut Model) {
    let bindex: HashMap<_, _> = model.boundaries.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
    let mut members: HashMap<Option<usize>, Vec<Item>> = HashMap::new();
    for (i, b) in model.boundaries.iter().enumerate() {
        let parent = b.parent.and_then(|p| bindex.get(&p).copied()).filter(|p| *p != i);
        members.entry(parent).or_default().push(Item::Block(i));
    }
    // Boundaries caught in a parent cycle never hang from the root; lift them.
    let mut reachable = HashSet::new();
    let mut stack = vec![None];
    while let Some(owner) = stack.pop() {
        for m in members.get(&owner).cloned().unwrap_or_default() {
            if let Item::Block(b) = m {
                if reachable.insert(b) {
                    stack.push(Some(b));
                }
            }
        }
    }
    for i in 0..model.boundaries.len() {
        if !reachable.contains(&i) {
            for list in members.values_mut() {
                list.retain(|m| *m != Item::Block(i));
            }
            members.entry(None).or_default().push(Item::Block(i));
            reachable.insert(i);
        }
    }
    for (i, e) in model.elements.iter().enumerate() {
        let owner = e.boundary.and_then(|b| bindex.get(&b).copied());
        members.entry(owner).or_default().push(Item::Element(i));
    }
    let mut ctx = Ctx { model, layer: layers(model), members, sizes: HashMap::new(), placed: HashMap::new() };
    ctx.layout(None, 0);
    let (members, sizes, placed) = (ctx.members, ctx.sizes, ctx.placed);
    let ctx2 = Ctx { model: &model.clone(), layer: Vec::new(), members, sizes, placed };
    ctx2.apply(None, (40, 40), model, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn rect_e(m: &Model, i: usize) -> (i64, i64, i64, i64) {
        let p = m.elements[i].position.unwrap();
        (p.x, p.y, NODE_WIDTH, NODE_HEIGHT)
    }

    fn overlap(a: (i64, i64, i64, i64), b: (i64, i64, i64, i64)) -> bool {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }

    fn inside(inner: (i64, i64, i64, i64), outer: (i64, i64, i64, i64)) -> bool {
        inner.0 >= outer.0
            && inner.1 >= outer.1
            && inner.0 + inner.2 <= outer.0 + outer.2
            && inner.1 + inner.3 <= outer.1 + outer.3
    }

    fn check(m: &Model) {
        let brect = |i: usize| {
            let b = &m.boundaries[i];
            let (p, s) = (b.position.unwrap(), b.size.unwrap());
            (p.x, p.y, s.width, s.height)
        };
        for i in 0..m.elements.len() {
            for j in i + 1..m.elements.len() {
                assert!(!overlap(rect_e(m, i), rect_e(m, j)), "{} overlaps {}", m.elements[i].name, m.elements[j].name);
            }
            if let Some(b) = m.elements[i].boundary {
                let bi = m.boundaries.iter().position(|x| x.id == b).unwrap();
                assert!(inside(rect_e(m, i), brect(bi)), "{} outside its boundary", m.elements[i].name);
            }
            for (bi, _) in m.boundaries.iter().enumerate().filter(|(_, b)| Some(b.id) != m.elements[i].boundary) {
                // Elements never sit inside a boundary they do not belong to (directly or by nesting).
                let mut chain = Vec::new();
                let mut cur = m.elements[i].boundary;
                while let Some(c) = cur {
                    chain.push(c);
                    cur = m.boundaries.iter().find(|x| x.id == c).and_then(|x| x.parent);
                }
                if !chain.contains(&m.boundaries[bi].id) {
                    assert!(
                        !overlap(rect_e(m, i), brect(bi)),
                        "{} drawn inside foreign boundary {}",
                        m.elements[i].name,
                        m.boundaries[bi].name
                    );
                }
            }
        }
        for (i, b) in m.boundaries.iter().enumerate() {
            if let Some(p) = b.parent {
                let pi = m.boundaries.iter().position(|x| x.id == p).unwrap();
                assert!(inside(brect(i), brect(pi)), "{} outside its parent", b.name);
            }
            for (j, c) in m.boundaries.iter().enumerate().skip(i + 1) {
                if b.parent == c.parent {
                    assert!(!overlap(brect(i), brect(j)), "sibling boundaries {} and {} overlap", b.name, c.name);
                }
            }
        }
    }

    #[test]
    fn examples_lay_out_without_overlaps_and_with_containment() {
        for text in [
            include_str!("../models/examples/orders-service.yaml"),
            include_str!("../models/examples/photo-pipeline.yaml"),
        ] {
            let mut m = yaml::parse_model(text, "x").unwrap();
            auto_layout(&mut m);
            check(&m);
        }
    }

    #[test]
    fn flows_run_left_to_right_when_acyclic() {
        let mut m = yaml::parse_model(
            "name: chain\nelements:\n  - {name: U, type: generic.user}\n  - {name: A, type: aws.apigateway}\n  - {name: F, type: aws.lambda}\n  - {name: T, type: aws.dynamodb}\nflows:\n  - {from: U, to: A}\n  - {from: A, to: F}\n  - {from: F, to: T}\n",
            "x",
        )
        .unwrap();
        auto_layout(&mut m);
        let xs: Vec<i64> = m.elements.iter().map(|e| e.position.unwrap().x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    }

    #[test]
    fn layout_is_deterministic_and_survives_cycles_and_dangling_boundaries() {
        let text = "name: c\nboundaries:\n  - {name: A, parent: B}\n  - {name: B, parent: A}\nelements:\n  - {name: F, type: aws.lambda, boundary: A}\n  - {name: Q, type: aws.sqs, boundary: B}\nflows:\n  - {from: F, to: Q}\n  - {from: Q, to: F}\n";
        let root = yaml::load(text, yaml::Limits::default()).unwrap();
        let (mut m, _, _) = yaml::read::read(&root);
        auto_layout(&mut m);
        let first = m.clone();
        auto_layout(&mut m);
        assert_eq!(first, m);
        assert!(m.elements.iter().all(|e| e.position.is_some()));
    }
}
