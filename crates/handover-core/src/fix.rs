//! Applying fixes to a text without touching anything else in it.

use crate::finding::Fix;

/// Applies the fixes whose spans do not overlap an earlier one; returns the new text and how many applied.
/// Offsets are into `text`; callers shift a record's fixes by the record's offset first.
pub fn apply(text: &str, fixes: &[Fix]) -> (String, usize) {
    let mut ordered: Vec<&Fix> = fixes.iter().collect();
    ordered.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for fix in ordered {
        if fix.span.start < at || fix.span.end > text.len() || fix.span.start > fix.span.end {
            continue;
        }
        out.push_str(&text[at..fix.span.start]);
        out.push_str(&fix.replacement);
        at = fix.span.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    fn fix(start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            description: String::new(),
            span: Span::new(start, end),
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let text = "0123456789";
        let (out, applied) = apply(text, &[fix(6, 8, "x"), fix(1, 3, "ab"), fix(2, 4, "no")]);
        assert_eq!(out, "0ab345x89");
        assert_eq!(applied, 2);
    }
}
