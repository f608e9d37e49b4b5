//! A small page-description layer over printpdf: pages hold items in points
//! with the origin at the top left; a flow writer places headings,
//! paragraphs and tables with page breaks; `finish` subsets the fonts and
//! converts everything to printpdf operations.
//! Must not: know about threats, models or report sections.

use super::fonts::{FaceId, Fonts, Style};
use super::PdfError;
use printpdf::{
    Actions, Color, Destination, FontId, LineDashPattern, LinePoint, LinkAnnotation, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};
use std::collections::{BTreeMap, BTreeSet};

pub type Rgb3 = (f32, f32, f32);

pub const INK: Rgb3 = (0.12, 0.14, 0.17);
pub const MUTED: Rgb3 = (0.40, 0.43, 0.48);
pub const ACCENT: Rgb3 = (0.10, 0.22, 0.40);
pub const RULE: Rgb3 = (0.78, 0.80, 0.83);
pub const BAND: Rgb3 = (0.95, 0.96, 0.97);
pub const WHITE: Rgb3 = (1.0, 1.0, 1.0);

pub const A4: (f32, f32) = (595.28, 841.89);
pub const MARGIN: f32 = 48.0;
pub const TOP: f32 = 64.0;
/// Most lines one table cell shows; longer text ends in "…".
pub const MAX_CELL_LINES: usize = 16;
pub const BOTTOM: f32 = 56.0;

#[derive(Clone, Debug)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        color: Rgb3,
        text: String,
    },
    /// A closed or open path; `fill` and `stroke` optional.
    Path {
        points: Vec<(f32, f32)>,
        closed: bool,
        fill: Option<Rgb3>,
        stroke: Option<Rgb3>,
        width: f32,
        dash: bool,
    },
    /// Starts clipping what follows to a rectangle, until `Unclip`.
    Clip {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// Ends the innermost `Clip`.
    Unclip,
    /// An internal link to a page (0-based).
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        page: usize,
    },
}

pub struct Page {
    pub w: f32,
    pub h: f32,
    pub items: Vec<Item>,
    /// Running header and footer.
    pub chrome: bool,
}

impl Page {
    /// Places one line of text; control characters (a bell or escape in a name) print as spaces,
    /// not as missing-glyph boxes.
    pub fn text(&mut self, x: f32, y: f32, size: f32, style: Style, color: Rgb3, text: &str) {
        if !text.is_empty() {
            let text = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            self.items.push(Item::Text { x, y, size, style, color, text });
        }
    }

    // The drawing primitives take a shape's geometry and paint as plain
    // arguments, like the PDF operators they emit.
    #[allow(clippy::too_many_arguments)]
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb3>, stroke: Option<Rgb3>, width: f32) {
        self.items.push(Item::Path {
            points: vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)],
            closed: true,
            fill,
            stroke,
            width,
            dash: false,
        });
    }

    #[allow(clippy::too_many_arguments)]
    pub fn round_rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        r: f32,
        fill: Option<Rgb3>,
        stroke: Option<Rgb3>,
        width: f32,
        dash: bool,
    ) {
        let r = r.min(w / 2.0).min(h / 2.0);
        let mut points = Vec::new();
        let corners = [
            (x + w - r, y + r, -90.0f32),
            (x + w - r, y + h - r, 0.0),
            (x + r, y + h - r, 90.0),
            (x + r, y + r, 180.0),
        ];
        for (cx, cy, start) in corners {
            for k in 0..=4 {
                let a = (start + k as f32 * 22.5).to_radians();
                points.push((cx + r * a.cos(), cy + r * a.sin()));
            }
        }
        self.items.push(Item::Path { points, closed: true, fill, stroke, width, dash });
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, fill: Option<Rgb3>, stroke: Option<Rgb3>, width: f32) {
        let points = (0..24).map(|k| {
            let a = (k as f32 * 15.0).to_radians();
            (cx + r * a.cos(), cy + r * a.sin())
        });
        self.items.push(Item::Path { points: points.collect(), closed: true, fill, stroke, width, dash: false });
    }

    pub fn line(&mut self, points: Vec<(f32, f32)>, color: Rgb3, width: f32, dash: bool) {
        self.items.push(Item::Path { points, closed: false, fill: None, stroke: Some(color), width, dash });
    }

    /// Clips everything drawn until `unclip` to the rectangle.
    pub fn clip(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.items.push(Item::Clip { x, y, w, h });
    }

    pub fn unclip(&mut self) {
        self.items.push(Item::Unclip);
    }

    pub fn polygon(&mut self, points: Vec<(f32, f32)>, fill: Rgb3) {
        self.items.push(Item::Path { points, closed: true, fill: Some(fill), stroke: None, width: 0.0, dash: false });
    }
}

/// A table column.
pub struct Col {
    pub title: &'static str,
    pub width: f32,
    pub right: bool,
}

/// A table cell.
#[derive(Clone, Default)]
pub struct Cell {
    pub text: String,
    pub bold: bool,
    pub color: Option<Rgb3>,
    /// A coloured chip behind the text (severity).
    pub chip: Option<Rgb3>,
    /// Internal link target (page index).
    pub link: Option<usize>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Cell::default() }
    }
    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
    pub fn chip(mut self, c: Rgb3) -> Cell {
        self.chip = Some(c);
        self
    }
    pub fn color(mut self, c: Rgb3) -> Cell {
        self.color = Some(c);
        self
    }
}

/// A section for the table of contents and the outline.
pub struct Section {
    pub title: String,
    pub level: u8,
    pub page: usize,
}

/// The flow writer.
pub struct Writer<'f> {
    pub fonts: &'f Fonts,
    pub pages: Vec<Page>,
    pub y: f32,
    pub sections: Vec<Section>,
}

impl<'f> Writer<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Writer { fonts, pages: Vec::new(), y: TOP, sections: Vec::new() }
    }

    pub fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    pub fn new_page(&mut self, landscape: bool) {
        let (w, h) = if landscape { (A4.1, A4.0) } else { A4 };
        self.pages.push(Page { w, h, items: Vec::new(), chrome: true });
        self.y = TOP;
    }

    pub fn width(&self) -> f32 {
        self.pages.last().map(|p| p.w).unwrap_or(A4.0) - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.pages.last().map(|p| p.h).unwrap_or(A4.1) - BOTTOM
    }

    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// Starts a new page unless `h` points still fit.
    pub fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || self.y + h > self.bottom() {
            self.new_page(false);
        }
    }

    /// A level-1 heading starts a page; level 2 keeps with what follows.
    pub fn heading(&mut self, title: &str, level: u8) {
        let fonts = self.fonts;
        match level {
            1 => {
                self.new_page(false);
                self.sections.push(Section { title: title.to_string(), level, page: self.pages.len() - 1 });
                let w = self.width();
                for line in fonts.wrap(title, Style::Bold, 18.0, w) {
                    let y = self.y + 18.0;
                    self.page().text(MARGIN, y, 18.0, Style::Bold, ACCENT, &line);
                    self.y += 23.0;
                }
                let y = self.y + 2.0;
                self.page().line(vec![(MARGIN, y), (MARGIN + w, y)], ACCENT, 1.2, false);
                self.y += 14.0;
            }
            _ => {
                self.ensure(60.0);
                if level == 2 {
                    self.sections.push(Section { title: title.to_string(), level, page: self.pages.len() - 1 });
                }
                self.y += 6.0;
                let w = self.width();
                for line in fonts.wrap(title, Style::Bold, 12.0, w) {
                    let y = self.y + 12.0;
                    self.page().text(MARGIN, y, 12.0, Style::Bold, ACCENT, &line);
                    self.y += 16.0;
                }
                self.y += 3.0;
            }
        }
    }

    /// A wrapped paragraph at `indent` from the margin.
    pub fn para(&mut self, text: &str, size: f32, style: Style, color: Rgb3, indent: f32) {
        let fonts = self.fonts;
        let lh = size * 1.38;
        let w = self.width() - indent;
        for line in fonts.wrap(text, style, size, w) {
            self.ensure(lh);
            let y = self.y + size;
            self.page().text(MARGIN + indent, y, size, style, color, &line);
            self.y += lh;
        }
    }

    /// "Label: value" with a bold label and a wrapped value.
    pub fn field(&mut self, label: &str, value: &str, size: f32, label_w: f32) {
        let fonts = self.fonts;
        let lh = size * 1.38;
        let w = self.width() - label_w;
        let lines = fonts.wrap(value, Style::Regular, size, w);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            let y = self.y + size;
            if i == 0 {
                self.page().text(MARGIN, y, size, Style::Bold, MUTED, label);
            }
            self.page().text(MARGIN + label_w, y, size, Style::Regular, INK, line);
            self.y += lh;
        }
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// A table that breaks across pages and repeats its header. Column
    /// widths are scaled to the text width.
    pub fn table(&mut self, cols: &[Col], rows: &[Vec<Cell>], size: f32) {
        let fonts = self.fonts;
        let total: f32 = cols.iter().map(|c| c.width).sum();
        let scale = self.width() / total;
        let widths: Vec<f32> = cols.iter().map(|c| c.width * scale).collect();
        let pad = 3.0;
        let lh = size * 1.3;
        let header_h = lh + 2.0 * pad;
        let draw_header = |w: &mut Writer| {
            let y = w.y;
            let tw = w.width();
            w.page().rect(MARGIN, y, tw, header_h, Some(ACCENT), None, 0.0);
            let mut x = MARGIN;
            for (c, cw) in cols.iter().zip(&widths) {
                let label = fonts.ellipsize(c.title, Style::Bold, size, cw - 2.0 * pad);
                let tx = if c.right { x + cw - pad - fonts.width(&label, Style::Bold, size) } else { x + pad };
                w.page().text(tx, y + pad + size, size, Style::Bold, WHITE, &label);
                x += cw;
            }
            w.y += header_h;
        };
        self.ensure(header_h + lh + 2.0 * pad);
        draw_header(self);
        // A row never outgrows a page (a 10,000-character name would run off its bottom): a cell
        // shows at most what fits under the header, and at most MAX_CELL_LINES, then "…".
        let fit = ((self.bottom() - TOP - header_h - 2.0 * pad) / lh).floor().max(1.0) as usize;
        let max_lines = fit.min(MAX_CELL_LINES);
        for (ri, row) in rows.iter().enumerate() {
            let wrapped: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, cw)| {
                    let style = if cell.bold { Style::Bold } else { Style::Regular };
                    let inner = (cw - 2.0 * pad - if cell.chip.is_some() { 4.0 } else { 0.0 }).max(4.0);
                    let mut lines = fonts.wrap(&cell.text, style, size, inner);
                    if lines.len() > max_lines {
                        lines.truncate(max_lines);
                        let last = lines.pop().unwrap_or_default();
                        lines.push(fonts.ellipsize(&format!("{last} …"), style, size, inner));
                    }
                    lines
                })
                .collect();
            let n = wrapped.iter().map(|l| l.len()).max().unwrap_or(1).max(1);
            let h = n as f32 * lh + 2.0 * pad;
            if self.y + h > self.bottom() {
                self.new_page(self.pages.last().map(|p| p.w > p.h).unwrap_or(false));
                draw_header(self);
            }
            let y = self.y;
            let tw = self.width();
            if ri % 2 == 1 {
                self.page().rect(MARGIN, y, tw, h, Some(BAND), None, 0.0);
            }
            let mut x = MARGIN;
            for ((cell, lines), (c, cw)) in row.iter().zip(&wrapped).zip(cols.iter().zip(&widths)) {
                let style = if cell.bold { Style::Bold } else { Style::Regular };
                if let Some(chip) = cell.chip {
                    let lw = lines.iter().map(|l| fonts.width(l, style, size)).fold(0.0, f32::max);
                    self.page().round_rect(
                        x + pad - 1.0,
                        y + pad - 1.0,
                        lw + 6.0,
                        lines.len() as f32 * lh + 1.0,
                        2.5,
                        Some(chip),
                        None,
                        0.0,
                        false,
                    );
                }
                for (li, line) in lines.iter().enumerate() {
                    let tx = if c.right {
                        x + cw - pad - fonts.width(line, style, size)
                    } else {
                        x + pad + if cell.chip.is_some() { 2.0 } else { 0.0 }
                    };
                    let color = cell.color.unwrap_or(if cell.chip.is_some() { WHITE } else { INK });
                    self.page().text(tx, y + pad + size + li as f32 * lh, size, style, color, line);
                }
                if let Some(target) = cell.link {
                    self.page().items.push(Item::Link { x, y, w: *cw, h, page: target });
                }
                x += cw;
            }
            self.y += h;
            let ly = self.y;
            self.page().line(vec![(MARGIN, ly), (MARGIN + tw, ly)], RULE, 0.4, false);
        }
        self.y += 8.0;
    }
}

/// Converts a colour.
fn color(c: Rgb3) -> Color {
    Color::Rgb(Rgb { r: c.0, g: c.1, b: c.2, icc_profile: None })
}

/// The text runs of one item: face, text and size.
type Runs = Vec<(FaceId, String, f32)>;

/// Builds the printpdf document: subsets the used glyphs of every face,
/// then converts items to operations. Font and bookmark ids are fixed so
/// the output is deterministic.
pub fn finish(
    fonts: &Fonts,
    pages: &[Page],
    title: &str,
    author: &str,
    bookmarks: &[(String, usize)],
    created: printpdf::OffsetDateTime,
) -> Result<Vec<u8>, PdfError> {
    // Runs by face, and the characters each face draws.
    let mut used: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    let mut runs_by_page: Vec<Vec<(usize, Runs)>> = Vec::with_capacity(pages.len());
    for page in pages {
        let mut page_runs = Vec::new();
        for (i, item) in page.items.iter().enumerate() {
            if let Item::Text { text, style, size, .. } = item {
                let mut x = 0.0;
                let mut runs = Vec::new();
                let text = super::fonts::visual_order(text);
                for (f, run) in fonts.runs(&text, *style) {
                    used.entry(f).or_default().extend(run.chars().filter(|c| !c.is_control()));
                    runs.push((f, run.to_string(), x));
                    x += fonts.width(run, *style, *size);
                }
                page_runs.push((i, runs));
            }
        }
        runs_by_page.push(page_runs);
    }
    let missing = fonts.missing.borrow();
    if !missing.is_empty() {
        let sample: String = missing.iter().take(12).collect();
        let cjk = missing.iter().any(|&c| super::fonts::is_wide(c));
        if cjk && !fonts.cjk_used() {
            return Err(PdfError::MissingFont(format!(
                "the model uses CJK characters ({sample}) but Noto Sans CJK is not installed (install fonts-noto-cjk, run scripts/install-deps.sh, or set THREATWRIGHT_FONT_DIR)"
            )));
        }
    }
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.author = author.to_string();
    doc.metadata.info.creator = format!("Threatwright {}", crate::version());
    doc.metadata.info.producer = "Threatwright (printpdf)".into();
    doc.metadata.info.subject = "Threat model and risk assessment".into();
    doc.metadata.info.creation_date = created;
    doc.metadata.info.modification_date = created;
    doc.metadata.info.metadata_date = created;
    let mut ids: BTreeMap<FaceId, FontId> = BTreeMap::new();
    for (&f, chars) in &used {
        let face = fonts.face(f).ok_or_else(|| PdfError::Font("a face vanished".into()))?;
        let sub = face.subset(chars)?;
        let id = FontId(format!("TW{f}"));
        doc.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(sub));
        ids.insert(f, id);
    }

    let mut out_pages = Vec::with_capacity(pages.len());
    for (page, runs) in pages.iter().zip(&runs_by_page) {
        let h = page.h;
        let mut ops: Vec<Op> = Vec::new();
        let mut runs = runs.iter().peekable();
        for (i, item) in page.items.iter().enumerate() {
            match item {
                Item::Text { x, y, size, color: c, .. } => {
                    let Some((_, text_runs)) = runs.next_if(|(j, _)| *j == i) else { continue };
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFillColor { col: color(*c) });
                    for (f, run, dx) in text_runs {
                        ops.push(Op::SetFont { font: PdfFontHandle::External(ids[f].clone()), size: Pt(*size) });
                        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x + dx), Pt(h - y)) });
                        ops.push(Op::ShowText { items: vec![TextItem::Text(run.clone())] });
                    }
                    ops.push(Op::EndTextSection);
                }
                Item::Path { points, closed, fill, stroke, width, dash } => {
                    if points.len() < 2 {
                        continue;
                    }
                    ops.push(Op::SaveGraphicsState);
                    if let Some(f) = fill {
                        ops.push(Op::SetFillColor { col: color(*f) });
                    }
                    if let Some(s) = stroke {
                        ops.push(Op::SetOutlineColor { col: color(*s) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        if *dash {
                            ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[4.0, 3.0]) });
                        }
                    }
                    let pts: Vec<LinePoint> = points
                        .iter()
                        .map(|(px, py)| LinePoint { p: Point { x: Pt(*px), y: Pt(h - py) }, bezier: false })
                        .collect();
                    if *closed {
                        let mode = match (fill.is_some(), stroke.is_some()) {
                            (true, true) => PaintMode::FillStroke,
                            (true, false) => PaintMode::Fill,
                            _ => PaintMode::Stroke,
                        };
                        ops.push(Op::DrawPolygon {
                            polygon: Polygon {
                                rings: vec![PolygonRing { points: pts }],
                                mode,
                                winding_order: WindingOrder::NonZero,
                            },
                        });
                    } else {
                        ops.push(Op::DrawLine { line: printpdf::Line { points: pts, is_closed: false } });
                    }
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Clip { x, y, w, h: ch } => clip_ops(&mut ops, (*x, *y, *w, *ch), h),
                Item::Unclip => ops.push(Op::RestoreGraphicsState),
                Item::Link { x, y, w, h: lh, page: target } => ops.push(link_op((*x, *y, *w, *lh), h, *target)),
            }
        }
        let mm = |pt: f32| printpdf::Mm(pt * 25.4 / 72.0);
        out_pages.push(PdfPage::new(mm(page.w), mm(h), ops));
    }
    doc.with_pages(out_pages);
    for (i, (name, page)) in bookmarks.iter().enumerate() {
        doc.bookmarks.map.insert(
            printpdf::PageAnnotId(format!("B{i:05}")),
            printpdf::PageAnnotation { name: name.clone(), page: page + 1 },
        );
    }
    let mut warnings = Vec::new();
    let mut bytes = doc.save(&printpdf::PdfSaveOptions { subset_fonts: false, ..Default::default() }, &mut warnings);
    fix_trailer_id(&mut bytes);
    Ok(bytes)
}

/// Saves the graphics state and clips to rectangle `r` (top-left origin) on
/// a page `h` points high; `Item::Unclip` restores the state.
fn clip_ops(ops: &mut Vec<Op>, r: (f32, f32, f32, f32), h: f32) {
    let (x, y, w, ch) = r;
    ops.push(Op::SaveGraphicsState);
    let corners = [(x, y), (x + w, y), (x + w, y + ch), (x, y + ch)];
    let points =
        corners.iter().map(|(px, py)| LinePoint { p: Point { x: Pt(*px), y: Pt(h - py) }, bezier: false }).collect();
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing { points }],
            mode: PaintMode::Clip,
            winding_order: WindingOrder::NonZero,
        },
    });
}

/// An invisible link over rectangle `r` (top-left origin) to page `target`
/// (0-based) on a page `h` points high.
fn link_op(r: (f32, f32, f32, f32), h: f32, target: usize) -> Op {
    let (x, y, w, lh) = r;
    Op::LinkAnnotation {
        link: LinkAnnotation::new(
            Rect { x: Pt(x), y: Pt(h - y - lh), width: Pt(w), height: Pt(lh), mode: None, winding_order: None },
            Actions::go_to(Destination::Xyz { page: target + 1, left: None, top: None, zoom: None }),
            Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(printpdf::ColorArray::Transparent),
            Some(printpdf::HighlightingMode::None),
        ),
    }
}

/// printpdf writes a random-looking (process-counter) trailer /ID; replace it
/// in place, same length, with a hash of the document so equal reports are
/// equal bytes.
fn fix_trailer_id(bytes: &mut [u8]) {
    let Some(pos) = find_last(bytes, b"/ID") else { return };
    // FNV-1a over everything before the trailer.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in &bytes[..pos] {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut i = pos + 3;
    let mut n = 0u64;
    while i < bytes.len() && bytes[i] != b']' {
        if bytes[i] == b'(' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b')' {
                j += 1;
            }
            for (k, b) in bytes[start..j].iter_mut().enumerate() {
                let h = hash.rotate_left(((k as u32) * 7 + n as u32 * 13) % 64) ^ (k as u64);
                *b = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"[(h % 32) as usize];
            }
            n += 1;
            i = j;
        }
        i += 1;
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}
