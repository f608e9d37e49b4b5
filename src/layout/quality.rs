//! How readable a drawing is, measured on the positions a model carries:
//! flow crossings and flows through nodes (straight segments between node
//! centres), overlapping nodes, boundaries and labels, members drawn outside
//! their boundary, and the drawing's aspect ratio. Used by the layout tests,
//! the layout benchmark and anyone comparing layouts.

use super::{label_positions, NODE_HEIGHT, NODE_WIDTH};
use crate::model::Model;
use serde::Serialize;
use std::collections::HashMap;

/// Figures of one drawing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Quality {
    /// Pairs of flows whose segments cross (flows sharing an end never count).
    pub crossings: usize,
    /// Flows whose segment passes through a node other than its ends.
    pub flows_through_nodes: usize,
    /// Pairs of overlapping nodes, plus nodes drawn over a boundary they are
    /// not in, plus overlapping sibling boundaries.
    pub node_overlaps: usize,
    /// Labels over a node or over another label.
    pub label_overlaps: usize,
    /// Elements and boundaries not inside the boundary they belong to.
    pub escapes: usize,
    pub width: i64,
    pub height: i64,
}

impl Quality {
    /// Width over height of the drawing's bounding box.
    pub fn aspect(&self) -> f64 {
        self.width as f64 / self.height.max(1) as f64
    }
}

pub(crate) type Rect = (f64, f64, f64, f64);
type Point = (f64, f64);

pub(crate) fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.0 >= outer.0
        && inner.1 >= outer.1
        && inner.0 + inner.2 <= outer.0 + outer.2
        && inner.1 + inner.3 <= outer.1 + outer.3
}

/// Whether segments p1–p2 and q1–q2 cross at a point inside both.
pub(crate) fn segments_cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    let (d1, d2) = (orient(q1, q2, p1), orient(q1, q2, p2));
    let (d3, d4) = (orient(p1, p2, q1), orient(p1, p2, q2));
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

/// Whether the segment a–b passes through the interior of `r` (Liang–Barsky).
pub(crate) fn segment_hits_rect(a: (f64, f64), b: (f64, f64), r: Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - r.0), (dx, r.0 + r.2 - a.0), (-dy, a.1 - r.1), (dy, r.1 + r.3 - a.1)] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-9
}

/// Rectangle of every placed element (by index).
pub(crate) fn element_rects(model: &Model) -> Vec<Option<Rect>> {
    model
        .elements
        .iter()
        .map(|e| e.position.map(|p| (p.x as f64, p.y as f64, NODE_WIDTH as f64, NODE_HEIGHT as f64)))
        .collect()
}

/// Measures the drawing of `model` (unplaced parts are left out).
pub fn quality(model: &Model) -> Quality {
    let rects = element_rects(model);
    let brects: Vec<Option<Rect>> = model
        .boundaries
        .iter()
        .map(|b| match (b.position, b.size) {
            (Some(p), Some(s)) => Some((p.x as f64, p.y as f64, s.width as f64, s.height as f64)),
            _ => None,
        })
        .collect();
    let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let bindex: HashMap<_, _> = model.boundaries.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
    let centre = |r: Rect| (r.0 + r.2 / 2.0, r.1 + r.3 / 2.0);
    let segs: Vec<(usize, usize, Point, Point)> = model
        .flows
        .iter()
        .filter_map(|f| {
            let (a, b) = (*index.get(&f.from)?, *index.get(&f.to)?);
            Some((a, b, centre(rects[a]?), centre(rects[b]?)))
        })
        .filter(|s| s.0 != s.1)
        .collect();
    let mut q = Quality::default();
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            let (a, b) = (segs[i], segs[j]);
            if a.0 != b.0 && a.0 != b.1 && a.1 != b.0 && a.1 != b.1 && segments_cross(a.2, a.3, b.2, b.3) {
                q.crossings += 1;
            }
        }
    }
    for s in &segs {
        let hit = rects
            .iter()
            .enumerate()
            .any(|(k, r)| k != s.0 && k != s.1 && r.is_some_and(|r| segment_hits_rect(s.2, s.3, r)));
        q.flows_through_nodes += usize::from(hit);
    }
    // Boundaries each element belongs to, directly or by nesting.
    let chain = |mut cur: Option<usize>| {
        let mut out = Vec::new();
        while let Some(c) = cur {
            if out.contains(&c) {
                break;
            }
            out.push(c);
            cur = model.boundaries[c].parent.and_then(|p| bindex.get(&p).copied());
        }
        out
    };
    for (i, e) in model.elements.iter().enumerate() {
        let Some(r) = rects[i] else { continue };
        q.node_overlaps += rects[i + 1..].iter().flatten().filter(|o| overlaps(r, **o)).count();
        let own = e.boundary.and_then(|b| bindex.get(&b).copied());
        let mine = chain(own);
        for (bi, br) in brects.iter().enumerate() {
            let Some(br) = *br else { continue };
            if mine.contains(&bi) {
                q.escapes += usize::from(Some(bi) == own && !inside(r, br));
            } else {
                q.node_overlaps += usize::from(overlaps(r, br));
            }
        }
    }
    for (i, b) in model.boundaries.iter().enumerate() {
        let Some(r) = brects[i] else { continue };
        let parent = b.parent.and_then(|p| bindex.get(&p).copied());
        if let Some(pr) = parent.and_then(|p| brects[p]) {
            q.escapes += usize::from(!inside(r, pr));
        }
        for (j, c) in model.boundaries.iter().enumerate().skip(i + 1) {
            let cp = c.parent.and_then(|p| bindex.get(&p).copied());
            if cp == parent && brects[j].is_some_and(|o| overlaps(r, o)) {
                q.node_overlaps += 1;
            }
        }
    }
    let labels: Vec<Rect> = label_positions(model).iter().map(|l| l.rect()).collect();
    for (i, l) in labels.iter().enumerate() {
        let on_node = rects.iter().flatten().any(|r| overlaps(*l, *r));
        let on_label = labels[i + 1..].iter().any(|o| overlaps(*l, *o));
        q.label_overlaps += usize::from(on_node) + usize::from(on_label);
    }
    let all: Vec<Rect> = rects.iter().chain(brects.iter()).flatten().copied().chain(labels).collect();
    if !all.is_empty() {
        let x0 = all.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let y0 = all.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        let x1 = all.iter().map(|r| r.0 + r.2).fold(f64::NEG_INFINITY, f64::max);
        let y1 = all.iter().map(|r| r.1 + r.3).fold(f64::NEG_INFINITY, f64::max);
        q.width = (x1 - x0).round() as i64;
        q.height = (y1 - y0).round() as i64;
    }
    q
}
