//! Fonts of the PDF report: DejaVu Sans (Latin, Greek, Cyrillic, Arabic) with
//! fallbacks for what it lacks — the Noto Sans face of the character's script
//! (Thai, Devanagari, Georgian, Ethiopic and some thirty more, see `SCRIPTS`)
//! and Noto Sans CJK for Chinese, Japanese and Korean — loaded from the system
//! (`scripts/install-deps.sh` installs `fonts-dejavu-core`, `fonts-noto-core`
//! and `fonts-noto-cjk`) and cached per process. Text is measured with the
//! fonts' own advance widths, split into runs by glyph coverage, and every
//! embedded font is subset to the glyphs the report uses. Nothing is shaped:
//! scripts that need reordering or conjuncts (Indic, Thai marks) print their
//! characters in logical order, readable and extractable but not typeset.
//!
//! This is the one place of the export layer that reads files: the fonts are
//! program resources, not user data.
//! Must not: read the environment; the font folders come in through
//! `PdfOptions` (see `PdfOptions::with_environment`).

use super::PdfError;
use printpdf::ParsedFont;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Text style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
}

/// A face of the report: 0 regular, 1 bold, 2 CJK, then `SCRIPT_FACE + i` for `SCRIPTS[i]`.
pub type FaceId = usize;

pub struct Face {
    pub font: ParsedFont,
    pub path: PathBuf,
    /// Advance widths in 1/1000 em, by glyph id.
    widths: Vec<u16>,
}

impl Face {
    fn load(path: &Path, index: usize) -> Result<Face, PdfError> {
        let bytes = std::fs::read(path).map_err(|e| PdfError::Font(format!("{}: cannot read: {e}", path.display())))?;
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(&bytes, index, &mut warnings)
            .ok_or_else(|| PdfError::Font(format!("{}: not a usable TrueType/OpenType font", path.display())))?;
        let upem = f32::from(font.units_per_em.max(1));
        let n = font.glyph_widths.keys().next_back().map(|g| usize::from(*g) + 1).unwrap_or(0);
        let mut widths = vec![0u16; n];
        for (&g, &w) in &font.glyph_widths {
            widths[usize::from(g)] = (f32::from(w) * 1000.0 / upem).round() as u16;
        }
        Ok(Face { font, path: path.to_path_buf(), widths })
    }

    pub fn glyph(&self, c: char) -> Option<u16> {
        self.font.codepoint_to_glyph.get(&(c as u32)).copied().filter(|g| *g != 0)
    }

    /// Advance of a glyph in 1/1000 em.
    fn advance(&self, gid: u16) -> u16 {
        self.widths.get(usize::from(gid)).copied().unwrap_or(500)
    }

    /// Subset to the glyphs of `chars` (plus .notdef), as a standalone font
    /// with a Unicode cmap.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        let mut gids: BTreeSet<u16> = chars.iter().filter_map(|&c| self.glyph(c)).collect();
        gids.remove(&0);
        let ids: Vec<u16> = std::iter::once(0).chain(gids).collect();
        let err = |e: String| PdfError::Font(format!("{}: cannot subset: {e}", self.path.display()));
        let scope = ReadScope::new(&self.font.original_bytes);
        let data = scope.read::<FontData<'_>>().map_err(|e| err(e.to_string()))?;
        let provider = data.table_provider(self.font.font_index as usize).map_err(|e| err(e.to_string()))?;
        let bytes =
            subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|e| err(e.to_string()))?;
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| err("the subset does not parse".into()))
    }
}

/// Where fonts are looked for, after the caller's first folders (`PdfOptions::font_dirs`).
const SYSTEM_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/OTF",
    "/usr/local/share/fonts",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
];

const REGULAR: &[&str] = &["DejaVuSans.ttf"];
const BOLD: &[&str] = &["DejaVuSans-Bold.ttf"];
/// (file, face index): the Japanese face of the collection covers kana and the unified ideographs.
const CJK: &[(&str, usize)] =
    &[("NotoSansCJK-Regular.ttc", 0), ("NotoSansCJKjp-Regular.otf", 0), ("NotoSansCJK-Regular.otc", 0)];

/// The face id of `SCRIPTS[0]`.
const SCRIPT_FACE: FaceId = 3;

/// Fallback faces by script (Debian `fonts-noto-core`), for a character the primary face lacks:
/// the face of the Unicode blocks the character is in. A face that is not installed leaves its
/// characters to the CJK face, then to the primary face's box.
const SCRIPTS: &[(&str, &[(u32, u32)])] = &[
    ("NotoSansArmenian-Regular.ttf", &[(0x0530, 0x058F), (0xFB13, 0xFB17)]),
    ("NotoSansHebrew-Regular.ttf", &[(0x0590, 0x05FF), (0xFB1D, 0xFB4F)]),
    (
        "NotoSansArabic-Regular.ttf",
        &[(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)],
    ),
    ("NotoSansSyriac-Regular.ttf", &[(0x0700, 0x074F), (0x0860, 0x086F)]),
    ("NotoSansThaana-Regular.ttf", &[(0x0780, 0x07BF)]),
    ("NotoSansNKo-Regular.ttf", &[(0x07C0, 0x07FF)]),
    ("NotoSansDevanagari-Regular.ttf", &[(0x0900, 0x097F), (0xA8E0, 0xA8FF)]),
    ("NotoSansBengali-Regular.ttf", &[(0x0980, 0x09FF)]),
    ("NotoSansGurmukhi-Regular.ttf", &[(0x0A00, 0x0A7F)]),
    ("NotoSansGujarati-Regular.ttf", &[(0x0A80, 0x0AFF)]),
    ("NotoSansOriya-Regular.ttf", &[(0x0B00, 0x0B7F)]),
    ("NotoSansTamil-Regular.ttf", &[(0x0B80, 0x0BFF)]),
    ("NotoSansTelugu-Regular.ttf", &[(0x0C00, 0x0C7F)]),
    ("NotoSansKannada-Regular.ttf", &[(0x0C80, 0x0CFF)]),
    ("NotoSansMalayalam-Regular.ttf", &[(0x0D00, 0x0D7F)]),
    ("NotoSansSinhala-Regular.ttf", &[(0x0D80, 0x0DFF)]),
    ("NotoSansThai-Regular.ttf", &[(0x0E00, 0x0E7F)]),
    ("NotoSansLao-Regular.ttf", &[(0x0E80, 0x0EFF)]),
    ("NotoSerifTibetan-Regular.ttf", &[(0x0F00, 0x0FFF)]),
    ("NotoSansMyanmar-Regular.ttf", &[(0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)]),
    ("NotoSansGeorgian-Regular.ttf", &[(0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)]),
    ("NotoSansEthiopic-Regular.ttf", &[(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]),
    ("NotoSansCherokee-Regular.ttf", &[(0x13A0, 0x13FF), (0xAB70, 0xABBF)]),
    ("NotoSansCanadianAboriginal-Regular.ttf", &[(0x1400, 0x167F), (0x18B0, 0x18FF)]),
    ("NotoSansOgham-Regular.ttf", &[(0x1680, 0x169F)]),
    ("NotoSansRunic-Regular.ttf", &[(0x16A0, 0x16FF)]),
    ("NotoSansKhmer-Regular.ttf", &[(0x1780, 0x17FF), (0x19E0, 0x19FF)]),
    ("NotoSansMongolian-Regular.ttf", &[(0x1800, 0x18AF)]),
    ("NotoSansTifinagh-Regular.ttf", &[(0x2D30, 0x2D7F)]),
    ("NotoSansJavanese-Regular.ttf", &[(0xA980, 0xA9DF)]),
    ("NotoSansBalinese-Regular.ttf", &[(0x1B00, 0x1B7F)]),
    ("NotoSansSundanese-Regular.ttf", &[(0x1B80, 0x1BBF)]),
    ("NotoSansAdlam-Regular.ttf", &[(0x1E900, 0x1E95F)]),
    ("NotoSansOlChiki-Regular.ttf", &[(0x1C50, 0x1C7F)]),
    ("NotoSansVai-Regular.ttf", &[(0xA500, 0xA63F)]),
    ("NotoSansMath-Regular.ttf", &[(0x2200, 0x22FF), (0x27C0, 0x27EF), (0x2980, 0x2AFF), (0x1D400, 0x1D7FF)]),
    ("NotoSansSymbols2-Regular.ttf", &[(0x2190, 0x21FF), (0x2300, 0x23FF), (0x25A0, 0x27BF), (0x2B00, 0x2BFF)]),
];

/// The script face for `c`, if its block has one.
fn script_of(c: char) -> Option<usize> {
    let c = c as u32;
    SCRIPTS.iter().position(|(_, ranges)| ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)))
}

/// The folders searched, in order: the caller's first folders, the system
/// folders, then the caller's last folders (the user's own, under `HOME`).
/// The environment is resolved by the caller (`PdfOptions::with_environment`).
fn search_path(first: &[PathBuf], last: &[PathBuf]) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = first.to_vec();
    all.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
    all.extend(last.iter().cloned());
    all
}

fn find(all: &[PathBuf], names: &[&str]) -> Option<PathBuf> {
    all.iter().flat_map(|d| names.iter().map(move |n| d.join(n))).find(|p| p.is_file())
}

/// Loaded faces by file and face index, shared by every render of a process.
type FaceCache = Mutex<HashMap<(PathBuf, usize), Arc<Face>>>;

fn cache() -> &'static FaceCache {
    static CACHE: OnceLock<FaceCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn load_cached(path: PathBuf, index: usize) -> Result<Arc<Face>, PdfError> {
    let key = (path, index);
    if let Some(f) = cache().lock().map_err(|_| PdfError::Font("font cache poisoned".into()))?.get(&key) {
        return Ok(f.clone());
    }
    let face = Arc::new(Face::load(&key.0, index)?);
    cache().lock().map_err(|_| PdfError::Font("font cache poisoned".into()))?.insert(key, face.clone());
    Ok(face)
}

/// The faces of one render, with the CJK face loaded on first need.
pub struct Fonts {
    faces: [Option<Arc<Face>>; 3],
    dirs: Vec<PathBuf>,
    cjk_tried: std::cell::Cell<bool>,
    cjk: std::cell::OnceCell<Option<Arc<Face>>>,
    /// The script faces (`SCRIPTS`), each loaded on first need.
    scripts: Vec<std::cell::OnceCell<Option<Arc<Face>>>>,
    /// Characters no face could draw (reported as an error when the CJK font is missing).
    pub missing: std::cell::RefCell<BTreeSet<char>>,
}

impl Fonts {
    /// Loads the faces from `first`, the system folders and `last`, in that order.
    pub fn load(first: &[PathBuf], last: &[PathBuf]) -> Result<Fonts, PdfError> {
        let dirs = search_path(first, last);
        let need = |names: &[&str]| {
            find(&dirs, names).ok_or_else(|| {
                PdfError::MissingFont(format!(
                    "{} not found (install the Debian package fonts-dejavu-core, run scripts/install-deps.sh, or set THREATWRIGHT_FONT_DIR)",
                    names[0]
                ))
            })
        };
        let regular = load_cached(need(REGULAR)?, 0)?;
        let bold = load_cached(need(BOLD)?, 0)?;
        Ok(Fonts {
            faces: [Some(regular), Some(bold), None],
            dirs,
            cjk_tried: std::cell::Cell::new(false),
            cjk: std::cell::OnceCell::new(),
            scripts: SCRIPTS.iter().map(|_| std::cell::OnceCell::new()).collect(),
            missing: std::cell::RefCell::new(BTreeSet::new()),
        })
    }

    fn cjk(&self) -> Option<&Arc<Face>> {
        self.cjk
            .get_or_init(|| {
                self.cjk_tried.set(true);
                CJK.iter().find_map(|(name, index)| find(&self.dirs, &[name]).and_then(|p| load_cached(p, *index).ok()))
            })
            .as_ref()
    }

    fn script(&self, i: usize) -> Option<&Arc<Face>> {
        let (name, _) = SCRIPTS.get(i)?;
        self.scripts[i].get_or_init(|| find(&self.dirs, &[name]).and_then(|p| load_cached(p, 0).ok())).as_ref()
    }

    pub fn face(&self, id: FaceId) -> Option<&Arc<Face>> {
        match id {
            2 => self.cjk(),
            id if id >= SCRIPT_FACE => self.script(id - SCRIPT_FACE),
            id => self.faces[id].as_ref(),
        }
    }

    /// Whether the CJK face was needed (and so must be embedded).
    pub fn cjk_used(&self) -> bool {
        self.cjk_tried.get() && self.cjk.get().map(|f| f.is_some()).unwrap_or(false)
    }

    fn primary(&self, style: Style) -> &Face {
        let id = if style == Style::Bold { 1 } else { 0 };
        self.faces[id].as_deref().expect("regular and bold are loaded")
    }

    /// Face that draws `c` in `style`.
    fn face_for(&self, c: char, style: Style) -> FaceId {
        let primary = if style == Style::Bold { 1 } else { 0 };
        if c.is_whitespace() || self.primary(style).glyph(c).is_some() {
            return primary;
        }
        if let Some(i) = script_of(c) {
            if self.script(i).is_some_and(|f| f.glyph(c).is_some()) {
                return SCRIPT_FACE + i;
            }
        }
        if let Some(f) = self.cjk() {
            if f.glyph(c).is_some() {
                return 2;
            }
        }
        if !c.is_control() {
            self.missing.borrow_mut().insert(c);
        }
        primary
    }

    /// Splits `text` into runs of one face each.
    pub fn runs<'t>(&self, text: &'t str, style: Style) -> Vec<(FaceId, &'t str)> {
        let mut out: Vec<(FaceId, &str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<FaceId> = None;
        for (i, c) in text.char_indices() {
            let f = if c == ' ' { current.unwrap_or_else(|| self.face_for(c, style)) } else { self.face_for(c, style) };
            if current != Some(f) {
                if let Some(cf) = current {
                    out.push((cf, &text[start..i]));
                }
                start = i;
                current = Some(f);
            }
        }
        if let Some(cf) = current {
            out.push((cf, &text[start..]));
        }
        out
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        let mut units = 0u32;
        for (f, run) in self.runs(text, style) {
            let face = self.face(f).map(|a| &**a).unwrap_or_else(|| self.primary(style));
            for c in run.chars() {
                units += u32::from(face.advance(face.glyph(c).unwrap_or(0)));
            }
        }
        units as f32 * size / 1000.0
    }

    /// Greedy word wrap to `width` points; breaks words that do not fit
    /// between their parts (see `names::parts`), inside a part only when
    /// it alone is wider than the line, and between CJK characters. Never
    /// returns an empty list.
    pub fn wrap(&self, text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            self.wrap_para(para.trim_end(), style, size, width, &mut lines);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    fn wrap_para(&self, text: &str, style: Style, size: f32, width: f32, lines: &mut Vec<String>) {
        // Tokens: words with their trailing space, or single wide characters.
        let mut tokens: Vec<&str> = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if is_wide(c) {
                if start < i {
                    tokens.push(&text[start..i]);
                }
                tokens.push(&text[i..end]);
                start = end;
            } else if c == ' ' {
                tokens.push(&text[start..end]);
                start = end;
            }
        }
        if start < text.len() {
            tokens.push(&text[start..]);
        }
        let mut line = String::new();
        let mut line_w = 0.0;
        for tok in tokens {
            let w = self.width(tok, style, size);
            let trimmed_w = self.width(tok.trim_end(), style, size);
            if line_w + trimmed_w <= width || line.is_empty() && trimmed_w <= width {
                line.push_str(tok);
                line_w += w;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = String::new();
            line_w = 0.0;
            if trimmed_w <= width {
                line.push_str(tok);
                line_w = w;
                continue;
            }
            // A word longer than the line: break it between its parts
            // (camelCase, `-`, `_`, …), and a part longer than the line by
            // characters.
            for part in super::names::parts(tok) {
                let pw = self.width(part, style, size);
                if line_w + self.width(part.trim_end(), style, size) <= width {
                    line.push_str(part);
                    line_w += pw;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(line.trim_end().to_string());
                    line.clear();
                    line_w = 0.0;
                }
                for c in part.chars() {
                    let cw = self.width(c.encode_utf8(&mut [0; 4]), style, size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(line.trim_end().to_string());
                        line.clear();
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_string());
        }
    }

    /// Shortens `text` with an ellipsis to fit `width`.
    pub fn ellipsize(&self, text: &str, style: Style, size: f32, width: f32) -> String {
        if self.width(text, style, size) <= width {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            out.push(c);
            if self.width(&format!("{out}…"), style, size) > width {
                out.pop();
                break;
            }
        }
        format!("{}…", out.trim_end())
    }
}

/// Characters after which a line may break without a space (CJK scripts).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Visual order for drawing: runs of right-to-left characters (with the
/// spaces and punctuation between them) are reversed, so Hebrew and Arabic
/// read correctly and text extraction restores the logical order. Letters
/// are not joined into their contextual forms.
pub fn visual_order(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_rtl) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_rtl(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend over neutrals as long as another RTL character follows.
        let mut j = i;
        let mut end = i;
        while j < chars.len() && (is_rtl(chars[j]) || !chars[j].is_alphanumeric()) {
            if is_rtl(chars[j]) {
                end = j;
            }
            j += 1;
        }
        out.extend(chars[i..=end].iter().rev());
        i = end + 1;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words in scripts DejaVu Sans lacks are drawn with a face that has their glyphs (the
    /// script fallbacks of `fonts-noto-core`), not as boxes.
    #[test]
    fn every_script_is_drawn_by_a_face_with_its_glyphs() {
        let fonts = Fonts::load(&[], &[]).expect("fonts (scripts/install-deps.sh)");
        let words = ["ไทย", "हिन्दी", "ქართული", "አማርኛ", "தமிழ்", "ខ្មែរ", "Հայերեն", "ᏣᎳᎩ", "ಕನ್ನಡ", "မြန်မာ", "∮∯"];
        for word in words {
            for (face, run) in fonts.runs(word, Style::Regular) {
                let face = fonts.face(face).expect("the run's face is loaded");
                for c in run.chars() {
                    assert!(
                        face.glyph(c).is_some(),
                        "{c} of {word} is drawn by {} without a glyph",
                        face.path.display()
                    );
                }
            }
            assert!(fonts.width(word, Style::Bold, 10.0) > 0.0, "{word} has a width");
        }
        assert!(fonts.missing.borrow().is_empty(), "no face for {:?}", fonts.missing.borrow());
    }

    #[test]
    fn a_script_face_covers_only_its_blocks() {
        assert_eq!(script_of('ก').map(|i| SCRIPTS[i].0), Some("NotoSansThai-Regular.ttf"));
        assert_eq!(script_of('ሀ').map(|i| SCRIPTS[i].0), Some("NotoSansEthiopic-Regular.ttf"));
        assert_eq!(script_of('a'), None);
        assert_eq!(script_of('注'), None, "CJK is the CJK face's");
        for (name, ranges) in SCRIPTS {
            assert!(ranges.iter().all(|(lo, hi)| lo <= hi), "{name}");
        }
    }
}
