//! A strict JSON parser that keeps what the rules need and serde_json throws away: the byte span of
//! every value and key, and every member of an object, duplicates included.
//!
//! The tree is a flat list of nodes in document order, reused from record to record so that a batch
//! allocates almost nothing once it is warm. Strings are not decoded while parsing; a rule decodes
//! the few it reads.

use std::borrow::Cow;
use std::fmt::Write as _;

/// JSON nesting deeper than this is refused, as serde_json does, so no input can exhaust the stack.
pub const MAX_DEPTH: usize = 128;

const NO_PARENT: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// The JSON type name as users know it from the spec and from error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// One value in the tree.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub kind: Kind,
    /// Byte range of the value in the record, quotes included for strings.
    pub start: u32,
    pub end: u32,
    /// For an object member, the byte range of its key, quotes included; otherwise empty.
    pub key_start: u32,
    pub key_end: u32,
    /// Index one past the last node of this value's subtree.
    pub next: u32,
    pub parent: u32,
    /// The value (or key) holds a backslash escape and must be decoded before comparing.
    value_escaped: bool,
    key_escaped: bool,
    /// Noted while scanning, so that the template check needs no second look at most strings:
    /// a string that holds a `{` (a template may be in it).
    suspect: bool,
}

/// Why a record is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub kind: ParseErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    NotUtf8,
    TooDeep,
    Syntax(&'static str),
}

impl ParseError {
    pub fn message(&self) -> String {
        match &self.kind {
            ParseErrorKind::NotUtf8 => "the record is not valid UTF-8".to_string(),
            ParseErrorKind::TooDeep => {
                format!("the record is nested deeper than {MAX_DEPTH} levels")
            }
            ParseErrorKind::Syntax(what) => format!("invalid JSON: {what}"),
        }
    }
}

/// A parsed record: its source text and its nodes. Node 0 is the root.
pub struct Document<'a> {
    src: &'a str,
    nodes: &'a [Node],
    candidates: &'a [u32],
}

/// Parses records one after another, reusing its node buffer.
#[derive(Default)]
pub struct Parser {
    nodes: Vec<Node>,
    candidates: Vec<u32>,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one JSON text. Leading and trailing whitespace is allowed; anything else after the value
    /// is an error, as in RFC 8259.
    pub fn parse<'a>(&'a mut self, bytes: &'a [u8]) -> Result<Document<'a>, ParseError> {
        // The quick check says only whether the record is UTF-8; std's says where it stops being so.
        let src = match utf8(bytes) {
            Some(src) => src,
            None => std::str::from_utf8(bytes).map_err(|e| ParseError {
                offset: e.valid_up_to(),
                kind: ParseErrorKind::NotUtf8,
            })?,
        };
        if src.len() > u32::MAX as usize {
            return Err(ParseError {
                offset: 0,
                kind: ParseErrorKind::Syntax("the record is larger than 4 GiB"),
            });
        }
        self.nodes.clear();
        self.candidates.clear();
        let mut cursor = Cursor {
            bytes,
            pos: 0,
            nodes: &mut self.nodes,
            candidates: &mut self.candidates,
            failure: ParseErrorKind::TooDeep,
        };
        let parsed = cursor.document();
        let (offset, failure) = (cursor.pos, cursor.failure);
        match parsed {
            Ok(()) => Ok(Document {
                src,
                nodes: &self.nodes,
                candidates: &self.candidates,
            }),
            Err(Stop) => Err(ParseError {
                offset,
                kind: failure,
            }),
        }
    }
}

/// The record as text when it is UTF-8, found quickly. Most records are ASCII, which is UTF-8: one
/// pass over the bytes costs less than simdutf8's setup, which only the others then need.
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    utf8_ascii(bytes).map(|(text, _)| text)
}

/// [`utf8`], and whether the text is ASCII, which that pass finds out for free: a column of an
/// ASCII text is its byte count, with no characters to count.
pub fn utf8_ascii(bytes: &[u8]) -> Option<(&str, bool)> {
    if is_ascii(bytes) {
        // SAFETY: ASCII is UTF-8.
        Some((unsafe { std::str::from_utf8_unchecked(bytes) }, true))
    } else {
        simdutf8::basic::from_utf8(bytes)
            .ok()
            .map(|text| (text, false))
    }
}

/// Whether every byte is below 0x80, sixty-four at a time. A record of a few hundred bytes takes a
/// handful of steps; where fewer than sixteen bytes are left, the record's last sixteen are looked
/// at again. Only a record shorter than sixteen bytes takes std's check.
#[cfg(target_arch = "x86_64")]
fn is_ascii(bytes: &[u8]) -> bool {
    use std::arch::x86_64::{_mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_setzero_si128};
    let len = bytes.len();
    if len < 16 {
        return bytes.is_ascii();
    }
    let ptr = bytes.as_ptr();
    let mut at = 0;
    // SAFETY: every load reads the sixteen bytes from an offset at most `len - 16`, so inside
    // `bytes`; the loads are unaligned, and SSE2 is part of every x86_64 target.
    unsafe {
        let mut high = _mm_setzero_si128();
        while at + 64 <= len {
            let first = _mm_or_si128(
                _mm_loadu_si128(ptr.add(at).cast()),
                _mm_loadu_si128(ptr.add(at + 16).cast()),
            );
            let second = _mm_or_si128(
                _mm_loadu_si128(ptr.add(at + 32).cast()),
                _mm_loadu_si128(ptr.add(at + 48).cast()),
            );
            high = _mm_or_si128(high, _mm_or_si128(first, second));
            at += 64;
        }
        while at + 16 <= len {
            high = _mm_or_si128(high, _mm_loadu_si128(ptr.add(at).cast()));
            at += 16;
        }
        high = _mm_or_si128(high, _mm_loadu_si128(ptr.add(len - 16).cast()));
        _mm_movemask_epi8(high) == 0
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn is_ascii(bytes: &[u8]) -> bool {
    bytes.is_ascii()
}

/// Where a value stands: its parent and, for an object member, its key.
#[derive(Clone, Copy)]
struct Place {
    parent: u32,
    key_start: u32,
    key_end: u32,
    key_escaped: bool,
}

const ROOT: Place = Place {
    parent: NO_PARENT,
    key_start: 0,
    key_end: 0,
    key_escaped: false,
};

/// The parse stopped at an error; the cursor holds what it was, and where. An empty error keeps
/// the `Result`s of the hot path in a register.
struct Stop;

struct Cursor<'b> {
    bytes: &'b [u8],
    pos: usize,
    nodes: &'b mut Vec<Node>,
    /// See [`Document::candidates`]; in document order.
    candidates: &'b mut Vec<u32>,
    failure: ParseErrorKind,
}

impl Cursor<'_> {
    fn document(&mut self) -> Result<(), Stop> {
        self.value(ROOT, 0)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error("trailing characters after the JSON value"));
        }
        Ok(())
    }

    /// Notes a syntax error at the cursor.
    #[cold]
    fn error(&mut self, what: &'static str) -> Stop {
        self.failure = ParseErrorKind::Syntax(what);
        Stop
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The byte at the cursor once whitespace is skipped. Compact JSON has none between tokens, and
    /// every byte a token starts with is above a space, so one look mostly does.
    #[inline(always)]
    fn peek_token(&mut self) -> Option<u8> {
        match self.peek() {
            Some(byte) if byte > b' ' => Some(byte),
            _ => self.peek_past_ws(),
        }
    }

    #[cold]
    #[inline(never)]
    fn peek_past_ws(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// Adds a node that starts at `start` and ends at the cursor, with no children.
    #[inline(always)]
    fn leaf(&mut self, kind: Kind, start: usize, place: Place, escaped: bool, suspect: bool) {
        let index = self.nodes.len() as u32;
        self.nodes.push(Node {
            kind,
            start: start as u32,
            end: self.pos as u32,
            key_start: place.key_start,
            key_end: place.key_end,
            next: index + 1,
            parent: place.parent,
            value_escaped: escaped,
            key_escaped: place.key_escaped,
            suspect,
        });
    }

    /// Inlined where a value may stand, so that only an object or array costs a call: most
    /// values are strings and numbers.
    #[inline(always)]
    fn value(&mut self, place: Place, depth: usize) -> Result<(), Stop> {
        let next = self.peek_token();
        let start = self.pos;
        // Strings first, apart from the dispatch on the rest: most values are strings.
        if next == Some(b'"') {
            let (escaped, braced) = self.string()?;
            if braced || may_be_stand_in(&self.bytes[start..self.pos], escaped) {
                self.candidates.push(self.nodes.len() as u32);
            }
            self.leaf(Kind::String, start, place, escaped, braced);
            return Ok(());
        }
        match next {
            Some(b'{') => self.object(place, depth)?,
            Some(b'[') => self.array(place, depth)?,
            Some(b'-' | b'0'..=b'9') => {
                let exponent = self.number()?;
                if exponent || self.pos - start > 308 {
                    self.candidates.push(self.nodes.len() as u32);
                }
                self.leaf(Kind::Number, start, place, false, false);
            }
            Some(b't') => self.literal(b"true", Kind::Bool, place)?,
            Some(b'f') => self.literal(b"false", Kind::Bool, place)?,
            Some(b'n') => self.literal(b"null", Kind::Null, place)?,
            Some(_) => return Err(self.error("expected a JSON value")),
            None => return Err(self.error("unexpected end of input, expected a value")),
        }
        Ok(())
    }

    /// Adds the node of an object or array at the cursor, refusing it past [`MAX_DEPTH`]; its end
    /// and children are filled in by [`Cursor::close`].
    #[inline(always)]
    fn open(&mut self, kind: Kind, place: Place, depth: usize) -> Result<usize, Stop> {
        if depth >= MAX_DEPTH {
            self.failure = ParseErrorKind::TooDeep;
            return Err(Stop);
        }
        let index = self.nodes.len();
        self.leaf(kind, self.pos, place, false, false);
        self.pos += 1;
        Ok(index)
    }

    #[inline(always)]
    fn close(&mut self, index: usize) {
        self.pos += 1;
        let next = self.nodes.len() as u32;
        let node = &mut self.nodes[index];
        node.end = self.pos as u32;
        node.next = next;
    }

    #[inline(never)]
    fn object(&mut self, place: Place, depth: usize) -> Result<(), Stop> {
        let index = self.open(Kind::Object, place, depth)?;
        // The object goes before its members' candidates, if its keys need comparing.
        let slot = self.candidates.len();
        // What `Document::duplicate_keys` would find before it compares a key with another.
        let (mut seen, mut compare) = (0u64, false);
        if self.peek_token() != Some(b'}') {
            loop {
                if self.peek_token() != Some(b'"') {
                    return Err(self.error("expected a string key"));
                }
                let key_start = self.pos;
                let (key_escaped, _) = self.string()?;
                let key_end = self.pos;
                let bit = key_bit(&self.bytes[key_start..key_end]);
                compare |= key_escaped || seen & bit != 0;
                seen |= bit;
                if self.peek_token() != Some(b':') {
                    return Err(self.error("expected `:` after the key"));
                }
                self.pos += 1;
                let member = Place {
                    parent: index as u32,
                    key_start: key_start as u32,
                    key_end: key_end as u32,
                    key_escaped,
                };
                self.value(member, depth + 1)?;
                match self.peek_token() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => break,
                    Some(_) => return Err(self.error("expected `,` or `}`")),
                    None => return Err(self.error("unexpected end of input in an object")),
                }
            }
        }
        if compare {
            self.candidates.insert(slot, index as u32);
        }
        self.close(index);
        Ok(())
    }

    #[inline(never)]
    fn array(&mut self, place: Place, depth: usize) -> Result<(), Stop> {
        let index = self.open(Kind::Array, place, depth)?;
        if self.peek_token() != Some(b']') {
            let element = Place {
                parent: index as u32,
                ..ROOT
            };
            loop {
                self.value(element, depth + 1)?;
                match self.peek_token() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => break,
                    Some(_) => return Err(self.error("expected `,` or `]`")),
                    None => return Err(self.error("unexpected end of input in an array")),
                }
            }
        }
        self.close(index);
        Ok(())
    }

    fn literal(&mut self, word: &[u8], kind: Kind, place: Place) -> Result<(), Stop> {
        if !self.bytes[self.pos..].starts_with(word) {
            return Err(self.error("expected a JSON value"));
        }
        let start = self.pos;
        self.pos += word.len();
        self.leaf(kind, start, place, false, false);
        Ok(())
    }

    /// Consumes a string starting at its opening quote; returns whether it holds escapes, and
    /// whether it holds a `{`.
    #[inline(always)]
    fn string(&mut self) -> Result<(bool, bool), Stop> {
        self.pos += 1;
        let mut escaped = false;
        let mut braced = false;
        loop {
            self.pos = find_string_special(self.bytes, self.pos);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((escaped, braced));
                }
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                Some(b'{') => {
                    braced = true;
                    self.pos += 1;
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<(), Stop> {
        self.pos += 1;
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit) {
                    if self.bytes[self.pos..].starts_with(b"\\u") {
                        self.pos += 2;
                        let low = self.hex4()?;
                        if (0xDC00..0xE000).contains(&low) {
                            return Ok(());
                        }
                    }
                    return Err(self.error("lone leading surrogate in a \\u escape"));
                }
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(self.error("lone trailing surrogate in a \\u escape"));
                }
                Ok(())
            }
            _ => Err(self.error("invalid escape")),
        }
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            return Err(self.error("incomplete \\u escape"));
        };
        let mut unit = 0;
        for &d in digits {
            let Some(v) = (d as char).to_digit(16) else {
                return Err(self.error("invalid \\u escape"));
            };
            unit = unit * 16 + v;
        }
        self.pos += 4;
        Ok(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Consumes a number; returns whether it has an exponent. Inlined: a call would cost the
    /// string scan's constants, reloaded after it.
    #[inline(always)]
    fn number(&mut self) -> Result<bool, Stop> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("leading zero in a number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        let exponent = matches!(self.peek(), Some(b'e' | b'E'));
        if exponent {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        // A number beyond a 64-bit float's range (1e400) is valid JSON (RFC 8259 sets no range);
        // the engine warns about it (HD107), since many receivers turn it into Infinity or refuse it.
        Ok(exponent)
    }
}

/// Whether two byte strings of the same length are equal. Keys are short: up to sixteen bytes are
/// compared in two overlapping words each side, inline, where `==` calls memcmp for every key of
/// the same length.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    debug_assert_eq!(n, b.len());
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4 bytes"));
    match n {
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

/// A bit for a key, quotes included, from its length and its first and last bytes: equal raw
/// keys set the same bit, so a key whose bit no earlier key of its object set is not a duplicate
/// of a raw key. A multiplicative hash spreads the few keys of an object over the 64 bits; few
/// objects then need their keys compared.
#[inline(always)]
fn key_bit(raw: &[u8]) -> u64 {
    let (len, first, last) = (raw.len() as u32, raw[1], raw[raw.len() - 2]);
    let mixed = (len | u32::from(first) << 8 | u32::from(last) << 16).wrapping_mul(0x9E37_79B1);
    1u64 << (mixed >> 26)
}

/// Whether a string value, quotes included, may be one [`crate::text::is_stand_in`] accepts: every
/// such value, once its ASCII whitespace is trimmed, is at least three bytes long and starts with
/// one of a few letters. A raw value can only start with a space among that whitespace (the
/// others must be escaped), and an escaped value is left to the full check.
#[inline(always)]
fn may_be_stand_in(raw: &[u8], escaped: bool) -> bool {
    const FIRST: [bool; 256] = {
        let mut first = [false; 256];
        let mut i = 0;
        let bytes = b" nu[tcxry<NUTCXRY";
        while i < bytes.len() {
            first[bytes[i] as usize] = true;
            i += 1;
        }
        first
    };
    escaped || raw.len() >= 5 && FIRST[raw[1] as usize]
}

/// The first byte at or after `from` that a string scan must stop at: `"`, `\\`, a control
/// character, or `{` (which the template check wants to know of); `bytes.len()` when there is none.
/// The input is known to be UTF-8, so only these need a look. Strings are the bulk of a payload,
/// so sixteen bytes are tested at a time; where fewer than sixteen are left, the record's last
/// sixteen are, less those already looked at. Only a record shorter than sixteen bytes takes the
/// portable scan.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn find_string_special(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while at + 16 <= bytes.len() {
        // SAFETY: `at + 16 <= bytes.len()`.
        let mask = unsafe { special_mask(bytes, at) };
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += 16;
    }
    if let Some(base) = bytes.len().checked_sub(16) {
        // `base < at <= bytes.len()`, so the shift is at most 16 and drops exactly the bytes
        // before `at`.
        // SAFETY: `base + 16 == bytes.len()`.
        let mask = unsafe { special_mask(bytes, base) } >> (at - base);
        return if mask != 0 {
            at + mask.trailing_zeros() as usize
        } else {
            bytes.len()
        };
    }
    find_string_special_portable(bytes, at)
}

/// A bit for each of the sixteen bytes from `at` that [`find_string_special`] stops at, the first
/// byte in the lowest bit.
///
/// # Safety
/// `at + 16 <= bytes.len()`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn special_mask(bytes: &[u8], at: usize) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: the caller promises that the sixteen bytes read are inside `bytes`; the load is
    // unaligned, and SSE2 is part of every x86_64 target.
    unsafe {
        let chunk = _mm_loadu_si128(bytes.as_ptr().add(at).cast());
        let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
        let brace = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'{' as i8));
        // A byte is below 0x20 exactly when its unsigned maximum with 0x1f is 0x1f.
        let low = _mm_set1_epi8(0x1f);
        let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, low), low);
        _mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(quote, backslash),
            _mm_or_si128(brace, control),
        )) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn find_string_special(bytes: &[u8], from: usize) -> usize {
    find_string_special_portable(bytes, from)
}

/// [`find_string_special`] eight bytes at a time in plain integers, for other targets and for
/// records shorter than sixteen bytes. `from` is at most `bytes.len()`.
fn find_string_special_portable(bytes: &[u8], from: usize) -> usize {
    scan_string::<true>(bytes, from)
}

/// The first byte at or after `from` that a JSON string cannot hold as it stands (`"`, `\\`, a
/// control byte), and with `BRACE` also the first `{`; `bytes.len()` when there is none. `from` is
/// at most `bytes.len()`. Eight bytes are tested at a time in plain integers: the parser's portable
/// scan, and the reports' escaper, whose strings mostly have nothing to escape.
pub fn scan_string<const BRACE: bool>(bytes: &[u8], from: usize) -> usize {
    use crate::text::{bytes_below, bytes_equal};
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        let mut special =
            bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
        if BRACE {
            special |= bytes_equal(word, b'{');
        }
        if special != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20 || BRACE && b == b'{')
        .map_or(bytes.len(), |p| at + p)
}

impl<'a> Document<'a> {
    pub fn source(&self) -> &'a str {
        self.src
    }

    #[inline]
    pub fn node(&self, index: usize) -> &Node {
        &self.nodes[index]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The nodes the checks every record gets must look at, in document order: objects whose keys
    /// may repeat ([`Document::duplicate_keys`] finds nothing in any other), strings that may hold
    /// a template or a stand-in, and numbers that may be beyond a 64-bit float. Noted while
    /// parsing, so that these checks need not walk every node.
    pub fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        self.candidates.iter().map(|&i| i as usize)
    }

    #[inline]
    pub fn kind(&self, index: usize) -> Kind {
        self.nodes[index].kind
    }

    /// Whether a string value holds a `{`: only such a string can hold a template.
    pub fn may_hold_template(&self, index: usize) -> bool {
        let n = &self.nodes[index];
        n.kind == Kind::String && n.suspect
    }

    /// The raw text of a value, as it stands in the record.
    #[inline]
    pub fn raw(&self, index: usize) -> &'a str {
        let n = &self.nodes[index];
        &self.src[n.start as usize..n.end as usize]
    }

    /// The decoded content of a string value.
    #[inline]
    pub fn str(&self, index: usize) -> Cow<'a, str> {
        let n = &self.nodes[index];
        let inner = &self.src[n.start as usize + 1..n.end as usize - 1];
        if n.value_escaped {
            Cow::Owned(unescape(inner))
        } else {
            Cow::Borrowed(inner)
        }
    }

    /// The decoded key of an object member.
    #[inline]
    pub fn key(&self, index: usize) -> Cow<'a, str> {
        let n = &self.nodes[index];
        let inner = &self.src[n.key_start as usize + 1..n.key_end as usize - 1];
        if n.key_escaped {
            Cow::Owned(unescape(inner))
        } else {
            Cow::Borrowed(inner)
        }
    }

    /// The members (or elements) of an object (or array), in order.
    #[inline]
    pub fn children(&self, index: usize) -> Children<'_> {
        let n = &self.nodes[index];
        Children {
            nodes: self.nodes,
            at: index + 1,
            end: n.next as usize,
        }
    }

    /// The member of `object` named `key`; with duplicates, the last one, as most parsers keep.
    /// None when `object` is not an object: an array's elements have no keys to compare.
    pub fn get(&self, object: usize, key: &str) -> Option<usize> {
        if self.nodes[object].kind != Kind::Object {
            return None;
        }
        let mut found = None;
        for child in self.children(object) {
            if self.key_is(child, key) {
                found = Some(child);
            }
        }
        found
    }

    /// Whether the key of an object member is `key`. Bytes are compared: the parser has checked
    /// the text, and a key is looked up wherever a contract reads a field.
    #[inline]
    pub fn key_is(&self, member: usize, key: &str) -> bool {
        let n = &self.nodes[member];
        if n.key_escaped {
            return self.escaped_key_is(member, key);
        }
        let (start, end) = (n.key_start as usize + 1, n.key_end as usize - 1);
        end - start == key.len() && same_bytes(&self.src.as_bytes()[start..end], key.as_bytes())
    }

    #[cold]
    #[inline(never)]
    fn escaped_key_is(&self, member: usize, key: &str) -> bool {
        self.key(member) == key
    }

    /// The members of `object` named `keys` (with duplicates, the last), found in one pass, and
    /// whether the object has members with other names.
    pub fn lookup<const N: usize>(
        &self,
        object: usize,
        keys: &[&str; N],
    ) -> ([Option<usize>; N], bool) {
        let mut found = [None; N];
        let mut others = false;
        for child in self.children(object) {
            match keys.iter().position(|k| self.key_is(child, k)) {
                Some(slot) => found[slot] = Some(child),
                None => others = true,
            }
        }
        (found, others)
    }

    /// Calls `each(earlier, later)` for every member whose key an earlier member of `object` already had.
    pub fn duplicate_keys(&self, object: usize, mut each: impl FnMut(usize, usize)) {
        // A bit for each key (`key_bit`) rules out most keys without a comparison; the parser
        // rules out most objects with the same bits. An escaped key can equal another written
        // differently, so with one, every key is compared.
        let bytes = self.src.as_bytes();
        let raw_key = |n: &Node| &bytes[n.key_start as usize..n.key_end as usize];
        let (mut seen, mut escaped) = (0u64, false);
        for later in self.children(object) {
            let l = &self.nodes[later];
            let len = l.key_end - l.key_start;
            let bit = key_bit(raw_key(l));
            escaped |= l.key_escaped;
            let maybe = seen & bit != 0;
            seen |= bit;
            if !maybe && !escaped {
                continue;
            }
            for earlier in self.children(object).take_while(|&m| m != later) {
                let e = &self.nodes[earlier];
                let same = if l.key_escaped || e.key_escaped {
                    self.key(earlier) == self.key(later)
                } else {
                    e.key_end - e.key_start == len && raw_key(e) == raw_key(l)
                };
                if same {
                    each(earlier, later);
                    break;
                }
            }
        }
    }

    /// RFC 6901 JSON Pointer to a node. Findings are made on the hot path: the ancestors are
    /// gathered first (the parser bounds their number by MAX_DEPTH), so that the pointer is
    /// written root first into one string of about the right size, with no recursion.
    pub fn pointer(&self, index: usize) -> String {
        let (mut depth, mut len) = (0, 0);
        let mut at = index;
        while self.nodes[at].parent != NO_PARENT {
            let n = &self.nodes[at];
            // A member's raw key, quotes included, is as long as its `/key` unless it has
            // escapes, and an element's index is seldom over four digits.
            len += if n.key_end > n.key_start {
                (n.key_end - n.key_start) as usize
            } else {
                5
            };
            depth += 1;
            at = n.parent as usize;
        }
        // The chain of ancestors, root first, in a small array: a payload nests a few levels,
        // and an array for the deepest nesting the parser allows cost 516 bytes cleared for
        // every finding.
        let (mut near, mut far) = ([0u32; 16], Vec::new());
        let chain = crate::text::scratch(&mut near, &mut far, depth, 0);
        let mut at = index;
        for slot in chain.iter_mut().rev() {
            *slot = at as u32;
            at = self.nodes[at].parent as usize;
        }
        let mut pointer = String::with_capacity(len);
        for &at in chain.iter() {
            let at = at as usize;
            let parent = self.nodes[at].parent as usize;
            pointer.push('/');
            if self.nodes[parent].kind == Kind::Object {
                let key = self.key(at);
                if key.bytes().any(|b| b == b'~' || b == b'/') {
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                } else {
                    pointer.push_str(&key);
                }
            } else {
                let position = self.children(parent).position(|c| c == at).unwrap_or(0);
                let _ = write!(pointer, "{position}");
            }
        }
        pointer
    }

    /// The compact serialised size of a value: its bytes less the whitespace between tokens.
    pub fn compact_len(&self, index: usize) -> usize {
        let mut len = 0;
        compact_bytes(self.raw(index), |_| len += 1);
        len
    }

    /// A value as compact JSON text: its text less the whitespace between tokens.
    pub fn compact(&self, index: usize) -> String {
        let mut bytes = Vec::with_capacity(self.raw(index).len());
        compact_bytes(self.raw(index), |b| bytes.push(b));
        // Only ASCII whitespace outside strings was dropped, so the bytes are still UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Hands over the bytes of a JSON text that are not whitespace between tokens.
fn compact_bytes(raw: &str, mut keep: impl FnMut(u8)) {
    let mut in_string = false;
    let mut escape = false;
    for &b in raw.as_bytes() {
        if in_string {
            keep(b);
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            keep(b);
            in_string = b == b'"';
        }
    }
}

pub struct Children<'n> {
    nodes: &'n [Node],
    at: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.at >= self.end {
            return None;
        }
        let current = self.at;
        self.at = self.nodes[current].next as usize;
        Some(current)
    }
}

/// Decodes the inside of a JSON string the parser has already checked.
pub fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let high = hex_unit(&mut chars);
                let code = if (0xD800..0xDC00).contains(&high) {
                    chars.next();
                    chars.next();
                    let low = hex_unit(&mut chars);
                    0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn hex_unit(chars: &mut std::str::Chars<'_>) -> u32 {
    chars
        .by_ref()
        .take(4)
        .fold(0, |acc, c| acc * 16 + c.to_digit(16).unwrap_or(0))
}

/// The byte offset in a string literal's raw inside that holds the `decoded` byte offset of its
/// decoded text, so that an error found in the decoded text can be shown where the user wrote it.
pub fn raw_offset(raw_inner: &str, decoded: usize) -> usize {
    let mut produced = 0;
    let mut chars = raw_inner.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if produced >= decoded {
            return at;
        }
        if c != '\\' {
            produced += c.len_utf8();
            continue;
        }
        match chars.next() {
            Some((_, 'u')) => {
                let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                let unit = u32::from_str_radix(&hex, 16).unwrap_or(0);
                if (0xD800..0xDC00).contains(&unit) {
                    // A surrogate pair: the low half's six characters belong to the same character.
                    for _ in 0..6 {
                        chars.next();
                    }
                    produced += 4;
                } else {
                    produced += char::from_u32(unit).map_or(3, char::len_utf8);
                }
            }
            Some(_) => produced += 1,
            None => {}
        }
    }
    raw_inner.len()
}

/// Writes `text` as a JSON string literal. Messages quote the values they are about, so the runs
/// with nothing to escape are found a word at a time and copied whole.
pub fn quote(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut from = 0;
    loop {
        let at = scan_string::<false>(bytes, from);
        // `at` is at an ASCII byte or the end: a character boundary.
        out.push_str(&text[from..at]);
        let Some(&special) = bytes.get(at) else {
            break;
        };
        match special {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            control => {
                let _ = write!(out, "\\u{control:04x}");
            }
        }
        from = at + 1;
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn parse_ok(text: &str) -> usize {
        let mut parser = Parser::new();
        parser.parse(text.as_bytes()).map(|d| d.len()).unwrap()
    }

    #[test]
    fn get_finds_nothing_in_what_is_not_an_object() {
        let mut parser = Parser::new();
        for text in [r#"[{"_id": "1"}, "x"]"#, r#""nodes""#, "1", "[]"] {
            let doc = parser.parse(text.as_bytes()).unwrap();
            assert_eq!(doc.get(0, "nodes"), None, "{text}");
        }
    }

    fn parse_err(text: &[u8]) -> ParseError {
        let mut parser = Parser::new();
        match parser.parse(text) {
            Ok(_) => panic!("expected an error for {:?}", String::from_utf8_lossy(text)),
            Err(e) => e,
        }
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for text in [
            "{}",
            "[]",
            "0",
            "-0.5e+10",
            "1e-400",
            "0e400",
            "1.7976931348623157e308",
            "\"a\\u00e9\\ud83d\\ude00\"",
            " {\"a\": [1, 2, {\"b\": null}], \"c\": true} ",
            "\u{feff}".trim_start_matches('\u{feff}'),
        ]
        .iter()
        .filter(|t| !t.is_empty())
        {
            parse_ok(text);
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "",
            "{",
            "{\"a\" 1}",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "1e",
            "tru",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"a\nb\"",
            "{} x",
            "nul",
        ] {
            let err = parse_err(text.as_bytes());
            assert!(matches!(err.kind, ParseErrorKind::Syntax(_)), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_number_beyond_a_float_is_still_json() {
        for text in ["1e400", "[-1.5E+309]", &"9".repeat(400)] {
            assert!(Parser::new().parse(text.as_bytes()).is_ok(), "{text}");
        }
    }

    #[test]
    fn reports_offset_of_the_error() {
        let err = parse_err(b"{\"a\": 1 \"b\": 2}");
        assert_eq!(err.offset, 8);
        assert_eq!(parse_err(b"\xff").kind, ParseErrorKind::NotUtf8);
    }

    #[test]
    fn every_syntax_error_keeps_its_offset_and_message() {
        // What the byte-at-a-time parser said before strings were scanned in blocks: each error,
        // where it stands, and at the end of a record, past sixteen bytes and within them.
        for (text, offset, message) in [
            (
                "",
                0,
                "invalid JSON: unexpected end of input, expected a value",
            ),
            (
                " ",
                1,
                "invalid JSON: unexpected end of input, expected a value",
            ),
            ("{", 1, "invalid JSON: expected a string key"),
            ("{\"a\" 1}", 5, "invalid JSON: expected `:` after the key"),
            ("{\"a\":1,}", 7, "invalid JSON: expected a string key"),
            ("[1,]", 3, "invalid JSON: expected a JSON value"),
            ("01", 1, "invalid JSON: leading zero in a number"),
            ("-", 1, "invalid JSON: invalid number"),
            ("-x", 1, "invalid JSON: invalid number"),
            (
                "1.",
                2,
                "invalid JSON: expected a digit after the decimal point",
            ),
            (
                "1.e5",
                2,
                "invalid JSON: expected a digit after the decimal point",
            ),
            ("1e", 2, "invalid JSON: expected a digit in the exponent"),
            ("1e+", 3, "invalid JSON: expected a digit in the exponent"),
            ("tru", 0, "invalid JSON: expected a JSON value"),
            ("nul", 0, "invalid JSON: expected a JSON value"),
            ("fals", 0, "invalid JSON: expected a JSON value"),
            ("x", 0, "invalid JSON: expected a JSON value"),
            ("{\"a\":1 \"b\":2}", 7, "invalid JSON: expected `,` or `}`"),
            ("[1 2]", 3, "invalid JSON: expected `,` or `]`"),
            ("{1:2}", 1, "invalid JSON: expected a string key"),
            ("{\"a\"", 4, "invalid JSON: expected `:` after the key"),
            (
                "{\"a\":",
                5,
                "invalid JSON: unexpected end of input, expected a value",
            ),
            (
                "{\"a\":1",
                6,
                "invalid JSON: unexpected end of input in an object",
            ),
            (
                "[",
                1,
                "invalid JSON: unexpected end of input, expected a value",
            ),
            ("[1", 2, "invalid JSON: unexpected end of input in an array"),
            ("\"abc", 4, "invalid JSON: unterminated string"),
            ("\"a\\x\"", 3, "invalid JSON: invalid escape"),
            ("\"\\u12\"", 3, "invalid JSON: incomplete \\u escape"),
            ("\"\\u12g4\"", 3, "invalid JSON: invalid \\u escape"),
            (
                "\"\\ud800\"",
                7,
                "invalid JSON: lone leading surrogate in a \\u escape",
            ),
            (
                "\"\\ud800\\u0041\"",
                13,
                "invalid JSON: lone leading surrogate in a \\u escape",
            ),
            (
                "\"\\udc00\"",
                7,
                "invalid JSON: lone trailing surrogate in a \\u escape",
            ),
            (
                "\"a\tb\"",
                2,
                "invalid JSON: control character in a string (escape it)",
            ),
            (
                "{} x",
                3,
                "invalid JSON: trailing characters after the JSON value",
            ),
            (
                "[]]",
                2,
                "invalid JSON: trailing characters after the JSON value",
            ),
            (
                "{\"a\":{\"b\":[1,{\"c\":tru}]}}",
                18,
                "invalid JSON: expected a JSON value",
            ),
            ("\"\\", 2, "invalid JSON: invalid escape"),
            ("\"\\u", 3, "invalid JSON: incomplete \\u escape"),
            (
                "{\"k\":\"v\"  ,  }",
                13,
                "invalid JSON: expected a string key",
            ),
            ("  [  1  ,  ]  ", 11, "invalid JSON: expected a JSON value"),
            (
                "{\"a\":\"0123456789012345678901234567890\u{1}\"}",
                37,
                "invalid JSON: control character in a string (escape it)",
            ),
            (
                "\"0123456789abcdef0123456789\u{1f}\"",
                27,
                "invalid JSON: control character in a string (escape it)",
            ),
            ("-01", 2, "invalid JSON: leading zero in a number"),
            ("[-]", 2, "invalid JSON: invalid number"),
            ("[1,2,3,nulll]", 11, "invalid JSON: expected `,` or `]`"),
            ("{\"é\":\"ü\" x}", 11, "invalid JSON: expected `,` or `}`"),
            (
                "\"😀\\uD83D\\uDE00\" 1",
                19,
                "invalid JSON: trailing characters after the JSON value",
            ),
            (
                "{\"a\":\"b\",\"c\":\"d\",\"e\":\"0123456789012345\"",
                39,
                "invalid JSON: unexpected end of input in an object",
            ),
            (
                "\"0123456789012345678",
                20,
                "invalid JSON: unterminated string",
            ),
        ] {
            let err = parse_err(text.as_bytes());
            assert_eq!(
                (err.offset, err.message().as_str()),
                (offset, message),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reports_where_the_text_stops_being_utf8() {
        for (bytes, offset) in [
            (&b"\xff"[..], 0),
            (b"\"\xc3\xa9\xff\"", 3),
            (b"{\"a\": \"0123456789abcdef0123456789\xe2\x82\"}", 33),
            (b"[1, 2, \"\xf0\x9f\x98\"]", 8),
            (b"\"\xed\xa0\x80\"", 1),
        ] {
            let err = parse_err(bytes);
            assert_eq!((err.kind, err.offset), (ParseErrorKind::NotUtf8, offset));
        }
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        let err = parse_err(deep.as_bytes());
        assert_eq!((err.kind, err.offset), (ParseErrorKind::TooDeep, MAX_DEPTH));
        let deep = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        let err = parse_err(deep.as_bytes());
        assert_eq!(
            (err.kind, err.offset),
            (ParseErrorKind::TooDeep, MAX_DEPTH * 5)
        );
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        parse_ok(&ok);
    }

    #[test]
    fn keeps_duplicates_and_spans() {
        let text = r#"{"a/b": {"x~": [10, "y"]}, "a/b": 2}"#;
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let members: Vec<_> = doc.children(0).collect();
        assert_eq!(members.len(), 2);
        assert_eq!(doc.get(0, "a/b"), Some(members[1]));
        let inner = doc.get(members[0], "x~").unwrap();
        let y = doc.children(inner).nth(1).unwrap();
        assert_eq!(doc.raw(y), "\"y\"");
        assert_eq!(doc.pointer(y), "/a~1b/x~0/1");
    }

    /// The first special byte at or after `from`, one byte at a time: what both scans must agree with.
    fn first_special(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&i| matches!(bytes[i], b'"' | b'\\' | b'{' | 0..0x20))
            .unwrap_or(bytes.len())
    }

    #[test]
    fn compares_keys_of_every_length_at_every_byte() {
        for len in 0..40 {
            let key: Vec<u8> = (0..len as u8).map(|i| b'a' + i % 26).collect();
            assert!(same_bytes(&key, &key.clone()), "{len}");
            for at in 0..len {
                let mut other = key.clone();
                other[at] = b'Z';
                assert!(!same_bytes(&key, &other), "{len} {at}");
            }
        }
    }

    #[test]
    fn finds_special_bytes_in_any_position() {
        // Every special byte at every position of a record up to 40 bytes long, scanned from every
        // start before it, so that the sixteen-byte scan, its portable tail and the hand-over
        // between them all see each case.
        let specials = [b'"', b'\\', b'{', b'\n', 0, 0x1f];
        for len in 0..40 {
            for at in 0..=len {
                for special in specials {
                    let mut bytes = vec![b'a'; len];
                    if at < len {
                        bytes[at] = special;
                    }
                    for from in 0..=at.min(len) {
                        let expected = first_special(&bytes, from);
                        assert_eq!(expected, at, "{len} {at} {from}");
                        assert_eq!(find_string_special(&bytes, from), expected);
                        assert_eq!(find_string_special_portable(&bytes, from), expected);
                    }
                }
            }
        }
        assert_eq!(find_string_special("é\"".as_bytes(), 0), 2);
        // Bytes next to the special ones in value, and UTF-8 continuation bytes, are not special.
        let near = [
            0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7a, 0x7c, 0x7f, 0x80, 0x9f, 0xa2, 0xdc, 0xfb, 0xff,
        ];
        let bytes: Vec<u8> = near.iter().copied().cycle().take(64).collect();
        assert_eq!(find_string_special(&bytes, 0), bytes.len());
    }

    proptest::proptest! {
        #[test]
        fn the_fast_string_scan_agrees_with_a_byte_at_a_time(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => 0x20u8..=0xff,
                    1 => proptest::sample::select(vec![b'"', b'\\', b'{', 0, b'\t', 0x1f]),
                ],
                0..80,
            ),
            from in 0usize..80,
        ) {
            let from = from.min(bytes.len());
            let expected = first_special(&bytes, from);
            proptest::prop_assert_eq!(find_string_special(&bytes, from), expected);
            proptest::prop_assert_eq!(find_string_special_portable(&bytes, from), expected);
        }
    }

    #[test]
    fn finds_a_byte_past_ascii_in_any_position() {
        // One high byte at every position of records up to 140 bytes long, so that the 64-byte
        // steps, the 16-byte steps and the overlapping last load each meet one.
        for len in 0..140 {
            assert!(is_ascii(&vec![b'a'; len]), "{len}");
            for at in 0..len {
                for high in [0x80, 0xc3, 0xff] {
                    let mut bytes = vec![0x7f; len];
                    bytes[at] = high;
                    assert!(!is_ascii(&bytes), "{len} {at}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_ascii_check_agrees_with_std(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![60 => 0u8..0x80, 1 => 0x80u8..=0xff],
                0..300,
            ),
        ) {
            proptest::prop_assert_eq!(is_ascii(&bytes), bytes.is_ascii());
        }
    }

    #[test]
    fn finds_duplicate_keys_escaped_or_not() {
        let text = r#"{"a": 1, "b": 2, "\u0061": 3, "b": 4}"#;
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let mut pairs = Vec::new();
        doc.duplicate_keys(0, |earlier, later| {
            pairs.push((doc.key(earlier).into_owned(), later))
        });
        assert_eq!(pairs.len(), 2);
        assert!(pairs.iter().all(|(k, _)| k == "a" || k == "b"));
    }

    #[test]
    fn finds_every_duplicate_among_many_keys() {
        // Enough keys that their bits collide, so that both the quick and the full paths run.
        let mut members: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        members.push(r#""k5": 0"#.to_string());
        members.push(r#""k77": 0"#.to_string());
        members.push(r#""": 0"#.to_string());
        members.push(r#""": 1"#.to_string());
        let text = format!("{{{}}}", members.join(", "));
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let mut keys = Vec::new();
        doc.duplicate_keys(0, |earlier, later| {
            assert_eq!(doc.key(earlier), doc.key(later));
            keys.push(doc.key(later).into_owned());
        });
        assert_eq!(keys, ["k5", "k77", ""]);
    }

    /// Whether the string `value`, alone in an array, is among the candidates of the shared checks.
    fn string_is_candidate(value: &str) -> bool {
        let text = format!("[{}]", quote(value));
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        doc.candidates().any(|i| i == 1)
    }

    #[test]
    fn every_stand_in_is_a_candidate() {
        // Each stand-in and near miss, with each first byte, case and surrounding whitespace.
        let tails = [
            "ull",
            "ndefined",
            "an",
            "one",
            "object object]",
            "odo",
            "hangeme",
            "xx",
            "eplace_with",
            "EPLACE_WITH_A_VERY_LONG_NAME_THAT_GOES_ON_PAST_SIXTY_FOUR_BYTES_AT_LEAST",
            "our-x",
            "queue id>",
            "a",
            "",
            "ull ",
        ];
        let mut checked = 0;
        for first in (0u8..0x80).map(char::from).chain(['é', '\u{a0}']) {
            for tail in tails {
                for pad in ["", " ", "\t", "\n ", "\u{c}", "\r"] {
                    for value in [
                        format!("{pad}{first}{tail}{pad}"),
                        format!("{pad}{}{pad}", format!("{first}{tail}").to_uppercase()),
                    ] {
                        if text::is_stand_in(&value) {
                            checked += 1;
                            assert!(string_is_candidate(&value), "{value:?}");
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
        assert!(!string_is_candidate("John Doe"));
        assert!(!string_is_candidate("nu"));
    }

    proptest::proptest! {
        #[test]
        fn a_string_is_stand_in_only_when_a_candidate(value in "[ \t<>\\[\\]a-zA-Z_ -]{0,70}") {
            if text::is_stand_in(&value) {
                proptest::prop_assert!(string_is_candidate(&value));
            }
        }

        #[test]
        fn an_object_with_duplicate_keys_is_a_candidate(
            keys in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "a", "b", "ab", "ba", "\\u0061", "a\\u0062", "k5", "k55", "\\\"", "queueId",
                ]),
                0..12,
            ),
        ) {
            let members: Vec<String> = keys.iter().map(|k| format!("\"{k}\": 1")).collect();
            let text = format!("[{{}}, {{{}}}]", members.join(", "));
            let mut parser = Parser::new();
            let doc = parser.parse(text.as_bytes()).unwrap();
            let object = 2;
            let mut duplicates = 0;
            doc.duplicate_keys(object, |_, _| duplicates += 1);
            if duplicates > 0 {
                proptest::prop_assert!(doc.candidates().any(|i| i == object));
            }
            // The empty object before it never is.
            proptest::prop_assert!(!doc.candidates().any(|i| i == 1));
        }
    }

    #[test]
    fn candidates_stand_in_document_order() {
        let text =
            r#"{"a": {"x": "{{y}}", "x": 1e999}, "b": "null", "c": 12, "d": "John", "a": [1]}"#;
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let raws: Vec<&str> = doc.candidates().map(|i| doc.raw(i)).collect();
        assert_eq!(
            raws,
            [
                text,
                r#"{"x": "{{y}}", "x": 1e999}"#,
                r#""{{y}}""#,
                "1e999",
                r#""null""#
            ]
        );
    }

    #[test]
    fn decodes_escapes() {
        let text = r#"{"k\u0065y": "a\"b\\c\u00e9\ud83d\ude00"}"#;
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let value = doc.get(0, "key").unwrap();
        assert_eq!(doc.str(value), "a\"b\\cé😀");
    }

    #[test]
    fn raw_offsets_account_for_escapes() {
        let raw = r#"a\"b\u00e9c"#;
        assert_eq!(raw_offset(raw, 0), 0);
        assert_eq!(raw_offset(raw, 1), 1);
        assert_eq!(raw_offset(raw, 2), 3);
        assert_eq!(raw_offset(raw, 5), 10);
        assert_eq!(raw_offset(raw, 99), raw.len());
    }

    #[test]
    fn points_at_the_deepest_value_the_parser_allows() {
        let depth = MAX_DEPTH;
        let text = format!(
            "{}\"e/\\u00e9\"{}",
            "[{\"k\":".repeat(depth / 2),
            "}]".repeat(depth / 2)
        );
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        let deepest = doc.len() - 1;
        assert_eq!(doc.pointer(deepest), "/0/k".repeat(depth / 2));
        assert_eq!(doc.pointer(0), "");
    }

    /// What `quote` must write: every character looked at alone.
    fn quote_by_chars(text: &str) -> String {
        let mut out = String::from('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest::proptest! {
        #[test]
        fn quote_writes_json_that_reads_back_as_the_text(
            text in "[\"\\\\\\x00-\\x1f a-z\u{e9}\u{1F600}]{0,40}|\\PC{0,40}"
        ) {
            let quoted = quote(&text);
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&quoted).unwrap(), text.clone());
            proptest::prop_assert_eq!(quoted, quote_by_chars(&text));
        }
    }

    #[test]
    fn compact_len_ignores_layout_only() {
        let text = "{ \"a\" : [ 1 , \"x y\" ] }";
        let mut parser = Parser::new();
        let doc = parser.parse(text.as_bytes()).unwrap();
        assert_eq!(doc.compact_len(0), r#"{"a":[1,"x y"]}"#.len());
    }
}
