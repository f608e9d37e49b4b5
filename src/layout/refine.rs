//! The last pass of the layout, on the drawing itself: flows are drawn as
//! straight segments between node centres, which the layered ordering only
//! approximates (it sees dummy chains, not lines). Two elements of the same
//! boundary in the same column have the same size, so swapping them keeps
//! every box where it may be; a swap is kept when it lowers the crossings
//! and the flows drawn through nodes. Then single elements slide along their
//! column to a free place inside their own boundary when that does. Hill climbing within a work budget, so
//! very large estates stay fast.

use super::compound::Compound;
use super::quality::{overlaps, segment_hits_rect, segments_cross};
use super::{NODE_HEIGHT, NODE_WIDTH};
use crate::model::{Model, Position};
use std::collections::HashMap;

/// Segment-pair tests allowed in all (large models stop early).
const BUDGET: usize = 30_000_000;
/// How far apart in a column two swapped elements may be.
const WINDOW: usize = 4;
const PASSES: usize = 8;
/// A flow through a node costs this many crossings.
const THROUGH_WEIGHT: f64 = 0.5;

struct State {
    centre: Vec<(f64, f64)>,
    segs: Vec<(usize, usize)>,
    incident: Vec<Vec<usize>>,
    work: usize,
}

impl State {
    fn rect(&self, v: usize) -> (f64, f64, f64, f64) {
        let (cx, cy) = self.centre[v];
        let (w, h) = (NODE_WIDTH as f64, NODE_HEIGHT as f64);
        (cx - w / 2.0, cy - h / 2.0, w, h)
    }

    /// Whether `calls` evaluations of [`Self::local_cost`] for `u` and `v` fit in what is left
    /// of the budget. A hub (an actor calling 2,500 APIs) costs its degree times the drawing per
    /// evaluation: checked only between evaluations, a few such calls took 16 s at 17,500
    /// elements; skipped, the budget bounds the whole pass.
    fn affordable(&self, u: usize, v: usize, calls: usize) -> bool {
        let degree = self.incident[u].len() + if u == v { 0 } else { self.incident[v].len() };
        let each = (degree + 1) * (self.segs.len() + self.centre.len());
        self.work.saturating_add(each.saturating_mul(calls)) <= BUDGET
    }

    /// Cost of everything touching `u` or `v`: crossings of their flows and
    /// flows drawn through either node or by their flows through others.
    fn local_cost(&mut self, u: usize, v: usize) -> f64 {
        let mut mine: Vec<usize> = self.incident[u].iter().chain(&self.incident[v]).copied().collect();
        mine.sort_unstable();
        mine.dedup();
        let mut c = 0.0;
        for (k, &s) in mine.iter().enumerate() {
            let (a, b) = self.segs[s];
            let (pa, pb) = (self.centre[a], self.centre[b]);
            let (lo, hi) = ((pa.0.min(pb.0), pa.1.min(pb.1)), (pa.0.max(pb.0), pa.1.max(pb.1)));
            for (t, &(x, y)) in self.segs.iter().enumerate() {
                let (qa, qb) = (self.centre[x], self.centre[y]);
                // Segments whose boxes are apart cannot cross.
                if qa.0.max(qb.0) < lo.0 || qa.0.min(qb.0) > hi.0 || qa.1.max(qb.1) < lo.1 || qa.1.min(qb.1) > hi.1 {
                    continue;
                }
                if t == s || mine[..k].contains(&t) || x == a || x == b || y == a || y == b {
                    continue;
                }
                if segments_cross(pa, pb, qa, qb) {
                    c += 1.0;
                }
            }
            self.work += self.segs.len();
            for w in 0..self.centre.len() {
                let at = self.centre[w];
                if at.0 + NODE_WIDTH as f64 / 2.0 < lo.0
                    || at.0 - NODE_WIDTH as f64 / 2.0 > hi.0
                    || at.1 + NODE_HEIGHT as f64 / 2.0 < lo.1
                    || at.1 - NODE_HEIGHT as f64 / 2.0 > hi.1
                {
                    continue;
                }
                if w != a && w != b && segment_hits_rect(pa, pb, self.rect(w)) {
                    c += THROUGH_WEIGHT;
                }
            }
        }
        for (t, &(x, y)) in self.segs.iter().enumerate() {
            if mine.contains(&t) {
                continue;
            }
            for w in if u == v { vec![u] } else { vec![u, v] } {
                if w != x && w != y && segment_hits_rect(self.centre[x], self.centre[y], self.rect(w)) {
                    c += THROUGH_WEIGHT;
                }
            }
        }
        self.work += self.segs.len() + self.centre.len() * mine.len();
        c
    }
}

/// Swaps same-column elements of one boundary while that makes the drawing cleaner. Returns
/// the work done (segment and node tests), which stays within [`BUDGET`].
pub(super) fn refine(model: &mut Model, compound: &Compound) -> usize {
    let n = model.elements.len();
    let Some(centre) = model
        .elements
        .iter()
        .map(|e| e.position.map(|p| ((p.x + NODE_WIDTH / 2) as f64, (p.y + NODE_HEIGHT / 2) as f64)))
        .collect::<Option<Vec<_>>>()
    else {
        return 0;
    };
    let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let segs: Vec<(usize, usize)> = model
        .flows
        .iter()
        .filter_map(|f| Some((*index.get(&f.from)?, *index.get(&f.to)?)))
        .filter(|(a, b)| a != b)
        .collect();
    if segs.is_empty() {
        return 0;
    }
    let mut incident = vec![Vec::new(); n];
    for (s, &(a, b)) in segs.iter().enumerate() {
        incident[a].push(s);
        incident[b].push(s);
    }
    let mut st = State { centre, segs, incident, work: 0 };
    // Columns: elements of one owner at one x, top to bottom.
    let mut columns: HashMap<(Option<usize>, i64), Vec<usize>> = HashMap::new();
    for i in 0..n {
        columns.entry((compound.owner[i], st.centre[i].0 as i64)).or_default().push(i);
    }
    let mut columns: Vec<Vec<usize>> = columns.into_values().filter(|c| c.len() > 1).collect();
    for c in &mut columns {
        c.sort_by(|&a, &b| st.centre[a].1.total_cmp(&st.centre[b].1).then(a.cmp(&b)));
    }
    columns.sort();
    for _ in 0..PASSES {
        let mut improved = false;
        for col in &mut columns {
            for i in 0..col.len() {
                for j in i + 1..col.len().min(i + 1 + WINDOW) {
                    if st.work > BUDGET {
                        write(model, &st);
                        return st.work;
                    }
                    let (u, v) = (col[i], col[j]);
                    if st.incident[u].is_empty() && st.incident[v].is_empty() || !st.affordable(u, v, 2) {
                        continue;
                    }
                    let before = st.local_cost(u, v);
                    st.centre.swap(u, v);
                    let after = st.local_cost(u, v);
                    if after + 1e-9 < before {
                        col.swap(i, j);
                        improved = true;
                    } else {
                        st.centre.swap(u, v);
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    slide(model, compound, &mut st);
    write(model, &st);
    st.work
}

/// Moves single elements up or down their column to a free place inside
/// their own boundary where their flows cross less; nothing else moves.
fn slide(model: &Model, compound: &Compound, st: &mut State) {
    const STEP: f64 = 26.0;
    const REACH: f64 = 40.0 * STEP;
    let n = st.centre.len();
    let (w, h) = (NODE_WIDTH as f64, NODE_HEIGHT as f64);
    let brect = |b: usize| {
        let x = &model.boundaries[b];
        match (x.position, x.size) {
            (Some(p), Some(z)) => Some((p.x as f64, p.y as f64, z.width as f64, z.height as f64)),
            _ => None,
        }
    };
    for _ in 0..PASSES {
        let mut improved = false;
        for u in 0..n {
            // Its cost now, then at each free place within reach (two per row step at most).
            if st.incident[u].is_empty() || !st.affordable(u, u, 1 + 2 * (REACH / STEP) as usize) {
                continue;
            }
            let own = compound.owner[u];
            let area = match own {
                Some(b) => match brect(b) {
                    Some(r) => (r.1 + super::LABEL as f64 + h / 2.0, r.1 + r.3 - super::PAD as f64 - h / 2.0),
                    None => continue,
                },
                None => {
                    let ys = st.centre.iter().map(|c| c.1);
                    (ys.clone().fold(f64::INFINITY, f64::min), ys.fold(f64::NEG_INFINITY, f64::max))
                }
            };
            // What u must not cover: other elements, and boundaries it is not in.
            let ancestors = compound.chain(own);
            let blocks: Vec<_> =
                (0..model.boundaries.len()).filter(|b| !ancestors.contains(b)).filter_map(brect).collect();
            let home = st.centre[u];
            let mut best = (st.local_cost(u, u), home.1);
            let mut y = area.0.max(home.1 - REACH);
            while y <= area.1.min(home.1 + REACH) {
                let r = (home.0 - w / 2.0 - 1.0, y - h / 2.0 - 12.0, w + 2.0, h + 24.0);
                let free =
                    (0..n).all(|v| v == u || !overlaps(r, st.rect(v))) && blocks.iter().all(|b| !overlaps(r, *b));
                if free && (y - home.1).abs() > 1.0 {
                    st.centre[u].1 = y;
                    let c = st.local_cost(u, u);
                    if c + 1e-9 < best.0 {
                        best = (c, y);
                    }
                    st.centre[u].1 = home.1;
                }
                y += STEP;
            }
            if best.1 != home.1 {
                st.centre[u].1 = best.1;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

fn write(model: &mut Model, st: &State) {
    for (e, c) in model.elements.iter_mut().zip(&st.centre) {
        e.position = Some(Position { x: c.0 as i64 - NODE_WIDTH / 2, y: c.1 as i64 - NODE_HEIGHT / 2 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two functions behind one API writing 1,500 queues each share a column: one evaluation of
    /// their swap tests 3,000 flows against the whole drawing, more than the budget allows.
    #[test]
    fn hubs_do_not_take_the_refinement_past_its_budget() {
        let mut text = String::from("name: hubs\nelements:\n  - {name: A, type: aws.lambda}\n  - {name: B, type: aws.lambda}\n  - {name: X, type: aws.apigateway}\n");
        let mut flows = String::from("flows:\n  - {from: X, to: A}\n  - {from: X, to: B}\n");
        for i in 0..3_000 {
            text.push_str(&format!("  - {{name: Q{i}, type: aws.sqs}}\n"));
            flows.push_str(&format!("  - {{from: {}, to: Q{i}}}\n", if i % 2 == 0 { "A" } else { "B" }));
        }
        let mut m = crate::yaml::parse_model(&(text + &flows), "hubs.yaml").unwrap();
        // A and B one above the other, X left of them, the queues in a grid to the right.
        let at = |x: i64, y: i64| Some(Position { x, y });
        for (i, e) in m.elements.iter_mut().enumerate() {
            e.position = match i {
                0 => at(300, 0),
                1 => at(300, 200),
                2 => at(0, 100),
                q => at(600 + (q as i64 - 3) / 100 * 260, (q as i64 - 3) % 100 * 100),
            };
        }
        let compound = Compound::build(&m);
        let work = refine(&mut m, &compound);
        assert!(work <= BUDGET, "{work} tests, budget {BUDGET}");
        assert!(m.elements.iter().all(|e| e.position.is_some()));
    }
}
