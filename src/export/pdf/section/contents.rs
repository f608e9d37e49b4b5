//! The table of contents (filled in once the sections know their pages) and
//! the running header and footer of every page.
//!
//! Must not: compute threats, scores or bands; it draws what `Analysis` carries.

use crate::export::pdf::doc::{self, Writer, ACCENT, INK, MARGIN, MUTED, RULE};
use crate::export::pdf::fonts::Style;
use crate::export::pdf::*;

pub(in crate::export::pdf) fn contents(w: &mut Writer, toc_page: usize) {
    let fonts = w.fonts;
    let entries: Vec<(String, u8, usize)> = w.sections.iter().map(|s| (s.title.clone(), s.level, s.page)).collect();
    w.sections.insert(1, doc::Section { title: "Contents".into(), level: 1, page: toc_page });
    let tw = w.width();
    let page = &mut w.pages[toc_page];
    page.text(MARGIN, doc::TOP + 18.0, 18.0, Style::Bold, ACCENT, "Contents");
    page.line(vec![(MARGIN, doc::TOP + 25.0), (MARGIN + tw, doc::TOP + 25.0)], ACCENT, 1.2, false);
    let mut y = doc::TOP + 50.0;
    for (title, level, target) in entries {
        let (size, style, indent) = if level == 1 { (10.5, Style::Bold, 0.0) } else { (9.5, Style::Regular, 16.0) };
        let num = (target + 1).to_string();
        let nw = fonts.width(&num, style, size);
        let label = fonts.ellipsize(&title, style, size, tw - indent - nw - 30.0);
        let lw = fonts.width(&label, style, size);
        page.text(MARGIN + indent, y, size, style, INK, &label);
        page.text(MARGIN + tw - nw, y, size, style, INK, &num);
        // Dot leader.
        let dots_from = MARGIN + indent + lw + 6.0;
        let dots_to = MARGIN + tw - nw - 6.0;
        let mut x = dots_from;
        let mut leader = String::new();
        let dw = fonts.width(". ", Style::Regular, size);
        while x + dw < dots_to {
            leader.push_str(". ");
            x += dw;
        }
        let lx = dots_to - fonts.width(leader.trim_end(), Style::Regular, size);
        page.text(lx, y, size, Style::Regular, RULE, leader.trim_end());
        page.items.push(doc::Item::Link { x: MARGIN, y: y - size, w: tw, h: size * 1.5, page: target });
        y += if level == 1 { 20.0 } else { 16.0 };
    }
}

/// Running header and footer with page numbers.
pub(in crate::export::pdf) fn chrome(w: &mut Writer, r: &Report) {
    let fonts = w.fonts;
    let total = w.pages.len();
    let name = display_name(r.model).to_string();
    for (i, page) in w.pages.iter_mut().enumerate() {
        let tw = page.w - 2.0 * MARGIN;
        let foot_y = page.h - 28.0;
        let num = format!("Page {} of {}", i + 1, total);
        let nw = fonts.width(&num, Style::Regular, 7.5);
        page.text(MARGIN + tw - nw, foot_y, 7.5, Style::Regular, MUTED, &num);
        page.text(
            MARGIN,
            foot_y,
            7.5,
            Style::Regular,
            MUTED,
            &format!("Threatwright {} · confidential: security assessment", crate::version()),
        );
        if page.chrome {
            let right = format!("Threat model and risk assessment · {}", r.date);
            let rw = fonts.width(&right, Style::Regular, 7.5);
            let left = fonts.ellipsize(&name, Style::Bold, 7.5, tw - rw - 20.0);
            page.text(MARGIN, 34.0, 7.5, Style::Bold, MUTED, &left);
            page.text(MARGIN + tw - rw, 34.0, 7.5, Style::Regular, MUTED, &right);
            page.line(vec![(MARGIN, 40.0), (MARGIN + tw, 40.0)], RULE, 0.5, false);
        }
        page.line(vec![(MARGIN, foot_y - 10.0), (MARGIN + tw, foot_y - 10.0)], RULE, 0.5, false);
    }
}
