//! Flow label positions: each label sits on its flow's straight segment
//! between the node centres, at the first place along it (middle first) where
//! its box covers no node and no label placed before it; failing that, just
//! beside the segment, and as a last resort in the nearest free spot.
//!
//! The label box is estimated from the text the editor and the PDF show: the
//! flow's label or its protocol, plus room for the threat badge.

use super::quality::{element_rects, overlaps, Rect};
use crate::model::{FlowId, Model};
use serde::Serialize;
use std::collections::HashMap;

const CHAR_WIDTH: i64 = 7;
const LABEL_HEIGHT: i64 = 24;
/// Padding plus the threat badge.
const LABEL_EXTRA: i64 = 40;
const MAX_LABEL_WIDTH: i64 = 200;
const MARGIN: f64 = 4.0;
const CELL: f64 = 256.0;

type Point = (f64, f64);

/// Centre and size of one flow's label, in canvas units.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelPosition {
    pub flow: FlowId,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub x: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub y: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub width: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub height: i64,
}

impl LabelPosition {
    pub(crate) fn rect(&self) -> Rect {
        let (w, h) = (self.width as f64, self.height as f64);
        (self.x as f64 - w / 2.0, self.y as f64 - h / 2.0, w, h)
    }
}

/// Width and height of the label box of a flow with this text.
pub fn label_box(text: &str) -> (i64, i64) {
    let chars = text.chars().count() as i64;
    ((chars * CHAR_WIDTH + LABEL_EXTRA).min(MAX_LABEL_WIDTH), LABEL_HEIGHT)
}

/// The text a flow's label shows: its label, else its protocol (the editor,
/// the PDF and the label boxes here all read it from this one place).
pub fn label_text(f: &crate::model::Flow) -> std::borrow::Cow<'_, str> {
    match f.properties.get("protocol") {
        Some(p) if f.label.is_empty() => std::borrow::Cow::Owned(p.to_string()),
        _ => std::borrow::Cow::Borrowed(&f.label),
    }
}

/// Boxes already taken, bucketed by grid cell for quick lookups.
struct Taken {
    cells: HashMap<(i64, i64), Vec<Rect>>,
}

impl Taken {
    fn cells_of(r: Rect) -> impl Iterator<Item = (i64, i64)> {
        let (x0, y0) = ((r.0 / CELL).floor() as i64, (r.1 / CELL).floor() as i64);
        let (x1, y1) = (((r.0 + r.2) / CELL).floor() as i64, ((r.1 + r.3) / CELL).floor() as i64);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn add(&mut self, r: Rect) {
        for c in Self::cells_of(r) {
            self.cells.entry(c).or_default().push(r);
        }
    }

    fn free(&self, r: Rect) -> bool {
        let grown = (r.0 - MARGIN, r.1 - MARGIN, r.2 + 2.0 * MARGIN, r.3 + 2.0 * MARGIN);
        Self::cells_of(grown).all(|c| self.cells.get(&c).is_none_or(|v| v.iter().all(|o| !overlaps(grown, *o))))
    }
}

/// A label position for every flow whose two ends are placed, in flow order.
pub fn label_positions(model: &Model) -> Vec<LabelPosition> {
    let rects = element_rects(model);
    let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut taken = Taken { cells: HashMap::new() };
    for r in rects.iter().flatten() {
        taken.add(*r);
    }
    let centre = |r: Rect| (r.0 + r.2 / 2.0, r.1 + r.3 / 2.0);
    // Shortest flows first: they have the least room.
    let mut todo: Vec<(f64, usize, Point, Point)> = model
        .flows
        .iter()
        .enumerate()
        .filter_map(|(k, f)| {
            let (a, b) = (centre(rects[*index.get(&f.from)?]?), centre(rects[*index.get(&f.to)?]?));
            Some(((a.0 - b.0).hypot(a.1 - b.1), k, a, b))
        })
        .collect();
    todo.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut out: Vec<(usize, LabelPosition)> = Vec::with_capacity(todo.len());
    for (_, k, a, b) in todo {
        let f = &model.flows[k];
        let (w, h) = label_box(&label_text(f));
        let (cx, cy) = place(&taken, a, b, (w as f64, h as f64));
        let l = LabelPosition { flow: f.id, x: cx.round() as i64, y: cy.round() as i64, width: w, height: h };
        taken.add(l.rect());
        out.push((k, l));
    }
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, l)| l).collect()
}

/// The centre for a label of size `wh` on the segment a–b.
fn place(taken: &Taken, a: (f64, f64), b: (f64, f64), wh: (f64, f64)) -> (f64, f64) {
    let at = |t: f64, off: f64| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy).max(1.0);
        (a.0 + dx * t - dy / len * off, a.1 + dy * t + dx / len * off)
    };
    let rect = |c: (f64, f64)| (c.0 - wh.0 / 2.0, c.1 - wh.1 / 2.0, wh.0, wh.1);
    const TS: [f64; 13] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.46, 0.54, 0.38, 0.62, 0.3, 0.7];
    for off in [0.0, wh.1 * 0.75, -wh.1 * 0.75, wh.1 * 1.5, -wh.1 * 1.5] {
        for t in TS {
            let c = at(t, off);
            if taken.free(rect(c)) {
                return c;
            }
        }
    }
    // The nearest free spot around the middle, ring by ring.
    let mid = at(0.5, 0.0);
    for ring in 1..200 {
        let r = ring as f64 * wh.1;
        let steps = 8 * ring;
        for s in 0..steps {
            let angle = s as f64 / steps as f64 * std::f64::consts::TAU;
            let c = (mid.0 + r * angle.cos(), mid.1 + r * angle.sin());
            if taken.free(rect(c)) {
                return c;
            }
        }
    }
    mid
}
