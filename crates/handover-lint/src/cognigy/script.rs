//! CognigyScript in a field's text: `{{ ... }}` expressions, and the flow editor's tokens
//! `[[snippet-<base64 JSON>]]`, each decoded into the context path it reads.

use base64::Engine;

/// One expression in a field's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// What the expression reads, trimmed: `context.data.contactId`. For a token, its `script`;
    /// for a token that does not decode, the token as written.
    pub path: String,
    /// Byte range of the whole expression (braces or brackets included) in the text.
    pub start: usize,
    pub end: usize,
}

/// The expressions in `text`, in order. Text outside them is literal.
pub fn reads(text: &str) -> Vec<Read> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let next = [("{{", "}}"), ("[[snippet-", "]]")]
            .into_iter()
            .filter_map(|(open, close)| rest.find(open).map(|p| (p, open, close)))
            .min_by_key(|&(p, _, _)| p);
        let Some((p, open, close)) = next else { break };
        let start = at + p;
        let inner_start = start + open.len();
        let Some(q) = text[inner_start..].find(close) else {
            break;
        };
        let inner = &text[inner_start..inner_start + q];
        let end = inner_start + q + close.len();
        let path = if open == "{{" {
            inner.trim().to_string()
        } else {
            snippet_script(inner).unwrap_or_else(|| text[start..end].to_string())
        };
        found.push(Read { path, start, end });
        at = end;
    }
    found
}

/// The `script` of a token's base64 JSON (`{"type":"input","label":"Text","script":"input.text"}`).
fn snippet_script(base64: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(base64.trim()))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    Some(value.get("script")?.as_str()?.trim().to_string())
}

/// The text outside the expressions, with its surrounding whitespace: what the field holds
/// literally.
pub fn literal(text: &str, reads: &[Read]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for read in reads {
        out.push_str(&text[at..read.start]);
        at = read.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_and_tokens_read_their_paths() {
        let token = base64::engine::general_purpose::STANDARD
            .encode(r#"{"type":"context","label":"Contact","script":"context.data.contactId"}"#);
        let text = format!("a {{{{ input.text }}}} b [[snippet-{token}]]");
        let found = reads(&text);
        let paths: Vec<&str> = found.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["input.text", "context.data.contactId"]);
        assert_eq!(&text[found[0].start..found[0].end], "{{ input.text }}");
        assert_eq!(literal(&text, &found), "a  b ");
    }

    #[test]
    fn a_broken_token_reads_as_written_and_an_open_brace_is_literal() {
        let found = reads("[[snippet-not base64]] {{ open");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "[[snippet-not base64]]");
        assert!(reads("plain 12345").is_empty());
    }
}
