//! Source files, byte spans, line/column positions and source maps for embedded text.

use std::sync::Arc;

/// Index of a file in a [`SourceFiles`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The file the offsets point into.
    pub file: FileId,
    /// First byte, inclusive.
    pub start: u32,
    /// Last byte, exclusive.
    pub end: u32,
}

impl Span {
    /// Creates a span; `end` is clamped so it is never before `start`.
    pub fn new(file: FileId, start: u32, end: u32) -> Self {
        Span { file, start, end: end.max(start) }
    }

    /// An empty span at the start of a file, for findings about the whole file.
    pub fn file_start(file: FileId) -> Self {
        Span { file, start: 0, end: 0 }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both; both must be in the same file.
    pub fn cover(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in Unicode scalar values.
    pub column: u32,
}

/// One source file: its display path, text and line index.
#[derive(Clone, Debug)]
pub struct SourceFile {
    path: String,
    text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Creates a file from its display path (as the user wrote it, `/`-separated) and text.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        for (idx, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(idx as u32 + 1);
            }
        }
        SourceFile { path: path.into(), text, line_starts }
    }

    /// The display path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Converts a byte offset to a 1-based line and column. Offsets past the end, or inside a
    /// multi-byte character, are clamped to the nearest valid position.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = (offset as usize).min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(idx) => idx,
            Err(idx) => idx - 1,
        };
        let line_start = self.line_starts[line_idx] as usize;
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[line_start..end].chars().count() as u32 + 1;
        LineCol { line: line_idx as u32 + 1, column }
    }

    /// The text of a 1-based line without its line ending; empty past the end.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self.line_starts.get(idx + 1).map_or(self.text.len(), |&next| next as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

/// The table of every file that diagnostics may point into.
#[derive(Clone, Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// The file with this id.
    ///
    /// # Panics
    ///
    /// Panics if the id did not come from this table; that is a programming error.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file with this id, or `None` for a foreign id.
    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// All files in id order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(idx, file)| (FileId(idx as u32), file))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Maps byte offsets in an embedded text (a KQL query inside a YAML block scalar) back to
/// byte offsets in the file that holds it.
///
/// The map is a sorted list of segments; each says that `len` bytes starting at `embedded`
/// in the embedded text came verbatim from `file_offset` in the file. Offsets between segments
/// (text the YAML parser synthesised, such as a folded line break) map to the end of the
/// previous segment, which is the closest real position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    file: FileId,
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    embedded: u32,
    file_offset: u32,
    len: u32,
}

impl SourceMap {
    /// An empty map into `file`; add segments in increasing order.
    pub fn new(file: FileId) -> Self {
        SourceMap { file, segments: Vec::new() }
    }

    /// A map for text copied verbatim from `file_offset`.
    pub fn verbatim(file: FileId, file_offset: u32, len: u32) -> Self {
        let mut map = Self::new(file);
        map.push(0, file_offset, len);
        map
    }

    /// Records that `len` bytes at `embedded` came from `file_offset`.
    pub fn push(&mut self, embedded: u32, file_offset: u32, len: u32) {
        self.segments.push(Segment { embedded, file_offset, len });
    }

    /// The file this map points into.
    pub fn file(&self) -> FileId {
        self.file
    }

    /// Maps one embedded offset to a file offset.
    pub fn map_offset(&self, offset: u32) -> u32 {
        let idx = self.segments.partition_point(|seg| seg.embedded <= offset);
        if idx == 0 {
            return self.segments.first().map_or(0, |seg| seg.file_offset);
        }
        let seg = self.segments[idx - 1];
        seg.file_offset + (offset - seg.embedded).min(seg.len)
    }

    /// Maps an embedded range `start..end` to a span in the file.
    pub fn map_range(&self, start: u32, end: u32) -> Span {
        Span::new(self.file, self.map_offset(start), self.map_offset(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_lines() {
        let file = SourceFile::new("a.yaml", "ab\ncé d\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // `d` is after a two-byte `é`.
        assert_eq!(file.line_col(7), LineCol { line: 2, column: 4 });
        assert_eq!(file.line_col(999), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_text(2), "cé d");
        assert_eq!(file.line_text(9), "");
    }

    #[test]
    fn line_col_inside_multibyte_char_is_clamped() {
        let file = SourceFile::new("a", "é");
        assert_eq!(file.line_col(1), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn source_map_maps_segments() {
        // Embedded "ab\ncd" from a YAML literal block indented by two spaces at offset 10.
        let mut map = SourceMap::new(FileId(0));
        map.push(0, 12, 3);
        map.push(3, 17, 2);
        assert_eq!(map.map_offset(0), 12);
        assert_eq!(map.map_offset(2), 14);
        assert_eq!(map.map_offset(3), 17);
        assert_eq!(map.map_offset(4), 18);
        assert_eq!(map.map_range(1, 4), Span::new(FileId(0), 13, 18));
    }
}
