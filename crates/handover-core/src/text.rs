//! Small text checks the rules share.

/// The first unrendered template in a raw JSON string: `{{ ... }}` or `${...}`.
pub fn find_template(raw: &str) -> Option<&str> {
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[from..]) {
        let open = from + found;
        from = open + 1;
        if open == 0 {
            continue;
        }
        let (start, close) = match bytes[open - 1] {
            b'{' => (open - 1, "}}"),
            b'$' => (open - 1, "}"),
            _ => continue,
        };
        if let Some(end) = raw[open + 1..].find(close) {
            return Some(&raw[start..open + 1 + end + close.len()]);
        }
    }
    None
}

/// Whether a string is one of the stand-ins bots and config templates leave behind.
pub fn is_stand_in(value: &str) -> bool {
    // Every string value of every record comes here. Every stand-in starts with one of these, so
    // most real values are ruled out by their first byte, before any trimming.
    let may_start = |b: u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'n' | b'u' | b'[' | b't' | b'c' | b'x' | b'r' | b'y' | b'<'
        )
    };
    match value.as_bytes().first() {
        Some(&b) if may_start(b) || b.is_ascii_whitespace() => {}
        _ => return false,
    }
    let v = value.trim_ascii();
    let Some(first) = v.bytes().next() else {
        return false;
    };
    if v.len() < 3 || v.len() > 64 && !starts_with_ignore_case(v, "replace_with") {
        return false;
    }
    let is = |stand_in: &str| v.eq_ignore_ascii_case(stand_in);
    match first.to_ascii_lowercase() {
        b'n' => is("null") || is("nan") || is("none"),
        b'u' => is("undefined"),
        b'[' => is("[object object]"),
        b't' => is("todo"),
        b'c' => is("changeme"),
        b'x' => is("xxx"),
        b'r' => starts_with_ignore_case(v, "replace_with"),
        b'y' => starts_with_ignore_case(v, "your-"),
        b'<' => is_bracketed_name(v),
        _ => false,
    }
}

/// `<queue id>`, `<NAME>`: a name in angle brackets, as templates mark what to fill in. Addresses
/// such as `<sip:+15551234567@example>` are real values and do not count.
fn is_bracketed_name(v: &str) -> bool {
    v.strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .is_some_and(|inner| {
            !inner.trim().is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
        })
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The known key a misspelt one most likely meant: equal ignoring case, or within edit distance 2.
pub fn did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(k);
    }
    known
        .iter()
        // Lengths that differ by more than 2 cannot be within distance 2.
        .filter(|k| k.len().abs_diff(key.len()) <= 2)
        .filter_map(|k| Some((distance_within(key, k, 2)?, *k)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The first `n` slots of `stack`, or, for more than it holds, of `heap` grown to `n`: scratch
/// space on the hot path that allocates only for sizes a payload seldom has.
pub(crate) fn scratch<'s, T: Clone>(
    stack: &'s mut [T],
    heap: &'s mut Vec<T>,
    n: usize,
    fill: T,
) -> &'s mut [T] {
    if n <= stack.len() {
        &mut stack[..n]
    } else {
        heap.resize(n, fill);
        &mut heap[..]
    }
}

/// The Levenshtein distance of `a` and `b` in characters (ASCII letters compared ignoring case),
/// or `None` once it is sure to be over `bound`. Keys are checked wherever a
/// contract misses one, so this allocates nothing for keys of up to 63 characters.
fn distance_within(a: &str, b: &str, bound: usize) -> Option<usize> {
    let same = |x: char, y: char| x.eq_ignore_ascii_case(&y);
    let columns = b.chars().count() + 1;
    if columns == 1 {
        return Some(a.chars().count()).filter(|&d| d <= bound);
    }
    let (mut stack, mut heap) = ([0usize; 64], Vec::new());
    let row = scratch(&mut stack, &mut heap, columns, 0);
    // `b`'s characters decoded once: each row reads its band of them by index, where skipping to
    // the band through a `Chars` decoded the row's whole start again.
    let (mut stack_chars, mut heap_chars) = (['\0'; 63], Vec::new());
    let b_chars = scratch(&mut stack_chars, &mut heap_chars, columns - 1, '\0');
    for (slot, c) in b_chars.iter_mut().zip(b.chars()) {
        *slot = c;
    }
    // Only the cells within `bound` of the diagonal can hold a distance of at most `bound`: the
    // others are worked out no further than `over`, which is all that matters of them. A key's
    // suggestions cost a few cells a character, not a row.
    let over = bound.saturating_add(1);
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j.min(over);
    }
    for (i, ca) in a.chars().enumerate() {
        let i = i + 1;
        let (lo, hi) = (i.saturating_sub(bound).max(1), i.saturating_add(bound));
        if lo >= columns {
            // `a` is longer than `b` by more than `bound`.
            return None;
        }
        let hi = hi.min(columns - 1);
        let mut diagonal = row[lo - 1];
        row[lo - 1] = if lo == 1 { i.min(over) } else { over };
        let mut least = row[lo - 1];
        for (j, &cb) in b_chars.iter().enumerate().take(hi).skip(lo - 1) {
            let j = j + 1;
            let above = row[j];
            row[j] = (above + 1)
                .min(row[j - 1] + 1)
                .min(diagonal + usize::from(!same(ca, cb)))
                .min(over);
            diagonal = above;
            least = least.min(row[j]);
        }
        // The cell past the band is out of the next row's band: it reads it as the one above.
        if let Some(past) = row.get_mut(hi + 1) {
            *past = over;
        }
        // A row's least cell never shrinks in the rows below it.
        if least > bound {
            return None;
        }
    }
    Some(row[columns - 1]).filter(|&d| d <= bound)
}

/// A canonical 8-4-4-4-12 hex UUID (either case, as RFC 9562 allows on input).
pub fn is_canonical_uuid(text: &str) -> bool {
    // Every record carries one or two UUIDs, so this runs on the hot path: the four dashes, then
    // the 32 digits eight at a time, as four words.
    let Ok(bytes) = <&[u8; 36]>::try_from(text.as_bytes()) else {
        return false;
    };
    if bytes[8] != b'-' || bytes[13] != b'-' || bytes[18] != b'-' || bytes[23] != b'-' {
        return false;
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4")));
    let words = [
        word(0),
        half(9) | half(14) << 32,
        half(19) | half(24) << 32,
        word(28),
    ];
    words.into_iter().fold(HIGH, |all, w| all & hex_digits(w)) == HIGH
}

/// `byte` in each of a word's eight bytes: scans that test eight bytes at a time compare with it.
#[inline]
pub const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

const HIGH: u64 = splat(0x80);

/// The high bit of each byte of `word` that is `byte`. A borrow may also mark a byte after a true
/// match, never a word without one: a mask says whether a word holds `byte`, and from where to
/// look byte by byte.
#[inline]
pub const fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ splat(byte);
    x.wrapping_sub(splat(1)) & !x & HIGH
}

/// The high bit of each byte of `word` below `bound` (at most 0x80), with the same borrows as
/// [`bytes_equal`].
#[inline]
pub const fn bytes_below(word: u64, bound: u8) -> u64 {
    word.wrapping_sub(splat(bound)) & !word & HIGH
}

/// The high bit of each byte of `word` that is an ASCII hex digit. Adding to bytes below 0x80
/// sets their high bit from a threshold on, and carries into no other byte.
fn hex_digits(word: u64) -> u64 {
    let low = word & splat(0x7f);
    let at_least = |byte: u8| (low + splat(0x80 - byte)) & HIGH;
    let folded = |byte: u8| ((low | splat(0x20)) + splat(0x80 - byte)) & HIGH;
    let digit = at_least(b'0') & !at_least(b'9' + 1);
    let letter = folded(b'a') & !folded(b'f' + 1);
    (digit | letter) & !word
}

/// The canonical form of a UUID written another way: braces, a `urn:uuid:` prefix, no hyphens, spaces.
pub fn canonical_uuid(text: &str) -> Option<String> {
    uuid::Uuid::try_parse(text.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            find_template("\"{{context.queueId}}\""),
            Some("{{context.queueId}}")
        );
        assert_eq!(
            find_template("\"id-${input.data.x}\""),
            Some("${input.data.x}")
        );
        assert_eq!(find_template("\"{ not a template }\""), None);
        assert_eq!(find_template("\"{{ unclosed\""), None);
        assert_eq!(find_template("\"$5 {x}\""), None);
    }

    #[test]
    fn stand_ins() {
        for s in [
            "undefined",
            "NULL",
            "NaN",
            "None",
            "[object Object]",
            "REPLACE_WITH_VALID_QUEUE_ID",
            "your-real-queue-uuid",
            "<queue id>",
            "TODO",
            "ChangeMe",
            "xxx",
        ] {
            assert!(is_stand_in(s), "{s}");
        }
        for s in [
            "John Doe",
            "nonesuch",
            "xx",
            "todo list",
            "+15551234567",
            "yours",
        ] {
            assert!(!is_stand_in(s), "{s}");
        }
    }

    #[test]
    fn suggestions() {
        let known = [
            "queueId",
            "participant",
            "customAttributes",
            "flowVersionId",
        ];
        assert_eq!(did_you_mean("queueID", &known), Some("queueId"));
        assert_eq!(did_you_mean("queue_id", &known), Some("queueId"));
        assert_eq!(did_you_mean("participants", &known), Some("participant"));
        assert_eq!(did_you_mean("priority", &known), None);
        assert_eq!(distance_within("kitten", "sitting", usize::MAX), Some(3));
    }

    /// Stand-ins as they were found before the first byte chose what to compare: every known one
    /// tried in turn.
    fn every_stand_in_tried(value: &str) -> bool {
        let v = value.trim_ascii();
        let Some(first) = v.bytes().next() else {
            return false;
        };
        if !matches!(
            first.to_ascii_lowercase(),
            b'n' | b'u' | b'[' | b't' | b'c' | b'x' | b'r' | b'y' | b'<'
        ) {
            return false;
        }
        if v.len() < 3 || v.len() > 64 && !starts_with_ignore_case(v, "replace_with") {
            return false;
        }
        const EXACT: &[&str] = &[
            "null",
            "undefined",
            "nan",
            "none",
            "[object object]",
            "todo",
            "changeme",
            "xxx",
        ];
        EXACT.iter().any(|s| v.eq_ignore_ascii_case(s))
            || starts_with_ignore_case(v, "replace_with")
            || starts_with_ignore_case(v, "your-")
            || is_bracketed_name(v)
    }

    proptest::proptest! {
        /// Stand-ins in any case, with white space and other text around them, real values,
        /// and long ones on both sides of the 64-byte limit.
        #[test]
        fn stand_ins_are_found_as_before(
            value in "[ \t\n\r\x0b\x0c]{0,2}(null|NaN|nOne|undefined|\\[object Object\\]|todo|ChangeMe|xXx|REPLACE_WITH_[A-Z_]{0,70}|your-[a-z]{0,70}|<[a-z é.-]{0,70}>|<sip:\\+1@x>|[a-zA-Z<\\[]{0,4})[a-z<> _é-]{0,3}[ \t\n]{0,2}|\\PC{0,80}",
        ) {
            proptest::prop_assert_eq!(is_stand_in(&value), every_stand_in_tried(&value));
        }
    }

    /// The UUID check as it was before it read words: a class for each byte.
    fn uuid_by_bytes(text: &str) -> bool {
        text.len() == 36
            && text.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    }

    proptest::proptest! {
        /// 36 bytes, each a dash, a hex digit at either end of a range or a byte just outside
        /// one; the dashes' places mostly dashes, so that the digits' words are read.
        #[test]
        fn uuids_are_checked_as_byte_by_byte(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"/09:@AFG`afg-\x7f".to_vec()),
                36,
            ),
            dashes in proptest::bool::weighted(0.8),
        ) {
            let mut bytes = bytes;
            if dashes {
                for at in [8, 13, 18, 23] {
                    bytes[at] = b'-';
                }
            }
            let text = String::from_utf8(bytes).unwrap();
            proptest::prop_assert_eq!(is_canonical_uuid(&text), uuid_by_bytes(&text));
        }
    }

    /// Every ASCII byte in every place of a UUID, and every two-byte character in every two
    /// places: a byte with the high bit set must not pass for the digit its low bits spell.
    #[test]
    fn every_byte_in_every_place_of_a_uuid() {
        let uuid = "a1b2c3d4-5678-90ab-cdef-123456789012";
        let check = |at: usize, with: &[u8]| {
            let mut changed = uuid.as_bytes().to_vec();
            changed[at..at + with.len()].copy_from_slice(with);
            let text = std::str::from_utf8(&changed).unwrap();
            assert_eq!(
                is_canonical_uuid(text),
                uuid_by_bytes(text),
                "{with:x?} at {at}"
            );
        };
        for at in 0..36 {
            for byte in 0..0x80_u8 {
                check(at, &[byte]);
            }
        }
        for c in '\u{80}'..='\u{7ff}' {
            let mut buf = [0; 2];
            for at in 0..35 {
                check(at, c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }

    /// The suggestions as they were made before the bounded distance: every distance in full,
    /// on lower-cased copies.
    fn full_did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
        fn full(a: &str, b: &str) -> usize {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let mut row: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut diagonal = row[0];
                row[0] = i + 1;
                for (j, cb) in b.iter().enumerate() {
                    let above = row[j + 1];
                    row[j + 1] = (above + 1)
                        .min(row[j] + 1)
                        .min(diagonal + usize::from(ca != cb));
                    diagonal = above;
                }
            }
            row[b.len()]
        }
        if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            return Some(k);
        }
        known
            .iter()
            .filter(|k| k.len().abs_diff(key.len()) <= 2)
            .map(|k| (full(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()), *k))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }

    proptest::proptest! {
        /// Keys near the known ones (a few letters changed, cased or non-ASCII), and long ones
        /// past the stack row.
        #[test]
        fn suggestions_are_the_full_distances(
            key in "[qQuUeEiIdD_é]{0,9}|[a-c]{60,70}",
            known in proptest::collection::vec("[quеeidIDé]{0,8}|[a-c]{62,68}", 1..5),
        ) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(did_you_mean(&key, &known), full_did_you_mean(&key, &known));
        }
    }

    #[test]
    fn uuids() {
        assert!(is_canonical_uuid("a1b2c3d4-5678-90ab-cdef-123456789012"));
        assert!(is_canonical_uuid("A1B2C3D4-5678-90AB-CDEF-123456789012"));
        assert!(!is_canonical_uuid("a1b2c3d4-5678-90ab-cdef-12345678901g"));
        assert!(!is_canonical_uuid("a1b2c3d4x5678-90ab-cdef-123456789012"));
        assert_eq!(
            canonical_uuid("{A1B2C3D4-5678-90AB-CDEF-123456789012}").as_deref(),
            Some("a1b2c3d4-5678-90ab-cdef-123456789012")
        );
        assert_eq!(canonical_uuid("v2-7"), None);
    }
}
