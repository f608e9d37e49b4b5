//! Automatic layout of the data-flow diagram, shared by import, templates,
//! placement of unplaced elements, the app's Auto-layout and the PDF.
//!
//! A layered (Sugiyama) layout of the compound graph: flows run left to
//! right (entry points left, stores right), each trust boundary is laid out
//! as a box of its own, bottom up, and becomes one member of its parent's
//! level, so boundaries stay rectangles that contain their members and never
//! overlap a sibling — by construction. `compound.rs` builds the boundary
//! tree, the global ranks and lifts each flow to its level; `layered.rs` lays
//! out one level; `refine.rs` swaps same-column elements while that removes
//! crossings of the drawn (straight) flows; `labels.rs` places flow labels; `quality.rs` measures a
//! drawing (crossings, flows through nodes, overlaps, escapes);
//! `incremental.rs` places new elements without moving placed ones.
//!
//! Pure and deterministic.

mod compound;
mod incremental;
mod labels;
mod layered;
pub mod quality;
mod refine;

pub use incremental::place_unplaced;
pub use labels::{label_box, label_positions, label_text, LabelPosition};
pub use quality::{quality, Quality};

use crate::model::{Model, Position, Size};
use compound::{Compound, Item, Level};
use std::collections::HashMap;

/// Node size assumed for elements (the editor draws nodes of this size).
pub const NODE_WIDTH: i64 = 180;
pub const NODE_HEIGHT: i64 = 64;
/// Padding inside a boundary, and the height of its name tab.
const PAD: i64 = 30;
const LABEL: i64 = 36;
/// Where the diagram starts on the canvas.
const ORIGIN: (i64, i64) = (40, 40);

struct Ctx<'m> {
    model: &'m Model,
    variant: layered::Variant,
    compound: Compound,
    edges: HashMap<Level, Vec<(Item, Item)>>,
    /// Size of every laid-out boundary, and each item's place in its level.
    sizes: HashMap<Item, (i64, i64)>,
    placed: HashMap<Item, (i64, i64)>,
}

impl Ctx<'_> {
    fn size(&self, item: Item) -> (i64, i64) {
        match item {
            Item::Element(_) => (NODE_WIDTH, NODE_HEIGHT),
            Item::Block(_) => self.sizes[&item],
        }
    }

    /// Lays out `level` (its boundaries first) and returns its content size.
    fn layout(&mut self, level: Level, depth: usize) -> (i64, i64) {
        let members = self.compound.members.get(&level).cloned().unwrap_or_default();
        for &m in &members {
            if let Item::Block(b) = m {
                let inner = if depth > self.model.boundaries.len() { (0, 0) } else { self.layout(Some(b), depth + 1) };
                let w = inner.0.max(NODE_WIDTH) + 2 * PAD;
                let h = inner.1.max(NODE_HEIGHT / 2) + PAD + LABEL;
                self.sizes.insert(m, (w, h));
            }
        }
        let local: HashMap<Item, usize> = members.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let input = layered::Input {
            sizes: members.iter().map(|&m| self.size(m)).collect(),
            keys: members.iter().map(|&m| self.compound.rank_key(m)).collect(),
            floor: members.iter().map(|&m| self.compound.kind_floor(self.model, m)).collect(),
            edges: self
                .edges
                .get(&level)
                .into_iter()
                .flatten()
                .filter_map(|(a, b)| Some((*local.get(a)?, *local.get(b)?)))
                .collect(),
            variant: self.variant,
        };
        let out = layered::layout(&input);
        for (m, p) in members.iter().zip(out.pos) {
            self.placed.insert(*m, p);
        }
        out.size
    }

    /// Converts relative placements to absolute positions.
    fn apply(&self, level: Level, origin: (i64, i64), model: &mut Model, depth: usize) {
        for m in self.compound.members.get(&level).into_iter().flatten() {
            let Some(&(rx, ry)) = self.placed.get(m) else { continue };
            let (x, y) = (origin.0 + rx, origin.1 + ry);
            match *m {
                Item::Element(i) => model.elements[i].position = Some(Position { x, y }),
                Item::Block(b) => {
                    let (w, h) = self.sizes[m];
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

/// Models up to this many elements are laid out every [`layered::Variant`]
/// way and the cleanest drawing is kept; larger ones are laid out once.
const TRY_ALL_UP_TO: usize = 150;

/// Sets the position of every element and the position and size of every
/// boundary, discarding the ones it had.
pub fn auto_layout(model: &mut Model) {
    let compound = Compound::build(model);
    let mut edges: HashMap<Level, Vec<(Item, Item)>> = HashMap::new();
    for &(level, a, b) in &compound.edges {
        edges.entry(level).or_default().push((a, b));
    }
    let frozen = model.clone();
    let tries = if model.elements.len() <= TRY_ALL_UP_TO { layered::Variant::ALL } else { 1 };
    let mut ctx = Ctx {
        model: &frozen,
        variant: layered::Variant::default(),
        compound,
        edges,
        sizes: HashMap::new(),
        placed: HashMap::new(),
    };
    let mut best: Option<(f64, Model)> = None;
    for i in 0..tries {
        ctx.variant = layered::Variant::nth(i);
        ctx.sizes.clear();
        ctx.placed.clear();
        let mut m = frozen.clone();
        ctx.layout(None, 0);
        ctx.apply(None, ORIGIN, &mut m, 0);
        refine::refine(&mut m, &ctx.compound);
        let score = if tries > 1 { untidiness(&m) } else { 0.0 };
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, m));
        }
    }
    if let Some((_, m)) = best {
        *model = m;
    }
}

/// What the variants compete on: crossings, then flows through nodes, then
/// a shape far from a screen's.
fn untidiness(m: &Model) -> f64 {
    let q = quality(m);
    let shape = (q.aspect().max(1e-3) / 1.6).ln().abs();
    q.crossings as f64 + 0.5 * q.flows_through_nodes as f64 + shape
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
            include_str!("../../models/examples/orders-service.yaml"),
            include_str!("../../models/examples/photo-pipeline.yaml"),
        ] {
            let mut m = yaml::parse_model(text, "x").unwrap();
            auto_layout(&mut m);
            check(&m);
        }
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
