//! The compound graph the layout works on: the boundary tree (cycle-safe),
//! the owner of every element, a global rank per element along the flows,
//! and every flow lifted to the one level where it is laid out — the
//! innermost boundary that holds both of its ends.

use crate::model::{ElementKind, Model};
use std::collections::HashMap;

/// A member of a level: an element or a child boundary.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(super) enum Item {
    Element(usize),
    Block(usize),
}

/// A level: the root (`None`) or a boundary.
pub(super) type Level = Option<usize>;

pub(super) struct Compound {
    /// Direct members of each level.
    pub members: HashMap<Level, Vec<Item>>,
    /// Parent level of each boundary after cycles are broken.
    pub parent: Vec<Level>,
    /// Owner level of each element.
    pub owner: Vec<Level>,
    /// Global rank of each element: longest path over the flows with back
    /// edges dropped, never left of its kind's column.
    pub rank: Vec<usize>,
    /// Flows lifted to their level: (level, from item, to item).
    pub edges: Vec<(Level, Item, Item)>,
}

/// `start` and the boundaries above it, innermost first, by `parent`; stops
/// at a boundary seen before, so a parent cycle ends the chain.
pub(super) fn ancestors(parent: impl Fn(usize) -> Option<usize>, start: Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut cur = start;
    while let Some(b) = cur {
        if out.contains(&b) {
            break;
        }
        out.push(b);
        cur = parent(b);
    }
    out
}

/// Column of a kind when nothing else decides: externals, triggers, functions, stores.
pub(super) fn kind_rank(k: ElementKind) -> usize {
    match k {
        ElementKind::External => 0,
        ElementKind::Trigger => 1,
        ElementKind::Function => 2,
        ElementKind::Store => 3,
    }
}

impl Compound {
    pub fn build(model: &Model) -> Compound {
        let bindex: HashMap<_, _> = model.boundaries.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        let nb = model.boundaries.len();
        let mut parent: Vec<Level> = model
            .boundaries
            .iter()
            .enumerate()
            .map(|(i, b)| b.parent.and_then(|p| bindex.get(&p).copied()).filter(|p| *p != i))
            .collect();
        // A boundary caught in a parent cycle hangs from the root instead.
        for i in 0..nb {
            let mut seen = vec![false; nb];
            let mut cur = Some(i);
            while let Some(c) = cur {
                if seen[c] {
                    parent[i] = None;
                    break;
                }
                seen[c] = true;
                cur = parent[c];
            }
        }
        let mut members: HashMap<Level, Vec<Item>> = HashMap::new();
        for (i, p) in parent.iter().enumerate() {
            members.entry(*p).or_default().push(Item::Block(i));
        }
        let owner: Vec<Level> =
            model.elements.iter().map(|e| e.boundary.and_then(|b| bindex.get(&b).copied())).collect();
        for (i, o) in owner.iter().enumerate() {
            members.entry(*o).or_default().push(Item::Element(i));
        }
        let index: HashMap<_, _> = model.elements.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let pairs: Vec<(usize, usize)> = model
            .flows
            .iter()
            .filter_map(|f| Some((*index.get(&f.from)?, *index.get(&f.to)?)))
            .filter(|(a, b)| a != b)
            .collect();
        let rank = ranks(model, &pairs);
        let mut c = Compound { members, parent, owner, rank, edges: Vec::new() };
        let depth: Vec<usize> = (0..nb).map(|b| c.chain(Some(b)).len()).collect();
        for &(a, b) in &pairs {
            if let Some(e) = c.lift(a, b, &depth) {
                c.edges.push(e);
            }
        }
        c
    }

    /// The levels from `level` up to (not including) the root.
    pub fn chain(&self, level: Level) -> Vec<usize> {
        ancestors(|b| self.parent[b], level)
    }

    /// The level holding both ends and the item each end is represented by there.
    fn lift(&self, a: usize, b: usize, depth: &[usize]) -> Option<(Level, Item, Item)> {
        let (mut ia, mut la) = (Item::Element(a), self.owner[a]);
        let (mut ib, mut lb) = (Item::Element(b), self.owner[b]);
        let d = |l: Level| l.map_or(0, |b| depth[b]);
        while la != lb {
            if d(la) >= d(lb) {
                let blk = la?;
                ia = Item::Block(blk);
                la = self.parent[blk];
            } else {
                let blk = lb?;
                ib = Item::Block(blk);
                lb = self.parent[blk];
            }
        }
        (ia != ib).then_some((la, ia, ib))
    }

    /// Smallest and mean rank of the elements an item stands for.
    pub fn rank_key(&self, item: Item) -> (usize, f64) {
        match item {
            Item::Element(i) => (self.rank[i], self.rank[i] as f64),
            Item::Block(b) => {
                let (mut min, mut sum, mut n) = (usize::MAX, 0usize, 0usize);
                let mut stack = vec![b];
                let mut guard = 0;
                while let Some(x) = stack.pop() {
                    guard += 1;
                    if guard > self.parent.len() + 1 {
                        break;
                    }
                    for m in self.members.get(&Some(x)).into_iter().flatten() {
                        match *m {
                            Item::Element(i) => {
                                min = min.min(self.rank[i]);
                                sum += self.rank[i];
                                n += 1;
                            }
                            Item::Block(c) => stack.push(c),
                        }
                    }
                }
                if n == 0 {
                    (0, 0.0)
                } else {
                    (min, sum as f64 / n as f64)
                }
            }
        }
    }

    /// Smallest kind column of the elements an item stands for.
    pub fn kind_floor(&self, model: &Model, item: Item) -> usize {
        match item {
            Item::Element(i) => kind_rank(model.elements[i].kind),
            Item::Block(_) => 0,
        }
    }
}

/// Longest path over the flows after dropping the back edges of a DFS that
/// starts from externals, then triggers, functions and stores.
fn ranks(model: &Model, pairs: &[(usize, usize)]) -> Vec<usize> {
    let n = model.elements.len();
    let mut out_edges = vec![Vec::new(); n];
    for &(a, b) in pairs {
        out_edges[a].push(b);
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::with_capacity(n);
    let mut back = std::collections::HashSet::new();
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
    order.reverse();
    let mut rank: Vec<usize> = model.elements.iter().map(|e| kind_rank(e.kind)).collect();
    for &v in &order {
        for &w in &out_edges[v] {
            if !back.contains(&(v, w)) && rank[w] < rank[v] + 1 {
                rank[w] = rank[v] + 1;
            }
        }
    }
    rank
}
