//! Sugiyama layout of one level of the compound graph: its members (element
//! nodes and already laid-out child boundaries, each a box of known size) and
//! the flows between them. Layers run left to right; long flows get dummy
//! nodes so crossing minimisation sees them; crossings are reduced by
//! barycentre sweeps with adjacent transposition, keeping the best order
//! found; coordinates straighten chains by isotonic regression within each
//! column. A level much wider than tall is wrapped into bands stacked top to
//! bottom (snaking: every second band runs right to left), one much taller
//! than wide is cut into horizontal slices set side by side.
//!
//! Pure and deterministic; boxes of one level never overlap by construction.

use std::cmp::Ordering;

pub(super) const COLUMN_GAP: i64 = 120;
pub(super) const ROW_GAP: i64 = 40;
const BAND_GAP: i64 = 90;
const DUMMY_HEIGHT: i64 = 20;
const DUMMY_GAP: i64 = 10;
/// Levels wider than this (width / height) are wrapped into bands.
const WRAP_ABOVE: f64 = 2.2;
/// Wrapping takes the fewest bands that bring a level under this.
const WRAP_TO: f64 = 2.4;
/// Levels taller than this (height / width) are cut into slices side by side.
const SPLIT_ABOVE: f64 = 1.8;
/// The shape wrapping and splitting aim for.
const TARGET_RATIO: f64 = 1.5;
const SWEEPS: usize = 48;

/// One level to lay out: box sizes, an ordering key per box (flows are
/// oriented from the smaller key to the larger), the leftmost layer each box
/// may take, and the flows between boxes.
pub(super) struct Input {
    pub sizes: Vec<(i64, i64)>,
    pub keys: Vec<(usize, f64)>,
    pub floor: Vec<usize>,
    pub edges: Vec<(usize, usize)>,
    /// Which of the equally reasonable choices to make (see [`Variant`]).
    pub variant: Variant,
}

/// The choices a layout may make either way; the caller may try several and
/// keep the best drawing.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Variant {
    /// The initial order of each layer runs by descending key.
    pub reversed: bool,
    /// The first sweep runs from the last layer back.
    pub up_first: bool,
    /// Sources stay where longest path puts them.
    pub no_promotion: bool,
}

impl Variant {
    pub const ALL: usize = 8;

    pub fn nth(i: usize) -> Variant {
        Variant { reversed: i & 1 != 0, up_first: i & 2 != 0, no_promotion: i & 4 != 0 }
    }
}

/// Top-left corner of every box, relative to the level, and the level's size.
pub(super) struct Output {
    pub pos: Vec<(i64, i64)>,
    pub size: (i64, i64),
}

struct Graph {
    /// Real boxes first, then dummies.
    height: Vec<i64>,
    width: Vec<i64>,
    layer: Vec<usize>,
    /// Neighbours in the previous and the next layer.
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    real: usize,
}

pub(super) fn layout(input: &Input) -> Output {
    let n = input.sizes.len();
    if n == 0 {
        return Output { pos: Vec::new(), size: (0, 0) };
    }
    let g = build(input);
    let mut layers = order(&g, input);
    let bands = bands(&g, &layers);
    let mut pos = vec![(0i64, 0i64); g.height.len()];
    let mut y0 = 0;
    let mut width = 0;
    for range in &bands {
        let (w, h) = place_band(&g, &mut layers[range.clone()], &mut pos, y0);
        width = width.max(w);
        y0 += h + BAND_GAP;
    }
    // Bands snake: every second one runs right to left, so the flows from
    // one band to the next stay short instead of crossing the whole level.
    for range in bands.iter().skip(1).step_by(2) {
        for &v in layers[range.clone()].iter().flatten() {
            pos[v].0 = width - pos[v].0 - g.width[v];
        }
    }
    let mut size = (width, (y0 - BAND_GAP).max(0));
    if size.1 as f64 > SPLIT_ABOVE * size.0 as f64 && bands.len() == 1 {
        size = slice_tall(&g, &mut pos, size);
    }
    pos.truncate(n);
    Output { pos, size }
}

fn key_cmp(input: &Input, a: usize, b: usize) -> Ordering {
    let (ka, kb) = (input.keys[a], input.keys[b]);
    ka.0.cmp(&kb.0).then(ka.1.partial_cmp(&kb.1).unwrap_or(Ordering::Equal)).then(a.cmp(&b))
}

/// Layers by longest path over the flows oriented by key, then dummies.
fn build(input: &Input) -> Graph {
    let n = input.sizes.len();
    let mut by_key: Vec<usize> = (0..n).collect();
    by_key.sort_by(|&a, &b| key_cmp(input, a, b));
    let mut rank_of = vec![0; n];
    for (r, &v) in by_key.iter().enumerate() {
        rank_of[v] = r;
    }
    let mut edges: Vec<(usize, usize)> = input
        .edges
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| if rank_of[a] < rank_of[b] { (a, b) } else { (b, a) })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut preds = vec![Vec::new(); n];
    for &(a, b) in &edges {
        preds[b].push(a);
    }
    let mut succs = vec![Vec::new(); n];
    for &(a, b) in &edges {
        succs[a].push(b);
    }
    let mut layer = vec![0usize; n];
    for &v in &by_key {
        let from_preds = preds[v].iter().map(|&u| layer[u] + 1).max().unwrap_or(0);
        layer[v] = from_preds.max(input.floor[v]);
    }
    // Promotion: a box with no more flows in than out moves right up to its
    // nearest successor, shortening its flows (longest path leaves every
    // source in the first layer, however far its targets are).
    for &v in by_key.iter().rev().filter(|_| !input.variant.no_promotion) {
        if let Some(next) = succs[v].iter().map(|&w| layer[w]).min() {
            if preds[v].len() <= succs[v].len() && next > layer[v] + 1 {
                layer[v] = next - 1;
            }
        }
    }
    // Compress to consecutive layers.
    let mut used: Vec<usize> = layer.clone();
    used.sort_unstable();
    used.dedup();
    for l in &mut layer {
        *l = used.binary_search(l).expect("layer is used");
    }
    let mut g = Graph {
        height: input.sizes.iter().map(|s| s.1).collect(),
        width: input.sizes.iter().map(|s| s.0).collect(),
        layer,
        up: vec![Vec::new(); n],
        down: vec![Vec::new(); n],
        real: n,
    };
    for &(a, b) in &edges {
        let mut prev = a;
        for l in g.layer[a] + 1..g.layer[b] {
            let d = g.height.len();
            g.height.push(DUMMY_HEIGHT);
            g.width.push(0);
            g.layer.push(l);
            g.up.push(Vec::new());
            g.down.push(Vec::new());
            g.down[prev].push(d);
            g.up[d].push(prev);
            prev = d;
        }
        g.down[prev].push(b);
        g.up[b].push(prev);
    }
    g
}

/// Orders every layer: an initial order by key and barycentre, then sweeps
/// that keep the order with the fewest crossings.
fn order(g: &Graph, input: &Input) -> Vec<Vec<usize>> {
    let nl = g.layer.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); nl];
    let mut all: Vec<usize> = (0..g.height.len()).collect();
    // Real boxes by key; dummies after their chain's source.
    all.sort_by(|&a, &b| {
        let ka = if a < g.real { a } else { chain_source(g, a) };
        let kb = if b < g.real { b } else { chain_source(g, b) };
        let o = key_cmp(input, ka, kb).then(a.cmp(&b));
        if input.variant.reversed {
            o.reverse()
        } else {
            o
        }
    });
    for v in all {
        layers[g.layer[v]].push(v);
    }
    let mut pos = vec![0.0f64; g.height.len()];
    let set_pos = |layers: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    set_pos(&layers, &mut pos);
    for l in layers.iter_mut().skip(1) {
        reorder(l, &g.up, &mut pos);
    }
    let mut best = layers.clone();
    let mut best_cross = crossings(g, &layers);
    let mut stale = 0;
    for it in 0..SWEEPS {
        if best_cross == 0 || stale >= 8 {
            break;
        }
        if (it % 2 == 0) != input.variant.up_first {
            for l in layers.iter_mut().skip(1) {
                reorder(l, &g.up, &mut pos);
            }
        } else {
            for l in (0..nl.saturating_sub(1)).rev() {
                reorder(&mut layers[l], &g.down, &mut pos);
            }
        }
        transpose(g, &mut layers, &mut pos);
        let c = crossings(g, &layers);
        if c < best_cross {
            best_cross = c;
            best = layers.clone();
            stale = 0;
        } else {
            stale += 1;
        }
    }
    best
}

fn chain_source(g: &Graph, mut d: usize) -> usize {
    while d >= g.real {
        d = g.up[d][0];
    }
    d
}

/// Sorts a layer by the barycentre of each node's neighbours on one side;
/// a node without neighbours there keeps its place.
fn reorder(layer: &mut [usize], side: &[Vec<usize>], pos: &mut [f64]) {
    let bary = |v: usize, pos: &[f64]| -> f64 {
        let ns = &side[v];
        if ns.is_empty() {
            pos[v]
        } else {
            ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
        }
    };
    let mut keyed: Vec<(f64, f64, usize)> = layer.iter().map(|&v| (bary(v, pos), pos[v], v)).collect();
    keyed.sort_by(|a, b| {
        a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal).then(a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal))
    });
    for (i, (_, _, v)) in keyed.into_iter().enumerate() {
        layer[i] = v;
        pos[v] = i as f64;
    }
}

/// Swaps neighbours within a layer while that removes crossings.
fn transpose(g: &Graph, layers: &mut [Vec<usize>], pos: &mut [f64]) {
    let pair = |u: usize, v: usize, pos: &[f64]| -> usize {
        // Crossings between the edges of u and of v when u is left of v.
        let mut c = 0;
        for side in [&g.up, &g.down] {
            for &a in &side[u] {
                for &b in &side[v] {
                    if pos[a] > pos[b] {
                        c += 1;
                    }
                }
            }
        }
        c
    };
    for _ in 0..4 {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 1..layer.len() {
                let (u, v) = (layer[i - 1], layer[i]);
                if pair(v, u, pos) < pair(u, v, pos) {
                    layer.swap(i - 1, i);
                    pos[u] = i as f64;
                    pos[v] = (i - 1) as f64;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between consecutive layers (Barth, Mutzel and Jünger's
/// accumulator tree: O(E log V) per layer pair).
fn crossings(g: &Graph, layers: &[Vec<usize>]) -> usize {
    let mut at = vec![0usize; g.height.len()];
    for l in layers {
        for (i, &v) in l.iter().enumerate() {
            at[v] = i;
        }
    }
    let mut total = 0;
    for w in layers.windows(2) {
        let (top, bottom) = (&w[0], &w[1]);
        let mut ends: Vec<(usize, usize)> =
            top.iter().flat_map(|&u| g.down[u].iter().map(move |&v| (u, v))).map(|(u, v)| (at[u], at[v])).collect();
        ends.sort_unstable();
        let size = bottom.len().next_power_of_two().max(1);
        let mut tree = vec![0usize; 2 * size];
        for &(_, b) in &ends {
            let mut idx = b + size;
            tree[idx] += 1;
            while idx > 1 {
                if idx % 2 == 0 {
                    total += tree[idx + 1];
                }
                idx /= 2;
                tree[idx] += 1;
            }
        }
    }
    total
}

/// Column ranges of the bands a level is wrapped into (one when it fits).
fn bands(g: &Graph, layers: &[Vec<usize>]) -> Vec<std::ops::Range<usize>> {
    let widths: Vec<i64> = layers.iter().map(|l| l.iter().map(|&v| g.width[v]).max().unwrap_or(0)).collect();
    let heights: Vec<i64> = layers.iter().map(|l| column_height(g, l)).collect();
    let nl = layers.len();
    let shape = |cuts: &[std::ops::Range<usize>]| -> (i64, i64) {
        let w = cuts
            .iter()
            .map(|r| widths[r.clone()].iter().sum::<i64>() + COLUMN_GAP * (r.len() as i64 - 1))
            .max()
            .unwrap_or(0);
        let h = cuts.iter().map(|r| heights[r.clone()].iter().copied().max().unwrap_or(0)).sum::<i64>()
            + BAND_GAP * (cuts.len() as i64 - 1);
        (w, h)
    };
    #[allow(clippy::single_range_in_vec_init)] // one band holding every column
    let one = vec![0..nl];
    let (w, h) = shape(&one);
    if nl < 2 || (w as f64) <= WRAP_ABOVE * h.max(1) as f64 {
        return one;
    }
    // The fewest bands that bring the level within shape, else the best shape.
    let score = |(w, h): (i64, i64)| ((w as f64 / h.max(1) as f64) / TARGET_RATIO).ln().abs();
    let mut best = one;
    let mut best_score = score((w, h));
    for k in 2..=nl {
        let cuts = split_even(&widths, k);
        let (w, h) = shape(&cuts);
        if (w as f64) <= WRAP_TO * h.max(1) as f64 {
            return cuts;
        }
        let s = score((w, h));
        if s < best_score {
            best_score = s;
            best = cuts;
        }
    }
    best
}

/// Splits columns into `k` contiguous runs of about equal width.
fn split_even(widths: &[i64], k: usize) -> Vec<std::ops::Range<usize>> {
    let total: i64 = widths.iter().map(|w| w + COLUMN_GAP).sum();
    let mut out = Vec::new();
    let mut start = 0;
    let mut acc = 0;
    for (i, w) in widths.iter().enumerate() {
        acc += w + COLUMN_GAP;
        let target = total * (out.len() as i64 + 1) / k as i64;
        if acc >= target && out.len() + 1 < k && i + 1 < widths.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..widths.len());
    out
}

fn gap(g: &Graph, a: usize, b: usize) -> i64 {
    match (a >= g.real, b >= g.real) {
        (true, true) => DUMMY_GAP,
        (false, false) => ROW_GAP,
        _ => (ROW_GAP + DUMMY_GAP) / 2,
    }
}

fn column_height(g: &Graph, l: &[usize]) -> i64 {
    let boxes: i64 = l.iter().map(|&v| g.height[v]).sum();
    boxes + l.windows(2).map(|w| gap(g, w[0], w[1])).sum::<i64>()
}

/// Places one band at `y0`: columns left to right, each column's boxes at
/// the centres that best line up with their neighbours. Returns its size.
fn place_band(g: &Graph, layers: &mut [Vec<usize>], pos: &mut [(i64, i64)], y0: i64) -> (i64, i64) {
    let mut centre = vec![0.0f64; g.height.len()];
    for l in layers.iter() {
        let mut y = 0.0;
        for (i, &v) in l.iter().enumerate() {
            if i > 0 {
                y += gap(g, l[i - 1], v) as f64;
            }
            centre[v] = y + g.height[v] as f64 / 2.0;
            y += g.height[v] as f64;
        }
    }
    let in_band: std::collections::HashSet<usize> = layers.iter().flatten().copied().collect();
    for pass in 0..8 {
        let order: Vec<usize> =
            if pass % 2 == 0 { (0..layers.len()).collect() } else { (0..layers.len()).rev().collect() };
        for li in order {
            let l = &layers[li];
            let want: Vec<f64> = l
                .iter()
                .map(|&v| {
                    let (up, down): (&[usize], &[usize]) = match pass % 4 {
                        0 => (&g.up[v], &[]),
                        1 => (&[], &g.down[v]),
                        _ => (&g.up[v], &g.down[v]),
                    };
                    let (sum, count) = up
                        .iter()
                        .chain(down)
                        .filter(|u| in_band.contains(u))
                        .fold((0.0, 0usize), |(s, c), &u| (s + centre[u], c + 1));
                    if count == 0 {
                        centre[v]
                    } else {
                        sum / count as f64
                    }
                })
                .collect();
            let placed = isotonic(g, l, &want);
            for (i, &v) in l.iter().enumerate() {
                centre[v] = placed[i];
            }
        }
    }
    let top = layers.iter().flatten().map(|&v| centre[v] - g.height[v] as f64 / 2.0).fold(f64::INFINITY, f64::min);
    let top = if top.is_finite() { top } else { 0.0 };
    let mut x = 0;
    let mut bottom = 0;
    for l in layers.iter() {
        let w = l.iter().map(|&v| g.width[v]).max().unwrap_or(0);
        for &v in l {
            let y = (centre[v] - g.height[v] as f64 / 2.0 - top).round() as i64;
            pos[v] = (x + (w - g.width[v]) / 2, y0 + y);
            bottom = bottom.max(y + g.height[v]);
        }
        x += w + COLUMN_GAP;
    }
    (x - COLUMN_GAP, bottom)
}

/// Centres as close as possible (least squares) to `want`, in the column's
/// order, with at least the gap between neighbours (pool adjacent violators).
fn isotonic(g: &Graph, l: &[usize], want: &[f64]) -> Vec<f64> {
    let mut off = vec![0.0f64; l.len()];
    for i in 1..l.len() {
        off[i] = off[i - 1] + (g.height[l[i - 1]] + g.height[l[i]]) as f64 / 2.0 + gap(g, l[i - 1], l[i]) as f64;
    }
    // Blocks of (sum of targets, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for i in 0..l.len() {
        blocks.push((want[i] - off[i], 1.0, 1));
        while blocks.len() > 1 {
            let (s2, n2, c2) = blocks[blocks.len() - 1];
            let (s1, n1, c1) = blocks[blocks.len() - 2];
            if s1 / n1 <= s2 / n2 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (s1 + s2, n1 + n2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(l.len());
    for (s, n, c) in blocks {
        for _ in 0..c {
            out.push(s / n + off[out.len()]);
        }
    }
    out
}

/// Cuts a tall single-band level into horizontal slices set side by side,
/// aiming at [`TARGET_RATIO`]: every slice keeps the layers and the order of
/// the drawing, so neighbours stay neighbours. A box belongs to the slice of
/// its centre; slices are disjoint in x, so nothing overlaps. Returns the new size.
fn slice_tall(g: &Graph, pos: &mut [(i64, i64)], size: (i64, i64)) -> (i64, i64) {
    let real: Vec<usize> = (0..g.real).collect();
    let centre = |v: usize, pos: &[(i64, i64)]| pos[v].1 + g.height[v] / 2;
    let score = |(w, h): (i64, i64)| ((w as f64 / h.max(1) as f64) / TARGET_RATIO).ln().abs();
    let shape = |k: i64, pos: &[(i64, i64)]| -> (i64, Vec<(i64, i64)>) {
        // Per slice: top and bottom of its boxes.
        let mut ext = vec![(i64::MAX, i64::MIN); k as usize];
        for &v in &real {
            let s = (centre(v, pos) * k / size.1.max(1)).clamp(0, k - 1) as usize;
            ext[s] = (ext[s].0.min(pos[v].1), ext[s].1.max(pos[v].1 + g.height[v]));
        }
        let h = ext.iter().filter(|e| e.0 <= e.1).map(|e| e.1 - e.0).max().unwrap_or(0);
        (h, ext)
    };
    let mut best = (score(size), 1i64);
    for k in 2..=24 {
        let (h, _) = shape(k, pos);
        let w = k * size.0 + (k - 1) * COLUMN_GAP;
        if score((w, h)) < best.0 {
            best = (score((w, h)), k);
        }
    }
    let k = best.1;
    if k == 1 {
        return size;
    }
    let (h, ext) = shape(k, pos);
    for &v in &real {
        let s = (centre(v, pos) * k / size.1.max(1)).clamp(0, k - 1) as usize;
        pos[v] = (pos[v].0 + s as i64 * (size.0 + COLUMN_GAP), pos[v].1 - ext[s].0);
    }
    (k * size.0 + (k - 1) * COLUMN_GAP, h)
}
