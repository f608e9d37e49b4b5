//! PDF report speed and size (target: 1,000 threats under 2 s).
//! Run with `cargo bench --bench pdf`; prints figures, asserts nothing.

use std::time::Instant;
use threatwright::engine::{analyze, Options};
use threatwright::export::pdf::{render, PdfOptions};
use threatwright::rules::builtin_catalog;

#[path = "../tests/common/testkit.rs"]
mod testkit;
use testkit::insecure_chains as generate;

fn main() {
    let catalog = builtin_catalog().expect("catalog loads");
    let options = Options { as_of: "2026-01-15".into(), ..Options::default() };
    // Warm the font cache (fonts are parsed once per process).
    let small = generate(2);
    let a = analyze(&small, &catalog, &options);
    let t = Instant::now();
    render(&small, &a, &PdfOptions::default()).expect("renders");
    println!("first render (includes loading fonts): {:?}", t.elapsed());

    for target in [100usize, 300, 1000] {
        let mut units = 2;
        let (model, analysis) = loop {
            let m = generate(units);
            let a = analyze(&m, &catalog, &options);
            if a.threats.len() >= target {
                break (m, a);
            }
            units += 1 + (target - a.threats.len()) / 25;
        };
        let mut best = std::time::Duration::MAX;
        let mut size = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let bytes = render(&model, &analysis, &PdfOptions::default()).expect("renders");
            best = best.min(t.elapsed());
            size = bytes.len();
        }
        println!(
            "{:>5} threats, {:>4} elements: best of 3 {:>8.1?}, {:>7} KB{}",
            analysis.threats.len(),
            model.elements.len(),
            best,
            size / 1024,
            if target == 1000 {
                if best.as_secs_f64() < 2.0 {
                    "  (target < 2 s: met)"
                } else {
                    "  (target < 2 s: MISSED)"
                }
            } else {
                ""
            }
        );
    }
}
