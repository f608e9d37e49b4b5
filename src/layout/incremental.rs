//! Placing what has no position yet into a diagram the user arranged,
//! moving nothing the user placed: a whole unplaced boundary is laid out on
//! its own and set beside the drawing; an unplaced boundary around placed
//! members is fitted to them; an unplaced element goes to the free spot
//! nearest its flow neighbours inside its boundary, which grows (never
//! moves) when it is full. A model with nothing placed gets the full layout.

use super::compound::ancestors;
use super::quality::{element_rects, overlaps, Rect};
use super::{auto_layout, layered::COLUMN_GAP, layered::ROW_GAP, LABEL, NODE_HEIGHT, NODE_WIDTH, PAD};
use crate::model::{Model, Position, Size};
use std::collections::HashMap;

/// Places every element and boundary without a position (or a boundary
/// without a size); returns whether anything was placed.
pub fn place_unplaced(model: &mut Model) -> bool {
    let placed_b = |b: &crate::model::Boundary| b.position.is_some() && b.size.is_some();
    let any_unplaced =
        model.elements.iter().any(|e| e.position.is_none()) || model.boundaries.iter().any(|b| !placed_b(b));
    if !any_unplaced {
        return false;
    }
    let nothing_placed =
        model.elements.iter().all(|e| e.position.is_none()) && model.boundaries.iter().all(|b| b.position.is_none());
    if nothing_placed {
        auto_layout(model);
        return true;
    }
    let bindex: HashMap<_, _> = model.boundaries.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
    let parent_of =
        |m: &Model, b: usize| m.boundaries[b].parent.and_then(|p| bindex.get(&p).copied()).filter(|p| *p != b);
    // Descendant elements of each boundary (by nesting, cycle-safe).
    let within = |m: &Model, b: usize| -> Vec<usize> {
        (0..m.elements.len())
            .filter(|&i| {
                let own = m.elements[i].boundary.and_then(|x| bindex.get(&x).copied());
                ancestors(|c| parent_of(m, c), own).contains(&b)
            })
            .collect()
    };
    // 1. Whole unplaced subtrees: laid out alone, set to the right of the drawing.
    let mut scratch: Option<Model> = None;
    for b in 0..model.boundaries.len() {
        let members = within(model, b);
        let parent_placed = parent_of(model, b).is_none_or(|p| placed_b(&model.boundaries[p]));
        if placed_b(&model.boundaries[b])
            || members.iter().any(|&i| model.elements[i].position.is_some())
            || !parent_placed
        {
            continue;
        }
        let s = scratch.get_or_insert_with(|| {
            let mut s = model.clone();
            auto_layout(&mut s);
            s
        });
        let sp = s.boundaries[b].position.unwrap_or_default();
        let drawn = extent(model);
        let right = drawn.map_or(40, |r| (r.0 + r.2) as i64 + COLUMN_GAP);
        let top = drawn.map_or(40, |r| r.1 as i64);
        let (dx, dy) = (right - sp.x, top - sp.y);
        let subtree: Vec<usize> =
            (0..model.boundaries.len()).filter(|&c| ancestors(|x| parent_of(model, x), Some(c)).contains(&b)).collect();
        for c in subtree {
            let (p, z) = (s.boundaries[c].position.unwrap_or_default(), s.boundaries[c].size.unwrap_or_default());
            model.boundaries[c].position = Some(Position { x: p.x + dx, y: p.y + dy });
            model.boundaries[c].size = Some(z);
        }
        for &i in &members {
            let p = s.elements[i].position.unwrap_or_default();
            model.elements[i].position = Some(Position { x: p.x + dx, y: p.y + dy });
        }
        if let Some(p) = parent_of(model, b) {
            grow_to_fit(model, p, rect_of_b(model, b), &parent_of);
        }
    }
    // 2. Unplaced boundaries around placed members: fitted to them.
    for b in 0..model.boundaries.len() {
        if placed_b(&model.boundaries[b]) {
            continue;
        }
        let all = element_rects(model);
        let rects: Vec<Rect> = within(model, b).into_iter().filter_map(|i| all[i]).collect();
        let r = bbox(&rects).unwrap_or((
            extent(model).map_or(40.0, |r| r.0 + r.2 + COLUMN_GAP as f64),
            40.0,
            NODE_WIDTH as f64,
            NODE_HEIGHT as f64,
        ));
        model.boundaries[b].position = Some(Position { x: r.0 as i64 - PAD, y: r.1 as i64 - LABEL });
        model.boundaries[b].size = Some(Size { width: r.2 as i64 + 2 * PAD, height: r.3 as i64 + PAD + LABEL });
    }
    // 3. Unplaced elements: the free spot nearest their neighbours.
    for i in 0..model.elements.len() {
        if model.elements[i].position.is_some() {
            continue;
        }
        let own = model.elements[i].boundary.and_then(|b| bindex.get(&b).copied());
        let want = wanted_spot(model, i, own);
        let spot = free_spot(model, i, own, want, &parent_of);
        model.elements[i].position = Some(Position { x: spot.0, y: spot.1 });
        if let Some(b) = own {
            let r = (spot.0 as f64, spot.1 as f64, NODE_WIDTH as f64, NODE_HEIGHT as f64);
            grow_to_fit(model, b, r, &parent_of);
        }
    }
    true
}

fn rect_of_b(model: &Model, b: usize) -> Rect {
    let (p, s) = (model.boundaries[b].position.unwrap_or_default(), model.boundaries[b].size.unwrap_or_default());
    (p.x as f64, p.y as f64, s.width as f64, s.height as f64)
}

fn bbox(rects: &[Rect]) -> Option<Rect> {
    let x0 = rects.iter().map(|r| r.0).reduce(f64::min)?;
    let y0 = rects.iter().map(|r| r.1).reduce(f64::min)?;
    let x1 = rects.iter().map(|r| r.0 + r.2).reduce(f64::max)?;
    let y1 = rects.iter().map(|r| r.1 + r.3).reduce(f64::max)?;
    Some((x0, y0, x1 - x0, y1 - y0))
}

/// Bounding box of everything placed.
fn extent(model: &Model) -> Option<Rect> {
    let mut all: Vec<Rect> = element_rects(model).into_iter().flatten().collect();
    all.extend(
        (0..model.boundaries.len())
            .filter(|&b| model.boundaries[b].size.is_some() && model.boundaries[b].position.is_some())
            .map(|b| rect_of_b(model, b)),
    );
    bbox(&all)
}

/// Right of a placed source, else left of a placed target, else the
/// boundary's top-left corner, else right of the drawing.
fn wanted_spot(model: &Model, i: usize, own: Option<usize>) -> (i64, i64) {
    let id = model.elements[i].id;
    let pos_of = |eid| model.element(eid).and_then(|e| e.position);
    let step = NODE_WIDTH + COLUMN_GAP;
    if let Some(p) = model.flows.iter().filter(|f| f.to == id).find_map(|f| pos_of(f.from)) {
        return (p.x + step, p.y);
    }
    if let Some(p) = model.flows.iter().filter(|f| f.from == id).find_map(|f| pos_of(f.to)) {
        return (p.x - step, p.y);
    }
    if let Some(b) = own {
        let r = rect_of_b(model, b);
        return (r.0 as i64 + PAD, r.1 as i64 + LABEL);
    }
    extent(model).map_or((40, 40), |r| ((r.0 + r.2) as i64 + COLUMN_GAP, r.1 as i64))
}

/// The free node-sized spot nearest `want` (ring by ring on a grid), inside
/// boundary `own` when it has room, covering no node and no foreign boundary.
fn free_spot(
    model: &Model,
    i: usize,
    own: Option<usize>,
    want: (i64, i64),
    parent_of: &dyn Fn(&Model, usize) -> Option<usize>,
) -> (i64, i64) {
    let nodes: Vec<Rect> =
        element_rects(model).into_iter().enumerate().filter(|(k, _)| *k != i).filter_map(|(_, r)| r).collect();
    let mine = ancestors(|c| parent_of(model, c), own);
    let foreign: Vec<Rect> = (0..model.boundaries.len())
        .filter(|b| !mine.contains(b))
        .filter(|&b| model.boundaries[b].position.is_some() && model.boundaries[b].size.is_some())
        .map(|b| rect_of_b(model, b))
        .collect();
    let container = own.map(|b| rect_of_b(model, b));
    let (gx, gy) = ((NODE_WIDTH + COLUMN_GAP) / 2, (NODE_HEIGHT + ROW_GAP) / 2);
    let ok = |x: i64, y: i64, need_inside: bool| {
        let r = (x as f64, y as f64, NODE_WIDTH as f64, NODE_HEIGHT as f64);
        let pad = (r.0 - 10.0, r.1 - 10.0, r.2 + 20.0, r.3 + 20.0);
        let fits = !need_inside
            || container.is_none_or(|c| {
                r.0 >= c.0 + PAD as f64 / 2.0
                    && r.1 >= c.1 + LABEL as f64
                    && r.0 + r.2 <= c.0 + c.2 - PAD as f64 / 2.0
                    && r.1 + r.3 <= c.1 + c.3 - PAD as f64 / 2.0
            });
        fits && !nodes.iter().any(|n| overlaps(pad, *n)) && !foreign.iter().any(|f| overlaps(pad, *f))
    };
    for need_inside in [true, false] {
        for ring in 0..60i64 {
            for dx in -ring..=ring {
                for dy in -ring..=ring {
                    if dx.abs() != ring && dy.abs() != ring {
                        continue;
                    }
                    let (x, y) = (want.0 + dx * gx, want.1 + dy * gy);
                    if ok(x, y, need_inside) {
                        return (x, y);
                    }
                }
            }
        }
    }
    let r = extent(model).unwrap_or((0.0, 0.0, 0.0, 0.0));
    ((r.0 + r.2) as i64 + COLUMN_GAP, r.1 as i64)
}

/// Grows boundary `b` (and its ancestors) to contain `r`; nothing moves.
fn grow_to_fit(model: &mut Model, b: usize, r: Rect, parent_of: &dyn Fn(&Model, usize) -> Option<usize>) {
    let mut cur = Some(b);
    let mut need = r;
    let mut guard = 0;
    while let Some(c) = cur {
        guard += 1;
        if guard > model.boundaries.len() + 1 {
            break;
        }
        let br = rect_of_b(model, c);
        let x0 = br.0.min(need.0 - PAD as f64);
        let y0 = br.1.min(need.1 - LABEL as f64);
        let x1 = (br.0 + br.2).max(need.0 + need.2 + PAD as f64);
        let y1 = (br.1 + br.3).max(need.1 + need.3 + PAD as f64);
        let grown = (x0, y0, x1 - x0, y1 - y0);
        model.boundaries[c].position = Some(Position { x: x0 as i64, y: y0 as i64 });
        model.boundaries[c].size = Some(Size { width: (x1 - x0) as i64, height: (y1 - y0) as i64 });
        need = grown;
        cur = parent_of(model, c);
    }
}
