//! Rectangles of the drawings other tools save (Threat Dragon cells, Microsoft TMT
//! stencils, OTM representations), and how boundaries drawn as boxes nest.
//!
//! Must not: know any file format.

/// A rectangle: x, y, width, height.
pub(crate) type Rect = (f64, f64, f64, f64);

/// Whether the centre of `inner` lies in `outer`: what a drawing tool means by "inside".
pub(crate) fn contains(outer: Rect, inner: Rect) -> bool {
    let (cx, cy) = (inner.0 + inner.2 / 2.0, inner.1 + inner.3 / 2.0);
    cx >= outer.0 && cx <= outer.0 + outer.2 && cy >= outer.1 && cy <= outer.1 + outer.3
}

fn area(r: Rect) -> f64 {
    r.2 * r.3
}

/// For each box, the index of its parent: the smallest larger box around it, among the
/// boxes `comparable` allows (the same drawing surface, say).
pub(crate) fn nest(boxes: &[Rect], comparable: impl Fn(usize, usize) -> bool) -> Vec<Option<usize>> {
    (0..boxes.len())
        .map(|b| {
            (0..boxes.len())
                .filter(|&o| {
                    o != b && comparable(o, b) && contains(boxes[o], boxes[b]) && area(boxes[o]) > area(boxes[b])
                })
                .min_by(|&x, &y| area(boxes[x]).total_cmp(&area(boxes[y])))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_nest_in_the_smallest_box_around_them() {
        let outer = (0.0, 0.0, 100.0, 100.0);
        let middle = (10.0, 10.0, 50.0, 50.0);
        let inner = (20.0, 20.0, 10.0, 10.0);
        let apart = (200.0, 0.0, 10.0, 10.0);
        assert_eq!(nest(&[outer, middle, inner, apart], |_, _| true), vec![None, Some(0), Some(1), None]);
        // Two boxes of the same size do not hold each other.
        assert_eq!(nest(&[outer, outer], |_, _| true), vec![None, None]);
        // Only comparable boxes nest.
        assert_eq!(nest(&[outer, inner], |o, b| o == b), vec![None, None]);
    }
}
