//! Fonts of the PDF report: DejaVu Sans (Latin, Greek, Cyrillic, Arabic) with
//! Noto Sans CJK as the fallback for Chinese, Japanese and Korean, loaded from
//! the system (`scripts/install-deps.sh` installs `fonts-dejavu-core` and
//! `fonts-noto-cjk`) and cached per process. Text is measured with the
//! fonts' own advance widths, split into runs by glyph coverage, and every
//! embedded font is subset to the glyphs the report uses.
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

/// A face of the report: 0 regular, 1 bold, 2 CJK.
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

    pub fn face(&self, id: FaceId) -> Option<&Arc<Face>> {
        if id == 2 {
            return self.cjk();
        }
        self.faces[id].as_ref()
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
