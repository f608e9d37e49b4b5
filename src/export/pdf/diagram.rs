//! The data-flow diagram as vector graphics: trust boundaries as dashed
//! labelled containers, nodes drawn by kind, labelled flow arrows and a
//! threat-count badge per element coloured by its highest severity. Uses the
//! model's positions, or the auto-layout when any are missing; scaled to fit
//! the page, on a landscape page when the drawing is wide.
//! Must not: compute threats or store the layout it computes.

use super::doc::{Page, Rgb3, Writer, A4, ACCENT, BOTTOM, INK, MARGIN, MUTED, TOP, WHITE};
use super::fonts::{Fonts, Style};
use super::{names, severity_color, Report};
use crate::layout::{auto_layout, NODE_HEIGHT, NODE_WIDTH};
use crate::model::{BoundaryKind, ElementKind, Model};
use crate::risk::Severity;
use std::collections::HashMap;
use uuid::Uuid;

const GREY: Rgb3 = (0.55, 0.57, 0.60);

/// The model with every element and boundary placed (borrowed when it already is).
pub(super) fn placed(model: &Model) -> std::borrow::Cow<'_, Model> {
    let complete = model.elements.iter().all(|e| e.position.is_some())
        && model.boundaries.iter().all(|b| b.position.is_some() && b.size.is_some());
    if complete {
        std::borrow::Cow::Borrowed(model)
    } else {
        let mut m = model.clone();
        auto_layout(&mut m);
        std::borrow::Cow::Owned(m)
    }
}

fn bounds(m: &Model) -> (f32, f32, f32, f32) {
    let mut b = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    let mut add = |x: f32, y: f32, w: f32, h: f32| {
        b.0 = b.0.min(x);
        b.1 = b.1.min(y);
        b.2 = b.2.max(x + w);
        b.3 = b.3.max(y + h);
    };
    for e in &m.elements {
        if let Some(p) = e.position {
            add(p.x as f32, p.y as f32, NODE_WIDTH as f32, NODE_HEIGHT as f32);
        }
    }
    for bd in &m.boundaries {
        if let (Some(p), Some(s)) = (bd.position, bd.size) {
            add(p.x as f32, p.y as f32, s.width as f32, s.height as f32);
        }
    }
    if b.0 > b.2 {
        return (0.0, 0.0, NODE_WIDTH as f32, NODE_HEIGHT as f32);
    }
    b
}

/// The size of a node's name at scale `s`: 8 pt at the scale of a
/// comfortable page (0.62), never below 6 pt, never more than a quarter of
/// the node's height.
pub(super) fn node_text_size(s: f32) -> f32 {
    (8.0 * text_scale(s)).max(6.0).min(NODE_HEIGHT as f32 * s / 4.0)
}

/// The scale of text, badges and arrowheads at drawing scale `s`.
fn text_scale(s: f32) -> f32 {
    (s / 0.62).clamp(0.45, 1.25)
}

/// Highest severity and count of the threats on each target.
fn badges(report: &Report) -> HashMap<Uuid, (usize, Severity)> {
    let mut out: HashMap<Uuid, (usize, Severity)> = HashMap::new();
    for t in &report.analysis.threats {
        let e = out.entry(t.target.id).or_insert((0, Severity::Low));
        e.0 += 1;
        e.1 = e.1.max(t.severity);
    }
    out
}

/// Where the model's coordinates land on the page: the model point at the
/// page origin `(ox, oy)`, the scale, the text scale and each element's index.
struct Frame {
    x0: f32,
    y0: f32,
    /// Page points per model unit.
    s: f32,
    /// Text scale.
    k: f32,
    ox: f32,
    oy: f32,
    index: HashMap<crate::model::ElementId, usize>,
}

impl Frame {
    fn tx(&self, x: f32) -> f32 {
        self.ox + (x - self.x0) * self.s
    }

    fn ty(&self, y: f32) -> f32 {
        self.oy + (y - self.y0) * self.s
    }

    /// The page rectangle of element `i`.
    fn rect_of(&self, m: &Model, i: usize) -> (f32, f32, f32, f32) {
        let p = m.elements[i].position.unwrap_or_default();
        (self.tx(p.x as f32), self.ty(p.y as f32), NODE_WIDTH as f32 * self.s, NODE_HEIGHT as f32 * self.s)
    }
}

/// A flow's label waiting to be placed: segment start and end, its length,
/// the text and the flow's threat badge.
type FlowLabel = ((f32, f32), (f32, f32), f32, String, Option<(usize, Severity)>);

/// Draws `area` of the placed model `m` at scale `s` from the writer's `y`
/// down, centred across the page; with `clip`, nothing outside the area is
/// drawn. Leaves `y` below the drawing and returns its frame.
fn draw_area(w: &mut Writer, report: &Report, m: &Model, area: Area, s: f32, clip: bool) -> Frame {
    let fonts = w.fonts;
    let (draw_w, draw_h) = (area.2 * s, area.3 * s);
    let index = m.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let ox = MARGIN + (w.width() - draw_w).max(0.0) / 2.0;
    let fr = Frame { x0: area.0, y0: area.1, s, k: text_scale(s), ox, oy: w.y, index };
    let badges = badges(report);
    let page: &mut Page = w.page();
    if clip {
        page.clip(fr.ox, fr.oy, draw_w, draw_h);
    }
    draw_boundaries(page, fonts, m, &fr);
    let labels = draw_flows(page, m, &fr, &badges);
    draw_nodes(page, fonts, m, &fr, &badges);
    draw_labels(page, fonts, m, &fr, labels);
    if clip {
        page.unclip();
    }
    w.y = fr.oy + draw_h;
    fr
}

/// The whole diagram, scaled to the room left on the page, and its legend.
pub fn draw(w: &mut Writer, report: &Report) {
    let m = placed(report.model);
    let area = whole(&m);
    let s = fit(area, (w.width(), w.room() - LEGEND_H));
    draw_area(w, report, &m, area, s, false);
    let ly = w.y + 14.0;
    let fonts = w.fonts;
    w.y = draw_legend(w.page(), fonts, ly) + 20.0;
}

/// The whole diagram on the room left on the page with the parts of a
/// split plan outlined and numbered over it, and the legend.
pub fn draw_overview(w: &mut Writer, report: &Report, parts: &[Part]) {
    let m = placed(report.model);
    let area = whole(&m);
    let s = fit(area, (w.width(), w.room() - LEGEND_H));
    let fr = draw_area(w, report, &m, area, s, false);
    let fonts = w.fonts;
    let page = w.page();
    for (i, part) in parts.iter().enumerate() {
        let t = part.area;
        let (x, y) = (fr.tx(t.0), fr.ty(t.1));
        page.rect(x, y, t.2 * s, t.3 * s, None, Some(ACCENT), 1.4);
        let label = (i + 1).to_string();
        let size = 11.0;
        let r = 9.0;
        let (cx, cy) = (x + r + 3.0, y + r + 3.0);
        page.circle(cx, cy, r, Some(ACCENT), Some(WHITE), 1.0);
        let tw = fonts.width(&label, Style::Bold, size);
        page.text(cx - tw / 2.0, cy + size * 0.36, size, Style::Bold, WHITE, &label);
    }
    let ly = w.y + 14.0;
    let fonts = w.fonts;
    w.y = draw_legend(w.page(), fonts, ly) + 20.0;
}

/// One part of a split diagram, clipped to its area.
pub fn draw_part(w: &mut Writer, report: &Report, part: &Part) {
    let m = placed(report.model);
    draw_area(w, report, &m, part.area, part.scale, true);
}

/// Model units between the steps of an attack path, room for a flow label.
const STEP_GAP: f32 = 130.0;
/// Model units between the rows of a long attack path.
const PATH_ROW_GAP: f32 = 70.0;

/// Draws just the elements `ids` (in path order) and the flows `flows` of
/// the model in a row from left to right at a readable size, snaking back
/// on a second row when one row would make names too small, in at most
/// `height` points. Ids not in the model are skipped. Leaves the writer's
/// `y` below the drawing.
pub fn draw_path_in(w: &mut Writer, report: &Report, ids: &[Uuid], flows: &[Uuid], height: f32) {
    let steps: Vec<&crate::model::Element> =
        ids.iter().filter_map(|id| report.model.elements.iter().find(|e| e.id.0 == *id)).collect();
    if steps.is_empty() {
        return;
    }
    let room = (w.width(), height.max(NODE_HEIGHT as f32 * TILE_SCALE));
    let step = NODE_WIDTH as f32 + STEP_GAP;
    // The fewest rows whose steps keep the scale at TILE_SCALE or more,
    // filled evenly.
    let most = (((room.0 / TILE_SCALE) + STEP_GAP) / step).floor().max(1.0) as usize;
    let per_row = steps.len().div_ceil(steps.len().div_ceil(most));
    let mut m = Model::default();
    for (i, e) in steps.iter().enumerate() {
        let (row, col) = (i / per_row, i % per_row);
        // Odd rows run right to left, so a wrapping flow is a short drop.
        let col = if row % 2 == 1 { per_row - 1 - col } else { col };
        let mut e = (*e).clone();
        let y = row as f32 * (NODE_HEIGHT as f32 + PATH_ROW_GAP);
        e.position = Some(crate::model::Position { x: (col as f32 * step) as i64, y: y as i64 });
        e.boundary = None;
        m.elements.push(e);
    }
    m.flows = report.model.flows.iter().filter(|f| flows.contains(&f.id.0)).cloned().collect();
    let area = whole(&m);
    let s = fit(area, room);
    draw_area(w, report, &m, area, s, false);
}

/// Margin around the drawing, in model units.
const PAD: f32 = 12.0;
/// Height of the legend below a diagram, in points.
const LEGEND_H: f32 = 34.0;
/// Height of the section heading and caption above the diagram, in points.
const HEAD_H: f32 = 44.0;
/// Height of a tile page's title, in points.
const TILE_HEAD_H: f32 = 24.0;
/// Largest scale (page points per model unit): small models stay modest.
const MAX_SCALE: f32 = 0.9;
/// The smallest size of a node's name that is readable in print. A diagram
/// that only fits one page with smaller names is tiled instead; 5.75 pt
/// keeps every built-in template and example (eight nodes in a row) on
/// one page.
pub(super) const MIN_NODE_TEXT: f32 = 5.75;
/// The scale tiles start from (names at about 6.5 pt) before they grow to
/// fill their grid.
const TILE_SCALE: f32 = 0.5;
/// Model units neighbouring tiles share across and down: a node and a
/// little more, so an element on a seam is whole on at least one of them.
const OVERLAP: (f32, f32) = (NODE_WIDTH as f32 + 20.0, NODE_HEIGHT as f32 + 20.0);

/// A rectangle in model units: x, y, width, height.
pub type Area = (f32, f32, f32, f32);

/// How the diagram goes onto pages.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// One page, landscape or portrait.
    Single { landscape: bool },
    /// An overview page (landscape or portrait) with the parts outlined and
    /// numbered, then one page per part.
    Split { landscape: bool, parts: Vec<Part> },
}

/// One page of a split diagram: a top-level trust boundary, or a tile.
#[derive(Debug, PartialEq)]
pub struct Part {
    pub title: String,
    pub area: Area,
    pub landscape: bool,
    /// Page points per model unit.
    pub scale: f32,
}

/// The whole drawing with its margin.
fn whole(m: &Model) -> Area {
    let (x0, y0, x1, y1) = bounds(m);
    (x0 - PAD, y0 - PAD, x1 - x0 + 2.0 * PAD, y1 - y0 + 2.0 * PAD)
}

/// The scale that fits `area` into `room` (points), at most `MAX_SCALE`.
fn fit(area: Area, room: (f32, f32)) -> f32 {
    (room.0 / area.2).min(room.1 / area.3).clamp(0.01, MAX_SCALE)
}

/// The drawing room of the section's first page and of a tile page.
fn rooms(landscape: bool) -> ((f32, f32), (f32, f32)) {
    let (pw, ph) = if landscape { (A4.1, A4.0) } else { A4 };
    let first = (pw - 2.0 * MARGIN, ph - TOP - BOTTOM - HEAD_H - LEGEND_H);
    let tile = (pw - 2.0 * MARGIN, ph - TOP - BOTTOM - TILE_HEAD_H);
    (first, tile)
}

/// How the model's diagram goes onto pages.
pub fn plan(model: &Model) -> Plan {
    let m = placed(model);
    let nodes: Vec<Area> = m
        .elements
        .iter()
        .filter_map(|e| e.position)
        .map(|p| (p.x as f32, p.y as f32, NODE_WIDTH as f32, NODE_HEIGHT as f32))
        .collect();
    let area = whole(&m);
    let plan = plan_area(area, &nodes, area.2 > area.3 * 1.15);
    // Split by top-level boundary instead of tiles when every boundary fits
    // a page readably and that takes no more pages.
    match (plan, by_boundary(&m)) {
        (Plan::Split { landscape, parts }, Some(groups)) if groups.len() <= parts.len() => {
            Plan::Split { landscape, parts: groups }
        }
        (plan, _) => plan,
    }
}

/// The plan for a drawing of `area` with node rectangles `nodes`: one page
/// in the preferred orientation, else the other, when names stay readable;
/// else tiles.
fn plan_area(area: Area, nodes: &[Area], wide: bool) -> Plan {
    for landscape in [wide, !wide] {
        let (first, _) = rooms(landscape);
        if node_text_size(fit(area, first)) >= MIN_NODE_TEXT {
            return Plan::Single { landscape };
        }
    }
    // The orientation that needs fewer tiles, then the larger scale.
    let grid = |tile_landscape: bool| {
        let (tiles, scale) = tile(area, rooms(tile_landscape).1);
        let tiles: Vec<Area> = tiles.into_iter().filter(|t| nodes.iter().any(|n| overlaps(*t, *n))).collect();
        (tiles, scale, tile_landscape)
    };
    let (a, b) = (grid(true), grid(false));
    let (tiles, scale, tile_landscape) = if (b.0.len(), -b.1) < (a.0.len(), -a.1) { b } else { a };
    if tiles.len() < 2 {
        return Plan::Single { landscape: wide };
    }
    let n = tiles.len();
    let parts = tiles
        .into_iter()
        .enumerate()
        .map(|(i, area)| Part {
            title: format!("Diagram — tile {} of {n}", i + 1),
            area,
            landscape: tile_landscape,
            scale,
        })
        .collect();
    Plan::Split { landscape: wide, parts }
}

/// One page per top-level boundary (and one for the elements outside every
/// boundary), when there are two or more, they do not overlap and each is
/// readable on its page.
fn by_boundary(m: &Model) -> Option<Vec<Part>> {
    let pad = |a: Area| (a.0 - PAD, a.1 - PAD, a.2 + 2.0 * PAD, a.3 + 2.0 * PAD);
    let mut groups: Vec<(String, Area)> = m
        .boundaries
        .iter()
        .filter(|b| b.parent.is_none_or(|p| m.boundary(p).is_none()))
        .filter_map(|b| {
            let (p, sz) = (b.position?, b.size?);
            Some((b.name.clone(), pad((p.x as f32, p.y as f32, sz.width as f32, sz.height as f32))))
        })
        .collect();
    let loose: Vec<Area> = m
        .elements
        .iter()
        .filter(|e| e.boundary.and_then(|b| m.boundary(b)).is_none())
        .filter_map(|e| e.position)
        .map(|p| (p.x as f32, p.y as f32, NODE_WIDTH as f32, NODE_HEIGHT as f32))
        .collect();
    if let Some(first) = loose.first() {
        let (x0, y0) = loose.iter().fold((first.0, first.1), |a, n| (a.0.min(n.0), a.1.min(n.1)));
        let (x1, y1) = loose.iter().fold((x0, y0), |a, n| (a.0.max(n.0 + n.2), a.1.max(n.1 + n.3)));
        groups.push(("Outside every boundary".into(), pad((x0, y0, x1 - x0, y1 - y0))));
    }
    if groups.len() < 2 || groups.iter().enumerate().any(|(i, a)| groups[i + 1..].iter().any(|b| overlaps(a.1, b.1))) {
        return None;
    }
    let n = groups.len();
    let mut parts = Vec::with_capacity(n);
    for (i, (name, area)) in groups.into_iter().enumerate() {
        let wide = area.2 > area.3 * 1.15;
        let landscape = [wide, !wide].into_iter().find(|&l| node_text_size(fit(area, rooms(l).1)) >= MIN_NODE_TEXT)?;
        let title = format!("Diagram — {name} (part {} of {n})", i + 1);
        parts.push(Part { title, area, landscape, scale: fit(area, rooms(landscape).1) });
    }
    Some(parts)
}

/// The fewest tiles of `room` points that cover `area` at `TILE_SCALE` or
/// more, row by row, and the scale that makes that grid fill its pages.
fn tile(area: Area, room: (f32, f32)) -> (Vec<Area>, f32) {
    let (ox, oy) = OVERLAP;
    let count = |len: f32, view: f32, o: f32| ((len - o) / (view - o)).ceil().max(1.0);
    let cols = count(area.2, room.0 / TILE_SCALE, ox);
    let rows = count(area.3, room.1 / TILE_SCALE, oy);
    let need = |len: f32, n: f32, o: f32| (len - o) / n + o;
    let s = (room.0 / need(area.2, cols, ox)).min(room.1 / need(area.3, rows, oy)).min(MAX_SCALE);
    let (vw, vh) = (room.0 / s, room.1 / s);
    let mut tiles = Vec::new();
    for r in 0..rows as usize {
        for c in 0..cols as usize {
            let x = area.0 + c as f32 * (vw - ox);
            let y = area.1 + r as f32 * (vh - oy);
            // Clamped to the drawing, so the last column and row end with it.
            let (w, h) = (vw.min(area.0 + area.2 - x), vh.min(area.1 + area.3 - y));
            tiles.push((x, y, w, h));
        }
    }
    (tiles, s)
}

fn overlaps(a: Area, b: Area) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// Boundaries, outermost first.
fn draw_boundaries(page: &mut Page, fonts: &Fonts, m: &Model, fr: &Frame) {
    let (s, k) = (fr.s, fr.k);
    let (tx, ty) = (|x| fr.tx(x), |y| fr.ty(y));
    let depth = |i: usize| {
        let mut d = 0;
        let mut cur = m.boundaries[i].parent;
        while let Some(p) = cur {
            d += 1;
            if d > m.boundaries.len() {
                break;
            }
            cur = m.boundary(p).and_then(|b| b.parent);
        }
        d
    };
    let mut order: Vec<usize> = (0..m.boundaries.len()).collect();
    order.sort_by_key(|&i| (depth(i), i));
    for i in order {
        let b = &m.boundaries[i];
        let (Some(p), Some(sz)) = (b.position, b.size) else { continue };
        let (bx, by, bw, bh) = (tx(p.x as f32), ty(p.y as f32), sz.width as f32 * s, sz.height as f32 * s);
        let stroke = if b.kind.untrusted() { (0.72, 0.22, 0.18) } else { (0.35, 0.45, 0.60) };
        let fill = if b.kind == BoundaryKind::Internet || b.kind == BoundaryKind::Partner {
            (0.995, 0.97, 0.965)
        } else {
            (0.975, 0.98, 0.99)
        };
        page.round_rect(bx, by, bw, bh, 6.0 * s, Some(fill), Some(stroke), 0.9, true);
        let size = 8.0 * k;
        let label = format!("{} ({})", b.name, b.kind.as_str());
        let label = fonts.ellipsize(&label, Style::Bold, size, bw - 10.0 * s);
        page.text(bx + 6.0 * s, by + 6.0 * s + size, size, Style::Bold, stroke, &label);
    }
}

/// Flows as arrows, parallel flows between one pair spread apart; returns
/// their labels, drawn last.
fn draw_flows(page: &mut Page, m: &Model, fr: &Frame, badges: &HashMap<Uuid, (usize, Severity)>) -> Vec<FlowLabel> {
    let (index, k) = (&fr.index, fr.k);
    let rect_of = |i: usize| fr.rect_of(m, i);
    let mut pair_count: HashMap<(usize, usize), usize> = HashMap::new();
    for f in &m.flows {
        if let (Some(&a), Some(&b)) = (index.get(&f.from), index.get(&f.to)) {
            *pair_count.entry((a.min(b), a.max(b))).or_default() += 1;
        }
    }
    let mut pair_seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut labels: Vec<FlowLabel> = Vec::new();
    for f in &m.flows {
        let (Some(&a), Some(&b)) = (index.get(&f.from), index.get(&f.to)) else { continue };
        if a == b {
            continue;
        }
        let key = (a.min(b), a.max(b));
        let n = pair_count[&key];
        let seen = pair_seen.entry(key).or_default();
        let offset = (*seen as f32 - (n as f32 - 1.0) / 2.0) * 9.0 * k;
        *seen += 1;
        let (ra, rb) = (rect_of(a), rect_of(b));
        let (ca, cb) = ((ra.0 + ra.2 / 2.0, ra.1 + ra.3 / 2.0), (rb.0 + rb.2 / 2.0, rb.1 + rb.3 / 2.0));
        let (dx, dy) = (cb.0 - ca.0, cb.1 - ca.1);
        let len = (dx * dx + dy * dy).sqrt().max(0.001);
        // Perpendicular offset keyed to the unordered pair so both directions separate.
        let sign = if a < b { 1.0 } else { -1.0 };
        let (nx, ny) = (-dy / len * offset * sign, dx / len * offset * sign);
        let ca = (ca.0 + nx, ca.1 + ny);
        let cb = (cb.0 + nx, cb.1 + ny);
        let start = clip(ca, cb, ra);
        let end = clip(cb, ca, rb);
        let color = (0.30, 0.33, 0.38);
        page.line(vec![start, end], color, 0.8, false);
        // Arrowhead.
        let (ux, uy) = ((end.0 - start.0) / len.max(0.001), (end.1 - start.1) / len.max(0.001));
        let norm = (ux * ux + uy * uy).sqrt().max(0.001);
        let (ux, uy) = (ux / norm, uy / norm);
        let ah = 6.0 * k;
        page.polygon(
            vec![
                end,
                (end.0 - ux * ah - uy * ah * 0.45, end.1 - uy * ah + ux * ah * 0.45),
                (end.0 - ux * ah + uy * ah * 0.45, end.1 - uy * ah - ux * ah * 0.45),
            ],
            color,
        );
        let label = crate::layout::label_text(f).into_owned();
        let seg = ((end.0 - start.0).powi(2) + (end.1 - start.1).powi(2)).sqrt();
        labels.push((start, end, seg, label, badges.get(&f.id.0).copied()));
    }
    labels
}

/// Elements by kind, with their name, vendor type and threat badge.
fn draw_nodes(page: &mut Page, fonts: &Fonts, m: &Model, fr: &Frame, badges: &HashMap<Uuid, (usize, Severity)>) {
    let (s, k) = (fr.s, fr.k);
    for e in &m.elements {
        let i = fr.index[&e.id];
        let (x, y, nw, nh) = fr.rect_of(m, i);
        match e.kind {
            ElementKind::Function => {
                page.round_rect(x, y, nw, nh, 10.0 * s, Some((0.93, 0.95, 0.99)), Some(ACCENT), 1.0, false)
            }
            ElementKind::Store => {
                page.rect(x, y, nw, nh, Some((0.95, 0.97, 0.94)), None, 0.0);
                page.line(vec![(x + nw, y), (x, y), (x, y + nh), (x + nw, y + nh)], (0.25, 0.42, 0.28), 1.0, false);
            }
            ElementKind::External => page.rect(x, y, nw, nh, Some((0.96, 0.96, 0.96)), Some(INK), 1.3),
            ElementKind::Trigger => {
                page.rect(x, y, nw, nh, Some((1.0, 0.97, 0.91)), Some((0.70, 0.45, 0.05)), 1.0);
                // Lightning-bolt glyph at the left.
                let g = 7.0 * k;
                let (gx, gy) = (x + 4.0 * k + g * 0.5, y + nh / 2.0);
                page.polygon(
                    vec![
                        (gx + 0.1 * g, gy - g),
                        (gx - 0.55 * g, gy + 0.15 * g),
                        (gx - 0.05 * g, gy + 0.15 * g),
                        (gx - 0.2 * g, gy + g),
                        (gx + 0.55 * g, gy - 0.2 * g),
                        (gx + 0.05 * g, gy - 0.2 * g),
                        (gx + 0.25 * g, gy - g),
                    ],
                    (0.85, 0.55, 0.05),
                );
            }
        }
        let left = if e.kind == ElementKind::Trigger { 13.0 * k } else { 0.0 };
        let inner = nw - left - 8.0 * k;
        let size = node_text_size(s);
        // As many name lines as the box holds above the vendor type, at most three.
        let max_lines = ((nh - 4.0 * k - size * 0.95) / (size * 1.2)).floor().clamp(1.0, 3.0) as usize;
        let lines = names::wrap_name(&e.name, max_lines, inner, &|t| fonts.width(t, Style::Bold, size));
        let sub = fonts.ellipsize(&e.vendor_type, Style::Regular, size * 0.8, inner);
        let block = lines.len() as f32 * size * 1.2 + size * 0.95;
        let mut ly = y + (nh - block) / 2.0 + size;
        for line in &lines {
            let lw = fonts.width(line, Style::Bold, size);
            page.text(x + left + (nw - left - lw) / 2.0, ly, size, Style::Bold, INK, line);
            ly += size * 1.2;
        }
        let sw = fonts.width(&sub, Style::Regular, size * 0.8);
        page.text(x + left + (nw - left - sw) / 2.0, ly, size * 0.8, Style::Regular, MUTED, &sub);
        let badge = badges.get(&e.id.0).copied();
        let r = 7.0 * k;
        badge_at(page, fonts, x + nw - r * 0.4, y + r * 0.4, r, badge.map(|b| b.0).unwrap_or(0), badge.map(|b| b.1));
    }
}

/// Flow labels on top of everything, no longer than the visible segment.
fn draw_labels(page: &mut Page, fonts: &Fonts, m: &Model, fr: &Frame, labels: Vec<FlowLabel>) {
    let k = fr.k;
    let size = (6.5 * k).max(5.5);
    // Nodes with their threat badge, which sticks out at the top right.
    let r = 7.0 * k;
    let node_rects: Vec<(f32, f32, f32, f32)> =
        (0..m.elements.len()).map(|i| fr.rect_of(m, i)).map(|(x, y, w, h)| (x, y - r, w + r, h + r)).collect();
    let mut taken: Vec<(f32, f32, f32, f32)> = Vec::new();
    for (start, end, seg, label, badge) in labels {
        let bw0 = if badge.is_some() { 11.0 * k } else { 0.0 };
        // Along a steep segment the label runs across it, not along it.
        let steep = (end.0 - start.0).abs() < (end.1 - start.1).abs();
        let along = if steep { f32::MAX } else { seg - 8.0 - bw0 };
        let room = along.min(110.0 * k);
        let text = if room < 14.0 { String::new() } else { fonts.ellipsize(&label, Style::Regular, size, room) };
        let tw = if text.is_empty() { 0.0 } else { fonts.width(&text, Style::Regular, size) };
        let bw = if badge.is_some() { 11.0 * k } else { 0.0 };
        let total = tw + bw + if tw > 0.0 { 4.0 } else { 0.0 };
        if total <= 0.0 {
            continue;
        }
        // Slide along the segment to a spot clear of nodes and earlier labels.
        let (h, half) = (size * 1.5, total / 2.0);
        let clear = |cx: f32, cy: f32, taken: &[(f32, f32, f32, f32)]| {
            let r = (cx - half - 2.0, cy - h / 2.0 - 1.0, total + 4.0, h + 2.0);
            !node_rects
                .iter()
                .chain(taken.iter())
                .any(|o| r.0 < o.0 + o.2 && o.0 < r.0 + r.2 && r.1 < o.1 + o.3 && o.1 < r.1 + r.3)
        };
        let at = |t: f32| (start.0 + (end.0 - start.0) * t, start.1 + (end.1 - start.1) * t);
        let spot = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78].iter().map(|&t| at(t)).find(|&(cx, cy)| clear(cx, cy, &taken));
        // No free spot: leave the line unlabelled (the flow table in appendix B names it).
        let Some((mx, my)) = spot else { continue };
        taken.push((mx - half, my - h / 2.0, total, h));
        let lx = mx - total / 2.0;
        page.rect(lx, my - size * 0.75, total, size * 1.5, Some(WHITE), None, 0.0);
        if tw > 0.0 {
            page.text(lx + 2.0, my + size * 0.35, size, Style::Regular, INK, &text);
        }
        if let Some((count, sev)) = badge {
            let r = 5.0 * k;
            let cx = lx + total - r;
            badge_at(page, fonts, cx, my, r, count, Some(sev));
        }
    }
}

/// The legend of shapes and badge colours at `ly`; returns the y of its last line.
fn draw_legend(page: &mut Page, fonts: &Fonts, ly: f32) -> f32 {
    let mut lx = MARGIN;
    let size = 7.0;
    let item = |page: &mut Page, lx: &mut f32, label: &str, shape: u8| {
        let (x, y) = (*lx, ly);
        match shape {
            0 => page.round_rect(x, y, 18.0, 10.0, 3.0, Some((0.93, 0.95, 0.99)), Some(ACCENT), 0.8, false),
            1 => {
                page.rect(x, y, 18.0, 10.0, Some((0.95, 0.97, 0.94)), None, 0.0);
                page.line(
                    vec![(x + 18.0, y), (x, y), (x, y + 10.0), (x + 18.0, y + 10.0)],
                    (0.25, 0.42, 0.28),
                    0.8,
                    false,
                );
            }
            2 => page.rect(x, y, 18.0, 10.0, Some((0.96, 0.96, 0.96)), Some(INK), 1.0),
            3 => page.rect(x, y, 18.0, 10.0, Some((1.0, 0.97, 0.91)), Some((0.70, 0.45, 0.05)), 0.8),
            _ => page.round_rect(x, y, 18.0, 10.0, 2.0, None, Some((0.35, 0.45, 0.60)), 0.8, true),
        }
        page.text(x + 22.0, y + 8.0, size, Style::Regular, INK, label);
        *lx += 22.0 + fonts.width(label, Style::Regular, size) + 12.0;
    };
    item(page, &mut lx, "Function (process)", 0);
    item(page, &mut lx, "Data store", 1);
    item(page, &mut lx, "External entity", 2);
    item(page, &mut lx, "Trigger / event source", 3);
    item(page, &mut lx, "Trust boundary", 4);
    let mut sx = MARGIN;
    let sy = ly + 16.0;
    page.text(sx, sy + 7.0, size, Style::Regular, MUTED, "Badge: number of threats, coloured by the highest severity:");
    sx += fonts.width("Badge: number of threats, coloured by the highest severity:", Style::Regular, size) + 8.0;
    for sev in Severity::ALL.into_iter().rev() {
        page.circle(sx + 4.0, sy + 4.5, 4.0, Some(severity_color(sev)), None, 0.0);
        let label = super::title_case(sev.as_str());
        page.text(sx + 11.0, sy + 7.0, size, Style::Regular, INK, &label);
        sx += 11.0 + fonts.width(&label, Style::Regular, size) + 10.0;
    }
    sy
}

fn badge_at(
    page: &mut Page,
    fonts: &super::fonts::Fonts,
    cx: f32,
    cy: f32,
    r: f32,
    count: usize,
    sev: Option<Severity>,
) {
    let fill = sev.map(severity_color).unwrap_or(GREY);
    let text = count.to_string();
    let size = r * 1.1;
    let tw = fonts.width(&text, Style::Bold, size);
    let rr = r.max(tw / 2.0 + 2.0);
    page.circle(cx, cy, rr, Some(fill), Some(WHITE), 0.8);
    page.text(cx - tw / 2.0, cy + size * 0.36, size, Style::Bold, WHITE, &text);
}

/// Where the segment from `from` (inside) towards `to` leaves rectangle `r`.
fn clip(from: (f32, f32), to: (f32, f32), r: (f32, f32, f32, f32)) -> (f32, f32) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let mut t: f32 = 1.0;
    if dx.abs() > 1e-6 {
        let edge = if dx > 0.0 { r.0 + r.2 } else { r.0 };
        let tt = (edge - from.0) / dx;
        if tt > 0.0 {
            t = t.min(tt);
        }
    }
    if dy.abs() > 1e-6 {
        let edge = if dy > 0.0 { r.1 + r.3 } else { r.1 };
        let tt = (edge - from.1) / dy;
        if tt > 0.0 {
            t = t.min(tt);
        }
    }
    (from.0 + dx * t, from.1 + dy * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid of `cols` × `rows` nodes placed as the layout places them.
    fn grid(cols: usize, rows: usize) -> (Area, Vec<Area>) {
        let (w, h) = (NODE_WIDTH as f32, NODE_HEIGHT as f32);
        let nodes: Vec<Area> = (0..cols * rows)
            .map(|i| (40.0 + (i % cols) as f32 * (w + 80.0), 40.0 + (i / cols) as f32 * (h + 40.0), w, h))
            .collect();
        let x1 = nodes.iter().map(|n| n.0 + n.2).fold(0.0, f32::max);
        let y1 = nodes.iter().map(|n| n.1 + n.3).fold(0.0, f32::max);
        ((40.0 - PAD, 40.0 - PAD, x1 - 40.0 + 2.0 * PAD, y1 - 40.0 + 2.0 * PAD), nodes)
    }

    fn plan_of(cols: usize, rows: usize) -> Plan {
        let (area, nodes) = grid(cols, rows);
        plan_area(area, &nodes, area.2 > area.3 * 1.15)
    }

    #[test]
    fn what_fits_a_page_readably_stays_on_one_page() {
        // A template row of six, the widest example (eight in a row, two
        // high), and a column of boxes one portrait page still holds.
        assert_eq!(plan_of(6, 2), Plan::Single { landscape: true });
        assert_eq!(plan_of(8, 3), Plan::Single { landscape: true });
        assert_eq!(plan_of(4, 14), Plan::Single { landscape: false });
    }

    #[test]
    fn a_diagram_too_big_for_one_readable_page_is_tiled() {
        for (cols, rows) in [(4, 40), (30, 3), (12, 12)] {
            let (area, nodes) = grid(cols, rows);
            let Plan::Split { parts, .. } = plan_of(cols, rows) else { panic!("{cols}×{rows} is not tiled") };
            let tiles: Vec<Area> = parts.iter().map(|p| p.area).collect();
            let scale = parts[0].scale;
            assert!(parts.iter().all(|p| p.scale == scale && p.title.contains("tile")));
            assert!(tiles.len() >= 2, "{cols}×{rows}: {} tiles", tiles.len());
            assert!(node_text_size(scale) >= MIN_NODE_TEXT && scale >= TILE_SCALE, "{cols}×{rows}: scale {scale}");
            // Every node is whole on some tile, and every tile shows a node.
            let inside = |n: &Area, t: &Area| {
                n.0 >= t.0 - 0.01 && n.1 >= t.1 - 0.01 && n.0 + n.2 <= t.0 + t.2 + 0.01 && n.1 + n.3 <= t.1 + t.3 + 0.01
            };
            for n in &nodes {
                assert!(tiles.iter().any(|t| inside(n, t)), "{cols}×{rows}: node at {n:?} is cut on every tile");
            }
            for t in &tiles {
                assert!(nodes.iter().any(|n| overlaps(*t, *n)), "{cols}×{rows}: empty tile {t:?}");
                assert!(t.0 >= area.0 && t.0 + t.2 <= area.0 + area.2 + 0.01, "tiles stay within the drawing");
            }
        }
    }

    /// A hub with flows to eleven spokes laid out around it: many flows
    /// cross other nodes, so labels must find spots off them.
    #[test]
    fn flow_labels_never_sit_on_a_node() {
        let mut src = String::from("name: Hub\nelements:\n  - {name: Hub, type: aws.lambda}\n");
        for i in 0..11 {
            src.push_str(&format!("  - {{name: Spoke{i}, type: aws.dynamodb}}\n"));
        }
        src.push_str("flows:\n");
        for i in 0..11 {
            src.push_str(&format!("  - {{from: Hub, to: Spoke{i}, label: put{i}}}\n"));
            src.push_str(&format!("  - {{from: Spoke{i}, to: Spoke{}, label: cp{i}}}\n", (i + 5) % 11));
        }
        let model = crate::yaml::parse_model(&src, "hub.yaml").expect("model parses");
        let catalog = crate::rules::builtin_catalog().expect("catalog loads");
        let analysis = crate::engine::analyze(&model, &catalog, &crate::engine::Options::default());
        let report = Report { model: &model, analysis: &analysis, date: String::new() };
        let fonts = Fonts::load(&[], &[]).expect("fonts (scripts/install-deps.sh)");
        let mut w = Writer::new(&fonts);
        w.new_page(true);
        let m = placed(&model);
        let fr = draw_area(&mut w, &report, &m, whole(&m), 0.5, false);
        let nodes: Vec<Area> = (0..m.elements.len()).map(|i| fr.rect_of(&m, i)).collect();
        let mut labels = 0;
        for item in &w.page().items {
            let super::super::doc::Item::Text { x, y, size, text, .. } = item else { continue };
            if !(text.starts_with("put") || text.starts_with("cp")) {
                continue;
            }
            labels += 1;
            let b = (*x, y - size, fonts.width(text, Style::Regular, *size), size * 1.2);
            assert!(!nodes.iter().any(|n| overlaps(b, *n)), "label {text:?} at {b:?} covers a node");
        }
        assert!(labels >= 11, "only {labels} labels drawn");
    }

    #[test]
    fn tiles_grow_to_fill_their_pages() {
        let (area, _) = grid(12, 12);
        let (tiles, s) = tile(area, rooms(true).1);
        assert!(s > TILE_SCALE, "scale {s} with {} tiles", tiles.len());
        assert!(s <= MAX_SCALE);
    }
}
